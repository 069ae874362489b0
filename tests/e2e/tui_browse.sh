#!/bin/sh
# Browsing: tasks -> traces -> detail -> back, help, movement, search, quit.
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/b.db
# The chat sample, plus the edit fixture whose two greeting tasks give the
# search two matches whatever the grouping engine makes of the sample.
"$TG" --db "$db" import --quiet "$SAMPLE/openai-chat-requests.json" "$FIX/edit.jsonl" &&
"$TG" --db "$db" group --quiet || { echo "not ok - build the database"; exit 1; }
cat >"$T/s" <<EOS
:save-display $T/tasks
j
<Enter>
:save-display $T/traces
G
:save-display $T/traces-end
g
<Enter>
:save-display $T/detail
q
q
?
:save-display $T/help
q
/Greet
:save-display $T/search1
n
:save-display $T/search2
S
<wait>
:save-display $T/stats
q
Q
EOS
tui "$db" "$T/s" --timing "$T/timing"
check "tui exits 0 on a script" test $? -eq 0
check "task list has a header" has "$T/tasks" "TRACES  NAME"
check "task list shows the Ungrouped bucket" has "$T/tasks" "(Ungrouped: traces in no task)"
check "task list shows the status bar" has "$T/tasks" "[tasks] row 1 of"
top=$("$TG" --db "$db" tasks --json --limit 1 | sed 's/.*"id":\([0-9]*\).*/\1/')
check "Enter on the first task opens its traces" has "$T/traces" "Traces of task $top:"
check "trace list has columns" has "$T/traces" "CREATED"
check "trace list shows how traces were assigned" has "$T/traces" " batch "
first=$(sed -n 3p "$T/traces" | awk '{print $1}')
last=$(grep -E '^ +[0-9]+ ' "$T/traces-end" | tail -1 | awk '{print $1}')
check "G goes to the last trace of the task" test "$last" -gt "$first"
check "Enter on a trace opens its detail" has "$T/detail" "Trace #$first"
check "detail shows the template section" has "$T/detail" "── Template ──"
check "detail shows the instructions section" has "$T/detail" "── Instructions ──"
check "help lists keys from the table" has "$T/help" "Move cursor (or scroll) one line down"
check "help lists CLI commands" has "$T/help" ":group"
check "search finds a task" grep -q '^\[tasks\] row [0-9]* of' "$T/search1"
r1=$(sed -n 's/^\[tasks\] row \([0-9]*\) of.*/\1/p' "$T/search1")
r2=$(sed -n 's/^\[tasks\] row \([0-9]*\) of.*/\1/p' "$T/search2")
check "search moves the cursor off the first row" test "$r1" -gt 1
check "n finds the next match further down" test "$r2" -gt "$r1"
n=$(ntraces "$db")
check "stats view shows totals" grep -q "^  traces  *$n\$" "$T/stats"
check "timing file records the first screen" grep -q '^first-screen' "$T/timing"
check "timing file records keys" grep -q '^key' "$T/timing"
