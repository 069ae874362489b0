#!/bin/sh
# run.sh - kill tracegroup with SIGKILL at random moments of `import` and
# `group` on a real database and check, after every kill, that nothing
# committed was lost and nothing half-done was kept.
#
# Usage: tests/crash/run.sh [TRACEGROUP_BINARY]
# Environment: KILLS (default 200), CRASH_TRACES (records of the generated
# native JSONL, default 20000), CRASH_SAMPLE_DATA (1: import sample-data/
# too, the default; 0: only the generated file), SEED (random delays;
# default: the clock).
#
# The data: sample-data/ plus a generated native JSONL big enough that an
# import spans several 5,000-record transactions.  An uninterrupted
# reference run gives each file's record count and the durations the kill
# delays are drawn from.  After each kill (and after each run that finished
# first) the database must:
#   - open with tracegroup and pass tests/crash/dbcheck (integrity_check,
#     no half-assigned trace, task counts equal members, every batch-grouped
#     trace journaled);
#   - hold a trace count reachable by whole batches only: full files in
#     order, then a multiple of the batch size of the next file;
#   - never hold fewer traces than before the kill (rows lost);
#   - after a killed `group`: either no trace of that run is grouped and no
#     run is recorded, or the run is recorded and all its traces are grouped.
# When a database is complete (every file imported, grouping finished) the
# same import is run again: it must add nothing and leave exactly one trace
# per record.  Then a fresh database starts the next round.
# Prints TAP lines and "# crash: kills=N survived=N rows_lost=N ...".
set -u
TG=${1:-./tracegroup}
case $TG in /*) ;; *) TG=$(pwd)/$TG ;; esac
KILLS=${KILLS:-200}
CRASH_TRACES=${CRASH_TRACES:-20000}
CRASH_SAMPLE_DATA=${CRASH_SAMPLE_DATA:-1}
SEED=${SEED:-$(date +%s)}
BATCH=5000
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/build/crash
W=$(mktemp -d /tmp/tgcrash.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
export LC_ALL=C.UTF-8 TZ=UTC
unset TRACEGROUP_DB
# A killed ASan process must not spend its last moments reporting leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

fail=0
ok() { echo "ok - $1"; }
no() { echo "not ok - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'; fail=$((fail + 1)); }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

mkdir -p "$OUT"
if ! cc -std=c11 -O2 -o "$OUT/dbcheck" "$ROOT/tests/crash/dbcheck.c" \
	$(pkg-config --cflags --libs sqlite3) ||
   ! cc -std=gnu11 -O2 -w -o "$OUT/generate" "$ROOT/sample-data/generate.c" -lz -lm; then
	no "crash: build the checker and the generator"; exit 1
fi
"$OUT/generate" --seed 7777 --traces "$CRASH_TRACES" --format native --out "$W/big" >/dev/null 2>&1 ||
	{ no "crash: generate $CRASH_TRACES native traces"; exit 1; }
FILES="$W/big/native.jsonl"
if [ "$CRASH_SAMPLE_DATA" = 1 ]; then
	# A snapshot: the inputs must not change under a long run.
	mkdir -p "$W/samples"
	cp "$ROOT"/sample-data/*.json "$ROOT"/sample-data/*.jsonl "$ROOT"/sample-data/*.gz "$W/samples/" 2>/dev/null
	FILES="$(ls "$W"/samples/*) $FILES"
fi

# Reference run: per-file counts and durations.
t0=$(now_ms)
"$TG" --db "$W/ref.db" import --json $FILES > "$W/ref.json" 2>/dev/null ||
	{ no "crash: reference import"; exit 1; }
T_IMPORT=$(($(now_ms) - t0))
t0=$(now_ms)
"$TG" --db "$W/ref.db" group --quiet || { no "crash: reference group"; exit 1; }
T_GROUP=$(($(now_ms) - t0))
EXPECTED=$(sed -n 's/.*"imported":\([0-9]*\).*/\1/p' "$W/ref.json" | awk '{ s += $1 } END { print s }')
# Totals an import can leave: whole files in order, then whole batches.
ALLOWED=" $(sed -n 's/.*"imported":\([0-9]*\).*/\1/p' "$W/ref.json" | awk -v b=$BATCH '
	{ for (m = 0; m * b < $1; m++) printf "%d ", base + m * b; base += $1 }
	END { print base }') "
echo "# crash: $EXPECTED traces in $(echo $FILES | wc -w) files; reference import ${T_IMPORT} ms, group ${T_GROUP} ms; seed $SEED"

DB=$W/t.db
kills=0 finished=0 attempts=0 lost=0 rounds=0 check_fail=0 atomic_fail=0
prev_traces=0 prev_batch=0 prev_rgrouped=0 prev_runs=0

