# group_threads.sh - batch grouping reads and clusters partitions on worker
# threads (ops/scan.c); the result must not depend on how many there are.
. "$TESTS_DIR/e2e/lib.sh"
SAMPLES=$(ls "$ROOT"/sample-data/*.jsonl "$ROOT"/sample-data/*.json* | sort -u)
"$TG" --db "$WORK/base.db" import --quiet --no-match $SAMPLES
for t in 1 3; do
	cp "$WORK/base.db" "$WORK/t$t.db"
	TRACEGROUP_THREADS=$t "$TG" --db "$WORK/t$t.db" group --json > "$WORK/group$t.json"
	"$TG" --db "$WORK/t$t.db" export --output "$WORK/export$t.jsonl"
done
tasks=$(jnum tasks_created < "$WORK/group1.json")
check "grouping the sample data creates tasks ($tasks)" test "${tasks:-0}" -gt 10
check "one worker and three give the same tasks, assignments and variables" \
	cmp -s "$WORK/export1.jsonl" "$WORK/export3.jsonl"
eq "and the same report" "$(sed 's/"seconds":[0-9.e+-]*//' "$WORK/group1.json")" \
	"$(sed 's/"seconds":[0-9.e+-]*//' "$WORK/group3.json")"
