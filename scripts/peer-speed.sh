#!/usr/bin/env bash
# Side-by-side throughput on 8 KiB buffers: gostkit (examples/speed.rs, release build) against the
# reference peer, OpenSSL 3 + gost-engine (`openssl speed -seconds 1 -bytes 8192 -evp <name>`).
# Prints `algorithm  gostkit MB/s  peer MB/s  ratio` (ratio = gostkit / peer; MB = 10^6 bytes).
# Single thread; figures on a shared machine are noisy (±30%): run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v openssl >/dev/null 2>&1 ||
   [ ! -f "$(openssl version -e 2>/dev/null | cut -d'"' -f2)/gost.so" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq openssl libengine-gost-openssl >/dev/null
  else
    echo "error: needs openssl and gost-engine (apt-get install openssl libengine-gost-openssl)" >&2
    exit 1
  fi
fi

enginesdir="$(openssl version -e | cut -d'"' -f2)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/openssl.cnf" <<CNF
openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
dynamic_path = $enginesdir/gost.so
default_algorithms = ALL
CNF

# gostkit name -> OpenSSL/gost-engine EVP name. `gost89` is the engine's GOST 28147-89 CFB with
# CryptoPro key meshing (CryptoPro-A S-box); its ctr-acpkm ciphers use 4 KiB (Kuznyechik) and
# 1 KiB (Magma) sections, as examples/speed.rs does.
pairs=(
  "streebog256:md_gost12_256"
  "streebog512:md_gost12_512"
  "kuznyechik-ctr:kuznyechik-ctr"
  "kuznyechik-ctr-acpkm:kuznyechik-ctr-acpkm"
  "magma-ctr:magma-ctr"
  "magma-ctr-acpkm:magma-ctr-acpkm"
  "gost89-cfb:gost89"
)

declare -A peer
for p in "${pairs[@]}"; do
  name="${p%%:*}"
  evp="${p#*:}"
  # -mr prints `+F:<n>:<name>:<bytes per second>` for the one block size.
  bps="$(OPENSSL_CONF="$work/openssl.cnf" openssl speed -seconds 1 -bytes 8192 -mr -evp "$evp" \
           2>/dev/null | awk -F: '/^\+F:/ { print $4 }' | tail -n 1)"
  if [ -z "$bps" ]; then
    echo "error: openssl speed -evp $evp gave no result" >&2
    exit 1
  fi
  peer[$name]="$(awk -v b="$bps" 'BEGIN { printf "%.1f", b / 1e6 }')"
done

cargo build --release --example speed >/dev/null 2>&1 || cargo build --release --example speed
declare -A ours
while read -r name mbps; do
  ours[$name]="$mbps"
done < <(cargo run --quiet --release --example speed)

printf '%-22s %14s %12s %7s\n' algorithm "gostkit MB/s" "peer MB/s" ratio
for p in "${pairs[@]}"; do
  name="${p%%:*}"
  g="${ours[$name]:-}"
  o="${peer[$name]}"
  if [ -z "$g" ]; then
    echo "error: examples/speed.rs printed no figure for $name" >&2
    exit 1
  fi
  printf '%-22s %14s %12s %7s\n' "$name" "$g" "$o" \
    "$(awk -v g="$g" -v o="$o" 'BEGIN { if (o > 0) printf "%.2f", g / o; else print "-" }')"
done
