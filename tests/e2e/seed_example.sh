# seed_example.sh - the design's own scenario, end to end through the CLI:
# two greetings grouped into "Greet {var_0}", a third auto-matched on import.
. "$TESTS_DIR/e2e/lib.sh"
DB=$WORK/seed.db
rec() { printf '{"id":"%s","project":"demo","model":"gpt-4o","path":"/v1/chat/completions","instructions":"%s"}\n' "$1" "$2"; }
{ rec a "Greet Alice"; rec b "Greet Bob"; } > "$WORK/day1.jsonl"
rec c "Greet Charlie" > "$WORK/day2.jsonl"

"$TG" --db "$DB" import --quiet "$WORK/day1.jsonl"
eq "day 1: both traces imported, ungrouped (no task exists yet)" 2 \
	"$("$TG" --db "$DB" stats --json | jnum ungrouped)"
"$TG" --db "$DB" group --quiet
tpl=$("$TG" --db "$DB" tasks --json | sed -n 's/.*"template":"\([^"]*\)".*/\1/p')
eq "batch grouping infers Greet {var_0}" "Greet {var_0}" "$tpl"
"$TG" --db "$DB" import --json "$WORK/day2.jsonl" > "$WORK/day2.out"
eq "day 2: Greet Charlie is auto-matched on import" 1 "$(jnum auto_matched < "$WORK/day2.out")"
eq "the task now holds three traces" 3 "$("$TG" --db "$DB" tasks --json | jnum trace_count)"
vars=$("$TG" --db "$DB" export | grep '"id":"c"' | sed -n 's/.*"variables":\(\[[^]]*\]\).*/\1/p')
eq "its variable is extracted" '["Charlie"]' "$vars"
