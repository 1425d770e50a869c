#!/usr/bin/env bash
# Installs every dependency of tc-run from Debian's packages (idempotent; run as root), then builds the Debezium
# pipeline (pipelines/debezium, Java 17) with Maven: its dependencies are fetched here, never at run time.
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
  libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev doctest-dev
  libboost-dev libboost-system-dev libboost-filesystem-dev
  libmysqlcppconn-dev nlohmann-json3-dev libcpp-httplib-dev libssl-dev zlib1g-dev
  mariadb-server mariadb-client socat tmux python3 python3-jsonschema python3-yaml
  openjdk-17-jdk-headless maven
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]} (run as root to install)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's post-install from starting the system MariaDB: tc-run runs its own.
  added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  trap '[ "$added_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup: all dependencies present"

# The debezium target's engine: one runnable jar, rebuilt only when its sources changed.
cd "$(dirname "$0")/.."
jar=pipelines/debezium/target/tc-debezium.jar
if [ ! -f "$jar" ] || [ -n "$(find pipelines/debezium/pom.xml pipelines/debezium/src -newer "$jar" -print -quit)" ]; then
  start=$(date +%s)
  mvn -q -B -Dstyle.color=never -f pipelines/debezium/pom.xml -DskipTests package
  echo "setup: built $jar in $(($(date +%s) - start)) s"
fi
