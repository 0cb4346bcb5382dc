#!/bin/sh
# Constant-time check of the GOST R 34.10 arithmetic and of Magma / GOST 28147-89 under valgrind memcheck (ctgrind technique):
# the ignored unit test ec::ct_tests marks secret scalars undefined; memcheck then reports any
# branch or memory address that depends on them. Exit status 0 = no secret-dependent branch/index.
set -eu
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "ct-check: valgrind not installed" >&2; exit 2; }
bin=$(cargo test --release -p gostkit --lib --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$bin" ] || { echo "ct-check: could not build the library test binary" >&2; exit 2; }
echo "ct-check: $bin"
valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --quiet \
  "$bin" --ignored --exact ec::ct_tests::imp::secret_scalars_under_memcheck --test-threads=1
# Magma / GOST 28147-89 on every backend the CPU has (portable, SSSE3, AVX2), key schedule included;
# the AVX-512 VBMI single-block routine is not covered: valgrind has no AVX-512 and hides it from CPUID
valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --quiet \
  "$bin" --ignored --exact cipher::magma::ct_tests::imp::magma_and_gost28147_under_memcheck \
  --test-threads=1
echo "ct-check: PASS (no secret-dependent branch or memory index reported)"
# MGM's field multiplication (RFC 9058 §3), portable and PCLMULQDQ backends: cipher::mgm::ct_tests.
valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --quiet \
  "$bin" --ignored --exact cipher::mgm::ct_tests::imp::mgm_field_mul_under_memcheck --test-threads=1
echo "ct-check: MGM PASS (no secret-dependent branch or memory index reported)"
