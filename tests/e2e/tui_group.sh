#!/bin/sh
# The grouping panel: live dry-run preview, threshold keys, the sweep chart,
# apply, auto-match; and a cancelled grouping keeps nothing.
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/g.db
"$TG" --db "$db" import --quiet "$SAMPLE/openai-chat-requests.json" ||
	{ echo "not ok - build the database"; exit 1; }
cat >"$T/s" <<EOS
b
<wait>
:save-display $T/p060
+
+
<wait>
:save-display $T/p070
]
<wait>
:save-display $T/p070m3
a
:save-display $T/confirm
y
:save-display $T/applied
EOS
tui "$db" "$T/s" --size 110x40
check "panel script runs" test $? -eq 0
check "panel shows the parameters" has "$T/p060" "similarity_threshold 0.60"
check "preview is a dry run" has "$T/p060" "Preview (dry run at 0.60, nothing changed"
check "preview counts the ungrouped traces" has "$T/p060" "$(ntraces "$db") traces considered, 0 matched"
check "preview lists the largest new groups" has "$T/p060" "Largest new groups:"
check "sweep chart drawn with block characters" grep -q '^tasks created .*[▁▂▃▄▅▆▇█]' "$T/p060"
check "sweep covers 0.30 to 0.95" grep -q '^threshold *\.30 .*\.95' "$T/p060"
check "sweep reports the share grouped" grep -q '^ *[0-9 %]*%$' "$T/p060"
check "+ raises the threshold and the preview follows" has "$T/p070" "Preview (dry run at 0.70"
check "] raises min_cluster_size" has "$T/p070m3" "min_cluster_size 3"
check "apply asks first" has "$T/confirm" "Apply batch grouping at threshold 0.70, min_cluster_size 3? (y/n)"
n=$("$TG" --db "$db" tasks --json | wc -l)
created=$(sed -n 's/^[0-9]* grouped into \([0-9]*\) new tasks,.*/\1/p' "$T/p070m3")
check "apply created tasks" test "$n" -gt 0
check "apply created as many tasks as the preview said" test "$n" -eq "$created"
check "apply reports on the message line" has "$T/applied" "Grouped:"
runs=$("$TG" --db "$db" stats --json | grep -o '"kind":"group","threshold":0.7' | wc -l)
check "the run is recorded with its threshold" test "$runs" -eq 1

# Previews alone change nothing.
db3=$T/g3.db
"$TG" --db "$db3" import --quiet "$SAMPLE/openai-chat-requests.json"
printf 'b\n<wait>\n+\n<wait>\n-\n-\n<wait>\n' >"$T/v"
tui "$db3" "$T/v"
check "previews and the sweep create no task" test "$("$TG" --db "$db3" tasks --json | wc -l)" -eq 0
check "previews record no grouping run" test "$("$TG" --db "$db3" stats --json | grep -c '"kind":"group"')" -eq 0

# A grouping cancelled with Ctrl-C while it runs keeps nothing.
db2=$T/g2.db
"$TG" --db "$db2" import --quiet "$SAMPLE/openai-chat-requests.json"
cat >"$T/c" <<EOS
:group
<C-c>
:save-display $T/cancelled
EOS
tui "$db2" "$T/c"
check "cancelled grouping says so" has "$T/cancelled" "cancelled"
check "cancelled grouping created no task" test "$("$TG" --db "$db2" tasks --json | wc -l)" -eq 0
# Auto-match all ungrouped (A) against tasks made at 0.6.
"$TG" --db "$db2" group --quiet
"$TG" --db "$db2" import --quiet --no-match "$SAMPLE/openai-batch-input.jsonl"
cat >"$T/a" <<EOS
A
:save-display $T/matched
EOS
tui "$db2" "$T/a"
check "auto-match reports matches" grep -q 'Auto-match: [1-9][0-9]* of [0-9]* ungrouped traces matched' "$T/matched"
