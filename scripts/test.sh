#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs the whole test suite with CTest. Used by .ci/run as is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build
# Tests start private servers on ephemeral loopback ports under their own temp dirs; nothing touches :3306.
exec ctest --output-on-failure --timeout 900 "$@"
