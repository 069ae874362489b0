/*
 * import.c - import_file: read, split, parse, detect, hand over.
 *
 * One pass over the file: the splitter cuts records, each is parsed alone
 * with cJSON, a wrapping object is opened, the format is detected per
 * record (or forced), and the format's handler emits trace records.  Bad
 * records are reported and skipped; strict mode stops at the first.
 *
 * Text of NUL characters: cJSON ends strings at a NUL, so before parsing,
 * "\u0000" escapes and raw NUL bytes are replaced by U+FFFD in a copy of the
 * record (`raw` keeps the original bytes); the record is kept.
 */
#include "importers/formats.h"
#include "importers/import.h"
#include "importers/reader.h"
#include "importers/split.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRESS_BYTES (64u << 10)
#define PROGRESS_RECORDS 1000
#define REJECT_RAW_MAX ((size_t)1 << 20)

struct imp {
	const char *file;
	const struct import_opts *opts;
	const struct import_sink *sink;
	const struct format *forced;
	const struct format *cur_fmt;
	const cJSON *cur_obj, *unit_obj;
	struct rec rec;
	const char *raw;             /* the current record's bytes */
	size_t raw_len;
	uint64_t line, unit_index;
	uint64_t n_records, n_rejects, n_skipped, n_unknown;
	int abort;                   /* strict mode hit a bad record */
	cJSON *env;
	unsigned env_gen;
	struct sbuf fixed;           /* NUL-free copy of a record */
	char reason[512];
	char first_reject[256];
};

struct rec *imp_rec(struct imp *im, const struct format *f)
{
	rec_clear(&im->rec);
	im->rec.tr.format = f ? f->name : im->cur_fmt->name;
	im->rec.raw_obj = im->cur_obj;
	return &im->rec;
}

const char *imp_raw(const struct imp *im, size_t *len)
{
	*len = im->raw_len;
	return im->raw;
}

void imp_key_hashed(struct imp *im, struct rec *r, const char *family,
                    const char *custom_id)
{
	char hex[17];

	text_hex64(text_fnv1a(im->raw, im->raw_len, TEXT_FNV_SEED), hex);
	rec_key2(r, family, custom_id, hex);
}

int imp_bad(struct imp *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(im->reason, sizeof im->reason, fmt, ap);
	va_end(ap);
	return FMT_BAD;
}

/* A short field as valid UTF-8: itself, or a repaired copy in *own. */
static const char *valid_or_fixed(const char *s, char **own)
{
	if (!s || text_valid_utf8(s, strlen(s)))
		return s;
	struct sbuf b = { 0 };
	sb_add_utf8(&b, s, strlen(s));
	*own = b.s;
	return b.s;
}

static void default_key(struct imp *im, struct rec *r, const char *raw,
                        size_t len)
{
	char hex[17];
	const char *family = im->cur_fmt ? im->cur_fmt->family : "import";
	text_hex64(text_fnv1a(raw, len, TEXT_FNV_SEED), hex);
	sb_reset(&r->key);
	sb_adds(&r->key, family);
	sb_add(&r->key, ":h", 2);
	sb_adds(&r->key, hex);
}

