#!/bin/sh
# Reorganising from the keyboard: rename, move (picker), ungroup, new task,
# merge marked tasks, split with a preview; each checked through the CLI.
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/e.db
small_db "$db" || { echo "not ok - build the database"; exit 1; }
task_of() { "$TG" --db "$db" show "#$1" --json | sed 's/.*"task_id":\([0-9a-z]*\).*/\1/'; }
ntasks() { "$TG" --db "$db" tasks --json | wc -l; }
# Row 3 of the task list is the second largest task (rows: Ungrouped, 1st, 2nd).
second=$("$TG" --db "$db" tasks --json | sed -n 2p | sed 's/^{"id":\([0-9]*\),.*/\1/')
debug=$("$TG" --db "$db" tasks --search "Debug session" --json | head -1 | sed 's/^{"id":\([0-9]*\),.*/\1/')
before=$(ntasks)

cat >"$T/s" <<EOS
jj
r
<C-u>renewal reminder<Enter>
:save-display $T/renamed
<Enter>
:save-display $T/traces
<Space><Space>
:save-display $T/marked
m
Debug session
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
check "rename: the CLI sees the new name" sh -c "'$TG' --db '$db' tasks --json | grep -q '\"id\":$second,\"name\":\"renewal reminder\"'"
check "rename: the list shows it" has "$T/renamed" "renewal reminder"
t1=$(sed -n 3p "$T/traces" | awk '{print $1}')
t2=$(sed -n 4p "$T/traces" | awk '{print $1}')
t3=$(sed -n 5p "$T/traces" | awk '{print $1}')
check "marks are shown" test "$(grep -c '^\* ' "$T/marked")" -eq 2
check "the picker narrows to the searched task" has "$T/picker" "Debug session"
check "move: first marked trace is in the picked task" test "$(task_of "$t1")" = "$debug"
check "move: second marked trace is in the picked task" test "$(task_of "$t2")" = "$debug"
check "move: message says so" has "$T/moved" "Moved 2 trace(s) to task $debug"
check "ungroup: trace under the cursor is ungrouped" test "$(task_of "$t3")" = "null"
check "new task: created from the range" sh -c "'$TG' --db '$db' tasks --json | grep -q '\"name\":\"fresh task\",\"trace_count\":2'"
check "new task: message" has "$T/newtask" "Created task"

# Merge: mark the two next Translate tasks, then merge them into the first.
cat >"$T/m" <<EOS
/Translate
:save-display $T/m-target
n
<Space>
n
<Space>
g
/Translate
M
:save-display $T/m-confirm
y
:save-display $T/m-done
EOS
n1=$(ntasks)
tui "$db" "$T/m"
check "merge: confirmation asked" has "$T/m-confirm" "Merge 2 marked task(s) into task"
check "merge: two tasks fewer" test "$(ntasks)" -eq $((n1 - 2))
check "merge: message" has "$T/m-done" "Merged 2 task(s) into task"

# Split: preview first, nothing changes until y.
cat >"$T/p" <<EOS
/renewal reminder
s
<C-u>0.95<Enter>
:save-display $T/p-preview
n
:save-display $T/p-declined
y
EOS
n2=$(ntasks)
tui "$db" "$T/p"
check "split: preview shown" has "$T/p-preview" "Split preview of task $second at threshold 0.95"
check "split: preview asks before changing" has "$T/p-preview" "as previewed? (y/n)"
check "split: declining changes nothing" test "$(ntasks)" -eq "$n2"
cat >"$T/p2" <<EOS
/renewal reminder
s
<C-u>0.95<Enter>
y
:save-display $T/p-done
EOS
tui "$db" "$T/p2"
check "split: applied" has "$T/p-done" "Split task $second:"
check "split: new tasks exist" test "$(ntasks)" -gt "$n2"
check "tasks before the edits were more than zero" test "$before" -gt 0
