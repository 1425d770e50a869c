#!/usr/bin/env bash
# CTest `install`: `cmake --install` this build into a temporary prefix, then use the installed tc-run from a folder
# outside the checkout as a user would (validate, plan, new, and run TC-001's reject variant on the sandbox), and
# build the .deb with `cpack -G DEB` and read its control data and file list.
# usage: check_install.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d /tmp/tc-install-XXXXXX)
state="$tmp/state"
cleanup() {
  [ -x "$tmp/prefix/bin/toolkit" ] && "$tmp/prefix/bin/toolkit" --state-dir "$state" down >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
share="$tmp/prefix/share/tc-run"
for f in bin/tc-run bin/toolkit share/tc-run/TEMPLATE.yaml share/tc-run/targets/hevo.json \
         share/tc-run/targets/fivetran-api.json share/tc-run/scenarios/TC-001.yaml share/tc-run/schemas/scenario.schema.json; do
  [ -e "$tmp/prefix/$f" ] || fail "not installed: $f"
done

mkdir -p "$tmp/work"
cd "$tmp/work"  # no scenarios/, no targets/ here: everything must come from the prefix
tc="$tmp/prefix/bin/tc-run"
"$tc" validate "$share/scenarios/TC-001.yaml" || fail "validate TC-001"
"$tc" validate "$share/scenarios/TC-001.yaml" --target hevo || fail "validate --target hevo (a profile in share/)"
"$tc" validate "$share/scenarios/TC-001.yaml" --target fivetran-api || fail "validate --target fivetran-api"
"$tc" plan "$share/scenarios/TC-001.yaml" --variant reject >"$tmp/plan.txt" || fail "plan"
grep -q "network --down --type reject" "$tmp/plan.txt" || fail "the plan does not show the reject fault"
"$tc" new TC-900 --title "Installed template" --dir . || fail "new (the installed TEMPLATE.yaml)"
"$tc" validate TC-900.yaml || fail "validate the new scenario"
set +e
"$tc" run "$share/scenarios/TC-001.yaml" --variant reject --state-dir "$state" --reports "$tmp/reports" -q \
  >"$tmp/run.txt" 2>&1
code=$?
set -e
[ $code -eq 0 ] || { tail -20 "$tmp/run.txt"; fail "run TC-001 reject exited $code"; }
log=$(ls "$tmp"/reports/TC-001/*/execution-log.md | head -1)
grep -q "| Result | PASS |" "$log" || fail "the execution log does not say PASS"
echo "installed tc-run: validate, plan, new and run (PASS) from $tmp/work"

# The package: control data from the build, the same files under /usr.
cd "$build"
cpack -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 || { tail -20 "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$tmp"/pkg/*.deb | head -1)
[ -n "$deb" ] || fail "no .deb"
dpkg-deb -I "$deb" >"$tmp/control.txt"
grep -q "Package: tc-run" "$tmp/control.txt" || fail "package name"
grep -q "Depends:.*mariadb-server" "$tmp/control.txt" || fail "Depends lacks mariadb-server"
grep -q "Depends:.*libyaml-cpp" "$tmp/control.txt" || fail "Depends lacks the libraries (dpkg-shlibdeps)"
dpkg-deb -c "$deb" >"$tmp/files.txt"
for f in ./usr/bin/tc-run ./usr/bin/toolkit ./usr/share/tc-run/targets/hevo.json ./usr/share/tc-run/TEMPLATE.yaml; do
  grep -q " $f\$" "$tmp/files.txt" || fail "the package lacks $f"
done
grep "Depends:" "$tmp/control.txt"
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"
