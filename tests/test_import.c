/*
 * test_import.c - the importers: every format, containers, bad input,
 * bounded memory, progress, and the files in ../shared when present.
 */
#include "tests/testutil.h"

#include <cjson/cJSON.h>
#include <zlib.h>

#include "importers/import.h"
#include "importers/text.h"

#define SYS "You are a helpful assistant. Answer briefly."
#define U1 "Hello there, what is the capital of France?"

/* ---- a sink that keeps copies ------------------------------------------ */

struct got_rec {
	int kind;
	char *format, *key, *sid, *join, *project, *path, *model, *instr,
	     *user, *input, *output, *created, *meta, *raw;
	size_t raw_len;
	uint64_t line;
};

struct got_rej {
	uint64_t line, index;
	char *reason;
};

struct got {
	struct got_rec rec[64];
	struct got_rej rej[64];
	int n, nrej, stop_after;
	uint64_t total_seen, last_bytes, progress_calls, progress_total;
	int progress_backwards;
	size_t instr_len;   /* length of the last record's instructions */
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int on_record(void *ctx, const struct trace_record *r)
{
	struct got *g = ctx;
	g->total_seen++;
	g->instr_len = r->instructions ? strlen(r->instructions) : 0;
	if (g->n < 64) {
		struct got_rec *x = &g->rec[g->n++];
		x->kind = r->kind;
		x->format = dup_or_null(r->format);
		x->key = dup_or_null(r->source_key);
		x->sid = dup_or_null(r->source_id);
		x->join = dup_or_null(r->join_key);
		x->project = dup_or_null(r->project);
		x->path = dup_or_null(r->path);
		x->model = dup_or_null(r->model);
		x->instr = r->instructions && strlen(r->instructions) < 100000 ?
		           strdup(r->instructions) : NULL;
		x->user = dup_or_null(r->first_user);
		x->input = r->input_json && strlen(r->input_json) < 100000 ?
		           strdup(r->input_json) : NULL;
		x->output = dup_or_null(r->output);
		x->created = dup_or_null(r->created_at);
		x->meta = dup_or_null(r->metadata_json);
		x->raw_len = r->raw_len < 100000 ? r->raw_len : 0;
		x->raw = malloc(x->raw_len + 1);
		memcpy(x->raw, r->raw, x->raw_len);
		x->raw[x->raw_len] = '\0';
		x->line = r->line;
	}
	return g->stop_after && (int)g->total_seen >= g->stop_after;
}

static void on_reject(void *ctx, const struct import_reject *j)
{
	struct got *g = ctx;
	if (g->nrej < 64) {
		g->rej[g->nrej].line = j->line;
		g->rej[g->nrej].index = j->index;
		g->rej[g->nrej].reason = strdup(j->reason);
		g->nrej++;
	}
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, uint64_t records)
{
	struct got *g = ctx;
	if (done < g->last_bytes)
		g->progress_backwards = 1;
	g->last_bytes = done;
	g->progress_total = total;
	g->progress_calls++;
}

static void got_free(struct got *g)
{
	for (int i = 0; i < g->n; i++) {
		struct got_rec *x = &g->rec[i];
		char *f[] = { x->format, x->key, x->sid, x->join, x->project, x->path,
		              x->model, x->instr, x->user, x->input, x->output,
		              x->created, x->meta, x->raw };
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			free(f[k]);
	}
	for (int i = 0; i < g->nrej; i++)
		free(g->rej[i].reason);
	memset(g, 0, sizeof *g);
}

/* Import `file` into g (cleared first); returns the status. */
static int run_ex(struct got *g, const char *file, const struct import_opts *o,
                  const struct import_limits *lim, struct import_stats *st)
{
	struct import_sink sink = { g, on_record, on_reject, on_progress };
	struct import_stats local;
	char err[512];
	int stop = g->stop_after;
	got_free(g);
	g->stop_after = stop;
	int rc = import_file_ex(file, o, &sink, lim, st ? st : &local, err, sizeof err);
	if (rc == IMPORT_FAILED)
		fprintf(stderr, "# import failed: %s\n", err);
	return rc;
}

static int run(struct got *g, const char *file)
{
	return run_ex(g, file, NULL, NULL, NULL);
}

static const char *fixture(const char *name)
{
	static char buf[4][4096];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/fixtures/formats/%s", tu_tests_dir(), name);
	return buf[i];
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void write_str(const char *path, const char *s)
{
	write_file(path, s, strlen(s));
}

static void write_gz(const char *path, const char *s)
{
	gzFile z = gzopen(path, "wb");
	assert_non_null(z);
	assert_int_equal(gzwrite(z, s, (unsigned)strlen(s)), (int)strlen(s));
	gzclose(z);
}

static void assert_str_or_null(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

/* ---- every format: own fixtures ----------------------------------------- */

struct expect {
	const char *file, *format;
	int count;              /* records */
	const char *project, *model, *path, *instr, *user;
	const char *key0;       /* source_key of the first record, NULL: hashed */
};

static const struct expect FIXTURES[] = {
	{ "native.jsonl", "native", 2, "fixtures", "gpt-4o-mini", "/v1/chat/completions", SYS, U1, "native:n-1" },
	{ "openai_chat_request.json", "openai-chat", 1, NULL, "gpt-4o-mini", "/v1/chat/completions", SYS, U1, NULL },
	{ "openai_batch_input.jsonl", "openai-batch-input", 2, NULL, "gpt-4o-mini", "/v1/chat/completions", SYS, U1, NULL },
	{ "openai_responses_request.json", "openai-responses", 1, NULL, "gpt-4.1", "/v1/responses", SYS, U1, NULL },
	{ "anthropic_request.json", "anthropic-messages", 1, NULL, "claude-sonnet-4-5", "/v1/messages", SYS, U1, NULL },
	{ "anthropic_batch_create.json", "anthropic-batch-input", 2, NULL, "claude-sonnet-4-5", "/v1/messages", SYS, U1, NULL },
	{ "otlp_genai.json", "otlp", 1, "fixtures", "gpt-4o-mini", "/v1/chat/completions", SYS, U1, "otlp:a1a2a3a4a5a6a7a8" },
	{ "otlp_openllmetry.json", "otlp", 1, NULL, "gpt-4o-mini", "/v1/chat/completions", SYS, U1, "otlp:c1c2c3c4c5c6c7c8" },
	{ "otlp_openinference.json", "otlp", 1, "fixtures", "gpt-4o-mini", "/v1/chat/completions", SYS, U1, "otlp:d1d2d3d4d5d6d7d8" },
	{ "openinference_flat.jsonl", "openinference-spans", 2, "fixtures", "gpt-4o-mini", "/v1/chat/completions", SYS, U1, "otlp:s-llm" },
	{ "langfuse_trace.json", "langfuse", 1, "fixtures", "gpt-4o-mini", NULL, SYS, U1, "langfuse:lf-gen-1" },
	{ "langsmith_runs.jsonl", "langsmith", 2, "fixtures", "gpt-4o-mini", "/v1/chat/completions", SYS, U1, "langsmith:ls-1" },
	{ "helicone_rows.json", "helicone", 1, NULL, "gpt-4o-mini", "/v1/chat/completions", SYS, U1, "helicone:hc-1" },
	{ "openai_finetune.jsonl", "openai-finetune", 2, NULL, NULL, "/v1/chat/completions", SYS, U1, NULL },
	{ "swe_agent.traj", "swe-agent", 2, NULL, "gpt-4o-mini", NULL, SYS, U1, NULL },
};

static void test_fixture_formats(void **state)
{
	struct got *g = calloc(1, sizeof *g), *h = calloc(1, sizeof *h);
	for (size_t i = 0; i < sizeof FIXTURES / sizeof *FIXTURES; i++) {
		const struct expect *e = &FIXTURES[i];
		fprintf(stderr, "# fixture %s\n", e->file);
		assert_int_equal(run(g, fixture(e->file)), IMPORT_OK);
		assert_int_equal(g->n, e->count);
		assert_int_equal(g->nrej, 0);
		assert_string_equal(g->rec[0].format, e->format);
		assert_str_or_null(g->rec[0].project, e->project);
		assert_str_or_null(g->rec[0].model, e->model);
		assert_str_or_null(g->rec[0].path, e->path);
		assert_str_or_null(g->rec[0].instr, e->instr);
		assert_str_or_null(g->rec[0].user, e->user);
		if (e->key0)
			assert_string_equal(g->rec[0].key, e->key0);
		/* stable keys: a second import gives the same ones, all distinct */
		assert_int_equal(run(h, fixture(e->file)), IMPORT_OK);
		for (int k = 0; k < g->n; k++) {
			assert_string_equal(g->rec[k].key, h->rec[k].key);
			for (int j = 0; j < k; j++)
				assert_string_not_equal(g->rec[k].key, g->rec[j].key);
		}
	}
	got_free(g);
	got_free(h);
	free(g);
	free(h);
}

static void test_fixture_details(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	/* native: created_at from ISO and unix seconds; metadata passed on */
	run(g, fixture("native.jsonl"));
	assert_string_equal(g->rec[0].created, "2025-01-02T03:04:05Z");
	assert_string_equal(g->rec[1].created, "2025-01-02T03:04:05Z");
	assert_string_equal(g->rec[0].output, "Paris.");
	assert_string_equal(g->rec[0].meta, "{\"prompt_name\":\"capital\"}");
	assert_string_equal(g->rec[1].instr, SYS);     /* developer item with parts */
	assert_string_equal(g->rec[1].sid, "n-2");
	/* chat: text parts kept, image part skipped; metadata.prompt_id */
	run(g, fixture("openai_chat_request.json"));
	assert_string_equal(g->rec[0].input,
	    "[{\"role\":\"system\",\"content\":\"" SYS "\"},"
	    "{\"role\":\"user\",\"content\":\"" U1 "\"}]");
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_id\":\"capital-v1\""));
	/* batch input: join key = custom_id, source key = custom_id + hash */
	run(g, fixture("openai_batch_input.jsonl"));
	assert_string_equal(g->rec[0].join, "req-1");
	assert_true(!strncmp(g->rec[0].key, "openai-batch:req-1:", 19));
	assert_int_equal(strlen(g->rec[0].key), 19 + 16);
	/* batch output: RECORD_OUTPUT with model, output, error */
	run(g, fixture("openai_batch_output.jsonl"));
	assert_int_equal(g->n, 2);
	assert_int_equal(g->rec[0].kind, RECORD_OUTPUT);
	assert_string_equal(g->rec[0].join, "req-1");
	assert_string_equal(g->rec[0].model, "gpt-4o-mini-2024-07-18");
	assert_string_equal(g->rec[0].output, "Paris.");
	assert_null(g->rec[1].output);
	assert_non_null(strstr(g->rec[1].meta, "batch_expired"));
	/* responses: prompt reference */
	run(g, fixture("openai_responses_request.json"));
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_id\":\"pmpt_fx\""));
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_version\":\"2\""));
	/* anthropic results */
	run(g, fixture("anthropic_batch_results.jsonl"));
	assert_int_equal(g->rec[0].kind, RECORD_OUTPUT);
	assert_string_equal(g->rec[0].join, "a-1");
	assert_string_equal(g->rec[0].output, "Paris.");
	assert_string_equal(g->rec[1].join, "a-2");
	/* otlp: nanos time, structured output messages, non-LLM span skipped */
	run(g, fixture("otlp_genai.json"));
	assert_string_equal(g->rec[0].created, "2025-01-02T03:04:05.5Z");
	assert_string_equal(g->rec[0].output, "Paris.");
	/* openllmetry: indexed out of order, template keys */
	run(g, fixture("otlp_openllmetry.json"));
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_version\":\"4\""));
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_variables\":{\"country\":\"France\"}"));
	assert_string_equal(g->rec[0].output, "Paris.");
	run(g, fixture("otlp_openinference.json"));
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_template\":\"Hello there, what is the capital of {country}?\""));
	/* flat spans: nested attribute objects too */
	run(g, fixture("openinference_flat.jsonl"));
	assert_string_equal(g->rec[1].instr, SYS);
	assert_string_equal(g->rec[1].user, "Hello there, what is the capital of Peru?");
	assert_string_equal(g->rec[0].created, "2025-01-02T03:04:05.25Z");
	/* langfuse prompt keys; langsmith id-only session */
	run(g, fixture("langfuse_trace.json"));
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_name\":\"capital\""));
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_version\":\"7\""));
	run(g, fixture("langsmith_runs.jsonl"));
	assert_string_equal(g->rec[1].project, "sess-uuid");
	assert_string_equal(g->rec[1].output, "Lima.");
	/* helicone: prompt_id, body as JSON text */
	run(g, fixture("helicone_rows.json"));
	assert_non_null(strstr(g->rec[0].meta, "\"prompt_id\":\"capital\""));
	assert_string_equal(g->rec[0].output, "Paris.");
	/* swe-agent: input grows, first_user skips the demonstration */
	run(g, fixture("swe_agent.traj"));
	assert_string_equal(g->rec[0].output, "Let me look.");
	assert_string_equal(g->rec[1].output, "Paris.");
	assert_non_null(strstr(g->rec[1].input, "README.md"));
	assert_null(strstr(g->rec[0].input, "README.md"));
	assert_non_null(strstr(g->rec[0].raw, "Let me look."));
	got_free(g);
	free(g);
}

