# score.sh - the README's worked similarity examples hold: each row of the
# table between the score-examples markers is scored by `tracegroup score`.
. "$TESTS_DIR/e2e/lib.sh"
sed -n '/<!-- score-examples/,/<!-- \/score-examples/p' "$ROOT/README.md" |
	grep '^| `' > "$WORK/rows"
check "the README has score examples" [ -s "$WORK/rows" ]
while IFS= read -r row; do
	tpl=$(printf '%s\n' "$row" | cut -d'|' -f2 | sed 's/^ *`//; s/` *$//')
	txt=$(printf '%s\n' "$row" | cut -d'|' -f3 | sed 's/^ *`//; s/` *$//')
	want=$(printf '%s\n' "$row" | cut -d'|' -f4 | tr -d ' ')
	eq "score '$tpl' '$txt'" "$want" "$("$TG" score "$tpl" "$txt")"
done < "$WORK/rows"
"$TG" score 'unbalanced {' 'x' > /dev/null 2>&1
eq "a malformed template is a usage error" 2 $?
