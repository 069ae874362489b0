#!/bin/sh
# memcheck.sh - the end-to-end CLI flows under valgrind: import sample-data,
# group, tasks, traces, show, export, undo, redo.  Fails when valgrind finds
# an error (exit 9) or any block is "definitely lost".
# Usage: tests/memcheck.sh [TRACEGROUP_BINARY]   (default ./tracegroup)
set -u
TG=${1:-./tracegroup}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/tgmem.XXXXXX)
trap 'rm -rf "$W"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC
unset TRACEGROUP_DB
command -v valgrind > /dev/null 2>&1 || { echo "ok - memcheck # SKIP no valgrind"; exit 0; }
DB=$W/m.db
SAMPLES=$(ls "$ROOT"/sample-data/*.json "$ROOT"/sample-data/*.jsonl "$ROOT"/sample-data/*.gz 2>/dev/null)
fail=0 n=0
vg() {   # vg NAME ARGS...
	name=$1; shift
	n=$((n + 1))
	valgrind --leak-check=full --error-exitcode=9 --log-file="$W/vg-$n.log" \
		"$TG" --db "$DB" "$@" > "$W/out-$n" 2>&1
	rc=$?
	lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$W/vg-$n.log" | tr -d ,)
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$W/vg-$n.log")
	if [ "$rc" -eq 9 ] || [ "${lost:-0}" -ne 0 ] || [ "${errs:-0}" -ne 0 ]; then
		echo "not ok - memcheck $name (exit $rc, definitely lost ${lost:-0} bytes, $errs errors)"
		grep -m 10 'Invalid\|uninitialised\|definitely lost\|at 0x\|by 0x' "$W/vg-$n.log" | sed 's/^/#   /'
		fail=1
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
		echo "not ok - memcheck $name exited $rc"; sed 's/^/#   /' "$W/out-$n" | head -n 5
		fail=1
	else
		echo "ok - memcheck $name (definitely lost ${lost:-0} bytes, ${errs:-0} errors)"
	fi
}
vg import import --quiet $SAMPLES
vg group group --quiet
vg tasks tasks
vg traces traces --limit 50
vg show show "#1"
vg "show --task" show --task 1
vg "show --json --raw" show --json --raw "#2"
vg stats stats
vg export export --output "$W/export.jsonl"
vg undo undo
vg redo redo
vg history history
vg "re-import" import --quiet $SAMPLES
exit $fail