/* The same request in every format gives the same instructions. */
static void test_same_trace_every_format(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	for (size_t i = 0; i < sizeof FIXTURES / sizeof *FIXTURES; i++) {
		run(g, fixture(FIXTURES[i].file));
		for (int k = 0; k < g->n; k++)
			assert_string_equal(g->rec[k].instr, SYS);
	}
	got_free(g);
	free(g);
}

static void test_opts(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	struct import_opts o = { .project = "dflt", .path = "/forced" };
	assert_int_equal(run_ex(g, fixture("openai_chat_request.json"), &o, NULL, NULL), IMPORT_OK);
	assert_string_equal(g->rec[0].project, "dflt");
	assert_string_equal(g->rec[0].path, "/forced");
	assert_int_equal(run_ex(g, fixture("native.jsonl"), &o, NULL, NULL), IMPORT_OK);
	assert_string_equal(g->rec[0].project, "fixtures");   /* source wins */
	/* forcing a format */
	struct import_opts f = { .format = "openai-finetune" };
	assert_int_equal(run_ex(g, fixture("openai_chat_request.json"), &f, NULL, NULL), IMPORT_OK);
	assert_string_equal(g->rec[0].format, "openai-finetune");
	struct import_opts bad = { .format = "nope" };
	assert_int_equal(run_ex(g, fixture("native.jsonl"), &bad, NULL, NULL), IMPORT_FAILED);
	/* the names list holds every format */
	const char *const *names = import_format_names();
	int n = 0, found = 0;
	for (; names[n]; n++)
		found += !strcmp(names[n], "swe-agent") || !strcmp(names[n], "otlp");
	assert_true(n >= 15);
	assert_int_equal(found, 2);
	/* stop */
	g->stop_after = 1;
	assert_int_equal(run(g, fixture("native.jsonl")), IMPORT_STOPPED);
	assert_int_equal(g->total_seen, 1);
	g->stop_after = 0;
	/* a missing file */
	assert_int_equal(run(g, "/nonexistent/x.json"), IMPORT_FAILED);
	got_free(g);
	free(g);
}

