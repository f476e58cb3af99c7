#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (ASan + libFuzzer) and runs each for SECONDS.
#
#   scripts/fuzz.sh SECONDS [TARGET ...]       # default: every target (npy json csv gguf safetensors)
#
# Each target starts from its committed seeds, Fuzz/corpus/<target>/, and keeps what it finds in the
# git-ignored fuzz-results/corpus/<target>/ (reused by the next run). A crash, sanitizer report, timeout
# (-timeout, default 10 s per input) or allocation over FUZZ_MEMORY_MB (default 2048) stops that target;
# its input is saved as fuzz-results/crashes/<target>/crash-… (or oom-…/timeout-…) and the script exits 1
# after running the rest. Replay one: Fuzz/.build-fuzz/<configuration>/Fuzz<Target> fuzz-results/crashes/…
#
# Environment:
#   FUZZ_SEED=N           libFuzzer's -seed (default 0: random); the test command uses a fixed one
#   FUZZ_CONFIGURATION    debug (default: builds in about half the time) or release (≈3× the executions/s)
#   FUZZ_KEEP_GOING=1     fork mode: record crashes and keep fuzzing until SECONDS (finds several classes)
#   FUZZ_MEMORY_MB, FUZZ_TIMEOUT   per-input limits (see above)
#   FUZZ_STRICT=1         error messages must be one line without control bytes (PATHTHERMO_FUZZ_STRICT)
#   FUZZ_NO_BUILD=1       use the binaries already built
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh SECONDS [npy|json|csv|gguf|safetensors ...]" >&2
  exit 2
fi
shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(npy json csv gguf safetensors)

declare -A executable=([npy]=FuzzNPY [json]=FuzzJSONMatrix [csv]=FuzzCSV [gguf]=FuzzGGUF [safetensors]=FuzzSafetensors)
for t in "${targets[@]}"; do
  [ -n "${executable[$t]:-}" ] || { echo "fuzz.sh: unknown target '$t' (npy json csv gguf safetensors)" >&2; exit 2; }
done

configuration=${FUZZ_CONFIGURATION:-debug}
build_path="$root/Fuzz/.build-fuzz"
# SwiftPM names a path dependency after its folder: a checkout folder called "fuzz" would clash with the
# Fuzz package itself.
if [ "$(basename "$root" | tr '[:upper:]' '[:lower:]')" = "fuzz" ]; then
  echo "fuzz.sh: the repository folder is named '$(basename "$root")', which SwiftPM confuses with the Fuzz/ package; clone or copy it under another name" >&2
  exit 2
fi

if [ "${FUZZ_NO_BUILD:-0}" != "1" ]; then
  echo "fuzz.sh: building the fuzz targets ($configuration, -sanitize=fuzzer,address)" >&2
  start=$(date +%s)
  if ! swift build --package-path Fuzz --build-path "$build_path" -c "$configuration" \
      -Xswiftc -sanitize=fuzzer,address > "$root/Fuzz/.build-fuzz.log" 2>&1; then
    grep -v "Cannot export local symbol" "$root/Fuzz/.build-fuzz.log" | tail -30 >&2
    echo "fuzz.sh: build failed (full log: Fuzz/.build-fuzz.log)" >&2
    exit 2
  fi
  echo "fuzz.sh: built in $(( $(date +%s) - start )) s" >&2
fi
bin=$(swift build --package-path Fuzz --build-path "$build_path" -c "$configuration" --show-bin-path 2>/dev/null)

results="$root/fuzz-results"
status=0
total=0
printf '%-12s %12s %9s %8s  %s\n' target executions "exec/s" corpus result
for t in "${targets[@]}"; do
  exe="$bin/${executable[$t]}"
  corpus="$results/corpus/$t"
  crashes="$results/crashes/$t"
  log="$results/logs/$t.log"
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  flags=(-max_total_time="$seconds" -rss_limit_mb="${FUZZ_MEMORY_MB:-2048}" -malloc_limit_mb="${FUZZ_MEMORY_MB:-2048}"
         -timeout="${FUZZ_TIMEOUT:-10}" -detect_leaks=0 -seed="${FUZZ_SEED:-0}" -print_final_stats=1
         -artifact_prefix="$crashes/")
  [ "${FUZZ_KEEP_GOING:-0}" = "1" ] && flags+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  before=$(ls "$crashes" | wc -l)
  PATHTHERMO_FUZZ_STRICT=${FUZZ_STRICT:-0} ASAN_OPTIONS="${ASAN_OPTIONS:-}:symbolize=1:detect_leaks=0" \
    timeout --kill-after=30 $(( seconds * 3 + 120 )) "$exe" "${flags[@]}" "$corpus" "Fuzz/corpus/$t" \
    > "$log" 2>&1 < /dev/null
  rc=$?
  # Executions: the final stats, else (fork mode) the last status line "#N ...".
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  [ "$runs" = "0" ] && runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  runs=${runs:-0}
  rate=$(( runs / seconds ))
  found=$(( $(ls "$crashes" | wc -l) - before ))
  if [ $rc -eq 0 ] && [ $found -eq 0 ]; then
    result="ok"
  else
    status=1
    why=$(grep -m1 -E 'Fatal error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY|out-of-memory|timeout after' "$log" | cut -c1-150)
    result="FAILED (exit $rc, $found new finding(s); inputs in fuzz-results/crashes/$t): ${why:-see $log}"
  fi
  total=$(( total + runs ))
  printf '%-12s %12d %9d %8d  %s\n' "$t" "$runs" "$rate" "$(ls "$corpus" | wc -l)" "$result"
done
echo "fuzz.sh: $total executions in total, ${#targets[@]} target(s) × $seconds s ($configuration); logs in fuzz-results/logs/"
exit $status
