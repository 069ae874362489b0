/*
 * db.c - opening a tracegroup database safely, statements, transactions.
 *
 * A file is only ever written to once we know it is ours: an empty or
 * missing file, or an SQLite database carrying tracegroup's application_id.
 * Anything else (another program's database, a random file, a database from
 * a newer tracegroup) is refused before any pragma can touch it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include "store/internal.h"

#define APPLICATION_ID 0x54475250   /* "TGRP" */
#define BUSY_TIMEOUT_MS 15000
/* An I/O error on a filesystem with less than this free is reported as a
 * full disk.  SQLite does not always keep the errno: extending the -shm
 * file (which even reading a WAL database needs) fails as a bare "disk
 * I/O error". */
#define FULL_BELOW (1024 * 1024)

static void set_err(char *err, size_t n, const char *fmt, const char *a,
                    const char *b)
{
	if (err && n)
		snprintf(err, n, fmt, a, b ? b : "");
}

/* Bytes free to us on the filesystem holding path (or its directory, when
 * path does not exist yet); -1 when it cannot be told. */
static long long free_bytes(const char *path)
{
	struct statvfs v;
	char dir[4096];
	const char *slash;

	if (!path)
		return -1;
	if (statvfs(path, &v) != 0) {
		slash = strrchr(path, '/');
		if (!slash)
			snprintf(dir, sizeof dir, ".");
		else          /* "/x.db" -> "/" */
			snprintf(dir, sizeof dir, "%.*s",
			         (int)(slash - path + (slash == path)), path);
		if (statvfs(dir, &v) != 0)
			return -1;
	}
	return (long long)v.f_bavail * (long long)v.f_frsize;
}

/* "the disk is full (12 KB free)" into buf when an error with SQLite
 * result code `code` and errno `sys` is a full filesystem; else NULL. */
static const char *full_disk(const struct store *s, int code, int sys,
                             char *buf, size_t n)
{
	long long avail;

	if ((code & 0xff) != SQLITE_FULL && (code & 0xff) != SQLITE_IOERR)
		return NULL;
	avail = free_bytes(s->path);
	if ((code & 0xff) == SQLITE_FULL || sys == ENOSPC || sys == EFBIG ||
	    sys == EDQUOT) {
		if (avail >= 0 && avail < FULL_BELOW)
			snprintf(buf, n, "the disk is full (%lld KB free)",
			         avail / 1024);
		else
			snprintf(buf, n, "the disk or database is full");
		return buf;
	}
	if (avail < 0 || avail >= FULL_BELOW)
		return NULL;
	snprintf(buf, n, "%s; the disk is full (%lld KB free)",
	         sqlite3_errmsg(s->db), avail / 1024);
	return buf;
}

/*
 * 1: a non-empty file, 0: empty or missing, -1: not a regular file,
 * -2: cannot be examined.  Only stat(): opening the file here and closing
 * it again would drop every POSIX lock this process holds on it, SQLite's
 * included, when another connection of ours has it open.  SQLite itself
 * tells a file that is not a database (SQLITE_NOTADB) without writing it.
 */
