# rel_fullfs.sh - a really full filesystem (ENOSPC on a small tmpfs), where
# rel_storage.sh stands one in with RLIMIT_FSIZE.  The difference shows at
# the last kilobytes: SQLite then fails to extend the -shm file, which even
# reading a WAL database needs, and says only "disk I/O error".  Commands
# that only read must still read; every other one must say the disk is
# full and how much is free; none may change the database; with room
# again, the same commands succeed.
#
# Mounting needs root and a mount namespace of our own (unshare -m): the
# script runs itself again inside one, so the mount goes with it.  Without
# them the checks are reported as skipped.
if [ -z "${TG_FULLFS_NS:-}" ]; then
	if [ "$(id -u)" = 0 ] && command -v unshare > /dev/null 2>&1 &&
	   unshare -m true 2> /dev/null; then
		TG_FULLFS_NS=1 exec unshare -m sh "$0" "$@"
	fi
	echo "ok - a really full filesystem # SKIP needs root and unshare -m"
	exit 0
fi
. "$TESTS_DIR/e2e/lib.sh"
FS=$WORK/fs
mkdir -p "$FS"
mount -t tmpfs -o size=16m tg-fullfs "$FS" ||
	{ echo "ok - a really full filesystem # SKIP mount refused"; exit 0; }
trap 'umount "$FS" 2> /dev/null; rm -rf "$WORK"' EXIT
cc -std=c11 -O2 -o "$WORK/dbcheck" "$TESTS_DIR/crash/dbcheck.c" \
	$(pkg-config --cflags --libs sqlite3) || no "build dbcheck"
state() { "$WORK/dbcheck" -d "$1" 2>&1; }
DB=$FS/t.db

gzip -dc "$ROOT/sample-data/native.jsonl.gz" | head -n 400 > "$WORK/a.jsonl"
gzip -dc "$ROOT/sample-data/native.jsonl.gz" | sed -n 401,800p > "$WORK/b.jsonl"
"$TG" --db "$DB" import --quiet --no-match "$WORK/a.jsonl"
eq "a small database on a 16 MB filesystem" 0 $?
[ ! -s "$DB-wal" ] && ok "checkpointed in full" || no "checkpointed in full" "$(ls -l "$FS")"
before=$(state "$DB")
case $before in integrity=ok*) ok "and it is sound" ;; *) no "and it is sound" "$before" ;; esac

free_kb() { df -k -P "$FS" | awk 'NR == 2 { print $4 }'; }
# fill KB: leave about KB free (tmpfs counts in 4 KB pages).
fill() {
	rm -f "$FS/fill"
	n=$(($(free_kb) - $1))
	[ "$n" -gt 0 ] && dd if=/dev/zero of="$FS/fill" bs=1k count="$n" 2> /dev/null
	: "$(free_kb)"
}
unfill() { rm -f "$FS/fill"; }

# A few KB: not even room for the -shm file.  Commands that only read
# still read, under an exclusive lock with the wal-index in memory, and
# say so; the others fail saying why.
fill 8
"$TG" --db "$DB" stats > "$WORK/out" 2> "$WORK/err"
eq "stats with 8 KB free still reads" 0 $?
check "the count it shows is right" grep -q "^traces *400$" "$WORK/out"
check "saying the disk is full, how much is free, and that it locks" \
	grep -q "^tracegroup: .*the disk is full ([0-9]* KB free): reading only, and no other process can open the database" \
	"$WORK/err"
"$TG" --db "$DB" export > "$WORK/out" 2> /dev/null
eq "export with 8 KB free writes every trace" "0 400" "$? $(wc -l < "$WORK/out")"
"$TG" --db "$DB" traces --limit 3 --json > "$WORK/out" 2> /dev/null
eq "traces pages through them" "0 3" "$? $(wc -l < "$WORK/out")"
"$TG" --db "$DB" group > /dev/null 2> "$WORK/err"
eq "group with 8 KB free fails with 1" 1 $?
check "saying the disk is full and how much is free" \
	grep -q "^tracegroup: .*the disk is full ([0-9]* KB free)" "$WORK/err"
check "not a bare I/O error" sh -c "! grep -qx '.*: disk I/O error' '$WORK/err'"
unfill
eq "and the database is as it was" "$before" "$(state "$DB")"

# Room to open and read, not to write what group and import write.
for kb in 32 96; do
	fill $kb
	"$TG" --db "$DB" group > /dev/null 2> "$WORK/err"
	eq "group with $kb KB free fails with 1" 1 $?
	check "saying the disk is full, nothing changed" \
		grep -q "the disk is full ([0-9]* KB free); nothing was changed" \
		"$WORK/err"
	"$TG" --db "$DB" import --no-match "$WORK/b.jsonl" > /dev/null \
		2> "$WORK/err"
	eq "import with $kb KB free fails with 1" 1 $?
	check "saying the disk is full" grep -q "the disk is full" "$WORK/err"
	unfill
	eq "and the database is as it was" "$before" "$(state "$DB")"
done

"$TG" --db "$DB" import --quiet --no-match "$WORK/b.jsonl" 2> "$WORK/err"
eq "with room again, the import succeeds" 0 $?
"$TG" --db "$DB" group --quiet 2> "$WORK/err"
eq "and so does group" 0 $?
after=$(state "$DB")
eq "every record is there" 800 \
	"$(printf '%s\n' "$after" | sed 's/.*traces=\([0-9]*\).*/\1/')"
case $after in integrity=ok*) ok "and the database is sound" ;; *) no "and the database is sound" "$after" ;; esac