/* ---- containers ------------------------------------------------------- */

#define REC_A "{\"id\":\"c-1\",\"project\":\"p\",\"instructions\":\"" SYS "\",\"input\":\"a\"}"
#define REC_B "{\"id\":\"c-2\",\"project\":\"p\",\"instructions\":\"" SYS "\",\"input\":\"b\"}"

static void check_two(struct got *g, const char *file)
{
	fprintf(stderr, "# container %s\n", file);
	assert_int_equal(run(g, file), IMPORT_OK);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->nrej, 0);
	assert_string_equal(g->rec[0].key, "native:c-1");
	assert_string_equal(g->rec[1].key, "native:c-2");
	assert_string_equal(g->rec[1].instr, SYS);
}

static void test_containers(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	char *d = tu_tempdir();
	const char *jsonl = REC_A "\n" REC_B "\n";
	const char *array = "[\n  " REC_A ",\n  " REC_B "\n]\n";
	const char *wrapped = "{\"object\": \"list\", \"data\": [" REC_A ", " REC_B "], \"meta\": {}}";
	const char *pretty = "{\n \"traces\": [\n" REC_A ",\n" REC_B "\n ]\n}\n";
	const char *concat = REC_A "\n\n" REC_B;     /* no final newline */
	write_str(tu_path(d, "a.jsonl"), jsonl);
	check_two(g, tu_path(d, "a.jsonl"));
	write_str(tu_path(d, "a.json"), array);
	check_two(g, tu_path(d, "a.json"));
	write_str(tu_path(d, "w.json"), wrapped);
	check_two(g, tu_path(d, "w.json"));
	write_str(tu_path(d, "p.json"), pretty);
	check_two(g, tu_path(d, "p.json"));
	write_str(tu_path(d, "c.json"), concat);
	check_two(g, tu_path(d, "c.json"));
	write_gz(tu_path(d, "a.jsonl.gz"), jsonl);
	check_two(g, tu_path(d, "a.jsonl.gz"));
	write_gz(tu_path(d, "a.json.gz"), array);
	check_two(g, tu_path(d, "a.json.gz"));
	write_gz(tu_path(d, "noext"), wrapped);     /* gzip found by magic */
	check_two(g, tu_path(d, "noext"));
	/* gzip progress counts compressed bytes, up to the file's size */
	struct import_stats st;
	long gz_size;
	FILE *zf = fopen(tu_path(d, "a.json.gz"), "rb");
	fseek(zf, 0, SEEK_END);
	gz_size = ftell(zf);
	fclose(zf);
	assert_int_equal(run_ex(g, tu_path(d, "a.json.gz"), NULL, NULL, &st), IMPORT_OK);
	assert_int_equal(st.gzip, 1);
	assert_int_equal(st.bytes, (uint64_t)gz_size);
	assert_int_equal(g->last_bytes, (uint64_t)gz_size);
	/* stdin */
	assert_non_null(freopen(tu_path(d, "a.jsonl"), "rb", stdin));
	check_two(g, "-");
	/* one object holding the list on a single line, then JSONL wrappers */
	write_str(tu_path(d, "w2.jsonl"), "{\"data\": [" REC_A "]}\n{\"data\": [" REC_B "]}\n");
	check_two(g, tu_path(d, "w2.jsonl"));
	/* a BOM and CRLF line ends */
	write_str(tu_path(d, "bom.jsonl"), "\xEF\xBB\xBF" REC_A "\r\n" REC_B "\r\n");
	check_two(g, tu_path(d, "bom.jsonl"));
	/* single object */
	write_str(tu_path(d, "one.json"), "{\n \"id\": \"c-1\", \"project\": \"p\",\n \"input\": \"a\"\n}\n");
	assert_int_equal(run(g, tu_path(d, "one.json")), IMPORT_OK);
	assert_int_equal(g->n, 1);
	/* empty file */
	write_str(tu_path(d, "empty.json"), "");
	assert_int_equal(run(g, tu_path(d, "empty.json")), IMPORT_OK);
	assert_int_equal(g->n + g->nrej, 0);
	/* the envelope of a wrapped Langfuse trace gives the project */
	write_str(tu_path(d, "lf.json"),
	          "{\"id\":\"t\",\"htmlPath\":\"/project/proj-9/traces/t\",\"observations\":[\n"
	          "{\"id\":\"o1\",\"type\":\"GENERATION\",\"traceId\":\"t\",\"model\":\"m\",\"input\":\"hi\"}]}");
	assert_int_equal(run(g, tu_path(d, "lf.json")), IMPORT_OK);
	assert_int_equal(g->n, 1);
	assert_string_equal(g->rec[0].project, "proj-9");
	assert_string_equal(g->rec[0].user, "hi");
	tu_rmrf(d);
	free(d);
	got_free(g);
	free(g);
}