static int file_kind(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return errno == ENOENT ? 0 : -2;
	if (!S_ISREG(sb.st_mode))
		return -1;
	return sb.st_size > 0;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Is this open database ours, and at a version we understand?  -2 when it
 * could not be read for want of disk space (see open_locked). */
static int check_identity(struct store *s, char *err, size_t errlen)
{
	int app = 0, ver = 0, tables = 0;

	if (pragma_int(s->db, "PRAGMA application_id", &app) != 0 ||
	    pragma_int(s->db, "PRAGMA user_version", &ver) != 0 ||
	    pragma_int(s->db, "SELECT count(*) FROM sqlite_master", &tables) != 0) {
		if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_NOTADB)
			set_err(err, errlen, "%s: not a tracegroup database (not an "
			        "SQLite file; refusing to touch it)%s", s->path, NULL);
		else {
			char full[160];
			const char *why = full_disk(s, sqlite3_extended_errcode(s->db),
			                            sqlite3_system_errno(s->db), full,
			                            sizeof full);
			set_err(err, errlen, "%s: cannot read database: %s", s->path,
			        why ? why : sqlite3_errmsg(s->db));
			if (why && (sqlite3_errcode(s->db) & 0xff) == SQLITE_IOERR)
				return -2;
		}
		return -1;
	}
	if (app == 0 && ver == 0 && tables == 0)
		return 0;                       /* a new, empty database */
	if (app != APPLICATION_ID) {
		set_err(err, errlen, "%s: not a tracegroup database (refusing to "
		        "touch it)%s", s->path, NULL);
		return -1;
	}
	if (ver > STORE_SCHEMA_VERSION) {
		char msg[64];
		snprintf(msg, sizeof msg, " (schema %d; this tracegroup knows up "
		         "to %d)", ver, STORE_SCHEMA_VERSION);
		set_err(err, errlen, "%s: written by a newer tracegroup%s", s->path,
		        msg);
		return -1;
	}
	return 0;
}

static int open_db(struct store *s, char *err, size_t errlen)
{
	int kind = file_kind(s->path);
	int rc;

	if (kind == -1) {
		set_err(err, errlen, "%s: not a tracegroup database (not a regular "
		        "file; refusing to touch it)%s", s->path, NULL);
		return -1;
	}
	if (kind == -2) {
		set_err(err, errlen, "%s: %s", s->path, strerror(errno));
		return -1;
	}
	rc = sqlite3_open_v2(s->path, &s->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK && kind == 1) {
		sqlite3_close(s->db);
		s->db = NULL;
		rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READONLY, NULL);
		s->readonly = 1;
	}
	if (rc != SQLITE_OK) {
		set_err(err, errlen, "%s: cannot open: %s", s->path,
		        s->db ? sqlite3_errmsg(s->db) : "out of memory");
		return -1;
	}
	/* A write-protected file opens read-only: reading it is fine, every
	 * change will fail with a clear message. */
	if (sqlite3_db_readonly(s->db, "main") == 1)
		s->readonly = 1;
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(s->db, 1);
	return 0;
}

static int configure(struct store *s, char *err, size_t errlen)
{
	char sql[64];
	int app = 0;

	/* 8 KB pages for a new database (an existing one keeps its own): at 1M
	 * traces, grouping rewrites a quarter of a gigabyte of rows, and half
	 * as many pages (and WAL frames) made it 6% faster; import did not
	 * slow down.  Only takes effect before the first table exists. */
	if (!s->readonly && (store_exec(s, "PRAGMA page_size=8192") != 0 ||
	                     store_exec(s, "PRAGMA journal_mode=WAL") != 0)) {
		set_err(err, errlen, "%s: %s", s->path, s->err);
		return -1;
	}
	if (store_exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
	               "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536") != 0) {
		set_err(err, errlen, "%s: %s", s->path, s->err);
		return -1;
	}
	/* Written once: a write at every open would cost a transaction (and
	 * the WAL's first syncs) to commands that only read. */
	snprintf(sql, sizeof sql, "PRAGMA application_id=%d", APPLICATION_ID);
	if (!s->readonly && (pragma_int(s->db, "PRAGMA application_id", &app) != 0 ||
	                     app != APPLICATION_ID) && store_exec(s, sql) != 0) {
		set_err(err, errlen, "%s: %s", s->path, s->err);
		return -1;
	}
	return 0;
}

/*
 * Reading a WAL database needs its wal-index, the -shm file, which a full
 * filesystem has no room to create or grow.  In EXCLUSIVE locking mode,
 * set before the first read, SQLite keeps the wal-index in memory instead,
 * so the database reads; the lock keeps every other connection out until
 * this one closes.  Nothing is written: not the header (readonly), not the
 * checkpoint SQLite makes when the last connection closes.  `why` is the
 * reason the plain open gave.
 */
