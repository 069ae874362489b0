# rel_hostile.sh - hostile input through the command line: SQL
# metacharacters stored and shown verbatim, terminal escapes neutralised in
# every text listing, and a list of broken files (truncated, invalid UTF-8,
# NUL, 100 MB strings, 100,000-deep nesting, wrong types in every field of
# every format) that must never crash the importer or the database.
. "$TESTS_DIR/e2e/lib.sh"
FIX=$TESTS_DIR/fixtures/rel
DB=$WORK/h.db
cc -std=c11 -O2 -o "$WORK/dbcheck" "$TESTS_DIR/crash/dbcheck.c" \
	$(pkg-config --cflags --libs sqlite3) || no "build dbcheck"

# A run "survived" when it exited 0, 1 (file refused) or 3 (records
# rejected) and no sanitizer spoke.
sane() {   # sane NAME LOG RC
	if [ "$3" -gt 3 ] || grep -q 'Sanitizer\|runtime error' "$2"; then
		no "$1" "exit $3; $(grep -m 3 'ERROR\|runtime error' "$2")"
	else
		ok "$1"
	fi
}

# ---- SQL metacharacters: stored and shown verbatim, never executed --------
"$TG" --db "$DB" import --quiet "$FIX/escapes.jsonl" "$FIX/sqlmeta.jsonl"
eq "hostile fixtures import" 0 $?
eq "all 12 hostile records stored" 12 "$("$TG" --db "$DB" stats --json | jnum traces)"
n=0 bad=0
while IFS= read -r line; do
	id=$(printf '%s\n' "$line" | sed 's/^{"id":"\([^"]*\)".*/\1/; s/\\\\/\\/g')
	out=$("$TG" --db "$DB" show --json "$id")
	n=$((n + 1))
	for key in project model path; do
		v=$(printf '%s\n' "$line" | sed "s/.*\"$key\":\"\([^\"]*\)\".*/\1/")
		printf '%s\n' "$out" | grep -qF "\"$key\":\"$v\"" || bad=$((bad + 1))
	done
	q=$(printf '%s\n' "$line" | sed 's/.*"instructions":"\([^"]*\)".*/\1/')
	printf '%s\n' "$out" | grep -qF "$q" || bad=$((bad + 1))
	o=$(printf '%s\n' "$line" | sed 's/.*"output":"\([^"]*\)".*/\1/')
	printf '%s\n' "$out" | grep -qF "\"output\":\"$o\"" || bad=$((bad + 1))
done < "$FIX/sqlmeta.jsonl"
eq "SQL metacharacters shown verbatim by show --json ($n records)" 0 "$bad"
"$TG" --db "$DB" tasks --search "'); DROP TABLE traces;--" > /dev/null
eq "a search for SQL is just a search" 0 $?
"$TG" --db "$DB" traces --model "m '); DROP TABLE traces;--" --json > "$WORK/f.out"
eq "a model filter with SQL matches that model only" 1 "$(wc -l < "$WORK/f.out")"
eq "the traces table is still there" 12 "$("$TG" --db "$DB" stats --json | jnum traces)"
check "no file was attached as a side effect" [ ! -e /tmp/pwn.db ]

# ---- terminal escapes: nothing that moves the cursor reaches the terminal --
"$TG" --db "$DB" group --quiet
check "the escape records group into a task" [ "$("$TG" --db "$DB" stats --json | jnum tasks)" -ge 1 ]
ESC=$(printf '\033'); CR=$(printf '\r'); BS=$(printf '\b'); BEL=$(printf '\007')
C1=$(printf '\302[\200-\237]'); BIDI=$(printf '\342\200[\252-\256]')
ISO=$(printf '\342\201[\246-\251]')
clean() {   # clean NAME FILE [c0]: no ESC, CR, BS, BEL, C1 control or bidi
	found=""   # override (with "c0": only the C0 controls JSON must escape)
	pats="$ESC $CR $BS $BEL $C1 $BIDI $ISO"
	[ "${3:-}" = c0 ] && pats="$ESC $CR $BS $BEL"
	set -f
	for pat in $pats; do
		LC_ALL=C grep -q "$pat" "$2" && found="$found $(printf '%s' "$pat" | od -An -c | tr -s ' ')"
	done
	set +f
	if [ -z "$found" ] && [ -s "$2" ]; then ok "$1"; else no "$1" "found:$found"; fi
}
task=$("$TG" --db "$DB" tasks --json | sed -n 's/^{"id":\([0-9]*\).*/\1/p' | head -n 1)
"$TG" --db "$DB" tasks > "$WORK/tasks.out"; clean "tasks output is neutralised" "$WORK/tasks.out"
"$TG" --db "$DB" traces --limit 0 > "$WORK/traces.out"; clean "traces output is neutralised" "$WORK/traces.out"
"$TG" --db "$DB" show --task "$task" > "$WORK/task.out"; clean "show --task output is neutralised" "$WORK/task.out"
: > "$WORK/show.out"
for i in 1 2 3 4 5; do "$TG" --db "$DB" show --raw "#$i" >> "$WORK/show.out"; done
clean "show --raw of every escape trace is neutralised" "$WORK/show.out"
"$TG" --db "$DB" history > "$WORK/hist.out"; clean "history output is neutralised" "$WORK/hist.out"
"$TG" --db "$DB" show --json "#1" > "$WORK/show.json"; clean "show --json escapes C0 control characters" "$WORK/show.json" c0
check "show --json keeps the raw text (ESC as \\u001b)" grep -qF '\u001b]52;c;SGVsbG8=' "$WORK/show.json"
check "CJK and emoji survive the sanitiser" grep -q "$(printf '\346\227\245\346\234\254\350\252\236 \360\237\216\211')" "$WORK/show.out"
check "a NUL does not cut a string (U+FFFD, then the rest)" grep -q "$(printf '\357\277\275') end" "$WORK/show.out"

