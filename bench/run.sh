#!/bin/sh
# bench/run.sh - performance figures for tracegroup (`make bench`).
#
# On corpora written by sample-data/generate.c (--format native) at 10,000,
# 100,000 and 1,000,000 traces (BENCH_QUICK=1: 10,000 only), measured in one
# run on this machine:
#   - import ceilings (bench/ceiling.c): read + split lines, + cJSON parse,
#     + bare SQLite inserts in one transaction;
#   - tracegroup import --no-match, and import with auto-match into a
#     grouped database (a second, disjoint file: the corpus is generated at
#     1.1 N traces; the first N lines are the corpus, the last 0.1 N the
#     second file);
#   - tracegroup group (batch grouping, default parameters), database size
#     per trace, grouping accuracy of the result against the generator's
#     truth (bench/score.c);
#   - the seed's O(n^2) grouping (bench/seed_baseline.c) beside tracegroup
#     group at 2,000 and 20,000 traces;
#   - auto-match cost per trace at 1,000 and 10,000 templates
#     (bench/eval_engine.c --speed);
#   - the explorer's first-screen time and worst key latency on each grouped
#     database (the target is the 1M one), from `tui --timing`;
#   - grouping quality (bench/eval.sh, as `make eval`).
# Every step runs under build/bench/rss (wall time, peak RSS).  A step is
# repeated up to 3 times while a run takes under 10 s; min/median/max are
# given.  Tables go to standard output and to bench/RESULTS.md
# (BENCH_QUICK=1: build/bench/RESULTS-quick.md).
#
# The bounded parts (seed comparison, auto-match, quality) run first, the
# scales last.  The run has a time budget, BENCH_BUDGET seconds (default
# 1140, so it ends within 20 minutes); a step still running at its end, or
# after BENCH_STEP_TIMEOUT seconds (default 900), is stopped and reported
# as such, with what it depends on.
#
# Environment: BENCH_QUICK=1, BENCH_TMP (scratch parent, default /tmp; the
# 1M corpus needs about 12 GB), BENCH_BUDGET, BENCH_STEP_TIMEOUT,
# BENCH_RESULTS (output file), TRACEGROUP_DATA (for eval.sh).
set -eu

TG=./tracegroup
BIN=build/bench
QUICK=${BENCH_QUICK:-0}
STEP_TIMEOUT=${BENCH_STEP_TIMEOUT:-900}
BUDGET=${BENCH_BUDGET:-1140}
if [ "$QUICK" = 1 ]; then
	SCALES="10000"
	RESULTS=${BENCH_RESULTS:-build/bench/RESULTS-quick.md}
	SPEED_RUNS=1
else
	SCALES="10000 100000 1000000"
	RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}
	SPEED_RUNS=3
fi
SEED_SCALES="2000 20000"

[ -x "$TG" ] || { echo "bench: $TG not built (run make bench)" >&2; exit 1; }

. bench/lib.sh
mkdir -p "$BIN"
cc -std=c11 -O2 -Wall -Wextra -o "$BIN/gen" sample-data/generate.c \
	2>"$BIN/gen.log" || { cat "$BIN/gen.log" >&2; exit 1; }
