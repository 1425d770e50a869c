#!/usr/bin/env bash
# Sets up, builds, then runs TC-001 (every variant) against the embedded sandbox and the local replica pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
export PATH="$PWD/build/runner:$PATH"
set +e
tc-run scenarios/TC-001.yaml "$@"
code=$?
echo "Execution logs: $(ls -d "$PWD"/reports/TC-001/*/ 2>/dev/null | tail -n 4 | tr '\n' ' ')"
exit $code
