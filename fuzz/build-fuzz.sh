#!/usr/bin/env bash
# Configures (with clang) and builds the fuzz targets into <build dir> if needed. Usage: fuzz/build-fuzz.sh <build dir>
# TC_BUILD_LOCK, when set, names a lock file the compile holds (machines shared by several builds).
set -euo pipefail
bdir=$1
here=$(cd "$(dirname "$0")" && pwd)
cxx=${TC_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}
lock=()
if [ -n "${TC_BUILD_LOCK:-}" ]; then lock=(flock "$TC_BUILD_LOCK"); fi
if [ ! -f "$bdir/CMakeCache.txt" ]; then
  "${lock[@]}" cmake -S "$here" -B "$bdir" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
"${lock[@]}" cmake --build "$bdir" -j"$(nproc)"
