#!/usr/bin/env bash
# Builds libgostkit (crate gostkit-capi) in the given profile (debug, the default, or release),
# compiles tests/c/test_gostkit.c and examples/c/ion_client.c against include/gostkit.h, links
# them with libgostkit.a and runs them under valgrind when available. test_gostkit gets the
# test-vectors/cryptopro directory and an empty scratch directory as its two arguments.
# Usage: tests/c/run.sh [debug|release]. Target dir: $CARGO_TARGET_DIR or the workspace's target/.
set -euo pipefail
profile="${1:-debug}"
crate="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$crate/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
case "$profile" in
  debug) cargo build -p gostkit-capi ;;
  release) cargo build -p gostkit-capi --release ;;
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
run test_gostkit "$vectors" "$scratch"
run ion_client