/* ---- bad input ------------------------------------------------------- */

static void test_bad_line_in_jsonl(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	char *d = tu_tempdir();
	write_str(tu_path(d, "bad.jsonl"),
	          REC_A "\n"
	          "{\"id\": \"x\", \"input\": \n"                       /* line 2: truncated */
	          "not json at all\n"                                   /* line 3 */
	          "[1, 2]\n"                                            /* line 4: not an object */
	          "{\"hello\": 1}\n"                                    /* line 5: unknown */
	          "{\"id\":\"w\",\"project\":\"p\",\"input\":42}\n"     /* line 6: wrong type */
	          "{\"custom_id\": 7, \"body\": {}}\n"                 /* line 7: wrong type */
	          "{\"messages\": \"hi\", \"model\": \"m\"}\n"         /* line 8: wrong type */
	          REC_B "\n");
	assert_int_equal(run(g, tu_path(d, "bad.jsonl")), IMPORT_OK);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->rec[1].line, 9);
	assert_string_equal(g->rec[1].key, "native:c-2");
	assert_int_equal(g->nrej, 7);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(g->rej[i].line, (uint64_t)i + 2);
		assert_int_equal(g->rej[i].index, (uint64_t)i + 1);
		assert_null(strchr(g->rej[i].reason, '\n'));
	}
	assert_non_null(strstr(g->rej[0].reason, "truncated"));
	assert_non_null(strstr(g->rej[1].reason, "invalid JSON"));
	assert_non_null(strstr(g->rej[2].reason, "not a JSON object"));
	assert_non_null(strstr(g->rej[3].reason, "unrecognised record (keys: hello)"));
	assert_non_null(strstr(g->rej[4].reason, "input"));
	assert_non_null(strstr(g->rej[5].reason, "custom_id"));
	assert_non_null(strstr(g->rej[6].reason, "messages"));
	/* strict: the first bad record aborts */
	struct import_opts strict = { .strict = 1 };
	assert_int_equal(run_ex(g, tu_path(d, "bad.jsonl"), &strict, NULL, NULL),
	                 IMPORT_STRICT_ABORT);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->nrej, 1);
	/* only unrecognised records: the format is unknown */
	write_str(tu_path(d, "unk.jsonl"), "{\"a\":1}\n{\"b\":2}\n");
	assert_int_equal(run(g, tu_path(d, "unk.jsonl")), IMPORT_FAILED);
	assert_int_equal(g->nrej, 2);
	tu_rmrf(d);
	free(d);
	got_free(g);
	free(g);
}