build_tool rss bench/rss.c
build_tool ceiling bench/ceiling.c
build_tool score bench/score.c
build_tool seed_baseline bench/seed_baseline.c
HAVE_ENGINE_EVAL=1
# shellcheck disable=SC2046
build_tool eval_engine bench/eval_engine.c $(ls engine/*.c) ||
	HAVE_ENGINE_EVAL=0

TMP=$(mktemp -d "${BENCH_TMP:-/tmp}/tg-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$TMP/m"
ROWS="$TMP/rows"       # section | figure | runs | min | median | max | unit
TARGETS="$TMP/targets" # target | value | baseline | ratio | verdict
NOTES="$TMP/notes"
: >"$ROWS"
: >"$TARGETS"
: >"$NOTES"
T_START=$(date +%s)
DEADLINE=$((T_START + BUDGET))

# ---- helpers ---------------------------------------------------------------

note() {
	echo "  note: $*"
	echo "$*" >>"$NOTES"
}

# timed NAME CMD...: run CMD under rss (stdout to $TMP/out, stderr to
# $TMP/err), append "wall rss" to $TMP/m/NAME, set WALL.  Fails the step on
# a nonzero exit, or when it runs past BENCH_STEP_TIMEOUT or the end of the
# run's time budget (then TIMED_OUT=1 and WALL is the time it was given).
timed() {
	_n=$1
	shift
	_rc=0
	TIMED_OUT=0
	_left=$((DEADLINE - $(date +%s)))
	_to=$STEP_TIMEOUT
	[ "$_left" -ge "$_to" ] || _to=$_left
	if [ "$_to" -le 0 ]; then
		TIMED_OUT=1 WALL=0
		echo "bench: $_n: not run, the time budget (${BUDGET}s) is spent" >&2
		return 1
	fi
	"$BIN/rss" -o "$TMP/rss" -t "$_to" "$@" >"$TMP/out" \
		2>"$TMP/err" || _rc=$?
	WALL=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' "$TMP/rss")
	_kb=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$TMP/rss")
	if grep -q timeout=1 "$TMP/rss"; then
		TIMED_OUT=1
		echo "bench: $_n: stopped after ${_to}s (step limit" \
			"${STEP_TIMEOUT}s, run budget ${BUDGET}s): $*" >&2
		return 1
	fi
	if [ "$_rc" != 0 ]; then
		tail -5 "$TMP/err" >&2
		echo "bench: $_n: exit status $_rc: $*" >&2
		return 1
	fi
	echo "$WALL $_kb" >>"$TMP/m/$_n"
}

# again NAME: whether NAME needs another run (fewer than 3, last under 10 s).
again() {
	awk -v w="$WALL" 'END { exit !(NR < 3 && w + 0 < 10) }' "$TMP/m/$1"
}

# stats NAME COLUMN [SCALE]: "runs min median max" of a column of
# $TMP/m/NAME (1 wall seconds, 2 peak RSS KB), each multiplied by SCALE;
# with SCALE "inv:K" the values are K / value (throughput from time).
stats() {
	_scale=${3:-1}
	sort -n -k"$2","$2" "$TMP/m/$1" | awk -v c="$2" -v s="$_scale" '
	{ x = $c + 0
	  if (s ~ /^inv:/) { k = substr(s, 5) + 0; x = x > 0 ? k / x : 0 }
	  else x = x * s
	  v[NR] = x }
	END {
	  if (s ~ /^inv:/) { for (i = 1; i <= NR / 2; i++) { t = v[i]; v[i] = v[NR + 1 - i]; v[NR + 1 - i] = t } }
	  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	  printf "%d %s %s %s\n", NR, f(v[1]), f(m), f(v[NR]) }
	function f(x) { return x >= 1000 ? sprintf("%.0f", x) : sprintf("%.4g", x) }'
}

# median NAME COLUMN [SCALE]
median() { stats "$@" | awk '{ print $3 }'; }

# row SECTION FIGURE UNIT NAME COLUMN [SCALE]: record a summarised figure.
row() {
	_s=$(stats "$4" "$5" "${6:-1}")
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$(echo "$_s" | tr ' ' '\t')" \
		"$3" >>"$ROWS"
	echo "$_s" | awk -v f="$2" -v u="$3" '{ printf "  %-46s %s run(s): min %s  median %s  max %s %s\n", f, $1, $2, $3, $4, u }'
}

# value SECTION FIGURE VALUE UNIT: record a single derived figure.
value() {
	printf '%s\t%s\t-\t\t%s\t\t%s\n' "$1" "$2" "$3" "$4" >>"$ROWS"
	printf '  %-46s %s %s\n' "$2" "$3" "$4"
}

# target TEXT VALUE BASELINE RATIO OK: a target, the measured value, the
# baseline it is compared with ("-" if none), their ratio ("-" if none) and
# OK = 1 when met.
target() {
	_verdict=$([ "$5" = 1 ] && echo met || echo "NOT met")
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$_verdict" \
		>>"$TARGETS"
	printf '  TARGET %-44s %s (baseline %s, ratio %s): %s\n' "$1" "$2" "$3" \
		"$4" "$_verdict"
}

calc() {
	awk "BEGIN { x = $1; printf (x >= 1000 || x <= -1000) ? \"%.0f\" : \"%.4g\", x }"
}
is_true() { awk "BEGIN { exit !($1) }"; }

label() {
	case $1 in
	1000000) echo 1M ;; 100000) echo 100k ;; 20000) echo 20k ;;
	10000) echo 10k ;; 2000) echo 2k ;; *) echo "$1" ;;
	esac
}

db_rm() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }
# A copy made for a timed step is on disk before the step starts: otherwise
# the kernel writes gigabytes of it back while the step runs (measured at
# 1M: group took 0.5-1.5 s longer, and varied more, right after a copy).
db_copy() {
	db_rm "$2"
	cp "$1" "$2"
	[ ! -f "$1-wal" ] || cp "$1-wal" "$2-wal"
	sync
}
db_bytes() {
	_b=0
	for _f in "$1" "$1-wal"; do
		[ ! -f "$_f" ] || _b=$((_b + $(wc -c <"$_f")))
	done
	echo "$_b"
}
json_num() { grep -o "\"$1\":[0-9.]*" "$2" | head -1 | cut -d: -f2; }

# ---- machine -----------------------------------------------------------------

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
CORES=$(nproc)
MEM_GB=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
COMPILER=$(${CC:-cc} --version | head -1)
SQLITE=$(pkg-config --modversion sqlite3)
SQLITE_LIB=$(ldd "$TG" 2>/dev/null | sed -n 's/.*\(libsqlite3[^ ]*\) => \([^ ]*\).*/\2/p')
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git status --porcelain -- store engine importers ops cli tui 2>/dev/null | wc -l)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== make bench$([ "$QUICK" = 1 ] && echo ' (BENCH_QUICK=1)') =="
echo "machine: $CPU, $CORES cores, $MEM_GB GiB; $COMPILER; SQLite $SQLITE"
echo "tracegroup at $COMMIT ($DIRTY uncommitted changes in the product's" \
	"directories); $DATE"

