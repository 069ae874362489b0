#!/bin/sh
# In a real terminal (tmux): key decoding (arrows, Enter, PgDn, Esc), the
# help screen, resize-window, and quitting restores the shell.
. "$TESTS_DIR/fixtures/tui/lib.sh"
if ! command -v tmux >/dev/null 2>&1; then
	for n in "starts in a terminal" "arrow keys and Enter open a task" \
	         "resize-window redraws at the new size" "Q quits"; do
		echo "ok - tmux: $n # SKIP tmux missing"
	done
	exit 0
fi
db=$T/t.db
small_db "$db" || { echo "not ok - build the database"; exit 1; }
tm new-session -d -x 100 -y 30 "'$TG' --db '$db' tui; echo EXITED rc=\$?; sleep 30"
check "tmux: starts in a terminal" wait_for "[tasks] row 1 of"
tm send-keys Down Down Enter
check "tmux: arrow keys and Enter open a task" wait_for "Traces of task"
tm send-keys NPage
check "tmux: PgDn moves a screen down" wait_for "[traces] trace #"
tm send-keys Escape
check "tmux: Esc goes back" wait_for "[tasks] row 3 of"
tm send-keys '?'
check "tmux: ? opens help" wait_for "Move cursor (or scroll) one line down"
tm send-keys q
tm resize-window -x 70 -y 20 2>/dev/null || tm resize-pane -x 70 -y 20
# The status bar on row 19 of 20 once the explorer redrew at 70x20.
resized() {
	_end=$(( $(date +%s) + 60 ))
	while :; do
		tm capture-pane -p >"$T/pane2"
		sed -n 19p "$T/pane2" | grep -q '^\[tasks\]' && return 0
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.05
	done
}
check "tmux: resize-window redraws at the new size" resized
check "tmux: narrow layout drops the MODEL column" sh -c "! grep -q MODEL '$T/pane2'"
tm send-keys Q
check "tmux: Q quits" wait_for "EXITED rc=0"
tm kill-server 2>/dev/null
