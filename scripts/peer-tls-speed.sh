#!/usr/bin/env bash
# GOST TLS 1.2 on loopback, side by side with OpenSSL 3 + gost-engine, for each suite (0xC100,
# 0xC101, 0xC102, 0xFF85) and a tc26-256-A server certificate (add `512` as the first argument for
# a tc26-512-A one as well):
#   hs client  full handshakes/s against `openssl s_server`: gostkit (examples/tls_speed.rs, which
#              validates the chain) vs `openssl s_time -new` (which does not);
#   hs server  full handshakes/s of `openssl s_time -new` against gostkit's server vs s_server;
#   bulk c→s   MB/s of $MIB MiB (default 64) of application data from the client to
#              `s_server -naccept 1` (stdout to /dev/null): gostkit client vs `openssl s_client`;
#   bulk s←c   the same from `openssl s_client` into gostkit's server vs into s_server.
# Bulk time: from the client's start until the server process exits after the connection (both
# ends' work, handshake included); one end is OpenSSL in every bulk pair, so a ratio near 1 can
# mean that end is the bottleneck. Ratio = gostkit / openssl (> 1: gostkit faster). MB = 10^6
# bytes. A measurement, not a test: single connections, a shared machine, ±30% noise.
set -euo pipefail
cd "$(dirname "$0")/.."
bits_list=(256)
[ "${1:-}" = 512 ] && bits_list=(256 512)
MIB="${MIB:-64}"
SECS="${SECS:-3}"
# shellcheck source=scripts/lib/peer.sh
. scripts/lib/peer.sh
# Build before pointing OPENSSL_CONF at the engine.
cargo build -q --release --example tls_speed
g="$PWD/target/release/examples/tls_speed"
export OPENSSL_CONF="$work/openssl.cnf"

# s_server reads its stdin: give it a FIFO that stays open and silent (no busy loop on EOF).
mkfifo "$work/idle"
exec 3<>"$work/idle"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

pki() { # bits -> $work/ca$bits.pem, srv$bits.{pem,key}
  local b="$1" alg=gost2012_256 ps=TCA md=-md_gost12_256
  [ "$b" = 512 ] && { alg=gost2012_512; ps=A; md=-md_gost12_512; }
  openssl genpkey -algorithm gost2012_256 -pkeyopt paramset:A -out "$work/ca$b.key"
  openssl req -x509 -new -key "$work/ca$b.key" -md_gost12_256 -subj "/CN=speed CA" -days 2 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -out "$work/ca$b.pem"
  openssl genpkey -algorithm "$alg" -pkeyopt "paramset:$ps" -out "$work/srv$b.key"
  openssl req -new -key "$work/srv$b.key" "$md" -subj /CN=localhost -out "$work/srv$b.csr"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyAgreement\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n' >"$work/ext.cnf"
  openssl x509 -req -in "$work/srv$b.csr" -CA "$work/ca$b.pem" -CAkey "$work/ca$b.key" -CAcreateserial \
    -days 2 -md_gost12_256 -extfile "$work/ext.cnf" -out "$work/srv$b.pem" 2>/dev/null
}

port=0
next_port() { port=$(( (port == 0 ? 20000 + RANDOM % 20000 : port + 1) )); }
wait_listen() { # port
  for _ in $(seq 100); do
    (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "error: nothing listens on $1" >&2
  exit 1
}
# The probe of wait_listen is one accepted connection: servers that count (-naccept, serve N)
# are started with one more.
s_server() { # bits cipher naccept|"" -> $srv_pid
  local na=()
  [ -n "$3" ] && na=(-naccept "$3")
  openssl s_server -tls1_2 -cipher "$2" -cert "$work/srv$1.pem" -key "$work/srv$1.key" \
    -accept "127.0.0.1:$port" -quiet "${na[@]}" <&3 >/dev/null 2>&1 &
  srv_pid=$!
  pids+=("$srv_pid")
  wait_listen "$port"
}
g_server() { # bits cipher count|"" -> $srv_pid
  "$g" serve "$port" "$work/srv$1.pem" "$work/srv$1.key" "$2" ${3:+"$3"} >/dev/null 2>&1 &
  srv_pid=$!
  pids+=("$srv_pid")
  wait_listen "$port"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
now() { date +%s.%N; }
s_time_rate() { # cipher -> connections per real second
  openssl s_time -connect "127.0.0.1:$port" -new -tls1_2 -cipher "$1" -time "$SECS" 2>/dev/null |
    awk '/connections in .* real seconds/ { for (i = 1; i <= NF; i++) if ($i == "in") { n = $1; s = $(i + 1) } }
         END { if (s > 0) printf "%.1f", n / s; else print "0" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mbps() { awk -v s="$1" -v e="$2" -v m="$MIB" 'BEGIN { printf "%.1f", m * 1048576 / (e - s) / 1e6 }'; }

printf '| cert | suite  | measure                     | gostkit | openssl | ratio |\n'
printf '| ---- | ------ | --------------------------- | ------- | ------- | ----- |\n'
row() { printf '| %-4s | %-6s | %-27s | %7s | %7s | %5s |\n' "$1" "$2" "$3" "$4" "$5" "$(ratio "$4" "$5")"; }

for bits in "${bits_list[@]}"; do
  pki "$bits" >/dev/null 2>&1
  for pair in C100:GOST2012-KUZNYECHIK-KUZNYECHIKOMAC C101:GOST2012-MAGMA-MAGMAOMAC \
              C102:IANA-GOST2012-GOST8912-GOST8912 FF85:LEGACY-GOST2012-GOST8912-GOST8912; do
    id="${pair%%:*}"
    cipher="${pair#*:}"
    # handshakes, client side: the same s_server for both clients
    next_port
    s_server "$bits" "$cipher" ""
    gk=$("$g" handshakes "$port" "$work/ca$bits.pem" "$cipher" "$SECS" | awk '{ print $6 }')
    os=$(s_time_rate "$cipher")
    stop "$srv_pid"
    row "$bits" "$id" "handshakes/s (client)" "$gk" "$os"
    # handshakes, server side: s_time against each server
    next_port
    g_server "$bits" "$cipher" ""
    gs=$(s_time_rate "$cipher")
    stop "$srv_pid"
    row "$bits" "$id" "handshakes/s (server)" "$gs" "$os"
    # bulk, client side
    next_port
    s_server "$bits" "$cipher" 2
    t0=$(now); "$g" send "$port" "$work/ca$bits.pem" "$cipher" "$MIB"; wait "$srv_pid"; t1=$(now)
    gb=$(mbps "$t0" "$t1")
    next_port
    s_server "$bits" "$cipher" 2
    t0=$(now)
    head -c "$((MIB * 1048576))" /dev/zero |
      openssl s_client -connect "127.0.0.1:$port" -tls1_2 -cipher "$cipher" >/dev/null 2>&1 || true
    wait "$srv_pid"; t1=$(now)
    ob=$(mbps "$t0" "$t1")
    row "$bits" "$id" "bulk MB/s (client→s_server)" "$gb" "$ob"
    # bulk, server side
    next_port
    g_server "$bits" "$cipher" 2
    t0=$(now)
    head -c "$((MIB * 1048576))" /dev/zero |
      openssl s_client -connect "127.0.0.1:$port" -tls1_2 -cipher "$cipher" >/dev/null 2>&1 || true
    wait "$srv_pid"; t1=$(now)
    gsb=$(mbps "$t0" "$t1")
    row "$bits" "$id" "bulk MB/s (s_client→server)" "$gsb" "$ob"
  done
done