# ---- import, grouping, auto-match at each scale -------------------------------

bench_scale() {
	n=$1
	L=$(label "$n")
	sec="scale $L"
	d="$TMP/s$L"
	mkdir -p "$d"
	echo
	echo "-- $L traces"
	extra=$((n / 10))
	timed "gen_$L" "$BIN/gen" --traces $((n + extra)) --format native \
		--out "$d" || return 1
	head -n "$n" "$d/native.jsonl" >"$d/main.jsonl" || return 1
	tail -n +$((n + 1)) "$d/native.jsonl" >"$d/second.jsonl" || return 1
	head -n $((n + 1)) "$d/truth.tsv" >"$d/truth-main.tsv" || return 1
	rm -f "$d/native.jsonl" "$d/truth.tsv"
	bytes=$(wc -c <"$d/main.jsonl")
	mb=$(calc "$bytes / 1e6")
	value "$sec" "corpus: traces / MB (generated at 1.1 N)" "$n / $mb" ""

	# ceilings
	for st in read parse; do
		while :; do
			timed "ceil_${st}_$L" "$BIN/ceiling" "$st" "$d/main.jsonl" || return 1
			again "ceil_${st}_$L" || break
		done
	done
	# import, auto-match off; runs alternate with the insert ceiling's so
	# that both see the same load on a shared machine
	db="$d/tg.db"
	while :; do
		timed "ceil_insert_$L" "$BIN/ceiling" insert "$d/main.jsonl" \
			"$d/ceiling.db" || return 1
		cw=$WALL
		db_rm "$db"
		timed "import_$L" "$TG" --db "$db" import --json --no-match \
			"$d/main.jsonl" || return 1
		awk -v a="$cw" 'BEGIN { exit !(a + 0 < 10) }' ||
			break
		again "import_$L" || break
	done
	db_rm "$d/ceiling.db"
	for st in read parse insert; do
		row "$sec" "ceiling $st: traces/s" "traces/s" "ceil_${st}_$L" 1 \
			"inv:$n"
	done
	row "$sec" "ceiling insert: MB/s" "MB/s" "ceil_insert_$L" 1 \
		"inv:$(calc "$bytes / 1e6")"
	row "$sec" "ceiling insert: peak RSS" "MB" "ceil_insert_$L" 2 0.001024
	row "$sec" "import --no-match: wall" "s" "import_$L" 1
	row "$sec" "import --no-match: traces/s" "traces/s" "import_$L" 1 "inv:$n"
	row "$sec" "import --no-match: MB/s" "MB/s" "import_$L" 1 "inv:$mb"
	row "$sec" "import --no-match: peak RSS" "MB" "import_$L" 2 0.001024
	imp=$(median "import_$L" 1 "inv:$n")
	ceil=$(median "ceil_insert_$L" 1 "inv:$n")
	share=$(calc "$imp / $ceil")
	value "$sec" "import as share of parse+insert ceiling" "$share" ""
	best=$(calc "$(stats "import_$L" 1 "inv:$n" | awk '{ print $4 }') / $(stats "ceil_insert_$L" 1 "inv:$n" | awk '{ print $4 }')")
	value "$sec" "same, best run against best run (information)" "$best" ""
	target "import >= 50% of the parse+insert ceiling at $L" \
		"$(printf '%.0f' "$imp") traces/s" \
		"ceiling $(printf '%.0f' "$ceil") traces/s" "$share" \
		"$(is_true "$share >= 0.5" && echo 1 || echo 0)"
	size=$(db_bytes "$db")
	value "$sec" "database after import: bytes/trace" \
		"$(calc "$size / $n")" "B"

	# batch grouping (each run from the same ungrouped database)
	db_copy "$db" "$d/base.db"
	while :; do
		if ! timed "group_$L" "$TG" --db "$db" group --json; then
			[ "$TIMED_OUT" = 0 ] || echo "$WALL" >"$TMP/group_timeout_$L"
			return 1
		fi
		cp "$TMP/out" "$d/group.json"
		again "group_$L" || break
		db_copy "$d/base.db" "$db"
	done
	db_rm "$d/base.db"
	row "$sec" "group: wall" "s" "group_$L" 1
	row "$sec" "group: peak RSS" "MB" "group_$L" 2 0.001024
	value "$sec" "group: tasks created / traces left ungrouped" \
		"$(json_num tasks_created "$d/group.json") / $(json_num left "$d/group.json")" ""
	size=$(db_bytes "$db")
	value "$sec" "database after group: bytes/trace" \
		"$(calc "$size / $n")" "B"
	echo "$(median "group_$L" 1)" >"$TMP/group_median_$L"

	# accuracy of the grouping against the generator's truth
	timed "export_$L" "$TG" --db "$db" export --format jsonl \
		--output "$d/export.jsonl" || return 1
	timed "score_$L" "$BIN/score" --label "$L" "$d/truth-main.tsv" \
		"$d/export.jsonl" || return 1
	cp "$TMP/out" "$d/score"
	rm -f "$d/export.jsonl"
	read -r _ _ _ _ ga f1 ta _ _ <"$d/score"
	value "$sec" "group accuracy vs truth: GA / F1 / TA" "$ga / $f1 / $ta" ""

	# import with auto-match on, into the grouped database
	nsec=$(wc -l <"$d/second.jsonl")
	while :; do
		db_copy "$db" "$d/am.db"
		timed "automatch_$L" "$TG" --db "$d/am.db" import --json \
			"$d/second.jsonl" || return 1
		cp "$TMP/out" "$d/am.json"
		again "automatch_$L" || break
	done
	db_rm "$d/am.db"
	row "$sec" "import with auto-match ($nsec traces): wall" "s" \
		"automatch_$L" 1
	row "$sec" "import with auto-match: traces/s" "traces/s" \
		"automatch_$L" 1 "inv:$nsec"
	row "$sec" "import with auto-match: peak RSS" "MB" "automatch_$L" 2 \
		0.001024
	value "$sec" "import with auto-match: share auto-matched" \
		"$(calc "$(json_num auto_matched "$d/am.json") / $nsec")" ""

	bench_tui "$db" "$L"
	rm -rf "$d"
}

