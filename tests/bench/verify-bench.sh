#!/usr/bin/env bash
# Benchmark of the learner's inner loop: `kata verify` after a one-line edit of a passing exercise 2.
# Prints each phase (build, checks, the program's own run time, total, overhead = total - program)
# as the median of several runs.
#
#   tests/bench/verify-bench.sh [-n RUNS] [--no-build-servers]
#
# By default it measures what a learner's machine does: build servers on (the variables that turn
# them off are cleared for this script). Compiler/MSBuild servers it started are shut down at the
# end, by pid (those carrying this run's marker); servers that were already running are left alone.
set -euo pipefail
runs=7
servers=on
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --no-build-servers) servers=off; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
# Build servers outlive the build; the ones this script starts inherit this marker in their environment.
export KATA_BENCH_MARKER="bench-$$-$RANDOM"
cleanup() {
  for pid in $(pgrep -f 'VBCSCompiler|/MSBuild(\.dll)? ' 2>/dev/null || true); do
    if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "KATA_BENCH_MARKER=$KATA_BENCH_MARKER"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

unset CI
if [ "$servers" = on ]; then
  unset UseSharedCompilation MSBUILDDISABLENODEREUSE DOTNET_CLI_USE_MSBUILD_SERVER
  verify_flags=()
else
  verify_flags=(--no-build-servers)
fi

# The tool as learners get it: packed and installed (on Linux x64 that is the precompiled package).
echo "packing and installing the tool..."
dotnet pack "$root/src/ConcurrencyKata" -c Release -nologo -v:q -o "$work/packages" >/dev/null
dotnet tool install ConcurrencyKata --tool-path "$work/tool" --add-source "$work/packages" >/dev/null
kata=("$work/tool/kata")
ws="$work/ws"
"${kata[@]}" next -w "$ws" >/dev/null
"${kata[@]}" next --skip -w "$ws" >/dev/null
program="$ws/exercises/02-process-download/Program.cs"
cp "$root/kata/processes/process-download/.meta/solution/Program.cs" "$program"
echo "first verify (restore, first build)..."
NO_COLOR=1 "${kata[@]}" verify -w "$ws" "${verify_flags[@]}" >/dev/null || { echo "the reference solution did not pass"; exit 1; }

build=(); checks=(); prog=(); total=()
for i in $(seq 1 "$runs"); do
  echo "// edit $i" >> "$program"
  start=$(date +%s%N)
  out=$(NO_COLOR=1 "${kata[@]}" verify -w "$ws" "${verify_flags[@]}") || { echo "$out"; echo "verify failed on run $i"; exit 1; }
  end=$(date +%s%N)
  line=$(echo "$out" | grep -E 'build [0-9.]+ s · checks' | tail -n1)
  build+=("$(echo "$line" | sed -E 's/.*build ([0-9.]+) s.*/\1/')")
  checks+=("$(echo "$line" | sed -E 's/.*checks ([0-9.]+) s.*/\1/')")
  prog+=("$(echo "$line" | sed -E 's/.*program ran ([0-9.]+) s.*/\1/')")
  total+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'; }
overheads=()
for i in "${!total[@]}"; do overheads+=("$(awk -v t="${total[$i]}" -v p="${prog[$i]}" 'BEGIN { printf "%.2f", t - p }')"); done

echo
echo "kata verify after a one-line edit of exercise 2 (median of $runs runs, build servers $servers)"
printf '  %-28s %6s s\n' "build" "$(median "${build[@]}")"
printf '  %-28s %6s s\n' "checks (includes program)" "$(median "${checks[@]}")"
printf '  %-28s %6s s\n' "program's own run time" "$(median "${prog[@]}")"
printf '  %-28s %6s s\n' "total (whole command)" "$(median "${total[@]}")"
printf '  %-28s %6s s\n' "overhead (total - program)" "$(median "${overheads[@]}")"
