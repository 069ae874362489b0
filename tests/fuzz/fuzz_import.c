/*
 * fuzz_import.c - libFuzzer harness for format detection and the importers.
 *
 * Built once per format with -DFUZZ_FORMAT='"name"' (opts.format forces
 * it) and once without (auto-detection).  The input is written to a temp
 * file (".jsonl" or ".json" by the input's length, so both splitting modes
 * run; gzip is found by its magic bytes) and imported with a small read
 * chunk, so records straddle buffer boundaries.  The sink checks what
 * import.h promises of every record and reject:
 *   - format and source_key present; every text field valid UTF-8;
 *   - raw bytes present; an output record carries its join key;
 *   - created_at NULL or YYYY-MM-DDTHH:MM:SS[.fraction]Z (import.h omits
 *     the fraction, but the importers keep it by design);
 *   - input_json NULL or an array of {"role": string, "content": string};
 *   - metadata_json NULL or a JSON object;
 *   - records come in order and rejects come in order (index never
 *     decreasing within each; line >= 1).  Records against rejects is not
 *     checked: a record's index counts traces while a reject's counts
 *     records of the file (tests/test_rel_import.c holds that bug);
 *   - a reject has a one-line reason;
 *   - the counts returned equal the callbacks seen, the read buffer stays
 *     bounded, and strict mode aborts exactly when something was rejected.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "importers/import.h"
#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT NULL
#endif

struct seen {
	uint64_t records, rejects;
	int64_t last_record, last_reject;
};

static void check_text(const char *what, const char *s)
{
	if (s)
		FUZZ_CHECK(fuzz_utf8_valid(s, strlen(s)), "%s is not UTF-8", what);
}

static int is_time(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;
	if (strlen(s) < sizeof pat)
		return 0;
	for (i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return 0;
	if (s[i] == '.') {
		size_t n = strspn(s + i + 1, "0123456789");
		if (n == 0)
			return 0;
		i += n + 1;
	}
	return strcmp(s + i, "Z") == 0;
}

static void check_input(const char *json)
{
	cJSON *a = cJSON_Parse(json), *m;
	FUZZ_CHECK(cJSON_IsArray(a), "input_json is not an array: %.200s", json);
	cJSON_ArrayForEach(m, a) {
		FUZZ_CHECK(cJSON_IsObject(m), "input message is not an object");
		FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "role")),
		           "input message without a string role: %.200s", json);
		FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "content")),
		           "input message without a string content: %.200s", json);
	}
	cJSON_Delete(a);
}

static int known_format(const char *f)
{
	for (const char *const *n = import_format_names(); *n; n++)
		if (strcmp(*n, f) == 0)
			return 1;
	return 0;
}

static void check_order(int64_t *last, uint64_t index)
{
	FUZZ_CHECK((int64_t)index >= *last, "index %llu after %lld",
	           (unsigned long long)index, (long long)*last);
	*last = (int64_t)index;
}

static int on_record(void *ctx, const struct trace_record *r)
{
	struct seen *sn = ctx;

	sn->records++;
	check_order(&sn->last_record, r->index);
	FUZZ_CHECK(r->line >= 1, "line 0");
	FUZZ_CHECK(r->format && known_format(r->format), "format %s",
	           r->format ? r->format : "(null)");
	FUZZ_CHECK(r->source_key && *r->source_key, "no source_key");
	FUZZ_CHECK(r->raw && r->raw_len > 0, "no raw bytes");
	if (r->kind == RECORD_OUTPUT)
		FUZZ_CHECK(r->join_key != NULL, "output without join_key");
	check_text("format", r->format);
	check_text("source_key", r->source_key);
	check_text("source_id", r->source_id);
	check_text("join_key", r->join_key);
	check_text("project", r->project);
	check_text("path", r->path);
	check_text("model", r->model);
	check_text("instructions", r->instructions);
	check_text("first_user", r->first_user);
	check_text("input_json", r->input_json);
	check_text("output", r->output);
	check_text("created_at", r->created_at);
	check_text("metadata_json", r->metadata_json);
	if (r->created_at)
		FUZZ_CHECK(is_time(r->created_at), "created_at '%s'", r->created_at);
	if (r->input_json)
		check_input(r->input_json);
	if (r->metadata_json) {
		cJSON *m = cJSON_Parse(r->metadata_json);
		FUZZ_CHECK(cJSON_IsObject(m), "metadata_json: %.200s", r->metadata_json);
		cJSON_Delete(m);
	}
	return 0;
}

static void on_reject(void *ctx, const struct import_reject *j)
{
	struct seen *sn = ctx;

	sn->rejects++;
	check_order(&sn->last_reject, j->index);
	FUZZ_CHECK(j->reason && *j->reason && !strchr(j->reason, '\n'),
	           "reject reason '%s'", j->reason ? j->reason : "(null)");
}

static char path_lines[64], path_auto[64];

static void make_paths(void)
{
	int fd;

	snprintf(path_lines, sizeof path_lines, "/tmp/tgfuzz-%d.jsonl", (int)getpid());
	snprintf(path_auto, sizeof path_auto, "/tmp/tgfuzz-%d.json", (int)getpid());
	if ((fd = open(path_lines, O_CREAT | O_WRONLY, 0600)) >= 0)
		close(fd);
	if ((fd = open(path_auto, O_CREAT | O_WRONLY, 0600)) >= 0)
		close(fd);
}

static void cleanup(void)
{
	unlink(path_lines);
	unlink(path_auto);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct seen sn = { 0, 0, -1, -1 };
	struct import_sink sink = { &sn, on_record, on_reject, NULL };
	struct import_opts opts = { FUZZ_FORMAT, NULL, NULL, 0 };
	struct import_limits lim = { 0, 0 };
	struct import_stats st;
	char err[512];
	const char *path;
	int fd, rc;

	if (!init) {
		make_paths();
		atexit(cleanup);
		init = 1;
	}
	path = size & 1 ? path_lines : path_auto;
	opts.strict = size % 5 == 0;
	lim.read_chunk = 16 + size % 97;
	lim.max_record = size % 3 == 0 ? 1024 : 1 << 20;
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	rc = import_file_ex(path, &opts, &sink, &lim, &st, err, sizeof err);
	FUZZ_CHECK(rc == IMPORT_OK || rc == IMPORT_FAILED ||
	           rc == IMPORT_STRICT_ABORT, "status %d", rc);
	if (rc == IMPORT_FAILED)
		FUZZ_CHECK(err[0] && !strchr(err, '\n'), "failure without a reason");
	if (rc == IMPORT_STRICT_ABORT)
		FUZZ_CHECK(opts.strict && sn.rejects > 0, "strict abort without reject");
	if (opts.strict && sn.rejects > 0)
		FUZZ_CHECK(rc != IMPORT_OK, "strict mode accepted a bad record");
	FUZZ_CHECK(st.records == sn.records && st.rejects == sn.rejects,
	           "counts %llu/%llu, callbacks %llu/%llu",
	           (unsigned long long)st.records, (unsigned long long)st.rejects,
	           (unsigned long long)sn.records, (unsigned long long)sn.rejects);
	FUZZ_CHECK(st.buffer_high_water <= 4 * (lim.max_record + lim.read_chunk) + 4096,
	           "buffer grew to %zu (max_record %zu)", st.buffer_high_water,
	           lim.max_record);
	return 0;
}