static void test_truncated(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	char *d = tu_tempdir();
	write_str(tu_path(d, "t.json"), "[\n" REC_A ",\n" REC_B ",\n{\"id\": \"c-3\", \"inp");
	assert_int_equal(run(g, tu_path(d, "t.json")), IMPORT_OK);
	assert_int_equal(g->n, 2);
	assert_true(g->nrej >= 1);
	assert_int_equal(g->rej[0].line, 4);
	assert_int_equal(g->rej[0].index, 2);
	assert_non_null(strstr(g->rej[0].reason, "truncated"));
	/* a truncated gzip stream */
	char big[20000] = "";
	for (int i = 0; i < 100; i++) {
		char line[200];
		snprintf(line, sizeof line, "{\"id\":\"g-%d\",\"project\":\"p\",\"input\":\"x%d\"}\n", i, i);
		strcat(big, line);
	}
	write_gz(tu_path(d, "z.jsonl.gz"), big);
	FILE *f = fopen(tu_path(d, "z.jsonl.gz"), "rb");
	char buf[20000];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	write_file(tu_path(d, "cut.jsonl.gz"), buf, n * 2 / 3);
	int rc = run(g, tu_path(d, "cut.jsonl.gz"));
	assert_int_equal(rc, IMPORT_OK);
	assert_true(g->n > 0 && g->n < 100);
	assert_true(g->nrej >= 1);
	assert_non_null(strstr(g->rej[g->nrej - 1].reason, "read error"));
	tu_rmrf(d);
	free(d);
	got_free(g);
	free(g);
}

static void test_invalid_utf8_and_nul(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	char *d = tu_tempdir();
	const char bad[] = "{\"id\":\"u\",\"project\":\"p\",\"instructions\":\"caf\xE9 \xFF ok\","
	                   "\"input\":\"a\\u0000b\",\"model\":\"m\xC3\"}\n"
	                   "{\"id\":\"v\",\"project\":\"p\",\"instructions\":\"x\\\\u0000y\","
	                   "\"input\":\"ctl \\u001b[31m\"}\n";
	write_str(tu_path(d, "u.jsonl"), bad);
	assert_int_equal(run(g, tu_path(d, "u.jsonl")), IMPORT_OK);
	assert_int_equal(g->n, 2);
	assert_string_equal(g->rec[0].instr, "caf\xEF\xBF\xBD \xEF\xBF\xBD ok");
	assert_string_equal(g->rec[0].user, "a\xEF\xBF\xBD" "b");   /* NUL kept as U+FFFD */
	assert_string_equal(g->rec[0].model, "m\xEF\xBF\xBD");
	assert_true(text_valid_utf8(g->rec[0].input, strlen(g->rec[0].input)));
	assert_non_null(strstr(g->rec[0].raw, "caf\xE9"));        /* raw verbatim */
	assert_non_null(strstr(g->rec[0].raw, "a\\u0000b"));
	assert_string_equal(g->rec[1].instr, "x\\u0000y");        /* an escaped backslash */
	assert_string_equal(g->rec[1].user, "ctl \x1b[31m");      /* kept for display-time escaping */
	tu_rmrf(d);
	free(d);
	got_free(g);
	free(g);
}

static void test_deep_nesting(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	char *d = tu_tempdir();
	size_t depth = 100000;
	char *s = malloc(depth * 2 + 1000);
	size_t n = 0;
	n += (size_t)sprintf(s, "%s\n{\"id\":\"deep\",\"project\":\"p\",\"input\":\"a\",\"x\":", REC_A);
	memset(s + n, '[', depth);
	n += depth;
	memset(s + n, ']', depth);
	n += depth;
	n += (size_t)sprintf(s + n, "}\n%s\n", REC_B);
	write_file(tu_path(d, "deep.jsonl"), s, n);
	assert_int_equal(run(g, tu_path(d, "deep.jsonl")), IMPORT_OK);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->nrej, 1);
	assert_int_equal(g->rej[0].line, 2);
	assert_non_null(strstr(g->rej[0].reason, "nesting too deep (100001 levels"));
	/* the same inside an array, found by the splitter, and unclosed */
	n = (size_t)sprintf(s, "[%s,\n{\"x\":", REC_A);
	memset(s + n, '{', depth);
	n += depth;
	write_file(tu_path(d, "deep.json"), s, n);
	assert_int_equal(run(g, tu_path(d, "deep.json")), IMPORT_OK);
	assert_int_equal(g->n, 1);
	assert_true(g->nrej >= 1);
	assert_non_null(strstr(g->rej[0].reason, "truncated"));
	/* closed, in an array */
	n = (size_t)sprintf(s, "[%s,\n", REC_A);
	memset(s + n, '[', depth);
	n += depth;
	memset(s + n, ']', depth);
	n += depth;
	n += (size_t)sprintf(s + n, ",\n%s]", REC_B);
	write_file(tu_path(d, "deep2.json"), s, n);
	assert_int_equal(run(g, tu_path(d, "deep2.json")), IMPORT_OK);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->nrej, 1);
	assert_non_null(strstr(g->rej[0].reason, "nesting too deep"));
	free(s);
	tu_rmrf(d);
	free(d);
	got_free(g);
	free(g);
}

