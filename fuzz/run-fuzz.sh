#!/usr/bin/env bash
# Fuzzes one target for a bounded time and fails on any crash, leak, UB or broken invariant, printing the
# reproducer. Usage: fuzz/run-fuzz.sh <loader|interpolation|answers> <fuzz build dir>
# TC_FUZZ_SECONDS (default 30) sets the time. Inputs found are kept in <build dir>/work/<target>/corpus, crashes in
# <build dir>/work/<target>/artifacts/. Replay one: <build dir>/<target>_fuzz <file>.
set -euo pipefail
target=$1
bdir=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${TC_FUZZ_SECONDS:-30}
work=$bdir/work/$target
mkdir -p "$work/corpus" "$work/artifacts" "$work/seeds"

# Seeds from the repository: the scenarios, the loader's valid/invalid corpus, the docs' YAML examples, the
# answers files the tests use, and the crashes already fixed.
case $target in
  loader)
    max_len=16384
    cp "$root"/scenarios/*.yaml "$work/seeds/"
    find "$root/tests/corpus/valid" "$root/tests/corpus/invalid" -name '*.yaml' | while read -r f; do
      cp "$f" "$work/seeds/$(echo "${f#"$root"/}" | tr / _)"
    done
    # Each ```yaml block of the docs becomes one seed.
    for md in "$root"/docs/*.md; do
      awk -v out="$work/seeds/doc_$(basename "$md" .md)_" \
        '/^```yaml/ {n++; on=1; next} /^```/ {on=0} on {print > (out n ".yaml")}' "$md"
    done
    ;;
  interpolation)
    max_len=4096
    cp "$root"/fuzz/seeds/interpolation/* "$work/seeds/"
    ;;
  answers)
    max_len=4096
    cp "$root"/fuzz/seeds/answers/* "$work/seeds/"
    ;;
  *) echo "run-fuzz: unknown target '$target'" >&2; exit 2 ;;
esac
if compgen -G "$root/fuzz/regressions/$target/*" >/dev/null; then cp "$root/fuzz/regressions/$target/"* "$work/seeds/"; fi

rm -f "$work/artifacts/"*
echo "run-fuzz: $target for ${secs}s (max_len $max_len), corpus $work/corpus"
set +e
# Options of the sanitizers inside the fuzzer: leaks are findings; UB already aborts (-fno-sanitize-recover).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  "$bdir/${target}_fuzz" -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" "$work/seeds" 2>&1 | tail -n 60
code=${PIPESTATUS[0]}
set -e
found=$(ls "$work/artifacts/" 2>/dev/null || true)
if [ "$code" -ne 0 ] || [ -n "$found" ]; then
  echo "run-fuzz: $target FAILED (exit $code); reproducers:"
  for f in $found; do echo "  $work/artifacts/$f   (replay: $bdir/${target}_fuzz $work/artifacts/$f)"; done
  exit 1
fi
echo "run-fuzz: $target: no finding in ${secs}s"
