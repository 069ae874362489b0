/*
 * ceiling.c - how fast an import could possibly go on this machine.
 *
 *   ceiling read   FILE.jsonl
 *   ceiling parse  FILE.jsonl
 *   ceiling insert FILE.jsonl DB
 *
 * Each stage does everything the one before it does, plus one step:
 *   read    read(2) the file in 1 MiB blocks and find every line with memchr;
 *   parse   also parse every line with cJSON and fetch id, project, model,
 *           path and instructions;
 *   insert  also insert each record with one bare prepared statement, all
 *           in one transaction, into a fresh database (DB is replaced) with
 *           the pragmas tracegroup uses (WAL, synchronous=NORMAL) and
 *           comparable columns: traces(id INTEGER PRIMARY KEY, source_id
 *           TEXT NOT NULL UNIQUE, project, model, path, instructions, raw).
 *           The commit is inside the measured time.
 * Prints one line:
 *   stage=parse records=N bytes=B seconds=S traces_per_s=R mb_per_s=M
 * (MB = 10^6 bytes).  Exit status 1 on an error, 2 on bad usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

enum stage { READ, PARSE, INSERT };

struct sink {
	enum stage stage;
	sqlite3 *db;
	sqlite3_stmt *ins;
	size_t records, bad;
	size_t fields;      /* fields found by parse (keeps the lookups live) */
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *str_field(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int insert(struct sink *k, const cJSON *o, const char *line, size_t len)
{
	sqlite3_stmt *st = k->ins;
	const char *id = str_field(o, "id");
	if (!id) {
		k->bad++;
		return 0;
	}
	bind_text(st, 1, id);
	bind_text(st, 2, str_field(o, "project"));
	bind_text(st, 3, str_field(o, "model"));
	bind_text(st, 4, str_field(o, "path"));
	bind_text(st, 5, str_field(o, "instructions"));
	sqlite3_bind_blob(st, 6, line, (int)len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		fprintf(stderr, "ceiling: insert: %s\n", sqlite3_errmsg(k->db));
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

/* One line (without its newline). */
static int take_line(struct sink *k, const char *line, size_t len)
{
	cJSON *o;
	int rc = 0;
	if (!len)
		return 0;
	k->records++;
	if (k->stage == READ)
		return 0;
	o = cJSON_ParseWithLength(line, len);
	if (!o) {
		k->bad++;
		return 0;
	}
	if (k->stage == PARSE) {
		/* fetch the fields insert binds, so both do the same work */
		k->bad += !str_field(o, "id");
		k->fields += !!str_field(o, "project") + !!str_field(o, "model") +
		             !!str_field(o, "path") + !!str_field(o, "instructions");
	} else {
		rc = insert(k, o, line, len);
	}
	cJSON_Delete(o);
	return rc;
}

/* Read fd to the end, handing each line to take_line. */
static int scan(int fd, struct sink *k, size_t *bytes)
{
	size_t cap = 1 << 20, have = 0;
	char *buf = malloc(cap);
	ssize_t n;
	if (!buf)
		return -1;
	*bytes = 0;
	for (;;) {
		char *p, *nl, *end;
		if (have == cap) {               /* a line longer than the buffer */
			cap *= 2;
			if (!(p = realloc(buf, cap))) {
				free(buf);
				return -1;
			}
			buf = p;
		}
		n = read(fd, buf + have, cap - have);
		if (n < 0) {
			perror("ceiling: read");
			free(buf);
			return -1;
		}
		*bytes += (size_t)n;
		end = buf + have + n;
		p = buf;
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			if (take_line(k, p, (size_t)(nl - p)) != 0) {
				free(buf);
				return -1;
			}
			p = nl + 1;
		}
		have = (size_t)(end - p);
		memmove(buf, p, have);
		if (n == 0)
			break;
	}
	if (have && take_line(k, buf, have) != 0) {
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "ceiling: %s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int open_db(struct sink *k, const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char name[4096];
	size_t i;
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(name, sizeof name, "%s%s", path, suffix[i]);
		unlink(name);
	}
	if (sqlite3_open(path, &k->db) != SQLITE_OK) {
		fprintf(stderr, "ceiling: %s: %s\n", path, sqlite3_errmsg(k->db));
		return -1;
	}
	if (exec_sql(k->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	             "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"
	             "CREATE TABLE traces (id INTEGER PRIMARY KEY,"
	             " source_id TEXT NOT NULL UNIQUE, project TEXT, model TEXT,"
	             " path TEXT, instructions TEXT, raw BLOB NOT NULL);"
	             "BEGIN") != 0)
		return -1;
	if (sqlite3_prepare_v2(k->db, "INSERT INTO traces (source_id, project,"
	                       " model, path, instructions, raw)"
	                       " VALUES (?, ?, ?, ?, ?, ?)", -1, &k->ins,
	                       NULL) != SQLITE_OK) {
		fprintf(stderr, "ceiling: prepare: %s\n", sqlite3_errmsg(k->db));
		return -1;
	}
	return 0;
}

static int close_db(struct sink *k)
{
	int rc;
	sqlite3_finalize(k->ins);
	rc = exec_sql(k->db, "COMMIT");
	sqlite3_close(k->db);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "read", "parse", "insert" };
	struct sink k = {0};
	size_t bytes = 0;
	double t0, dt;
	int fd, rc;
	if (argc < 3 || (strcmp(argv[1], "read") && strcmp(argv[1], "parse") &&
	                 strcmp(argv[1], "insert")) ||
	    (!strcmp(argv[1], "insert") ? argc != 4 : argc != 3)) {
		fputs("usage: ceiling read|parse FILE.jsonl\n"
		      "       ceiling insert FILE.jsonl DB\n", stderr);
		return 2;
	}
	k.stage = !strcmp(argv[1], "read") ? READ :
	          !strcmp(argv[1], "parse") ? PARSE : INSERT;
	t0 = now();
	if ((fd = open(argv[2], O_RDONLY)) < 0) {
		perror(argv[2]);
		return 1;
	}
	if (k.stage == INSERT && open_db(&k, argv[3]) != 0)
		return 1;
	rc = scan(fd, &k, &bytes);
	close(fd);
	if (k.stage == INSERT && close_db(&k) != 0)
		rc = -1;
	dt = now() - t0;
	if (rc != 0)
		return 1;
	if (k.bad)
		fprintf(stderr, "ceiling: %zu records without an id or not JSON\n",
		        k.bad);
	printf("stage=%s records=%zu bytes=%zu seconds=%.3f traces_per_s=%.0f "
	       "mb_per_s=%.1f\n", names[k.stage], k.records, bytes, dt,
	       (double)k.records / dt, (double)bytes / 1e6 / dt);
	return 0;
}
