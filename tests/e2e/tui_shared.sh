#!/bin/sh
# The explorer and other processes on one database (in tmux): another
# process's change shows without a key; another process opening and closing
# the database while the explorer's background workers ran leaves the
# explorer's writes in the database; SIGTERM ends the explorer cleanly.
. "$TESTS_DIR/fixtures/tui/lib.sh"
names="shows another process's rename
another process's close keeps the explorer's WAL
the explorer's import is in the database for others
SIGTERM ends the explorer"
if ! command -v tmux >/dev/null 2>&1; then
	printf '%s\n' "$names" | sed 's/^/ok - tmux: /; s/$/ # SKIP tmux missing/'
	exit 0
fi
db=$T/s.db
small_db "$db" || { echo "not ok - build the database"; exit 1; }
first=$("$TG" --db "$db" tasks --json --limit 1 | sed 's/.*"id":\([0-9]*\).*/\1/')
n0=$(ntraces "$db")
ung=$("$TG" --db "$db" traces --ungrouped --limit 0 --json | wc -l)
tm new-session -d -x 110 -y 30 "'$TG' --db '$db' tui; echo EXITED rc=\$?; sleep 60"
# The first screen's Ungrouped count comes from a background worker with
# its own connection: once it shows, a worker has opened and closed.
wait_for "[tasks] row 1 of" && wait_for " $ung  (Ungrouped" ||
	echo "# the explorer did not start"
"$TG" --db "$db" rename "$first" "renamed elsewhere" >/dev/null
check "tmux: shows another process's rename" wait_for "renamed elsewhere"
check "tmux: another process's close keeps the explorer's WAL" test -e "$db-wal"
tm send-keys ":import $FIX/edit.jsonl" Enter
wait_for "already present" || echo "# no import summary"
n1=$("$TG" --db "$db" traces --limit 0 --json | wc -l)
check "tmux: the explorer's import is in the database for others" test "$n1" -gt "$n0"
pid=$(pgrep -P "$(tm list-panes -F '#{pane_pid}')" -x tracegroup)
[ -n "$pid" ] && kill -TERM "$pid"
check "tmux: SIGTERM ends the explorer" wait_for "EXITED rc="
