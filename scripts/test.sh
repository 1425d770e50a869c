#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs the whole test suite with CTest. Used by .ci/run as is.
# The suite runs on its own build, build/test, with AddressSanitizer and UndefinedBehaviorSanitizer at -O1 (ASan's
# recommended level; -O2 compiled 1.6x slower here for no more findings), and includes the libFuzzer runs (label
# fuzz, TC_FUZZ_SECONDS each, default 30).
# scripts/build.sh keeps build/ a plain optimised build for tc-run itself and the benchmarks.
# Extra arguments go to ctest (e.g. -L fuzz, -LE fuzz, -R scenario). Without any, the `long` label (every fault
# against Debezium, ~6 min) is left out: `scripts/test.sh -L long` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
start=$(date +%s)
# -g1 (line tables, all the sanitizers' reports need) instead of -g: the same code and warnings, a quicker build.
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DTC_SANITIZE=ON -DTC_FUZZ=ON >/dev/null
cmake --build build/test -j"$(nproc)"
echo "test: sanitized build took $(($(date +%s) - start)) s"
cd build/test
# Tests start private servers on ephemeral loopback ports under their own temp dirs; nothing touches :3306.
if [ $# -eq 0 ]; then set -- -LE long; fi
exec ctest --output-on-failure --no-label-summary --timeout 900 "$@"
