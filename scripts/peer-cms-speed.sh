#!/usr/bin/env bash
# Side by side with OpenSSL + gost-engine: CMS on a large file (default 256 MiB; first argument in
# MiB) — detached signature (tc26-256-A, Streebog-256 with signed attributes), its verification,
# and EnvelopedData encryption with Kuznyechik CTR-ACPKM-OMAC. Prints wall-clock seconds, MiB/s
# and the ratio gostkit/peer in throughput (> 1: gostkit faster) and gostkit's peak RSS.
# Decryption is gostkit only: gost-engine 3.0.1 cannot decrypt its own CTR-ACPKM messages above
# 4 KiB (wrong section size). A measurement, never a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/.."
mib="${1:-256}"
source scripts/lib/peer.sh
# Build before pointing OPENSSL_CONF at the engine: cargo links libssl and must not load it.
cargo build -q --release
export OPENSSL_CONF="$work/openssl.cnf"
g="$PWD/target/release/gostkit"
head -c "$((mib * 1024 * 1024))" /dev/urandom >"$work/data"
"$g" genkey --curve tc26-256-a --out "$work/k.pem"
"$g" x509 issue --self-signed --key "$work/k.pem" --subject "/CN=Speed" --out "$work/c.pem"

secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
row() { # name gostkit-seconds peer-seconds
  printf '| %-28s | %8.2f | %8.1f | %8.2f | %8.1f | %5.2f |\n' "$1" "$2" "$(echo "$mib / $2" | bc -l)" \
    "$3" "$(echo "$mib / $3" | bc -l)" "$(echo "$3 / $2" | bc -l)"
}
echo "CMS on $mib MiB (seconds, MiB/s; ratio = gostkit throughput / peer throughput)"
echo "| operation                    | gostkit s | MiB/s | peer s | MiB/s | ratio |"
echo "| --- | --- | --- | --- | --- | --- |"
gs=$(secs "$g" cms sign --cert "$work/c.pem" --key "$work/k.pem" --detached --in "$work/data" --out "$work/g.p7s")
ps=$(secs openssl cms -sign -binary -in "$work/data" -signer "$work/c.pem" -inkey "$work/k.pem" -outform DER -out "$work/p.p7s")
row "sign detached" "$gs" "$ps"
gv=$(secs "$g" cms verify --in "$work/g.p7s" --content "$work/data" --trusted "$work/c.pem")
pv=$(secs openssl cms -verify -binary -inform DER -in "$work/p.p7s" -content "$work/data" -CAfile "$work/c.pem" -out /dev/null)
row "verify detached" "$gv" "$pv"
ge=$(secs "$g" cms encrypt --recipient "$work/c.pem" --in "$work/data" --out "$work/g.p7m")
pe=$(secs openssl cms -encrypt -binary -kuznyechik-ctr-acpkm-omac -in "$work/data" -outform DER -out "$work/p.p7m" "$work/c.pem")
row "encrypt kuznyechik-omac" "$ge" "$pe"
gd=$(secs "$g" cms decrypt --cert "$work/c.pem" --key "$work/k.pem" --in "$work/g.p7m" --out "$work/g.out")
printf '| %-28s | %8.2f | %8.1f |      n/a |      n/a |   n/a |\n' "decrypt (gostkit only)" "$gd" "$(echo "$mib / $gd" | bc -l)"
cmp -s "$work/data" "$work/g.out" || { echo "error: round trip differs" >&2; exit 1; }
if [ -x /usr/bin/time ]; then
  echo "gostkit peak RSS (KiB): encrypt $(peak "$g" cms encrypt --recipient "$work/c.pem" --in "$work/data" --out "$work/g2.p7m"), decrypt $(peak "$g" cms decrypt --cert "$work/c.pem" --key "$work/k.pem" --in "$work/g.p7m" --out "$work/g2.out")"
fi
