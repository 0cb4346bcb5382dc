#!/usr/bin/env bash
# Side-by-side GOST R 34.10-2012 speed: gostkit (examples/ec_speed.rs, release) against the
# reference peer, OpenSSL 3 + gost-engine (benches/peer/ec_speed.c over the EVP API), in one run.
# Prints `operation  curve  gostkit/s  peer/s  ratio` (ratio = gostkit / peer). Single thread;
# figures on a shared machine are noisy (±30%). Not part of the tests: no timed assertions.
set -euo pipefail
cd "$(dirname "$0")/.."

PEER_EXTRA_FILE=/usr/include/openssl/evp.h PEER_EXTRA_PACKAGES=libssl-dev
# shellcheck source=scripts/lib/peer.sh
. scripts/lib/peer.sh

cc -O2 -o "$work/ec_speed" benches/peer/ec_speed.c -lcrypto
declare -A peer
while read -r op curve n; do peer["$op $curve"]="$n"; done < <(OPENSSL_CONF="$work/openssl.cnf" "$work/ec_speed")

cargo build --release --example ec_speed >/dev/null 2>&1 || cargo build --release --example ec_speed
printf '%-8s %-12s %10s %10s %7s\n' operation curve gostkit/s peer/s ratio
while read -r op curve n; do
  p="${peer["$op $curve"]:-}"
  printf '%-8s %-12s %10s %10s %7s\n' "$op" "$curve" "$n" "${p:--}" \
    "$(awk -v g="$n" -v o="${p:-0}" 'BEGIN { if (o > 0) printf "%.2f", g / o; else print "-" }')"
done < <(cargo run --quiet --release --example ec_speed)