# bench_tui DB LABEL: first-screen time and key latency of the explorer,
# from its own per-key log (`tui --script FILE --timing FILE`: lines
# "first-screen TAB 0 TAB - TAB ms" and "key TAB line TAB name TAB ms").
bench_tui() {
	tdb=$1 tl=$2
	if ! "$TG" tui --help 2>&1 | grep -q -- '--timing FILE'; then
		echo "  TUI: not measured (explorer has no timing mode yet)"
		note "TUI: not measured (explorer has no timing mode yet)"
		return 0
	fi
	cat >"$TMP/tui.script" <<'EOF'
# walk the task list, open the first task, page through its traces, search
jjjjj
<PgDn>
<PgDn>
G
g
<Enter>
jjj
<PgDn>
<PgDn>
G
<Esc>
/Greet
<Enter>
<Esc>
q
EOF
	while :; do
		rm -f "$TMP/tui.timing"
		if ! timed "tui_$tl" "$TG" --db "$tdb" tui --no-display \
			--size 100x30 --script "$TMP/tui.script" \
			--timing "$TMP/tui.timing"; then
			note "TUI: the scripted run on $tl failed (see above)"
			return 0
		fi
		awk -F'\t' '$1 == "first-screen" { print $4, 0 }' \
			"$TMP/tui.timing" >>"$TMP/m/tuifirst_$tl"
		awk -F'\t' '$1 == "key" { n++; if ($4 + 0 >= m) { m = $4 + 0; k = $3 } }
			END { print m + 0, n + 0, k }' "$TMP/tui.timing" >"$TMP/tui.worst"
		awk '{ print $1, 0 }' "$TMP/tui.worst" >>"$TMP/m/tuiworst_$tl"
		again "tui_$tl" || break
	done
	if [ ! -s "$TMP/m/tuifirst_$tl" ]; then
		note "TUI: the timing log on $tl has no first-screen line"
		return 0
	fi
	read -r _ nkeys wkey <"$TMP/tui.worst"
	row "scale $tl" "TUI first screen (explorer's own timing)" "ms" \
		"tuifirst_$tl" 1
	row "scale $tl" "TUI worst key latency over $nkeys scripted keys" "ms" \
		"tuiworst_$tl" 1
	value "scale $tl" "TUI slowest key (last run)" "$wkey" ""
	row "scale $tl" "TUI scripted session: wall" "s" "tui_$tl" 1
	row "scale $tl" "TUI scripted session: peak RSS" "MB" "tui_$tl" 2 \
		0.001024
}

