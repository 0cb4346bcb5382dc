#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS (default 30) each and prints, per target, the
# number of runs and of crashes (crash-/oom-/timeout-/leak- artifacts written by this run, in
# fuzz/artifacts/<target>/). Not run by CI. New corpus entries go to fuzz/corpus-out/<target>/
# (git-ignored); the committed seeds in fuzz/corpus/<target>/ are only read.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain it runs with
# RUSTC_BOOTSTRAP=1, since cargo-fuzz passes -Z flags (sanitizer, coverage) to rustc.
# Exit status: 0 when no target crashed, 1 when one did, 2 when the build failed.
set -uo pipefail
secs="${1:-30}"
case "$secs" in '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
cd "$(dirname "$0")/../fuzz"
export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP:-1}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz missing: cargo install cargo-fuzz" >&2
  exit 2
fi
cargo fuzz build -O || exit 2

targets=$(cargo fuzz list)
summary=""
failed=0
for t in $targets; do
  mkdir -p "corpus-out/$t" "artifacts/$t"
  before=$(find "artifacts/$t" -type f | sort)
  log="corpus-out/$t.log"
  echo "==> $t (${secs}s)"
  cargo fuzz run -O "$t" "corpus-out/$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | awk '{print $2}')
  new=$(comm -13 <(echo "$before") <(find "artifacts/$t" -type f | sort) | grep -E '/(crash|oom|timeout|leak)-' || true)
  crashes=$(printf '%s' "$new" | grep -c . || true)
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes="? (exit $rc, see fuzz/$log)"
  fi
  if [ "$rc" -ne 0 ] || [ "$crashes" != 0 ]; then
    failed=1
    [ -n "$new" ] && printf '    reproducer: %s\n' $new
  fi
  summary+=$(printf '%-20s runs %-12s crashes %s' "$t" "${runs:-?}" "$crashes")$'\n'
done
echo
printf '%s' "$summary"
exit "$failed"
