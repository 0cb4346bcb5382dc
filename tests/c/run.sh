#!/usr/bin/env bash
# Builds the static library, compiles tests/c/test_gostkit.c against include/gostkit.h, links it
# with libgostkit.a and runs it (under valgrind when available). Target dir: $CARGO_TARGET_DIR or target/.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --lib
lib="$target/debug/libgostkit.a"
[ -f "$lib" ] || { echo "error: $lib not found" >&2; exit 1; }
out="$target/c-test"
mkdir -p "$out"
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/test_gostkit.c "$lib" \
  -lpthread -ldl -lm -o "$out/test_gostkit"
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude examples/c/ion_client.c "$lib" \
  -lpthread -ldl -lm -o "$out/ion_client"
for prog in test_gostkit ion_client; do
  if command -v valgrind >/dev/null 2>&1; then
    valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$out/$prog"
  else
    echo "valgrind not found: running $prog without it"
    "$out/$prog"
  fi
done
