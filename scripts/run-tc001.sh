#!/usr/bin/env bash
# Sets up, builds the two executables it runs (tc-run, toolkit; not the tests), then runs TC-001 (every variant)
# against the embedded sandbox and the local replica pipeline. Extra arguments go to tc-run (--target debezium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target tc-run toolkit
export PATH="$PWD/build/runner:$PATH"
set +e
tc-run scenarios/TC-001.yaml "$@"
code=$?
echo "Execution logs: $(ls -d "$PWD"/reports/TC-001/*/ 2>/dev/null | tail -n 4 | tr '\n' ' ')"
exit $code
