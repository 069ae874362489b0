# cli.sh - the command line on the sample data: import, idempotence,
# grouping, export shape, undo/redo, refused files, exit codes.
. "$TESTS_DIR/e2e/lib.sh"
DB=$WORK/t.db
SAMPLES=$(ls "$ROOT"/sample-data/*.json "$ROOT"/sample-data/*.jsonl "$ROOT"/sample-data/*.gz 2>/dev/null)
EXPECTED=$(($(wc -l < "$ROOT/sample-data/truth.tsv") - 1))

"$TG" --db "$DB" import --quiet $SAMPLES 2>"$WORK/import.err"
eq "import of sample-data exits 0" 0 $?
n=$("$TG" --db "$DB" stats --json | jnum traces)
eq "every sample trace imported" "$EXPECTED" "$n"

out=$("$TG" --db "$DB" import --json $SAMPLES 2>&1)
sum() { grep -o "\"$1\":[0-9]*" | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'; }
imported=$(printf '%s\n' "$out" | sum imported)
present=$(printf '%s\n' "$out" | sum already_present)
eq "re-import adds nothing" 0 "$imported"
eq "re-import counts every trace as present" "$EXPECTED" "$present"

"$TG" --db "$DB" group --dry-run --quiet
eq "dry run exits 0" 0 $?
eq "dry run changes nothing" 0 "$("$TG" --db "$DB" stats --json | jnum grouped)"

"$TG" --db "$DB" group --quiet
eq "group exits 0" 0 $?
grouped=$("$TG" --db "$DB" stats --json | jnum grouped)
check "group puts traces into tasks" [ "${grouped:-0}" -gt 0 ]
tasks=$("$TG" --db "$DB" tasks --json | wc -l)
check "tasks --json lists tasks" [ "$tasks" -gt 0 ]

"$TG" --db "$DB" export --format jsonl > "$WORK/export.jsonl"
eq "export writes one line per trace" "$EXPECTED" "$(wc -l < "$WORK/export.jsonl")"
missing=0
for k in '"id":' '"project":' '"model":' '"path":' '"instructions":' '"task_id":' '"task_instructions":' '"variables":'; do
	grep -v -c -- "$k" "$WORK/export.jsonl" | grep -qx 0 || missing=$((missing + 1))
done
eq "export rows carry the documented keys" 0 "$missing"

"$TG" --db "$DB" undo > "$WORK/undo.out"
eq "undo exits 0" 0 $?
eq "undo ungroups the batch" 0 "$("$TG" --db "$DB" stats --json | jnum grouped)"
"$TG" --db "$DB" redo > /dev/null
eq "redo regroups it" "$grouped" "$("$TG" --db "$DB" stats --json | jnum grouped)"

# Manual placement survives automatic grouping.
first=$("$TG" --db "$DB" traces --limit 1 --json | sed -n 's/.*"internal_id":\([0-9]*\).*/\1/p')
"$TG" --db "$DB" assign --ungroup "#$first" > /dev/null
"$TG" --db "$DB" group --quiet
task=$("$TG" --db "$DB" show --json "#$first" | sed -n 's/.*"task_id":\([a-z0-9]*\).*/\1/p')
eq "a trace ungrouped by hand stays ungrouped after group" null "$task"

# Files that are not ours are refused untouched.
head -c 4096 /dev/urandom > "$WORK/random.bin"
cp "$WORK/random.bin" "$WORK/random.orig"
"$TG" --db "$WORK/random.bin" stats > /dev/null 2>"$WORK/err"
eq "a random file as --db fails with 1" 1 $?
check "and is left untouched" cmp -s "$WORK/random.bin" "$WORK/random.orig"
check "with a clear message" grep -q "not a tracegroup database" "$WORK/err"

# Only import and the explorer make a database; a mistyped --db is said so.
"$TG" --db "$WORK/none.db" tasks > /dev/null 2>"$WORK/err"
eq "a command on a missing database fails with 1" 1 $?
check "and makes no file" [ ! -e "$WORK/none.db" ]
check "with a message naming it" grep -q "none.db: no database there" "$WORK/err"

"$TG" --db "$DB" tasks --nope > /dev/null 2>&1
eq "bad option exits 2" 2 $?
"$TG" --db "$DB" > /dev/null 2>&1
eq "no command exits 2" 2 $?

# A file with a bad record: the rest imports, the bad one is reported and kept.
printf '%s\n' '{"id":"r1","project":"p","model":"m","instructions":"Say hi to Ann"}' \
	'{"id":"r2","project":"p",' \
	'{"id":"r3","project":"p","model":"m","instructions":"Say hi to Bob"}' > "$WORK/bad.jsonl"
"$TG" --db "$WORK/bad.db" import --rejects "$WORK/rejects.jsonl" "$WORK/bad.jsonl" > /dev/null 2>"$WORK/bad.err"
eq "import with a rejected record exits 3" 3 $?
eq "the good records are imported" 2 "$("$TG" --db "$WORK/bad.db" stats --json | jnum traces)"
check "the bad record is reported with file and line" grep -q "bad.jsonl:2" "$WORK/bad.err"
eq "the bad record is kept verbatim" '{"id":"r2","project":"p",' "$(cat "$WORK/rejects.jsonl")"
"$TG" --db "$WORK/strict.db" import --strict "$WORK/bad.jsonl" > /dev/null 2>&1
eq "--strict fails the file" 1 $?
eq "--strict keeps nothing of it" 0 "$("$TG" --db "$WORK/strict.db" stats --json | jnum traces)"