# ---- seed baseline beside tracegroup group ------------------------------------

echo
echo "-- seed baseline (O(n^2) greedy token-ratio) vs tracegroup group"
bench_seed() {
	n=$1
	L=$(label "$n")
	d="$TMP/seed$L"
	mkdir -p "$d"
	"$BIN/gen" --traces "$n" --format native --out "$d" >/dev/null || return 1
	: >"$TMP/m/seedgroup_$L"
	while :; do
		timed "seed_$L" "$BIN/seed_baseline" "$d/native.jsonl" \
			"$d/seed.jsonl" || return 1
		sed -n 's/.*group_s=\([0-9.]*\).*/\1 0/p' "$TMP/err" \
			>>"$TMP/m/seedgroup_$L"
		again "seed_$L" || break
	done
	db_rm "$d/base.db"
	timed "seedimport_$L" "$TG" --db "$d/base.db" import --quiet --no-match \
		"$d/native.jsonl" || return 1
	while :; do
		db_copy "$d/base.db" "$d/tg.db"
		timed "tggroup_$L" "$TG" --db "$d/tg.db" group --quiet || return 1
		again "tggroup_$L" || break
	done
	"$TG" --db "$d/tg.db" export --format jsonl --output "$d/export.jsonl" || return 1
	sec="seed vs tracegroup at $L"
	row "$sec" "seed baseline: grouping (clustering + inference)" "s" \
		"seedgroup_$L" 1
	row "$sec" "seed baseline: whole process" "s" "seed_$L" 1
	row "$sec" "seed baseline: peak RSS" "MB" "seed_$L" 2 0.001024
	row "$sec" "tracegroup group: wall" "s" "tggroup_$L" 1
	row "$sec" "tracegroup group: peak RSS" "MB" "tggroup_$L" 2 0.001024
	s=$(median "seedgroup_$L" 1)
	t=$(median "tggroup_$L" 1)
	echo "$s $t" >"$TMP/seedratio_$L"
	value "$sec" "speed-up (seed grouping s / tracegroup group s)" \
		"$(calc "$s / $t")" "x"
	read -r _ _ _ _ ga _ _ _ _ <<EOF
$("$BIN/score" "$d/truth.tsv" "$d/export.jsonl")
EOF
	read -r _ _ _ _ sga _ _ _ _ <<EOF
$("$BIN/score" "$d/truth.tsv" "$d/seed.jsonl")
EOF
	value "$sec" "GA on this corpus: tracegroup / seed" "$ga / $sga" ""
	rm -rf "$d"
}

