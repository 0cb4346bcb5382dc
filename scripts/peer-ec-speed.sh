#!/usr/bin/env bash
# Side-by-side GOST R 34.10-2012 speed: gostkit (examples/ec_speed.rs, release) against the
# reference peer, OpenSSL 3 + gost-engine (benches/peer/ec_speed.c over the EVP API), in one run.
# Prints `operation  curve  gostkit/s  peer/s  ratio` (ratio = gostkit / peer). Single thread;
# figures on a shared machine are noisy (±30%). Not part of the tests: no timed assertions.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v openssl >/dev/null 2>&1 && [ -f "$(openssl version -e | cut -d'"' -f2)/gost.so" ] ||
  need+=(openssl libengine-gost-openssl)
[ -f /usr/include/openssl/evp.h ] || need+=(libssl-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "error: needs ${need[*]} (apt-get install ${need[*]})" >&2
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
