#!/usr/bin/env bash
# Side-by-side throughput on 8 KiB buffers: gostkit (examples/speed.rs, release build) against the
# reference peer, OpenSSL 3 + gost-engine (`openssl speed -seconds 1 -bytes 8192 -evp <name>`).
# Prints `algorithm  gostkit MB/s  peer MB/s  ratio` (ratio = gostkit / peer; MB = 10^6 bytes).
# Single thread; figures on a shared machine are noisy (±30%): run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib/peer.sh
. scripts/lib/peer.sh

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
  # MGM (RFC 9058): gost-engine 3.0.1 (Debian) has no kuznyechik-mgm/magma-mgm EVP cipher, so
  # these rows show gostkit alone; put the EVP name after the colon once the engine has one.
  "kuznyechik-mgm:"
  "magma-mgm:"
)

declare -A peer
for p in "${pairs[@]}"; do
  name="${p%%:*}"
  evp="${p#*:}"
  if [ -z "$evp" ]; then
    peer[$name]="-"
    continue
  fi
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
    "$(awk -v g="$g" -v o="$o" 'BEGIN { if (o != "-" && o > 0) printf "%.2f", g / o; else print "-" }')"
done
