# rel_storage.sh - storage faults: a full disk and a read-only database give
# a clear error and leave the database exactly as it was (same content
# digest, integrity ok, same counts); once the fault is gone the same
# commands succeed.
#
# The full disk is RLIMIT_FSIZE (`ulimit -f`): every write at or beyond the
# limit fails with EFBIG (SIGXFSZ ignored), which hits SQLite the way a full
# filesystem does, without root or a mounted image.  Read-only is a
# write-protected file (or directory) for an unprivileged user: as root the
# script drops to uid 65534 with setpriv, since root ignores file modes.
. "$TESTS_DIR/e2e/lib.sh"
SAMPLES=$(ls "$ROOT"/sample-data/*.json "$ROOT"/sample-data/*.jsonl "$ROOT"/sample-data/*.gz 2>/dev/null)
cc -std=c11 -O2 -o "$WORK/dbcheck" "$TESTS_DIR/crash/dbcheck.c" \
	$(pkg-config --cflags --libs sqlite3) || no "build dbcheck"
state() { "$WORK/dbcheck" -d "$1" 2>&1; }
DB=$WORK/full.db

"$TG" --db "$DB" import --quiet $SAMPLES
before=$(state "$DB")
case $before in integrity=ok*) ok "a sample database to fill" ;; *) no "a sample database to fill" "$before" ;; esac
# A larger native file: one 5,000-record batch holds several MB.
awk 'BEGIN { for (i = 0; i < 6000; i++) {
	printf "{\"id\":\"full-%d\",\"project\":\"full\",\"model\":\"m\",", i
	printf "\"instructions\":\"Fill the disk with record %d and some padding: ", i
	for (j = 0; j < 40; j++) printf "pad%d-%d ", i, j
	printf "\",\"input\":\"hello\"}\n" } }' > "$WORK/big.jsonl"

full() {   # full KB CMD...: run tracegroup with writes limited to KB per file
	kb=$1; shift
	( trap '' XFSZ; ulimit -f $((kb * 2)); exec "$TG" --db "$DB" "$@" )
}
full 1024 import "$WORK/big.jsonl" > /dev/null 2>"$WORK/err"
eq "import on a full disk fails with 1" 1 $?
check "with a clear message" grep -q "^tracegroup: .*disk" "$WORK/err"
eq "and leaves the database as it was" "$before" "$(state "$DB")"
# Grouping the samples' 5,000 traces rewrites less than 1 MB of rows.
full 128 group > /dev/null 2>"$WORK/err"
eq "group on a full disk fails with 1" 1 $?
check "with a clear message" grep -q "^tracegroup: .*disk" "$WORK/err"
eq "and leaves the database as it was" "$before" "$(state "$DB")"

"$TG" --db "$DB" import --quiet "$WORK/big.jsonl" 2>"$WORK/err"
eq "with room again, the import succeeds" 0 $?
"$TG" --db "$DB" group --quiet 2>"$WORK/err"
eq "and so does group" 0 $?
after=$(state "$DB")
eq "every record is there" 11000 "$(printf '%s\n' "$after" | sed 's/.*traces=\([0-9]*\).*/\1/')"
case $after in integrity=ok*) ok "and the database is sound" ;; *) no "and the database is sound" "$after" ;; esac

# ---- read-only ------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv > /dev/null 2>&1; then
		AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		ok "read-only database # SKIP root without setpriv"; exit 0
	fi
else
	AS=""
fi
RO=$WORK/ro; mkdir -p "$RO"
chmod 755 "$WORK"; chmod 777 "$RO"
cp "$DB" "$RO/r.db"
chmod 444 "$RO/r.db"
cp "$RO/r.db" "$WORK/r.orig"
$AS "$TG" --db "$RO/r.db" import "$ROOT/tests/fixtures/formats/native.jsonl" > /dev/null 2>"$WORK/err"
eq "import into a read-only database fails with 1" 1 $?
check "saying it is read-only" grep -q "^tracegroup: .*read-only" "$WORK/err"
$AS "$TG" --db "$RO/r.db" group > /dev/null 2>"$WORK/err"
eq "group on a read-only database fails with 1" 1 $?
check "saying it is read-only" grep -q "^tracegroup: .*read-only" "$WORK/err"
$AS "$TG" --db "$RO/r.db" undo > /dev/null 2>"$WORK/err"
eq "undo on a read-only database fails with 1" 1 $?
check "the read-only file is byte for byte unchanged" cmp -s "$RO/r.db" "$WORK/r.orig"
# Reading a database one may not write (a shared file) should work: the
# store falls back to a read-only connection for that.
$AS "$TG" --db "$RO/r.db" stats --json > "$WORK/ro.out" 2>"$WORK/err"
eq "stats reads a write-protected database" 0 $?
# A directory one may not write to: no journal can be created.
chmod 555 "$RO"; chmod 666 "$RO/r.db"
$AS "$TG" --db "$RO/r.db" import "$ROOT/tests/fixtures/formats/native.jsonl" > /dev/null 2>"$WORK/err"
eq "import with a read-only directory fails with 1" 1 $?
check "with a message" grep -q "^tracegroup: " "$WORK/err"
check "and the file is unchanged" cmp -s "$RO/r.db" "$WORK/r.orig"
chmod 755 "$RO"
eq "the database is still the one we started from" "$after" "$(state "$RO/r.db")"
