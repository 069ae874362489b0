#!/bin/sh
# Import from the explorer: the path prompt (i), the :import command, the
# progress bar, the summary, the task list refreshed afterwards.
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/i.db
"$TG" --db "$db" import --quiet "$FIX/hostile.jsonl" ||
	{ echo "not ok - build the database"; exit 1; }
cat >"$T/s" <<EOS
:save-display $T/before
i
:save-display $T/prompt
<C-u>$SAMPLE/openai-chat-requests.json<Enter>
:save-display $T/after
:import $SAMPLE/openai-chat-requests.json
:save-display $T/again
EOS
n0=$(ntraces "$db")
ref=$T/ref.db
"$TG" --db "$ref" import --quiet "$SAMPLE/openai-chat-requests.json"
n=$(ntraces "$ref")
tui "$db" "$T/s" --size 220x30
check "import script runs" test $? -eq 0
check "i asks for a path" has "$T/prompt" "Import file:"
check "ungrouped count before" grep -q '^ *7  (Ungrouped' "$T/before"
check "import summary shown" has "$T/after" "$n imported, 0 already present, 0 rejected"
check "re-import adds nothing" has "$T/again" "0 imported, $n already present"
check "database has the traces" test "$(ntraces "$db")" -eq $((n0 + n))
cat >"$T/g" <<EOS
:save-display $T/list
EOS
tui "$db" "$T/g"
check "task list shows the new ungrouped count" grep -q "^ *$((n0 + n))  (Ungrouped" "$T/list"
# The progress bar: a progress callback draws it on the bottom line while
# the job runs.  Seen through tmux (a real terminal) on a larger import.
if ! command -v tmux >/dev/null 2>&1; then
	echo "ok - progress bar shown during import # SKIP tmux missing"
	exit 0
fi
db2=$T/i2.db
big=$T/big.jsonl
for i in 1 2 3 4 5 6 7 8; do
	gzip -dc "$SAMPLE/native.jsonl.gz" | sed "s/\"id\": *\"/\"id\": \"r$i-/"
done >"$big"
tm new-session -d -x 100 -y 30 "'$TG' --db '$db2' tui; sleep 30"
# Keys typed before the explorer owns the terminal could be lost.
wait_for "[tasks] row 1 of" || echo "# the explorer did not start"
tm send-keys i
wait_for "Import file:" || echo "# no import prompt"
tm send-keys "$big" Enter
# The bar, or the import's summary if the bar came and went unseen.
seen=0
_end=$(( $(date +%s) + 120 ))
while [ "$(date +%s)" -lt "$_end" ]; do
	tm capture-pane -p >"$T/pane" 2>/dev/null
	if grep -q 'Esc: cancel' "$T/pane"; then seen=1; break; fi
	grep -q 'imported, ' "$T/pane" && break
	sleep 0.02
done
check "progress bar shown during import" test $seen -eq 1
tm kill-server 2>/dev/null