int imp_emit(struct imp *im, struct rec *r)
{
	struct trace_record *t = &r->tr;
	char *own[7] = { 0 }, *printed = NULL, *meta = NULL;
	size_t input_len = r->input.len;
	t->raw = im->raw;
	t->raw_len = im->raw_len;
	if (r->raw_obj && r->raw_obj != im->unit_obj &&
	    (printed = cJSON_PrintUnformatted(r->raw_obj))) {
		t->raw = printed;
		t->raw_len = strlen(printed);
	}
	if (!r->key.len)
		default_key(im, r, t->raw, t->raw_len);
	t->source_key = r->key.s;
	t->instructions = r->instr.len ? r->instr.s : NULL;
	t->first_user = r->have_user && r->user.len ? r->user.s : NULL;
	if (r->n_input)
		sb_addc(&r->input, ']');
	t->input_json = r->n_input ? r->input.s : NULL;
	t->output = r->output.len ? r->output.s : NULL;
	t->created_at = r->created[0] ? r->created : NULL;
	if (r->meta && r->meta->child)
		meta = cJSON_PrintUnformatted(r->meta);
	t->metadata_json = NULL;
	t->line = im->line;
	t->index = im->unit_index;        /* the record's place in the file */
	im->n_records++;
	/* The sink gets a copy whose text fields are valid UTF-8; the repaired
	 * strings live only for the call, and r keeps its own pointers for
	 * the next record it emits (an agent trajectory emits one a turn). */
	struct trace_record out = *t;
	out.metadata_json = valid_or_fixed(meta, &own[5]);
	out.model = valid_or_fixed(t->model, &own[0]);
	out.project = valid_or_fixed(t->project, &own[1]);
	out.path = valid_or_fixed(t->path, &own[2]);
	out.source_id = valid_or_fixed(t->source_id, &own[3]);
	out.join_key = valid_or_fixed(t->join_key, &own[4]);
	out.source_key = valid_or_fixed(t->source_key, &own[6]);
	if (im->opts && im->opts->path)
		out.path = im->opts->path;
	if (!out.project && im->opts)
		out.project = im->opts->project;
	int rc = im->sink->on_record(im->sink->ctx, &out);
	r->input.len = input_len;
	if (r->input.s)
		r->input.s[input_len] = '\0';
	for (int i = 0; i < 7; i++)
		free(own[i]);
	free(printed);
	free(meta);
	return rc;
}

/* Report the current record as bad. */
static void reject(struct imp *im, const char *reason)
{
	char line[512];
	struct import_reject rj = {
		.file = im->file, .line = im->line, .index = im->unit_index,
		.reason = line, .raw = im->raw,
		.raw_len = im->raw_len < REJECT_RAW_MAX ? im->raw_len : REJECT_RAW_MAX,
	};
	/* A reason quotes the record (an id, a key): keep it on one line. */
	snprintf(line, sizeof line, "%s", reason);
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	reason = line;
	im->n_rejects++;
	if (!im->first_reject[0])
		snprintf(im->first_reject, sizeof im->first_reject, "%.*s",
		         (int)sizeof im->first_reject - 1, reason);
	if (im->sink->on_reject)
		im->sink->on_reject(im->sink->ctx, &rj);
	if (im->opts && im->opts->strict)
		im->abort = 1;
}

/* "unrecognised record (keys: a, b, c)" */
static int unknown(struct imp *im, const cJSON *obj)
{
	size_t n = (size_t)snprintf(im->reason, sizeof im->reason,
	                            "unrecognised record (keys:");
	int k = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, obj) {
		if (n >= sizeof im->reason - 40)
			break;
		if (k++ == 8) {
			n += (size_t)snprintf(im->reason + n, sizeof im->reason - n, " ...");
			break;
		}
		n += (size_t)snprintf(im->reason + n, sizeof im->reason - n,
		                      "%s %.30s", k > 1 ? "," : "", c->string);
	}
	snprintf(im->reason + n, sizeof im->reason - n, "%s)", k ? "" : " none");
	im->n_unknown++;
	return FMT_BAD;
}

static const char *type_name(const cJSON *v)
{
	return cJSON_IsArray(v) ? "an array" : cJSON_IsString(v) ? "a string" :
	       cJSON_IsNumber(v) ? "a number" : cJSON_IsBool(v) ? "a boolean" :
	       cJSON_IsNull(v) ? "null" : "an object";
}

static int dispatch(struct imp *im, const cJSON *obj, const cJSON *env,
                    int depth)
{
	if (!cJSON_IsObject(obj))
		return imp_bad(im, "record is %s, not a JSON object", type_name(obj));
	const cJSON *list = depth < 2 ? fmt_wrapped_list(obj) : NULL;
	if (list) {
		const cJSON *el;
		int i = 0, any = FMT_SKIP;
		cJSON_ArrayForEach(el, list) {
			int rc = dispatch(im, el, obj, depth + 1);
			if (rc == FMT_STOP)
				return rc;
			if (rc == FMT_BAD) {
				char why[600];
				snprintf(why, sizeof why, "element %d of \"%s\": %s", i,
				         list->string ? list->string : "list", im->reason);
				reject(im, why);
				if (im->abort)
					return FMT_STOP;
			}
			if (rc == FMT_OK)
				any = FMT_OK;
			i++;
		}
		return any;
	}
	const struct format *f = im->forced ? im->forced : fmt_detect(obj);
	if (!f)
		return unknown(im, obj);
	im->cur_fmt = f;
	im->cur_obj = obj;
	return f->fn(im, obj, env);
}

