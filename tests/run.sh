#!/bin/sh
# Run every test program and end-to-end script; print "N passed, N failed".
# Usage: tests/run.sh BUILD_DIR TEST_BINARY...
# Unit tests speak TAP (cmocka's CMOCKA_MESSAGE_OUTPUT=TAP); e2e scripts print
# "ok - name" / "not ok - name" lines too.
build=$1; shift
export TG="$(cd "$(dirname "$0")/.." && pwd)/$build/tracegroup"
export TESTS_DIR="$(cd "$(dirname "$0")" && pwd)"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LC_ALL=C.UTF-8 TZ=UTC
unset TRACEGROUP_DB
log=$(mktemp)
pass=0 fail=0 skip=0
count() {   # count TAP lines of the output file; a crash counts as a failure
	p=$(grep '^ok ' "$log" | grep -vc '# SKIP')
	f=$(grep '^not ok ' "$log" | grep -vc '# SKIP')
	k=$(grep -c '^\(not \)\{0,1\}ok .*# SKIP' "$log")
	if [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1; echo "not ok - $2 exited with status $1"
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + k))
}
for t in "$@"; do
	echo "# $(basename "$t")"
	"$t" >"$log" 2>&1; rc=$?
	grep -v '^ok ' "$log" | grep -v '^1\.\.' | grep -v '^# ' | sed 's/^/  /' | head -n 60
	count $rc "$(basename "$t")"
done
for s in "$TESTS_DIR"/e2e/*.sh; do
	[ -f "$s" ] || continue
	[ "$(basename "$s")" = lib.sh ] && continue      # sourced by the others
	echo "# e2e/$(basename "$s")"
	sh "$s" >"$log" 2>&1; rc=$?
	grep -v '^ok ' "$log" | sed 's/^/  /' | head -n 60
	count $rc "e2e/$(basename "$s")"
done
rm -f "$log"
[ "$skip" -eq 0 ] || echo "$skip skipped (see the SKIP lines above)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