/* A 100 MB string imports; a record over the limit is rejected. */
static void test_huge_string(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	char *d = tu_tempdir();
	size_t big = (size_t)100 << 20;
	FILE *f = fopen(tu_path(d, "huge.jsonl"), "wb");
	assert_non_null(f);
	fprintf(f, "%s\n{\"id\":\"huge\",\"project\":\"p\",\"input\":\"q\",\"instructions\":\"", REC_A);
	char *chunk = malloc(1 << 20);
	memset(chunk, 'x', 1 << 20);
	for (size_t i = 0; i < big >> 20; i++)
		fwrite(chunk, 1, 1 << 20, f);
	fprintf(f, "\"}\n%s\n", REC_B);
	fclose(f);
	free(chunk);
	struct import_stats st;
	assert_int_equal(run_ex(g, tu_path(d, "huge.jsonl"), NULL, NULL, &st), IMPORT_OK);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->nrej, 0);
	assert_int_equal(g->instr_len, strlen(SYS));      /* last record */
	assert_string_equal(g->rec[1].key, "native:huge");
	/* the same file with a 10 MB record limit: rejected, the rest kept */
	struct import_limits lim = { .max_record = 10u << 20 };
	assert_int_equal(run_ex(g, tu_path(d, "huge.jsonl"), NULL, &lim, &st), IMPORT_OK);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->nrej, 1);
	assert_int_equal(g->rej[0].line, 2);
	assert_non_null(strstr(g->rej[0].reason, "record too large"));
	assert_true(st.buffer_high_water <= (32u << 20));
	tu_rmrf(d);
	free(d);
	got_free(g);
	free(g);
}

/* Memory does not grow with the file: the splitter's buffer stays small. */
static void test_bounded_buffer(void **state)
{
	struct got *g = calloc(1, sizeof *g);
	char *d = tu_tempdir();
	const int n = 20000;
	const char *names[] = { "many.jsonl", "many.json", "many_wrapped.json" };
	for (int k = 0; k < 3; k++) {
		FILE *f = fopen(tu_path(d, names[k]), "wb");
		fputs(k == 1 ? "[\n" : k == 2 ? "{\"data\": [\n" : "", f);
		for (int i = 0; i < n; i++)
			fprintf(f, "%s{\"id\":\"m-%d\",\"project\":\"p\",\"instructions\":\"%s %0400d\",\"input\":\"u\"}\n",
			        k && i ? "," : "", i, SYS, i);
		fputs(k == 1 ? "]\n" : k == 2 ? "]}\n" : "", f);
		fclose(f);
		struct import_limits lim = { .read_chunk = 64u << 10 };
		struct import_stats st;
		assert_int_equal(run_ex(g, tu_path(d, names[k]), NULL, &lim, &st), IMPORT_OK);
		assert_int_equal(st.records, (uint64_t)n);
		assert_int_equal(st.rejects, 0);
		assert_true(st.bytes > (uint64_t)n * 400);
		fprintf(stderr, "# %s: %llu bytes, buffer high water %zu\n", names[k],
		        (unsigned long long)st.bytes, st.buffer_high_water);
		assert_true(st.buffer_high_water <= (256u << 10));
		/* progress: periodic, monotonic, ends at the file size */
		assert_true(g->progress_calls >= 10);
		assert_false(g->progress_backwards);
		assert_int_equal(g->last_bytes, st.bytes);
		assert_int_equal(g->progress_total, st.bytes);
	}
	tu_rmrf(d);
	free(d);
	got_free(g);
	free(g);
}

static void test_times(void **state)
{
	char out[TEXT_TIME_MAX];
	assert_int_equal(text_time_iso("2025-03-10T01:31:22.813Z", out), 0);
	assert_string_equal(out, "2025-03-10T01:31:22.813Z");
	assert_int_equal(text_time_iso("2025-03-10T03:31:22+02:00", out), 0);
	assert_string_equal(out, "2025-03-10T01:31:22Z");
	assert_int_equal(text_time_iso("2025-03-10T01:31:22.813000", out), 0);
	assert_string_equal(out, "2025-03-10T01:31:22.813Z");
	assert_int_equal(text_time_iso("2024-12-31 23:30:00-01:00", out), 0);
	assert_string_equal(out, "2025-01-01T00:30:00Z");
	assert_int_equal(text_time_nanos("1741476542000000000", out), 0);
	assert_string_equal(out, "2025-03-08T23:29:02Z");
	assert_int_equal(text_time_unix(1728850137, out), 0);
	assert_string_equal(out, "2024-10-13T20:08:57Z");
	assert_int_equal(text_time_any("1728850137000", out), 0);  /* ms */
	assert_string_equal(out, "2024-10-13T20:08:57Z");
	assert_int_equal(text_time_iso("yesterday", out), -1);
	assert_int_equal(text_time_iso("2025-13-01T00:00:00Z", out), -1);
}

/* ---- ../shared: the example formats and real dumps ----------------------- */

