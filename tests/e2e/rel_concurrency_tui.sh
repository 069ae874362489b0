# rel_concurrency_tui.sh - the explorer open in a real terminal (tmux) while
# the CLI imports and groups into the same database: neither command meets
# "database is locked", and the explorer shows the new state after a
# refresh (C-l).
. "$TESTS_DIR/fixtures/tui/lib.sh"
if ! command -v tmux >/dev/null 2>&1; then
	echo "ok - explorer beside import and group # SKIP tmux missing"
	exit 0
fi
db=$T/c.db
"$TG" --db "$db" import --quiet "$SAMPLE/openai-chat-requests.json" ||
	{ echo "not ok - build the database"; exit 1; }
tm new-session -d -x 120 -y 30 "'$TG' --db '$db' tui; echo EXITED rc=\$?; sleep 30"
check "explorer open on the database" wait_for "(Ungrouped"
# Move into the Ungrouped traces and back: the explorer holds its reads.
tm send-keys Enter
check "explorer lists the ungrouped traces" wait_for "Ungrouped traces"
tm send-keys q

"$TG" --db "$db" import --quiet "$SAMPLE/native.jsonl.gz" 2>"$T/import.err"
check "import beside the open explorer exits 0" [ $? -eq 0 ]
"$TG" --db "$db" group --quiet 2>"$T/group.err"
check "group beside the open explorer exits 0" [ $? -eq 0 ]
check "no command met a locked database" sh -c "! grep -qi locked '$T/import.err' '$T/group.err'"

# What the CLI now sees, the explorer must show after C-l.
top=$("$TG" --db "$db" tasks --limit 1 --json | sed -n 's/.*"trace_count":\([0-9]*\).*/\1/p')
tm send-keys C-l
check "after C-l the explorer shows the largest new task ($top traces)" \
	wait_for " $top  "
tm send-keys Q
check "the explorer quits cleanly" wait_for "EXITED rc=0"