# check WHAT: the database after an import or group that was killed (or not).
check() {
	what=$1
	"$TG" --db "$DB" stats --json > "$W/stats" 2>"$W/stats.err"
	if [ $? -ne 0 ]; then
		no "crash: tracegroup opens the database after $what" "$(cat "$W/stats.err")"
		check_fail=$((check_fail + 1))
	fi
	line=$("$OUT/dbcheck" "$DB" 2>"$W/check.err")
	if [ $? -ne 0 ]; then
		no "crash: invariants after $what (attempt $attempts)" "$(cat "$W/check.err") $line"
		check_fail=$((check_fail + 1))
		cp "$DB" "$OUT/failed-$attempts.db" 2>/dev/null
	fi
	tr=$(field traces "$line"); ba=$(field batch "$line")
	rg=$(field runs_grouped "$line"); runs=$(field group_runs "$line")
	if [ "${tr:-0}" -lt "$prev_traces" ]; then
		lost=$((lost + prev_traces - tr))
		no "crash: $what lost $((prev_traces - tr)) committed traces"
	fi
	case $ALLOWED in *" $tr "*) ;; *)
		no "crash: $tr traces after $what is not a whole number of batches"
		atomic_fail=$((atomic_fail + 1)) ;;
	esac
	if [ "$(field keys "$line")" != "$tr" ]; then
		no "crash: duplicate source keys after $what"
	fi
	if [ "$what" = group ]; then
		# Either the run is absent (nothing moved, no run recorded) or
		# present in full (one more run, exactly its traces grouped).
		if ! { [ "$ba" -eq "$prev_batch" ] && [ "$runs" -le $((prev_runs + 1)) ] &&
		       [ "$rg" -eq "$prev_rgrouped" ]; } &&
		   ! { [ "$runs" -eq $((prev_runs + 1)) ] &&
		       [ $((ba - prev_batch)) -eq $((rg - prev_rgrouped)) ]; }; then
			no "crash: group half applied" "before batch=$prev_batch runs_grouped=$prev_rgrouped runs=$prev_runs; after $line"
			atomic_fail=$((atomic_fail + 1))
		fi
	elif [ "$ba" -ne "$prev_batch" ] || [ "$rg" -ne "$prev_rgrouped" ]; then
		no "crash: import changed batch grouping" "$line"
		atomic_fail=$((atomic_fail + 1))
	fi
	prev_traces=$tr prev_batch=$ba prev_rgrouped=$rg prev_runs=$runs
}

# run_killed MS CMD...: run CMD, SIGKILL it after MS milliseconds.
# Sets killed=1 when the signal hit a running process.
run_killed() {
	ms=$1; shift
	"$TG" --db "$DB" "$@" > /dev/null 2>"$W/run.err" &
	pid=$!
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null; rc=$?
	killed=0
	if [ "$rc" -eq 137 ]; then killed=1
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
		no "crash: $1 failed by itself (exit $rc)" "$(head -n 3 "$W/run.err")"
	fi
}

# The database is complete: re-import adds nothing, one trace per record.
finish_round() {
	out=$("$TG" --db "$DB" import --json $FILES 2>&1)
	added=$(printf '%s\n' "$out" | sed -n 's/.*"imported":\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	line=$("$OUT/dbcheck" "$DB" 2>/dev/null)
	tr=$(field traces "$line")
	if [ "$added" -ne 0 ] || [ "$tr" -ne "$EXPECTED" ]; then
		no "crash: round $rounds complete: re-import adds $added, $tr traces of $EXPECTED"
		lost=$((lost + EXPECTED - tr))
	fi
	rounds=$((rounds + 1))
	rm -f "$DB" "$DB-wal" "$DB-shm"
	prev_traces=0 prev_batch=0 prev_rgrouped=0 prev_runs=0
}

# pct: the latest moment of a kill, in percent of the reference run time.
# A run that finishes before its kill (the machine got faster or less
# loaded than at the reference run) makes the next kills come sooner.
pct=90
while [ "$kills" -lt "$KILLS" ] && [ "$attempts" -lt $((KILLS * 8)) ]; do
	attempts=$((attempts + 1))
	# (mawk's srand keeps only part of a large seed: keep it below 2^31)
	r=$(awk -v s=$(((SEED % 1000003) * 1009 + attempts * 104729)) \
		'BEGIN { srand(s); printf "%d %d", rand() * 100, rand() * 1000000 }')
	coin=${r% *}; frac=${r#* }
	# (group needs a database: a new round starts with an import)
	if [ ! -f "$DB" ] ||
	   { [ "$prev_traces" -lt "$EXPECTED" ] && [ "$coin" -lt 70 ]; }; then
		what=import
		run_killed $((T_IMPORT * pct / 100 * frac / 1000000)) import --quiet $FILES
	else
		what=group
		run_killed $((T_GROUP * pct / 100 * frac / 1000000)) group --quiet
	fi
	if [ "$killed" -eq 1 ]; then
		kills=$((kills + 1))
		pct=$((pct + 10 > 90 ? 90 : pct + 10))
	else
		finished=$((finished + 1))
		pct=$((pct * 2 / 3 < 5 ? 5 : pct * 2 / 3))
	fi
	check $what
	if [ "$what" = group ] && [ "$killed" -eq 0 ] && [ "$prev_traces" -eq "$EXPECTED" ]; then
		finish_round
	fi
done
# Complete the last database.
"$TG" --db "$DB" import --quiet $FILES 2>/dev/null; check import
"$TG" --db "$DB" group --quiet 2>/dev/null; check group
finish_round

[ "$kills" -ge "$KILLS" ] && ok "crash: $kills SIGKILLs delivered mid-run" ||
	no "crash: only $kills of $KILLS kills hit a running process"
[ "$check_fail" -eq 0 ] && ok "crash: integrity and invariants hold after every kill" ||
	no "crash: $check_fail checks failed"
[ "$atomic_fail" -eq 0 ] && ok "crash: every batch and grouping run whole or absent" ||
	no "crash: $atomic_fail partial batches or runs"
[ "$lost" -eq 0 ] && ok "crash: no committed row lost, re-import completes without duplicates" ||
	no "crash: $lost rows lost"
echo "# crash: kills=$kills survived=$((kills - check_fail)) runs_finished_before_kill=$finished rounds=$rounds rows_lost=$lost partial=$atomic_fail"
[ "$fail" -eq 0 ]