struct shared_expect {
	const char *file, *format;
	long count;             /* -1: count the file's lines */
	const char *project, *model, *path;
	const char *instr;      /* prefix of the first record's instructions;
	                           "" = none expected */
};

#define ACME "You are a support assistant for Acme Bank. Answer in French."

static const struct shared_expect SHARED[] = {
	{ "formats/a1_openai_chat_request.json", "openai-chat", 1, NULL, "gpt-4o-mini", "/v1/chat/completions", ACME " Never reveal account numbers." },
	{ "formats/a2_openai_chat_request_tools.json", "openai-chat", 1, NULL, "gpt-4o-2024-08-06", "/v1/chat/completions", "You are a weather assistant. Use the get_weather tool." },
	{ "formats/a3_openai_chat_response.json", "openai-chat", 1, NULL, "gpt-4o-mini-2024-07-18", "/v1/chat/completions", "" },
	{ "formats/a4_helicone_export_row.json", "helicone", 1, NULL, "gpt-4o-mini", "/v1/chat/completions", ACME " Never reveal account numbers." },
	{ "formats/b1_openai_batch_input.jsonl", "openai-batch-input", -1, NULL, "gpt-4o-mini", "/v1/chat/completions", "Your goal is to extract movie categories" },
	{ "formats/b2_openai_batch_output.jsonl", "openai-batch-output", -1, NULL, "gpt-4o-mini-2024-07-18", "/v1/chat/completions", "" },
	{ "formats/c1_openai_responses_request_string.json", "openai-responses", 1, NULL, "gpt-4.1", "/v1/responses", ACME },
	{ "formats/c2_openai_responses_request_items.json", "openai-responses", 1, NULL, "gpt-4.1", "/v1/responses", "You must never reveal account numbers.\n\n" ACME },
	{ "formats/c3_openai_responses_request_prompt_ref.json", "openai-responses", 1, NULL, "gpt-4.1", "/v1/responses", "" },
	{ "formats/c4_openai_responses_response.json", "openai-responses", 1, NULL, "gpt-4.1-2025-04-14", "/v1/responses", ACME },
	{ "formats/d1_otlp_genai_semconv.json", "otlp", 1, NULL, "gpt-4.1", "/v1/chat/completions", ACME },
	{ "formats/d2_otlp_openllmetry_indexed.json", "otlp", 1, NULL, "gpt-3.5-turbo", "/v1/chat/completions", "You are a pirate. Answer like one." },
	{ "formats/d3_otlp_openinference.json", "otlp", 1, "support-rag", "gpt-4o-mini-2024-07-18", "/v1/chat/completions", ACME },
	{ "formats/d4_openinference_flat_spans.jsonl", "openinference-spans", 1, NULL, "gpt-4o-mini-2024-07-18", "/v1/chat/completions", ACME },
	{ "formats/e1_langfuse_trace_download.json", "langfuse", 1, "cm7abc123", "gpt-4o-mini", NULL, ACME },
	{ "formats/e2_langsmith_runs.jsonl", "langsmith", -1, "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "gpt-4o-mini", "/v1/chat/completions", ACME },
	{ "formats/f1_anthropic_request_system_string.json", "anthropic-messages", 1, NULL, "claude-sonnet-4-5", "/v1/messages", ACME },
	{ "formats/f2_anthropic_request_system_blocks.json", "anthropic-messages", 1, NULL, "claude-sonnet-4-5", "/v1/messages", ACME "\nNever reveal account numbers." },
	{ "formats/f3_anthropic_response.json", "anthropic-messages", 1, NULL, "claude-sonnet-4-5-20250929", "/v1/messages", "" },
	{ "formats/f4_anthropic_batch_create.json", "anthropic-batch-input", 2, NULL, "claude-sonnet-4-5", "/v1/messages", ACME },
	{ "formats/f5_anthropic_batch_results.jsonl", "anthropic-batch-output", -1, NULL, "claude-sonnet-4-5-20250929", "/v1/messages", "" },
	{ "formats/g1_openai_finetune_chat.jsonl", "openai-finetune", -1, NULL, NULL, "/v1/chat/completions", ACME },
	{ "data/real/mitre_attack_batch/batchinput.v1_cdc3a4c.first100.jsonl", "openai-batch-input", -1, NULL, "gpt-4.1-nano", "/v1/chat/completions", "You are a synthetic data generator" },
	{ "data/real/mitre_attack_batch/batchinput.v2_21df6a5.first100.jsonl", "openai-batch-input", -1, NULL, "gpt-4.1-nano", "/v1/chat/completions", "You are a synthetic data generator" },
	{ "data/real/openai_cookbook_batch/batch_job_results_movies.jsonl", "openai-batch-output", -1, NULL, "gpt-4o-mini-2024-07-18", "/v1/chat/completions", "" },
	{ "data/real/openai_cookbook_batch/batch_tasks_furniture.jsonl", "openai-batch-input", -1, NULL, "gpt-4-turbo", "/v1/chat/completions", "\nYour goal is to generate short, descriptive captions" },
	{ "data/real/openai_cookbook_batch/batch_tasks_movies.jsonl", "openai-batch-input", -1, NULL, "gpt-4o-mini", "/v1/chat/completions", "\nYour goal is to extract movie categories" },
	{ "data/real/openai_cookbook_batch/drone_training_finetune.jsonl", "openai-finetune", -1, NULL, NULL, "/v1/chat/completions", "You are an intelligent AI that controls a drone." },
	{ "data/real/swe_agent_trajectories/demo_function_calling_simple.traj", "swe-agent", -2, NULL, NULL, NULL, "SETTING: You are an autonomous programmer" },
	{ "data/real/swe_agent_trajectories/demo_humanevalfix-python-0.traj", "swe-agent", -2, NULL, NULL, NULL, "SETTING: You are an autonomous programmer" },
	{ "data/real/swe_agent_trajectories/demo_marshmallow-1867_default.traj", "swe-agent", -2, NULL, NULL, NULL, "SETTING: You are an autonomous programmer" },
	{ "data/real/swe_agent_trajectories/gpt4_6e44b9__sweagenttestrepo-1c2844.traj", "swe-agent", -2, NULL, "gpt-4o", NULL, "SETTING: You are an autonomous programmer" },
	{ "data/real/swe_agent_trajectories/gpt4_pydicom__pydicom-1458.traj", "swe-agent", -2, NULL, NULL, NULL, "SETTING: You are an autonomous programmer" },
	{ "data/real/swe_agent_trajectories/gpt4_swe-agent__test-repo-i1.traj", "swe-agent", -2, NULL, NULL, NULL, "SETTING: You are an autonomous programmer" },
};

/* Non-blank lines of a file (the record count of a JSONL file). */
static long count_lines(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n = 0;
	int c, blank = 1;
	assert_non_null(f);
	while ((c = fgetc(f)) != EOF) {
		if (c == '\n') {
			n += !blank;
			blank = 1;
		} else if (c != ' ' && c != '\r' && c != '\t') {
			blank = 0;
		}
	}
	fclose(f);
	return n + !blank;
}

/* Assistant messages in a trajectory, counted with a plain cJSON parse. */
static long count_assistant_turns(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	buf[size] = '\0';
	cJSON *root = cJSON_Parse(buf), *m;
	long n = 0;
	assert_non_null(root);
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(root, "history")) {
		cJSON *role = cJSON_GetObjectItem(m, "role");
		n += cJSON_IsString(role) && !strcmp(role->valuestring, "assistant");
	}
	cJSON_Delete(root);
	free(buf);
	return n;
}

