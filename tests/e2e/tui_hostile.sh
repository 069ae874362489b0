#!/bin/sh
# Hostile text: escape sequences, OSC 52, CR, BS, C1 CSI, bidi override,
# invalid UTF-8, CJK and emoji in prompts, outputs and metadata are shown
# neutralised in every view, and wide characters keep the columns aligned.
. "$TESTS_DIR/fixtures/tui/lib.sh"
db=$T/h.db
"$TG" --db "$db" import --quiet "$FIX/hostile.jsonl" &&
"$TG" --db "$db" group --quiet || { echo "not ok - build the database"; exit 1; }
cat >"$T/s" <<EOS
:save-display $T/d-tasks
j
r
<C-u>東京タスク<Enter>
:save-display $T/d-renamed
<Enter>
:save-display $T/d-traces
<Enter>
:save-display $T/d-detail1
q
j
<Enter>
R
:save-display $T/d-detail2
G
:save-display $T/d-detail2-end
q
jjjj
<Enter>
:save-display $T/d-detail6
q
G
<Enter>
:save-display $T/d-detail7
q
q
:show #2
:save-display $T/d-show
EOS
tui "$db" "$T/s"
check "tui runs the hostile script" test $? -eq 0
all="$T/all"
cat "$T"/d-* >"$all"
esc=$(printf '\033'); cr=$(printf '\r'); bs=$(printf '\010'); bel=$(printf '\007')
check "no ESC byte on screen" hasnt "$all" "$esc"
check "no CR on screen" hasnt "$all" "$cr"
check "no BS on screen" hasnt "$all" "$bs"
check "no BEL on screen" hasnt "$all" "$bel"
check "no U+009B on screen" hasnt "$all" "$(printf '\302\233')"
check "no U+202E on screen" hasnt "$all" "$(printf '\342\200\256')"
check "ESC shown as a control picture" has "$T/d-traces" "␛[2J"
check "OSC 52 shown inert" has "$T/d-detail2" "␛]52;c;SGVsbG8gd29ybGQ=␇Mallory"
check "CR shown as a control picture" has "$T/d-traces" "Bob␍Eve"
check "BS shown as a control picture" has "$T/d-traces" "Ali␈ce"
check "invalid UTF-8 shown as U+FFFD" has "$T/d-detail7" "Greet ���("
check "bidi override shown as U+FFFD" has "$T/d-traces" "Party�evil"
check "emoji kept" has "$T/d-traces" "🎉"
check "CJK kept" has "$T/d-traces" "李小龍 東京"
check "output neutralised in detail" has "$T/d-detail2" "␛]0;title␇ ✅ �2J"
check "metadata neutralised in detail" has "$T/d-detail2" "greet␛[5m"
check "original record shown on R" has "$T/d-detail2-end" "── Original record ──"
# The NAME column is 22 display columns, then one space: a 10-column CJK
# name is padded with 12 spaces + 1, so PROJECT lines up with the header.
check "CJK task name padded by display width" has "$T/d-renamed" "東京タスク             hostile"
hcol=$(grep -n 'PROJECT' "$T/d-renamed" | head -1 | cut -d: -f1)
check "header present for alignment" test -n "$hcol"
check "command output (:show) is neutralised too" has "$T/d-show" "␛]52;c;"
check "with colour, slot values are not framed" hasnt "$T/d-detail2" "⟦"
# Colourless rendering frames slot values so they read without colour.
NO_COLOR=1 tui "$db" "$T/s" >/dev/null 2>&1
check "NO_COLOR frames slot values in brackets" has "$T/d-detail2" "Greet ⟦␛]52;c;SGVsbG8gd29ybGQ=␇Mallory⟧"
