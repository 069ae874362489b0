#!/bin/sh
# Reorganising from the keyboard: rename, move (picker), ungroup, new task,
# merge marked tasks, split with a preview; each checked through the CLI.
# The fixture has four clearly distinct templates (8 translations, then 6
# short greetings, 6 long greetings and 6 meeting summaries).
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/e.db
"$TG" --db "$db" import --quiet "$FIX/edit.jsonl" &&
"$TG" --db "$db" group --quiet || { echo "not ok - build the database"; exit 1; }
id_of() { "$TG" --db "$db" tasks --search "$1" --json | head -1 | sed 's/^{"id":\([0-9]*\),.*/\1/'; }
task_of() { "$TG" --db "$db" show "#$1" --json | sed 's/.*"task_id":\([0-9a-z]*\).*/\1/'; }
count_of() { "$TG" --db "$db" tasks --json | grep "^{\"id\":$1," | sed 's/.*"trace_count":\([0-9]*\),.*/\1/'; }
ntasks() { "$TG" --db "$db" tasks --json | wc -l | tr -d ' '; }
tr_id=$(id_of "Translate the following")
sum_id=$(id_of "Summarise the weekly")
check "fixture grouped into 4 tasks" test "$(ntasks)" -eq 4

cat >"$T/s" <<EOS
j
r
<C-u>translation<Enter>
:save-display $T/renamed
<Enter>
:save-display $T/traces
<Space><Space>
:save-display $T/marked
m
Summarise
:save-display $T/picker
<Enter>
:save-display $T/moved
d
:save-display $T/ungrouped
VjV
t
fresh task<Enter>
:save-display $T/newtask
q
EOS
tui "$db" "$T/s"
check "edit script runs" test $? -eq 0
check "rename: the CLI sees the new name" sh -c "'$TG' --db '$db' tasks --json | grep -q '\"id\":$tr_id,\"name\":\"translation\"'"
check "rename: the list shows it" has "$T/renamed" "translation"
t1=$(sed -n 3p "$T/traces" | awk '{print $1}')
t2=$(sed -n 4p "$T/traces" | awk '{print $1}')
t3=$(sed -n 5p "$T/traces" | awk '{print $1}')
check "marks are shown" test "$(grep -c '^\* ' "$T/marked")" -eq 2
check "the picker narrows the list to the searched task" sh -c "grep -c 'Summarise the weekly' '$T/picker' | grep -qx 1"
check "move: first marked trace is in the picked task" test "$(task_of "$t1")" = "$sum_id"
check "move: second marked trace is in the picked task" test "$(task_of "$t2")" = "$sum_id"
check "move: message says so" has "$T/moved" "Moved 2 trace(s) to task $sum_id"
check "ungroup: the trace under the cursor is ungrouped" test "$(task_of "$t3")" = "null"
check "new task: created from the range of two" sh -c "'$TG' --db '$db' tasks --json | grep -q '\"name\":\"fresh task\",\"trace_count\":2'"
check "new task: message" has "$T/newtask" "Created task"
check "the source task kept the other three" test "$(count_of "$tr_id")" -eq 3

# Merge the short greetings into the long ones: mark the first Greet task,
# the cursor lands on the second, M merges the marked into it.
g1=$("$TG" --db "$db" tasks --search Greet --json | sed -n 1p | sed 's/^{"id":\([0-9]*\),.*/\1/')
g2=$("$TG" --db "$db" tasks --search Greet --json | sed -n 2p | sed 's/^{"id":\([0-9]*\),.*/\1/')
cat >"$T/m" <<EOS
/Greet
<Space>
M
:save-display $T/m-confirm
y
:save-display $T/m-done
r
<C-u>merged greeting<Enter>
EOS
n1=$(ntasks)
tui "$db" "$T/m"
check "merge: confirmation names the target" has "$T/m-confirm" "Merge 1 marked task(s) into task $g2? (y/n)"
check "merge: one task fewer" test "$(ntasks)" -eq $((n1 - 1))
check "merge: the target holds both" test "$(count_of "$g2")" -eq 12
check "merge: the source is retired" test -z "$(count_of "$g1")"
check "merge: message" has "$T/m-done" "Merged 1 task(s) into task $g2"
check "cursor stays on the merged task (renamed)" sh -c "'$TG' --db '$db' tasks --json | grep -q '\"id\":$g2,\"name\":\"merged greeting\"'"

# Split it again: preview first, nothing changes until y.
cat >"$T/p" <<EOS
/merged greeting
s
<C-u>0.8<Enter>
:save-display $T/p-preview
n
:save-display $T/p-declined
EOS
n2=$(ntasks)
tui "$db" "$T/p"
check "split: preview shown" has "$T/p-preview" "Split preview of task $g2 at threshold 0.80"
check "split: preview asks before changing" has "$T/p-preview" "as previewed? (y/n)"
check "split: preview finds the second shape" has "$T/p-preview" "go to 1 new task(s)"
check "split: preview says what stays" has "$T/p-preview" "stay in task $g2 (its largest cluster)"
check "split: declining changes nothing" test "$(ntasks)" -eq "$n2"
check "split: declining closes the preview and says so" has "$T/p-declined" "Split cancelled; nothing changed"
cat >"$T/p2" <<EOS
/merged greeting
s
<C-u>0.8<Enter>
y
:save-display $T/p-done
EOS
tui "$db" "$T/p2"
check "split: applied" grep -q "Split task $g2: 1 new task(s)" "$T/p-done"
check "split: one task more" test "$(ntasks)" -eq $((n2 + 1))
check "split: the task keeps six" test "$(count_of "$g2")" -eq 6