/* Does the record need its NULs replaced before parsing? */
static int has_nul(const char *s, size_t n)
{
	return memchr(s, 0, n) || memmem(s, n, "\\u0000", 6);
}

static const char *without_nul(struct imp *im, const char *s, size_t n)
{
	struct sbuf *b = &im->fixed;
	sb_reset(b);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0') {
			sb_add(b, "\xEF\xBF\xBD", 3);
		} else if (s[i] == '\\' && i + 5 < n && !memcmp(s + i, "\\u0000", 6)) {
			sb_add(b, "\\ufffd", 6);
			i += 5;
		} else if (s[i] == '\\' && i + 1 < n) {
			sb_add(b, s + i, 2);
			i++;
		} else {
			sb_addc(b, s[i]);
		}
	}
	return b->s;
}

static void parse_error(struct imp *im, const char *text, size_t len,
                        const char *end)
{
	char diag[200], near[40];
	if (split_diagnose(text, len, diag, sizeof diag)) {
		snprintf(im->reason, sizeof im->reason, "%s", diag);
		return;
	}
	size_t at = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
	size_t k = 0;
	for (size_t i = at; i < len && k < 24; i++)
		near[k++] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ?
		            ' ' : text[i];
	near[k] = '\0';
	snprintf(im->reason, sizeof im->reason,
	         "invalid JSON at byte %zu (near \"%s\")", at, near);
	sb_reset(&im->fixed);
	sb_add_utf8(&im->fixed, im->reason, strlen(im->reason));
	snprintf(im->reason, sizeof im->reason, "%s", im->fixed.s);
}

static const cJSON *envelope(struct imp *im, const struct split_unit *u)
{
	if (!u->envelope)
		return NULL;
	if (u->envelope_gen != im->env_gen || !im->env) {
		cJSON_Delete(im->env);
		im->env = cJSON_ParseWithLength(u->envelope, u->envelope_len);
		im->env_gen = u->envelope_gen;
	}
	return im->env;
}

static int trailing_text(const char *end, const char *stop)
{
	while (end < stop && (*end == ' ' || *end == '\t' || *end == '\r' ||
	                      *end == '\n'))
		end++;
	return end < stop;
}

/* Parse one unit and hand it on; returns FMT_STOP to end the import. */
static int process_unit(struct imp *im, const struct split_unit *u)
{
	im->raw = u->data;
	im->raw_len = u->len;
	im->line = u->line;
	im->unit_index = u->index;
	if (u->error) {
		reject(im, u->error);
		return im->abort ? FMT_STOP : FMT_BAD;
	}
	const char *text = u->data, *end = NULL;
	if (has_nul(text, u->len))
		text = without_nul(im, text, u->len);
	size_t len = text == u->data ? u->len : im->fixed.len;
	cJSON *obj = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	int rc;
	if (!obj) {
		parse_error(im, text, len, end);
		rc = FMT_BAD;
	} else if (trailing_text(end, text + len)) {
		imp_bad(im, "unexpected text after the JSON value at byte %zu",
		        (size_t)(end - text));
		rc = FMT_BAD;
	} else {
		im->unit_obj = obj;
		rc = dispatch(im, obj, envelope(im, u), 0);
	}
	im->unit_obj = NULL;
	cJSON_Delete(obj);
	if (rc == FMT_BAD)
		reject(im, im->reason);
	if (rc == FMT_SKIP)
		im->n_skipped++;
	return im->abort ? FMT_STOP : rc;
}

/* *.jsonl / *.ndjson (optionally .gz) are read line by line from the start. */
static enum split_mode mode_for(const char *file)
{
	size_t n = strlen(file);
	if (n > 3 && !strcmp(file + n - 3, ".gz"))
		n -= 3;
	static const char *const ext[] = { ".jsonl", ".ndjson", ".jsonlines" };
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && !strncmp(file + n - e, ext[i], e))
			return SPLIT_LINES;
	}
	return SPLIT_AUTO;
}

