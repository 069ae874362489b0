#!/bin/sh
# Paging a long trace list (G, PgUp and k above the first row read, g) and
# the task list's filters: the Ungrouped row counts only the traces within
# them, Enter on it lists only those, the filter keys say where they are.
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/p.db
# Two projects (the chat requests name theirs, "default").
"$TG" --db "$db" import --quiet "$SAMPLE/openai-chat-requests.json" &&
"$TG" --db "$db" import --quiet --project beta "$SAMPLE/openai-batch-input.jsonl" ||
	{ echo "not ok - build the database"; exit 1; }
cat >"$T/s" <<EOS
:save-display $T/home
<Enter>
G
:save-display $T/end
<PgUp>
<PgUp>
<PgUp>
kkkkk
:save-display $T/up
g
:save-display $T/start
q
p
:save-display $T/alpha
<Enter>
:save-display $T/alpha-traces
G
:save-display $T/alpha-end
q
p
l
:save-display $T/beta-model
0
:save-display $T/cleared
EOS
tui "$db" "$T/s"
check "paging script runs" test $? -eq 0

# ids LISTING-OPTIONS...: the internal ids the CLI lists, in order.
ids() {
	"$TG" --db "$db" traces --ungrouped --limit 0 --json "$@" |
		sed 's/.*"internal_id":\([0-9]*\).*/\1/'
}
# shown DUMP: the trace ids on a trace list dump, top to bottom.
shown() { sed -n '3,$p' "$1" | grep -E '^[ *] +[0-9]+ ' | sed 's/^[ *] *\([0-9]*\).*/\1/'; }
# contiguous DUMP LIST: the ids shown are consecutive rows of LIST.
contiguous() {
	shown "$1" >"$T/shown"
	[ -s "$T/shown" ] || return 1
	first=$(head -1 "$T/shown")
	n=$(wc -l <"$T/shown")
	grep -A $((n - 1)) -x "$first" "$2" | head -n "$n" | cmp -s - "$T/shown"
}
ids >"$T/all"
total=$(wc -l <"$T/all")
check "Ungrouped counts every trace" grep -q "^ *$total  (Ungrouped: traces in no task)\$" "$T/home"
check "G shows the last trace" test "$(shown "$T/end" | tail -1)" = "$(tail -1 "$T/all")"
check "the last page is whole" test "$(shown "$T/end" | wc -l)" -eq 26
check "the last page is in order, without gaps" contiguous "$T/end" "$T/all"
check "PgUp and k above the first row read go back" \
	test "$(shown "$T/up" | head -1)" -lt "$(shown "$T/end" | head -1)"
check "the page above is in order, without gaps" contiguous "$T/up" "$T/all"
check "g goes back to the first trace" test "$(shown "$T/start" | head -1)" = "$(head -1 "$T/all")"

# The projects in name order: p goes to the first, then the second.
"$TG" --db "$db" traces --limit 0 --json | sed 's/.*"project":"\([^"]*\)".*/\1/' |
	sort -u >"$T/projects"
p1=$(sed -n 1p "$T/projects")
p2=$(sed -n 2p "$T/projects")
ids --project "$p1" >"$T/alpha-ids"
n_alpha=$(wc -l <"$T/alpha-ids")
check "p filters by the first project" has "$T/alpha" "filter: project=$p1"
check "p says which project of how many" has "$T/alpha" "project $p1 (1 of 2; p: next"
check "Ungrouped counts the traces within the filter" \
	grep -q "^ *$n_alpha  (Ungrouped: traces in no task, within the filter)" "$T/alpha"
check "Ungrouped traces keep the filter" has "$T/alpha-traces" "Ungrouped traces  filter: project=$p1"
check "the filtered list starts at the project's first trace" \
	test "$(shown "$T/alpha-traces" | head -1)" = "$(head -1 "$T/alpha-ids")"
check "G on the filtered list ends at the project's last trace" \
	test "$(shown "$T/alpha-end" | tail -1)" = "$(tail -1 "$T/alpha-ids")"

model=$("$TG" --db "$db" traces --limit 0 --json | sed 's/.*"model":"\([^"]*\)".*/\1/' | sort -u | head -1)
n_bm=$(ids --project "$p2" --model "$model" | wc -l)
check "p then l narrow by project and model" has "$T/beta-model" "filter: project=$p2 model=$model"
check "Ungrouped counts within both filters" \
	grep -q "^ *$n_bm  (Ungrouped: traces in no task, within the filter)" "$T/beta-model"
check "0 clears the filters" grep -q "^ *$total  (Ungrouped: traces in no task)\$" "$T/cleared"
check "0 says so" has "$T/cleared" "Filters cleared"