static void test_shared_files(void **state)
{
	const char *shared = tu_shared_dir();
	if (!shared) {
		printf("# skipped: ../shared not present\n");
		skip();
		return;
	}
	struct got *g = calloc(1, sizeof *g);
	char path[8300];
	for (size_t i = 0; i < sizeof SHARED / sizeof *SHARED; i++) {
		const struct shared_expect *e = &SHARED[i];
		snprintf(path, sizeof path, "%s/%s", shared, e->file);
		long want = e->count == -1 ? count_lines(path) :
		            e->count == -2 ? count_assistant_turns(path) : e->count;
		assert_int_equal(run(g, path), IMPORT_OK);
		fprintf(stderr, "# %-70s %4llu records, project %s, model %s, path %s\n",
		        e->file, (unsigned long long)g->total_seen,
		        g->rec[0].project ? g->rec[0].project : "-",
		        g->rec[0].model ? g->rec[0].model : "-",
		        g->rec[0].path ? g->rec[0].path : "-");
		assert_int_equal(g->total_seen, (uint64_t)want);
		assert_int_equal(g->nrej, 0);
		assert_string_equal(g->rec[0].format, e->format);
		assert_str_or_null(g->rec[0].project, e->project);
		assert_str_or_null(g->rec[0].model, e->model);
		assert_str_or_null(g->rec[0].path, e->path);
		if (!*e->instr)
			assert_null(g->rec[0].instr);
		else {
			assert_non_null(g->rec[0].instr);
			assert_true(!strncmp(g->rec[0].instr, e->instr, strlen(e->instr)));
		}
	}
	got_free(g);
	free(g);
}

/* Movies and furniture both use custom_ids task-0...: same join key,
 * different source keys. */
static void test_shared_batch_keys(void **state)
{
	const char *shared = tu_shared_dir();
	if (!shared) {
		printf("# skipped: ../shared not present\n");
		skip();
		return;
	}
	struct got *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	char p1[8300], p2[8300];
	snprintf(p1, sizeof p1, "%s/data/real/openai_cookbook_batch/batch_tasks_movies.jsonl", shared);
	snprintf(p2, sizeof p2, "%s/data/real/openai_cookbook_batch/batch_tasks_furniture.jsonl", shared);
	run(a, p1);
	run(b, p2);
	assert_string_equal(a->rec[0].join, "task-0");
	assert_string_equal(b->rec[0].join, "task-0");
	assert_string_not_equal(a->rec[0].key, b->rec[0].key);
	/* the b2 example: an error line and a /v1/responses line */
	snprintf(p1, sizeof p1, "%s/formats/b2_openai_batch_output.jsonl", shared);
	run(a, p1);
	assert_null(a->rec[1].model);
	assert_string_equal(a->rec[2].path, "/v1/responses");
	assert_string_equal(a->rec[2].output, "negative");
	/* e2: the wrap_openai run's first user message */
	snprintf(p1, sizeof p1, "%s/formats/e2_langsmith_runs.jsonl", shared);
	run(a, p1);
	assert_string_equal(a->rec[1].user, "Greet Chlo\xC3\xA9 Bernard and tell her that her card has shipped.");
	got_free(a);
	got_free(b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_formats),
		cmocka_unit_test(test_fixture_details),
		cmocka_unit_test(test_same_trace_every_format),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_bad_line_in_jsonl),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_invalid_utf8_and_nul),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_string),
		cmocka_unit_test(test_bounded_buffer),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_shared_files),
		cmocka_unit_test(test_shared_batch_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
