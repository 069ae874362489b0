#!/bin/sh
# Undo and redo from the keyboard, and undo after a restart: the journal
# lives in the database, so a new session undoes the previous one's change.
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/u.db
small_db "$db" || { echo "not ok - build the database"; exit 1; }
first=$("$TG" --db "$db" tasks --json | head -1 | sed 's/^{"id":\([0-9]*\),"name":"\([^"]*\)".*/\1/')
name0=$("$TG" --db "$db" tasks --json | head -1 | sed 's/^{"id":[0-9]*,"name":"\([^"]*\)".*/\1/')
name_of() { "$TG" --db "$db" tasks --json | grep "^{\"id\":$first," | sed 's/^{"id":[0-9]*,"name":"\([^"]*\)".*/\1/'; }
cat >"$T/s1" <<EOS
j
r
<C-u>first session name<Enter>
Q
EOS
tui "$db" "$T/s1"
check "session 1 renames the task" test "$(name_of)" = "first session name"
cat >"$T/s2" <<EOS
u
:save-display $T/undone
Q
EOS
tui "$db" "$T/s2"
check "session 2 undoes the rename of session 1" test "$(name_of)" = "$name0"
check "undo reports what it undid" has "$T/undone" "Undone:"
cat >"$T/s3" <<EOS
<C-r>
:save-display $T/redone
u
u
:save-display $T/undone2
EOS
tui "$db" "$T/s3"
check "redo reports what it redid" has "$T/redone" "Redone:"
grouped=$("$TG" --db "$db" stats --json | sed 's/.*"grouped":\([0-9]*\).*/\1/')
check "second undo in a row undid the grouping too" test "$grouped" -eq 0
check "the task is retired once its grouping is undone" test "$(name_of)" = ""
cat >"$T/s4" <<EOS
u
u
u
:save-display $T/nothing
EOS
tui "$db" "$T/s4"
check "undo with nothing left says so" has "$T/nothing" "Nothing to undo"