static void progress(struct imp *im, struct reader *rd, uint64_t *last_b,
                     uint64_t *last_r, int force)
{
	uint64_t off = reader_offset(rd);
	if (!im->sink->on_progress)
		return;
	if (!force && off - *last_b < PROGRESS_BYTES &&
	    im->n_records - *last_r < PROGRESS_RECORDS)
		return;
	*last_b = off;
	*last_r = im->n_records;
	im->sink->on_progress(im->sink->ctx, off, reader_size(rd), im->n_records);
}

static int run(struct imp *im, struct reader *rd, struct split *sp,
               char *err, size_t errlen)
{
	struct split_unit u;
	uint64_t last_b = 0, last_r = 0;
	int rc;
	while ((rc = split_next(sp, &u)) == 1) {
		int st = process_unit(im, &u);
		if (im->abort)
			return IMPORT_STRICT_ABORT;
		if (st == FMT_STOP)
			return IMPORT_STOPPED;
		progress(im, rd, &last_b, &last_r, 0);
	}
	progress(im, rd, &last_b, &last_r, 1);
	if (rc < 0) {
		im->raw = NULL;
		im->raw_len = 0;
		im->line = 0;
		char why[300];
		snprintf(why, sizeof why, "read error: %s", split_error(sp));
		reject(im, why);
		if (im->abort)
			return IMPORT_STRICT_ABORT;
	}
	if (!im->n_records && !im->n_skipped && im->n_unknown &&
	    im->n_unknown == im->n_rejects) {
		snprintf(err, errlen, "%s: no record in a known format (%s)",
		         im->file, im->first_reject);
		return IMPORT_FAILED;
	}
	return IMPORT_OK;
}

int import_file_ex(const char *file, const struct import_opts *opts,
                   const struct import_sink *sink,
                   const struct import_limits *limits,
                   struct import_stats *stats, char *err, size_t errlen)
{
	static const struct import_opts no_opts;
	struct imp im = { .file = file, .opts = opts ? opts : &no_opts,
	                  .sink = sink };
	if (errlen)
		err[0] = '\0';
	if (stats)
		memset(stats, 0, sizeof *stats);
	if (!sink || !sink->on_record) {
		snprintf(err, errlen, "import: no record callback");
		return IMPORT_FAILED;
	}
	if (im.opts->format && !(im.forced = fmt_by_name(im.opts->format))) {
		snprintf(err, errlen, "unknown format '%s' (see --format help)",
		         im.opts->format);
		return IMPORT_FAILED;
	}
	struct reader *rd = reader_open(file, err, errlen);
	if (!rd)
		return IMPORT_FAILED;
	size_t chunk = limits && limits->read_chunk ? limits->read_chunk : 1u << 20;
	size_t maxr = limits && limits->max_record ? limits->max_record :
	              IMPORT_MAX_RECORD;
	struct split *sp = split_new(rd, mode_for(file), chunk, maxr);
	rec_init(&im.rec);
	int rc = run(&im, rd, sp, err, errlen);
	if (stats) {
		stats->records = im.n_records;
		stats->rejects = im.n_rejects;
		stats->skipped = im.n_skipped;
		stats->bytes = reader_offset(rd);
		stats->buffer_high_water = split_high_water(sp);
		stats->gzip = reader_is_gzip(rd);
	}
	if (rc == IMPORT_STRICT_ABORT)
		snprintf(err, errlen, "%s: line %llu: %s (strict mode)", file,
		         (unsigned long long)im.line, im.first_reject);
	rec_free(&im.rec);
	sb_free(&im.fixed);
	cJSON_Delete(im.env);
	split_free(sp);
	reader_close(rd);
	return rc;
}

int import_file(const char *file, const struct import_opts *opts,
                const struct import_sink *sink, uint64_t *n_records,
                uint64_t *n_rejects, char *err, size_t errlen)
{
	struct import_stats st;
	int rc = import_file_ex(file, opts, sink, NULL, &st, err, errlen);
	if (n_records)
		*n_records = st.records;
	if (n_rejects)
		*n_rejects = st.rejects;
	return rc;
}