for n in $SEED_SCALES; do
	bench_seed "$n" || {
		note "seed comparison at $(label "$n"): a step failed (see above)"
		rm -rf "$TMP/seed$(label "$n")"
	}
done
if [ -f "$TMP/seedratio_2k" ] && [ -f "$TMP/seedratio_20k" ]; then
	read -r s2 t2 <"$TMP/seedratio_2k"
	read -r s20 t20 <"$TMP/seedratio_20k"
	r2=$(calc "$s2 / $t2")
	r20=$(calc "$s20 / $t20")
	target "group >= 100x faster than the seed at 20k" "$t20 s" \
		"seed $s20 s" "${r20}x" \
		"$(is_true "$r20 >= 100" && echo 1 || echo 0)"
	target "the gap grows with n (2k -> 20k)" "${r20}x at 20k" \
		"${r2}x at 2k" "$(calc "$r20 / $r2")x" \
		"$(is_true "$r20 > $r2" && echo 1 || echo 0)"
	k=$(calc "log($s20 / $s2) / log(10)")
	p100=$(calc "$s20 * 5 ^ $k")
	p1m=$(calc "$s20 * 50 ^ $k")
	value "seed projection" "seed growth exponent (2k -> 20k)" "$k" ""
	value "seed projection" "seed projected at 100k / 1M" "$p100 / $p1m" "s"
	note "The seed baseline is run at 2k and 20k only; from its measured growth (time ~ n^$k) it would take about $p100 s at 100k and $p1m s at 1M, so it is not run there"
else
	note "seed comparison: not complete, no speed-up targets"
fi

# ---- auto-match cost ----------------------------------------------------------

echo
echo "-- auto-match (bench/eval_engine.c --speed, synthetic templates)"
if [ "$HAVE_ENGINE_EVAL" = 1 ]; then
	for r in $(seq "$SPEED_RUNS"); do
		"$BIN/eval_engine" --speed >"$TMP/speed" 2>&1 || {
			cat "$TMP/speed" >&2; HAVE_ENGINE_EVAL=0; break; }
		for nt in 1000 10000; do
			sed -n "s/^auto-match, *$nt templates: \([0-9.]*\) us\/trace (fitting texts.*/\1 0/p" \
				"$TMP/speed" >>"$TMP/m/match_fit_$nt"
			sed -n "s/^auto-match, *$nt templates: \([0-9.]*\) us\/trace (texts fitting none.*/\1 0/p" \
				"$TMP/speed" >>"$TMP/m/match_none_$nt"
		done
	done