static int open_locked(struct store *s, const char *why, char *err,
                       size_t errlen)
{
	long long avail = free_bytes(s->path);
	char note[64];

	sqlite3_close(s->db);
	s->db = NULL;
	if (open_db(s, err, errlen) != 0)
		return -1;
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	if (store_exec(s, "PRAGMA locking_mode=EXCLUSIVE") != 0 ||
	    check_identity(s, NULL, 0) != 0) {
		set_err(err, errlen, "%s%s", why, NULL);
		return -1;
	}
	snprintf(note, sizeof note, "the disk is full (%lld KB free)",
	         avail < 0 ? 0 : avail / 1024);
	if (!(s->locked = strdup(note))) {
		set_err(err, errlen, "%s: out of memory%s", s->path, NULL);
		return -1;
	}
	s->readonly = 1;
	return 0;
}

static struct store *open_store(const char *path, int version, int reader,
                                char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof *s);
	int rc;

	if (!s || !(s->path = strdup(path))) {
		free(s);
		set_err(err, errlen, "%s: out of memory%s", path, NULL);
		return NULL;
	}
	rc = open_db(s, err, errlen);
	if (!rc)
		rc = check_identity(s, err, errlen);
	if (rc == -2 && reader) {
		char why[512];
		snprintf(why, sizeof why, "%s", err ? err : "");
		rc = open_locked(s, why, err, errlen);
	}
	if (rc != 0 || configure(s, err, errlen) != 0 ||
	    store_migrate(s, version, err, errlen) != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

struct store *store_open_at_version(const char *path, int version,
                                    char *err, size_t errlen)
{
	return open_store(path, version, 0, err, errlen);
}

struct store *store_open_reader(const char *path, char *err, size_t errlen)
{
	return open_store(path, STORE_SCHEMA_VERSION, 1, err, errlen);
}

const char *store_locked(const struct store *s)
{
	return s->locked;
}

int store_file_version(const char *path)
{
	sqlite3 *db = NULL;
	int app = 0, ver = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    pragma_int(db, "PRAGMA application_id", &app) != 0 ||
	    pragma_int(db, "PRAGMA user_version", &ver) != 0)
		ver = -1;
	else if (app != APPLICATION_ID)
		ver = ver == 0 && app == 0 ? 0 : -1;
	sqlite3_close(db);
	return ver;
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
	return store_open_at_version(path, STORE_SCHEMA_VERSION, err, errlen);
}

void store_forget_cached(struct store *s)
{
	for (int i = 0; i < TEXT_CACHE; i++) {
		free(s->texts[i].text);
		memset(&s->texts[i], 0, sizeof s->texts[i]);
	}
	s->last_project_id = 0;
	s->last_project[0] = '\0';
}

void store_close(struct store *s)
{
	if (!s)
		return;
	store_pending_drop(s);
	free(s->pend.v);
	free(s->pend.slot);
	store_forget_cached(s);
	for (int i = 0; i < STMT_CACHE; i++)
		sqlite3_finalize(s->cache[i].st);
	/* Statistics for the planner, refreshed from a sample of each index:
	 * an index with no rows has no statistics row, so a full ANALYZE
	 * would run again at every close (0.14 s with 1M traces). */
	if (s->db && !s->readonly)
		sqlite3_exec(s->db, "PRAGMA analysis_limit=400; PRAGMA optimize",
		             NULL, NULL, NULL);
	sqlite3_close(s->db);
	free(s->locked);
	free(s->path);
	free(s);
}

const char *store_error(const struct store *s)
{
	return s->err;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

int store_readonly(const struct store *s)
{
	return s->readonly;
}

int store_schema_version(struct store *s)
{
	int v = -1;
	pragma_int(s->db, "PRAGMA user_version", &v);
	return v;
}

int store_fail(struct store *s, const char *what)
{
	int code = sqlite3_errcode(s->db);
	const char *msg = sqlite3_errmsg(s->db);
	int sys = sqlite3_system_errno(s->db);
	char full[160];

	if (full_disk(s, code, sys, full, sizeof full)) {
		snprintf(s->err, sizeof s->err, "%s: %s; nothing was changed", what,
		         full);
		return -1;
	}
	if ((code & 0xff) == SQLITE_READONLY)
		msg = "the database is read-only; nothing was changed";
	else if ((code & 0xff) == SQLITE_BUSY)
		msg = "the database stayed locked by another tracegroup; try again";
	snprintf(s->err, sizeof s->err, "%s: %s", what, msg);
	return -1;
}

int store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s", msg ? msg : "sqlite error");
		sqlite3_free(msg);
		return store_fail(s, "database");
	}
	return 0;
}