# ---- broken files: none may crash the importer or hurt the database -------
B=$WORK/bad; mkdir -p "$B"
tried=0
for f in "$TESTS_DIR"/fixtures/formats/*; do    # truncated at a third and at 2/3
	sz=$(wc -c < "$f")
	head -c $((sz / 3)) "$f" > "$B/t1-$(basename "$f")"
	head -c $((sz * 2 / 3)) "$f" > "$B/t2-$(basename "$f")"
done
gzip -c "$TESTS_DIR/fixtures/formats/native.jsonl" | head -c 60 > "$B/cut.jsonl.gz"
head -c 65536 /dev/urandom > "$B/random.bin"
{ printf '\037\213\010\000\000\000\000\000\000\003'; head -c 4096 /dev/urandom; } > "$B/badgzip.gz"
printf '\377\376{"id":"u1","project":"p","instructions":"bad \377 \300\200 \355\240\200 utf8"}\n' > "$B/invalid-utf8.jsonl"
printf '{"id":"z1","project":"p","instructions":"a\\u0000b","input":"\\u0000","output":"\\u0000\\u0000"}\n' > "$B/nul.jsonl"
printf '{"id":"z2","project":"p","instructions":"raw \000 nul"}\n' > "$B/rawnul.jsonl"
printf '' > "$B/empty.json"; printf '\n\n  \n' > "$B/blank.jsonl"
printf 'null' > "$B/null.json"; printf '42' > "$B/number.json"; printf '[]' > "$B/array.json"
printf '{}' > "$B/object.json"; printf '"x"' > "$B/string.json"
printf '{"id":"s","project":"p","instructions":"\\ud800 lone \\udfff surrogates \\u12"}\n' > "$B/surrogate.jsonl"
head -c 100000 /dev/zero | tr '\0' '[' > "$B/deep-array.json"
{ printf '{"id":"d","project":"p","instructions":"x","metadata":'; head -c 100000 /dev/zero | tr '\0' '{' | sed 's/{/{"a":/g'; printf '\n'; } > "$B/deep-object.jsonl"
{ printf '{"id":"d2","project":"p","input":'; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; printf '}\n'; } > "$B/deep-closed.jsonl"
head -c 10000000 /dev/zero | tr '\0' 'a' > "$B/long-line.jsonl"
for f in "$B"/*; do
	"$TG" --db "$DB" import --quiet "$f" > /dev/null 2>"$WORK/imp.err"; rc=$?
	tried=$((tried + 1))
	sane "broken file $(basename "$f") is handled (exit $rc)" "$WORK/imp.err" $rc
done
# Wrong types in every field of every format, forced and detected.
rows=0
for f in "$FIX"/wrongtypes/*.jsonl.gz; do
	fmt=$(basename "$f" .jsonl.gz); fmt=${fmt#*.}
	"$TG" --db "$DB" import --quiet --format "$fmt" "$f" > /dev/null 2>"$WORK/imp.err"; rc=$?
	sane "wrong types in every $fmt field ($(basename "$f"))" "$WORK/imp.err" $rc
	"$TG" --db "$DB" import --quiet "$f" > /dev/null 2>"$WORK/imp.err"; rc=$?
	sane "wrong types, format detected ($(basename "$f"))" "$WORK/imp.err" $rc
	rows=$((rows + $(gzip -dc "$f" | wc -l)))
done
tried=$((tried + rows))
# 100 MB strings: one in the grouping text, one in the output.
{ printf '{"id":"huge","project":"p","model":"m","instructions":"'
  head -c 100000000 /dev/zero | tr '\0' 'a'; printf ' end","input":"hi","output":"'
  head -c 1000 /dev/zero | tr '\0' 'b'; printf '"}\n'; } > "$WORK/huge.jsonl"
"$TG" --db "$DB" import --quiet "$WORK/huge.jsonl" > /dev/null 2>"$WORK/imp.err"; rc=$?
tried=$((tried + 1))
sane "a 100 MB string imports" "$WORK/imp.err" $rc
eq "and is stored whole" "aaa end" "$("$TG" --db "$DB" show --json huge | sed -n 's/.*\(aaa end\)".*/\1/p' | head -n 1)"
"$TG" --db "$DB" traces --limit 0 > "$WORK/list.out" 2>&1; rc=$?
sane "traces lists it" "$WORK/list.out" $rc
check "as one line of bounded width" [ "$(awk 'length > m { m = length } END { print m + 0 }' "$WORK/list.out")" -lt 1000 ]

"$WORK/dbcheck" "$DB" > "$WORK/check.out" 2>&1
eq "the database passes integrity and invariant checks after it all" 0 $?
echo "# hostile: $tried bad inputs tried ($rows wrong-type records)"
