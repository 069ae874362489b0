# lib.sh - helpers for the end-to-end scripts (sourced, not run).
# Each check prints a TAP line: "ok - name" or "not ok - name".
set -u
: "${TG:?TG must point at the tracegroup binary}"
: "${TESTS_DIR:?TESTS_DIR must point at tests/}"
ROOT=$(cd "$TESTS_DIR/.." && pwd)
WORK=$(mktemp -d /tmp/tge2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC
unset TRACEGROUP_DB

ok() { echo "ok - $1"; }
no() { echo "not ok - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }
check() {   # check NAME COMMAND... : ok when the command succeeds
	name=$1; shift
	if "$@"; then ok "$name"; else no "$name"; fi
}
eq() {      # eq NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else no "$1" "expected [$2], got [$3]"; fi
}
# A JSON number field of a one-line JSON object.
jnum() { sed "s/\[.*//" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" | head -n 1; }
