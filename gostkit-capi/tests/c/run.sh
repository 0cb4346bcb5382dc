#!/usr/bin/env bash
# Builds libgostkit (crate gostkit-capi) in the given profile (debug, the default, or release),
# compiles tests/c/test_gostkit.c and examples/c/ion_client.c against include/gostkit.h, links
# them with libgostkit.a and runs them under valgrind when available. test_gostkit gets the
# test-vectors/cryptopro directory, an empty scratch directory and the gostkit PKCS#11 module
# (with a token prepared by pkcs11-tool) as its arguments.
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
run test_gostkit "$vectors" "$scratch" "${token_args[@]}"
run ion_client