fi
if [ "$HAVE_ENGINE_EVAL" = 1 ] && [ -s "$TMP/m/match_fit_1000" ]; then
	for nt in 1000 10000; do
		L=$(label "$nt")
		lim=$([ "$nt" = 1000 ] && echo 10 || echo 20)
		row "auto-match" "$nt templates, texts that fit one: us/trace" "us" \
			"match_fit_$nt" 1
		row "auto-match" "$nt templates, texts fitting none: us/trace" "us" \
			"match_none_$nt" 1
		f=$(median "match_fit_$nt" 1)
		x=$(median "match_none_$nt" 1)
		target "auto-match < $lim us/trace at $nt tasks (texts that fit)" \
			"$f us" - - "$(is_true "$f < $lim" && echo 1 || echo 0)"
		target "auto-match < $lim us/trace at $nt tasks (texts fitting none)" \
			"$x us" - - "$(is_true "$x < $lim" && echo 1 || echo 0)"
	done
	grep '^cluster_run' "$TMP/speed" | sed 's/^/  engine only: /'
	[ "$SPEED_RUNS" -ge 3 ] || note "auto-match: BENCH_QUICK=1 makes one run of eval_engine --speed"
	note "auto-match figures come from eval_engine --speed: matcher_best over synthetic templates, generating each text inside the timed loop"
else
	echo "  auto-match: not measured (bench/eval_engine.c does not build or run against engine/)"
	note "auto-match: not measured (bench/eval_engine.c does not build or run against engine/)"
fi

# ---- quality (make eval) ---------------------------------------------------------

echo
EVAL_MD="$TMP/eval.md" sh bench/eval.sh >"$TMP/eval.txt" 2>&1 ||
	note "bench/eval.sh failed; quality figures are missing"
cat "$TMP/eval.txt"

# ---- the scales, last: they take what is left of the time budget ------

for n in $SCALES; do
	if ! bench_scale "$n"; then
		note "scale $(label "$n"): a step failed or was stopped (see above); the figures of this scale after it are missing"
		rm -rf "$TMP/s$(label "$n")"
	fi
done

if [ "$QUICK" != 1 ] && [ -f "$TMP/group_median_100k" ]; then
	g100=$(cat "$TMP/group_median_100k")
	echo
	if [ -f "$TMP/group_median_1M" ]; then
		g1m=$(cat "$TMP/group_median_1M")
		factor=$(calc "$g1m / $g100")
		value "grouping scaling" "group wall 100k -> 1M: factor" "$factor" "x"
		target "group at 1M < 10 s" "$g1m s" - - \
			"$(is_true "$g1m < 10" && echo 1 || echo 0)"
		target "group 100k -> 1M <= 12x" "$g1m s at 1M" "$g100 s at 100k" \
			"${factor}x" "$(is_true "$factor <= 12" && echo 1 || echo 0)"
	elif [ -f "$TMP/group_timeout_1M" ]; then
		g1m=$(cat "$TMP/group_timeout_1M")
		factor=$(calc "$g1m / $g100")
		value "grouping scaling" "group wall 100k -> 1M: factor" \
			"> $factor (1M stopped at $g1m s)" "x"
		target "group at 1M < 10 s" "> $g1m s (stopped)" - - 0
		target "group 100k -> 1M <= 12x" "> $g1m s at 1M" \
			"$g100 s at 100k" "> ${factor}x" 0
	else
		note "grouping scaling 100k -> 1M: not measured (the 1M scale failed before grouping)"
	fi
elif [ "$QUICK" != 1 ]; then
	note "grouping scaling 100k -> 1M: not measured (a scale failed)"
else
	note "BENCH_QUICK=1: 10k scale only; 100k and 1M (with the 100k -> 1M scaling factor and the TUI on 1M) are not measured"
fi

# ---- report -------------------------------------------------------------------------

T_END=$(date +%s)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$((T_END - T_START))

