#!/bin/sh
# Resizing: the layout follows the screen size, narrow screens drop
# columns, a tiny screen says so, and the views come back when it grows.
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/r.db
small_db "$db" || { echo "not ok - build the database"; exit 1; }
cat >"$T/s" <<EOS
:save-display $T/w100
<resize 80x24>
:save-display $T/w80
<resize 60x15>
:save-display $T/w60
<resize 20x5>
:save-display $T/tiny
<resize 120x40>
j
<Enter>
:save-display $T/w120
<Enter>
<resize 50x20>
:save-display $T/detail50
EOS
tui "$db" "$T/s"
check "resize script runs" test $? -eq 0
rows() { wc -l <"$1" | tr -d ' '; }
maxw() { wc -L <"$1" | tr -d ' '; }   # display columns (GNU wc)
check "100x30 dump has 30 rows" test "$(rows "$T/w100")" -eq 30
check "80x24 dump has 24 rows" test "$(rows "$T/w80")" -eq 24
check "80x24 dump fits 80 columns" test "$(maxw "$T/w80")" -le 80
check "60x15 dump has 15 rows" test "$(rows "$T/w60")" -eq 15
check "60x15 dump fits 60 columns" test "$(maxw "$T/w60")" -le 60
check "status bar on the last-but-one row at 80x24" sh -c "sed -n 23p '$T/w80' | grep -q '^\[tasks\]'"
check "wide screen shows the MODEL column" has "$T/w100" "MODEL"
check "narrow screen drops the MODEL column" hasnt "$T/w80" "MODEL"
check "tiny screen says it is too small" has "$T/tiny" "Terminal too small"
check "growing again restores the views" has "$T/w120" "Traces of task"
check "wide trace list shows source ids" has "$T/w120" "SOURCE ID"
check "detail wraps to 50 columns" test "$(maxw "$T/detail50")" -le 50
check "detail at 50 columns has 20 rows" test "$(rows "$T/detail50")" -eq 20
