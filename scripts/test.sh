#!/usr/bin/env bash
# The one test command of gostkit (CI runs it through .ci/run). Works on a fresh Debian machine
# with only Rust, gcc and Python: installs the peers (OpenSSL + gost-engine, GnuTLS), OpenSC
# (pkcs11-tool, for the PKCS#11 token interop) and valgrind, then runs
# formatting, lints, every test target, doc tests, the header-freshness check, the C test and the
# valgrind constant-time check of the curve arithmetic.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "installing test dependencies (openssl, libengine-gost-openssl, opensc, gnutls-bin, iproute2, valgrind)"
if command -v apt-get >/dev/null 2>&1; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
      echo "not root and no sudo: skipping the install (peer tests skip themselves if it is missing)"
      sudo_cmd=(skip)
    fi
  fi
  if [ "${sudo_cmd[*]-}" != "skip" ]; then
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq openssl libengine-gost-openssl opensc gnutls-bin iproute2 valgrind >/dev/null
  fi
else
  echo "apt-get not available: skipping the install (peer tests skip themselves, the C test runs without valgrind)"
fi

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "the library's feature subsets build (primitives and curves only; + pki)"
cargo check -q -p gostkit --no-default-features
cargo check -q -p gostkit --no-default-features --features pki

# the 5 MiB CryptoPro vectors of GOST 28147-89 run too (fast: gostkit is built at opt-level 2)
export GOSTKIT_SLOW_TESTS=1

step "cargo test --workspace --all-targets (benches run once each in test mode)"
cargo test --workspace --all-targets --all-features

step "cargo test --workspace --doc"
cargo test --workspace --doc

step "cargo doc -D warnings (library and C ABI docs: no broken or private links)"
RUSTDOCFLAGS="-D warnings" cargo doc -q -p gostkit --no-deps --all-features
RUSTDOCFLAGS="-D warnings" cargo doc -q -p gostkit-capi --no-deps

step "header freshness (gostkit-capi/include/gostkit.h vs cbindgen)"
cargo test -p gostkit-capi --test header

step "C ABI test against the debug library (gostkit-capi/tests/c/run.sh debug)"
bash gostkit-capi/tests/c/run.sh debug

step "C ABI test against the release library (gostkit-capi/tests/c/run.sh release)"
bash gostkit-capi/tests/c/run.sh release

step "constant-time check of the GOST R 34.10 arithmetic under valgrind (scripts/ct-check.sh)"
if command -v valgrind >/dev/null 2>&1; then
  bash scripts/ct-check.sh
else
  echo "valgrind not installed: constant-time check skipped"
fi

step "all checks passed"