int store_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t c = *cap ? *cap : 256;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (!(q = realloc(*p, c * size)))
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % STMT_CACHE;

	for (int probe = 0; probe < STMT_CACHE; probe++) {
		size_t i = (h + probe) % STMT_CACHE;
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
		if (!s->cache[i].sql) {
			if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			                       &s->cache[i].st, NULL) != SQLITE_OK) {
				store_fail(s, "prepare");
				return NULL;
			}
			s->cache[i].sql = sql;
			return s->cache[i].st;
		}
	}
	snprintf(s->err, sizeof s->err, "statement cache full");
	return NULL;
}

int store_step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, what);
	sqlite3_reset(st);
	return 0;
}

void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void bind_text0(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int store_begin(struct store *s)
{
	if (s->in_tx) {
		snprintf(s->err, sizeof s->err, "transaction already open");
		return -1;
	}
	if (store_exec(s, "BEGIN IMMEDIATE") != 0)
		return -1;
	s->in_tx = 1;
	return 0;
}

int store_commit(struct store *s)
{
	if (store_pending_flush(s) != 0 || store_exec(s, "COMMIT") != 0)
		return -1;
	s->in_tx = 0;
	s->pend.next_id = 0;
	return 0;
}

void store_rollback(struct store *s)
{
	store_pending_drop(s);
	if (s->in_tx || !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
	store_forget_cached(s);
}

int store_bulk(struct store *s, int on)
{
	if (!on && store_pending_flush(s) != 0)
		return -1;
	s->pend.bulk = on;
	/* Long imports checkpoint the WAL every 128 MB instead of every 4 MB:
	 * fewer, larger copies into the database, as a single transaction
	 * would do, while readers still see every committed batch. */
	return store_exec(s, on ? "PRAGMA wal_autocheckpoint=32768"
	                        : "PRAGMA wal_autocheckpoint=1000");
}

int store_stream_reader(struct store *s)
{
	/* A connection that reads each page once (a grouping worker) keeps
	 * none of them: 2 MB of cache instead of 64.  It reads the first
	 * 128 MB of the file through a memory map: a page read is then no
	 * system call and no copy into the cache (at 20k traces the workers
	 * spent 22 ms reading their texts instead of 45).  The pages it
	 * touches count in the process's resident size while it is open, so
	 * the map is bounded: at most 128 MB a worker (at 1M traces the run's
	 * peak grew from 491 to 573 MB). */
	return store_exec(s, "PRAGMA cache_size=-2048;"
	                  " PRAGMA mmap_size=134217728");
}

void store_now(char *buf, size_t n)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

char *store_pack(const char **f[], size_t n, size_t extra, size_t *extra_at)
{
	size_t total = extra, off = 0;
	char *buf;

	for (size_t i = 0; i < n; i++)
		total += *f[i] ? strlen(*f[i]) + 1 : 0;
	if (!(buf = malloc(total ? total : 1)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		if (!*f[i])
			continue;
		len = strlen(*f[i]) + 1;
		memcpy(buf + off, *f[i], len);
		*f[i] = buf + off;
		off += len;
	}
	if (extra_at)
		*extra_at = off;
	return buf;
}

int64_t store_text_hash(const char *text, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 1099511628211ULL;
	}
	return (int64_t)h;
}

const char *assign_kind_name(enum assign_kind k)
{
	switch (k) {
	case ASSIGN_AUTO: return "auto";
	case ASSIGN_BATCH: return "batch";
	case ASSIGN_MANUAL: return "manual";
	default: return "";
	}
}
