# rel_concurrency.sh - readers and writers on one database at once: while
# `import` and `group` write, a reader keeps listing tasks and reading
# statistics (the explorer's reads, done through the CLI: the scripted
# headless explorer replays keys as fast as it can and cannot be held open
# for the length of a write), and a second writer runs alongside the
# first.  No command may fail or print "database is locked", and the
# reader sees the new state once the writers are done.
. "$TESTS_DIR/e2e/lib.sh"
DB=$WORK/c.db
SAMPLES=$(ls "$ROOT"/sample-data/*.json "$ROOT"/sample-data/*.jsonl "$ROOT"/sample-data/*.gz 2>/dev/null)
FIRST=$(printf '%s\n' $SAMPLES | head -n 1)
REST=$(printf '%s\n' $SAMPLES | tail -n +2)
EXPECTED=$(($(wc -l < "$ROOT/sample-data/truth.tsv") - 1))

"$TG" --db "$DB" import --quiet "$FIRST"
: > "$WORK/reader.log"
reader() {   # loop until the stop file appears; log failures
	n=0
	while [ ! -e "$WORK/stop" ]; do
		"$TG" --db "$DB" tasks --limit 5 > /dev/null 2>>"$WORK/reader.err" || echo "tasks failed" >> "$WORK/reader.log"
		"$TG" --db "$DB" stats --json > /dev/null 2>>"$WORK/reader.err" || echo "stats failed" >> "$WORK/reader.log"
		"$TG" --db "$DB" traces --limit 20 > /dev/null 2>>"$WORK/reader.err" || echo "traces failed" >> "$WORK/reader.log"
		n=$((n + 1))
	done
	echo "$n" > "$WORK/reads"
}
reader &
rpid=$!
"$TG" --db "$DB" import --quiet $REST 2>"$WORK/w1.err" &
w1=$!
"$TG" --db "$DB" group --quiet 2>"$WORK/w2.err"
rc2=$?
wait $w1; rc1=$?
"$TG" --db "$DB" group --quiet 2>>"$WORK/w2.err"
rc3=$?
touch "$WORK/stop"
wait $rpid
eq "import beside a reader and another writer exits 0" 0 "$rc1"
eq "group beside a reader and an import exits 0" 0 "$rc2"
eq "group after them exits 0" 0 "$rc3"
eq "no reader command failed ($(cat "$WORK/reads" 2>/dev/null) rounds)" "" "$(sort -u "$WORK/reader.log" | tr '\n' ' ')"
check "nobody was told the database is locked" sh -c "! grep -qi 'locked\|busy' '$WORK/reader.err' '$WORK/w1.err' '$WORK/w2.err'"
check "the reader took at least one round during the writes" [ "$(cat "$WORK/reads" 2>/dev/null || echo 0)" -ge 1 ]
eq "the reader sees every trace afterwards" "$EXPECTED" "$("$TG" --db "$DB" stats --json | jnum traces)"
check "and the tasks grouping made" [ "$("$TG" --db "$DB" stats --json | jnum tasks)" -gt 0 ]
