#!/usr/bin/env bash
# Builds libgostkit (crate gostkit-capi) in the given profile (debug, the default, or release),
# compiles tests/c/test_gostkit.c and examples/c/ion_client.c against include/gostkit.h, links
# them with libgostkit.a and runs them under valgrind when available. test_gostkit gets the
# test-vectors/cryptopro directory, an empty scratch directory and the gostkit PKCS#11 module
# (with a token prepared by pkcs11-tool) as its arguments, and in GOSTKIT_LTV_DIR (with
# OPENSSL_CONF loading gost-engine) the OpenSSL-made fixtures of its time-stamp/OCSP/CAdES test.
# Usage: tests/c/run.sh [debug|release]. Target dir: $CARGO_TARGET_DIR or the workspace's target/.
set -euo pipefail
profile="${1:-debug}"
crate="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$crate/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
case "$profile" in
  debug) cargo build -p gostkit-capi -p gostkit-pkcs11 ;;
  release) cargo build -p gostkit-capi -p gostkit-pkcs11 --release ;;
  *) echo "usage: $0 [debug|release]" >&2; exit 2 ;;
esac
lib="$target/$profile/libgostkit.a"
[ -f "$lib" ] || { echo "error: $lib not found" >&2; exit 1; }
out="$target/c-test-$profile"
mkdir -p "$out"
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -pedantic -I"$crate/include" "$crate/tests/c/test_gostkit.c" "$lib" \
  -lpthread -ldl -lm -o "$out/test_gostkit"
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -pedantic -I"$crate/include" "$crate/examples/c/ion_client.c" "$lib" \
  -lpthread -ldl -lm -o "$out/ion_client"
# The C test reads the CryptoPro samples from test-vectors/cryptopro and writes containers into a
# fresh scratch directory under the target directory.
vectors="$PWD/test-vectors/cryptopro"
scratch="$out/scratch"
rm -rf "$scratch"
mkdir -p "$scratch"
run() {
  local prog="$1"
  shift
  if command -v valgrind >/dev/null 2>&1; then
    valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      --track-origins=yes "$out/$prog" "$@"
  else
    echo "valgrind not found: running $prog without it"
    "$out/$prog" "$@"
  fi
}
# The token test: the gostkit PKCS#11 module with a fresh token directory, initialised and given
# a 512-bit key pair by OpenSC's pkcs11-tool (the independent PKCS#11 client). Without
# pkcs11-tool the token test is skipped, unless GOSTKIT_REQUIRE_PEER=1 (then this fails).
module="$target/$profile/libgostkit_pkcs11.so"
token_args=()
if command -v pkcs11-tool >/dev/null 2>&1; then
  export GOSTKIT_PKCS11_DIR="$out/token"
  rm -rf "$GOSTKIT_PKCS11_DIR"
  mkdir -p "$GOSTKIT_PKCS11_DIR"
  p11() { pkcs11-tool --module "$module" "$@" >/dev/null; }
  p11 --init-token --label CAPI --so-pin 87654321
  p11 --init-pin --login --so-pin 87654321 --pin 12345678
  p11 --login --pin 12345678 --keypairgen --key-type GOSTR3410-2012-512:A --id 02 --label peer512
  token_args=("$module")
elif [ "${GOSTKIT_REQUIRE_PEER:-}" = 1 ]; then
  echo "error: pkcs11-tool (opensc) not found and GOSTKIT_REQUIRE_PEER=1" >&2
  exit 1
else
  echo "SKIP: pkcs11-tool (opensc) not found: the token keys test does not run"
fi
# The long-term validation test: OpenSSL 3 with gost-engine (the independent TSA, OCSP
# responder and verifier) makes a GOST CA, a TSA certificate (critical extKeyUsage
# timeStamping), a delegated OCSP responder, a good and a revoked signer, an `openssl ocsp`
# index and an `openssl ts` configuration; test_gostkit runs `openssl ts -reply/-verify` and the
# one-shot `openssl ocsp -index -reqin/-respout` itself (no network). Without openssl (or its
# gost engine) the test is skipped, unless GOSTKIT_REQUIRE_PEER=1 (then this fails).
ltv="$out/ltv"
engine=""
if command -v openssl >/dev/null 2>&1; then
  engine="$(openssl version -e | cut -d'"' -f2)/gost.so"
fi
if [ -n "$engine" ] && [ -f "$engine" ]; then
  rm -rf "$ltv"
  mkdir -p "$ltv"
  cat >"$ltv/openssl.cnf" <<CNF
openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
dynamic_path = $engine
default_algorithms = ALL
[req]
distinguished_name = req_dn
[req_dn]
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_tsa]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
[v3_ocsp]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
[v3_leaf]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
authorityInfoAccess = OCSP;URI:http://127.0.0.1:9/ocsp
CNF
  # `openssl ts -reply -config` must not load the engine a second time: its own file.
  cat >"$ltv/tsa.cnf" <<'CNF'
[tsa]
default_tsa = tsa_config
[tsa_config]
dir = .
serial = $dir/tsaserial
signer_cert = $dir/tsa.pem
certs = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = md_gost12_256
default_policy = 1.2.643.2.2.38.4
digests = md_gost12_256, md_gost12_512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
CNF
  export OPENSSL_CONF="$ltv/openssl.cnf"
  (
    cd "$ltv"
    q() { "$@" >/dev/null 2>&1 || { echo "error: $*" >&2; exit 1; }; }
    for n in ca tsa ocsp signer revoked; do
      q openssl genpkey -algorithm gost2012_256 -pkeyopt paramset:TCA -out "$n.key"
    done
    q openssl req -new -x509 -key ca.key -subj "/CN=gostkit LTV CA" -days 30 -md_gost12_256 \
      -extensions v3_ca -set_serial 1 -out ca.pem
    issue() {
      q openssl req -new -key "$1.key" -subj "/CN=gostkit LTV $1" -md_gost12_256 -out "$1.csr"
      q openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$2" -days 20 -md_gost12_256 \
        -extfile openssl.cnf -extensions "$3" -out "$1.pem"
    }
    issue tsa 0x10 v3_tsa
    issue ocsp 0x11 v3_ocsp
    issue signer 0x12 v3_leaf
    issue revoked 0x13 v3_leaf
    echo 01 >tsaserial
    exp="$(date -u -d '+20 days' +%y%m%d%H%M%SZ)"
    rev="$(date -u -d '-1 hour' +%y%m%d%H%M%SZ)"
    printf 'V\t%s\t\t12\tunknown\t/CN=gostkit LTV signer\n' "$exp" >index.txt
    printf 'R\t%s\t%s,keyCompromise\t13\tunknown\t/CN=gostkit LTV revoked\n' "$exp" "$rev" >>index.txt
  )
  export GOSTKIT_LTV_DIR="$ltv"
elif [ "${GOSTKIT_REQUIRE_PEER:-}" = 1 ]; then
  echo "error: openssl with gost-engine not found and GOSTKIT_REQUIRE_PEER=1" >&2
  exit 1
else
  echo "SKIP: openssl with gost-engine not found: the time-stamp/OCSP test does not run"
  unset GOSTKIT_LTV_DIR
fi
run test_gostkit "$vectors" "$scratch" "${token_args[@]}"
run ion_client