echo
echo "== summary =="
awk -F'\t' '
$1 != sec { sec = $1; printf "\n[%s]\n", sec }
{ if ($3 == "-" || $3 == 1) printf "  %-52s %14s %s\n", $2, $5, $7
  else printf "  %-52s %14s %s  (min %s, max %s, %s runs)\n", $2, $5, $7, $4, $6, $3 }' "$ROWS"
echo
echo "targets:"
awk -F'\t' '{ printf "  %-60s %-18s %-22s %-8s %s\n", $1, $2, $3, $4, $5 }' "$TARGETS"
grep -E 'met' "$TMP/eval.txt" | grep -E '^ +(GA|F1|TA|macro)' | sed 's/^ */  eval: /' || true
echo
echo "not measured / notes:"
sed 's/^/  - /' "$NOTES"
echo
echo "load average at start: $LOAD_START; at end: $LOAD_END (other work on"\
	"the machine makes the figures noisier)"
echo "bench: finished in ${ELAPSED}s; report written to $RESULTS"

{
	echo "# tracegroup benchmark results"
	echo
	echo "Written by \`$([ "$QUICK" = 1 ] && echo 'BENCH_QUICK=1 ')make bench\` (bench/run.sh); do not edit by hand."
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| date | $DATE |"
	echo "| tracegroup | commit $COMMIT, $DIRTY uncommitted changes in store/ engine/ importers/ ops/ cli/ tui/ |"
	echo "| CPU | $CPU |"
	echo "| cores | $CORES |"
	echo "| memory | $MEM_GB GiB |"
	echo "| compiler | $COMPILER |"
	echo "| SQLite | $SQLITE (${SQLITE_LIB:-linked library not found}) |"
	echo "| run time | ${ELAPSED} s |"
	echo "| load average (1, 5, 15 min) | at start $LOAD_START; at end $LOAD_END |"
	echo
	echo "Corpora: \`sample-data/generate.c --format native\` (default seed), warm page cache; database copies synced before each timed step."
	echo "Each step runs under \`build/bench/rss\` (wall clock, peak RSS of the process);"
	echo "a step is repeated up to 3 times while a run takes under 10 s. Other work on the"
	echo "machine during the run shows up as noise."
	echo
	echo "## Targets"
	echo
	echo "| target | value | baseline | ratio to baseline | verdict |"
	echo "|---|---:|---:|---:|---|"
	awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, ($5 == "met" ? "met" : "**NOT met**") }' "$TARGETS"
	if [ -s "$TMP/eval.md" ]; then
		grep -E '^\| (sample-data|Loghub)' "$TMP/eval.md" |
			sed 's/| NOT met |$/| **NOT met** |/'
	fi
	echo
	echo "## Figures"
	awk -F'\t' '
	$1 != sec { sec = $1; printf "\n### %s\n\n| figure | runs | min | median | max | unit |\n|---|---:|---:|---:|---:|---|\n", sec }
	{ printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7 }' "$ROWS"
	echo
	echo "## Quality (make eval)"
	echo
	if [ -s "$TMP/eval.md" ]; then cat "$TMP/eval.md"; else echo "Not measured: bench/eval.sh failed."; fi
	echo
	echo "## Not measured, and notes"
	echo
	sed 's/^/- /' "$NOTES"
	echo "- Import ceiling: bench/ceiling.c; read = read(2) + memchr over lines; parse = + cJSON per record; insert = + one prepared INSERT per record in one transaction (WAL, synchronous=NORMAL, columns source_id UNIQUE, project, model, path, instructions, raw). The import share compares traces/s medians with the insert stage."
	echo "- Seed baseline: bench/seed_baseline.c, greedy first-fit at 0.6 over 2*LCS/(|a|+|b|) on whitespace tokens within (project, model, path); its time is its clustering + template inference only (reading and writing JSON excluded), tracegroup's is the whole \`group\` command."
	echo "- Grouping accuracy at scale is scored on the export of the grouped database against the generator's truth (bench/score.c)."
} >"$RESULTS"
