/*
 * split.c - streaming record splitter.  See split.h.
 *
 * The buffer holds [0, end) of the stream from some point on; `pos` is the
 * scan position.  Before reading more, bytes no longer needed (everything
 * before the open record, or before `pos` when none is open or the open one
 * is being skipped as too large) are moved out.
 */
#include "importers/split.h"
#include "importers/reader.h"
#include "importers/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ctx {
	CTX_TOP,        /* between top-level values */
	CTX_ARRAY,      /* inside a top-level array: elements are records */
	CTX_WRAP,       /* inside the wrapped list: elements are records */
	CTX_WRAP_TAIL   /* after the wrapped list, skipping to the object's end */
};

#define PREFIX_KEEP 4096   /* bytes of a skipped record kept for the report */

static const char *const WRAP_KEYS[] = {
	"data", "traces", "observations", "requests", "resourceSpans",
	"resource_spans", "runs", "spans", NULL
};

struct split {
	struct reader *rd;
	char *buf;
	size_t cap, end, pos, chunk, max_record, high_water;
	int eof, read_failed, lines, tail_reported, bom_done;
	uint64_t line, index;
	/* value scanner */
	int64_t depth;
	int in_str, esc;
	enum ctx ctx;
	int wrap_check;              /* the open top-level object may wrap */
	int after_colon;             /* depth 1 of that object, after "key": */
	size_t str_start, key_start, key_len;
	uint64_t top_line;
	int values_done;             /* a first top-level value was completed */
	char wrap_key[32];           /* key of the list being streamed */
	/* the open record */
	int unit, scalar, over;
	size_t ustart;
	uint64_t uline, over_len;
	int64_t udepth, umax;
	struct sbuf prefix;          /* first bytes of a record being skipped */
	struct sbuf env;
	int have_env;
	unsigned env_gen;
	char reason[200];
};

struct split *split_new(struct reader *r, enum split_mode mode,
                        size_t chunk, size_t max_record)
{
	struct split *s = text_xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	s->rd = r;
	s->chunk = chunk < 64 ? 64 : chunk;
	s->max_record = max_record < 64 ? 64 : max_record;
	s->cap = s->chunk;
	s->buf = text_xmalloc(s->cap);
	s->high_water = s->cap;
	s->line = 1;
	s->lines = mode == SPLIT_LINES;
	s->ctx = CTX_TOP;
	return s;
}

void split_free(struct split *s)
{
	if (!s)
		return;
	free(s->buf);
	sb_free(&s->prefix);
	sb_free(&s->env);
	free(s);
}

size_t split_high_water(const struct split *s)
{
	return s->high_water;
}

const char *split_error(const struct split *s)
{
	return reader_error(s->rd);
}

static size_t shift(size_t x, size_t by)
{
	return x >= by ? x - by : 0;
}

/* Start skipping the open record: keep its first bytes for the report. */
static void start_over(struct split *s)
{
	size_t have = s->end - s->ustart;
	sb_reset(&s->prefix);
	sb_add(&s->prefix, s->buf + s->ustart, have < PREFIX_KEEP ? have : PREFIX_KEEP);
	s->over = 1;
	s->over_len = have;
	s->ustart = s->end;
}

/* Read more bytes; returns >0 read, 0 at the end, -1 on error. */
static long fill(struct split *s)
{
	if (s->eof)
		return 0;
	if (s->unit && !s->over && s->end - s->ustart >= s->max_record)
		start_over(s);
	size_t keep = s->unit && !s->over ? s->ustart : s->pos;
	if (s->over) {
		s->over_len += s->pos - s->ustart;
		s->ustart = s->pos;
		keep = s->pos;
	}
	if (keep) {
		memmove(s->buf, s->buf + keep, s->end - keep);
		s->end -= keep;
		s->pos -= keep;
		s->ustart = shift(s->ustart, keep);
		s->str_start = shift(s->str_start, keep);
		s->key_start = shift(s->key_start, keep);
	}
	if (s->cap - s->end < s->chunk / 2) {
		s->cap *= 2;
		s->buf = text_xrealloc(s->buf, s->cap);
		if (s->cap > s->high_water)
			s->high_water = s->cap;
	}
	long n = reader_read(s->rd, s->buf + s->end, s->cap - s->end);
	if (n > 0)
		s->end += (size_t)n;
	else
		s->eof = 1;
	if (!s->bom_done && (s->end >= 3 || s->eof)) {
		s->bom_done = 1;
		if (s->end >= 3 && memcmp(s->buf, "\xEF\xBB\xBF", 3) == 0)
			s->pos = 3;
	}
	if (n < 0)
		s->read_failed = 1;
	return n;
}

/* Hand out the record [ustart, stop). */
static void emit(struct split *s, struct split_unit *u, size_t stop,
                 const char *error)
{
	u->data = s->buf + s->ustart;
	u->len = stop - s->ustart;
	u->line = s->uline;
	u->index = s->index++;
	u->error = error;
	if (s->over) {
		snprintf(s->reason, sizeof s->reason,
		         "record too large (%llu bytes; the limit is %zu)",
		         (unsigned long long)(s->over_len + stop - s->ustart),
		         s->max_record);
		u->error = s->reason;
		u->data = s->prefix.s;
		u->len = s->prefix.len;
	} else if (!error && s->umax > SPLIT_MAX_NESTING) {
		snprintf(s->reason, sizeof s->reason,
		         "nesting too deep (%lld levels; the limit is %d)",
		         (long long)s->umax, SPLIT_MAX_NESTING);
		u->error = s->reason;
	}
	u->envelope = s->have_env && s->ctx == CTX_WRAP ? s->env.s : NULL;
	u->envelope_len = u->envelope ? s->env.len : 0;
	u->envelope_gen = s->env_gen;
	s->unit = s->scalar = s->over = 0;
	s->umax = 0;
}

static void open_unit(struct split *s, int64_t depth_of_value)
{
	s->unit = 1;
	s->over = 0;
	s->scalar = 0;
	s->ustart = s->pos;
	s->uline = s->line;
	s->udepth = depth_of_value;
	s->umax = 0;
}

/* ---- JSONL ------------------------------------------------------------ */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* One line as a record: 1 emitted, 0 blank (skipped). */
static int line_unit(struct split *s, struct split_unit *u, size_t stop)
{
	if (s->over) {
		emit(s, u, stop, NULL);
		return 1;
	}
	while (s->ustart < stop && is_space(s->buf[s->ustart]))
		s->ustart++;
	while (stop > s->ustart && is_space(s->buf[stop - 1]))
		stop--;
	if (stop == s->ustart) {
		s->unit = 0;
		return 0;
	}
	emit(s, u, stop, NULL);
	return 1;
}

static int next_line(struct split *s, struct split_unit *u)
{
	for (;;) {
		if (!s->unit)
			open_unit(s, 0);
		char *nl = memchr(s->buf + s->pos, '\n', s->end - s->pos);
		if (nl) {
			size_t stop = (size_t)(nl - s->buf);
			uint64_t line = s->line;
			s->pos = stop + 1;
			s->line++;
			s->uline = line;
			if (line_unit(s, u, stop))
				return 1;
			continue;
		}
		s->pos = s->end;
		long n = fill(s);
		if (n > 0)
			continue;
		if (s->unit && (s->over || s->end > s->ustart) && line_unit(s, u, s->end))
			return 1;
		s->unit = 0;
		return s->read_failed ? -1 : 0;
	}
}

/* ---- values ----------------------------------------------------------- */

static int is_wrap_key(const char *k, size_t n)
{
	for (int i = 0; WRAP_KEYS[i]; i++)
		if (strlen(WRAP_KEYS[i]) == n && memcmp(WRAP_KEYS[i], k, n) == 0)
			return 1;
	return 0;
}

/* The open top-level object turns out to wrap the list: keep what came
 * before the list as the envelope and stream the list's elements. */
static void descend(struct split *s)
{
	snprintf(s->wrap_key, sizeof s->wrap_key, "%.*s", (int)s->key_len,
	         s->buf + s->key_start);
	sb_reset(&s->env);
	s->have_env = !s->over;
	if (s->have_env) {
		size_t stop = s->key_start - 1;          /* the key's quote */
		while (stop > s->ustart &&
		       (is_space(s->buf[stop - 1]) || s->buf[stop - 1] == ','))
			stop--;
		sb_add(&s->env, s->buf + s->ustart, stop - s->ustart);
		sb_addc(&s->env, '}');
	}
	s->env_gen++;
	s->unit = s->over = 0;
	s->ctx = CTX_WRAP;
	s->wrap_check = 0;
	s->after_colon = 0;
	s->depth = 2;
}

/* A top-level value ended: the first one, on a single line, means JSONL. */
static void top_value_done(struct split *s)
{
	s->ctx = CTX_TOP;
	s->wrap_check = 0;
	if (!s->values_done && s->top_line == s->line)
		s->lines = 1;
	s->values_done = 1;
}

/* Skip the rest of a line that is not JSON and report it. */
static int garbage_line(struct split *s, struct split_unit *u)
{
	open_unit(s, 0);
	char *nl = memchr(s->buf + s->pos, '\n', s->end - s->pos);
	size_t stop = nl ? (size_t)(nl - s->buf) : s->end;
	if (!nl && !s->eof && s->end - s->pos < s->max_record) {
		s->unit = 0;
		return 0;                                /* need the whole line */
	}
	s->pos = stop;
	while (stop > s->ustart && is_space(s->buf[stop - 1]))
		stop--;
	emit(s, u, stop, s->depth < 0 ? "unbalanced closing bracket" :
	     "not JSON (expected an object or an array)");
	s->depth = 0;
	return 1;
}

/* Scan the inside of a string from pos; returns 1 when it closed. */
static int scan_string(struct split *s)
{
	const char *b = s->buf;
	size_t p = s->pos, end = s->end;
	int esc = s->esc;
	for (; p < end; p++) {
		char c = b[p];
		if (esc)
			esc = 0;
		else if (c == '\\')
			esc = 1;
		else if (c == '"')
			break;
		else if (c == '\n')
			s->line++;
	}
	s->esc = esc;
	if (p == end) {
		s->pos = p;
		return 0;
	}
	s->in_str = 0;
	if (s->wrap_check && s->depth == 1) {
		s->key_start = s->str_start;
		s->key_len = p - s->str_start;
	}
	s->pos = p + 1;
	return 1;
}

/* Element depth: where records start in the current context. */
static int64_t elem_depth(const struct split *s)
{
	return s->ctx == CTX_ARRAY ? 1 : s->ctx == CTX_WRAP ? 2 :
	       s->ctx == CTX_TOP ? 0 : -1;
}

/* A byte between records: returns 1 if it started or ended something the
 * caller must look at again (consumed), 0 to scan it normally, 2 if a
 * record is ready in u, 3 when more data is needed. */
static int between(struct split *s, struct split_unit *u, char c)
{
	if (is_space(c)) {
		if (c == '\n')
			s->line++;
		s->pos++;
		return 1;
	}
	if (s->ctx == CTX_TOP) {
		if (c == '{' || c == '[') {
			s->top_line = s->line;
			if (c == '[') {
				s->ctx = CTX_ARRAY;
				s->depth = 1;
				s->pos++;
				return 1;
			}
			open_unit(s, 0);
			s->wrap_check = !s->values_done || s->wrap_key[0];
			return 0;
		}
		return garbage_line(s, u) ? 2 : 3;
	}
	if (c == ',') {
		s->pos++;
		return 1;
	}
	if (c == ']' || c == '}') {
		s->depth--;
		s->pos++;
		if (s->ctx == CTX_ARRAY)
			top_value_done(s);
		else
			s->ctx = CTX_WRAP_TAIL;
		return 1;
	}
	open_unit(s, elem_depth(s));
	if (c != '{' && c != '[')
		s->scalar = 1;
	return 0;
}

static int scalar_end(char c)
{
	return is_space(c) || c == ',' || c == ']' || c == '}';
}

/* The input ended while scanning values. */
static int end_of_values(struct split *s, struct split_unit *u)
{
	if (s->unit) {
		emit(s, u, s->end, s->scalar && !s->in_str ?
		     "array element is not an object" :
		     "truncated JSON: the input ends inside this record");
		return 1;
	}
	if ((s->ctx != CTX_TOP || s->in_str) && !s->tail_reported) {
		s->tail_reported = 1;
		open_unit(s, 0);
		s->ustart = s->end;
		emit(s, u, s->end, "truncated JSON: the input ends inside the "
		     "top-level array or object");
		return 1;
	}
	return s->read_failed ? -1 : 0;
}

/* Is the key just read at depth 1 the list to stream? */
static int at_wrap_key(const struct split *s)
{
	if (!s->after_colon || s->depth != 1 || !s->wrap_check ||
	    s->key_start + s->key_len > s->end)
		return 0;
	if (s->wrap_key[0])
		return strlen(s->wrap_key) == s->key_len &&
		       !memcmp(s->wrap_key, s->buf + s->key_start, s->key_len);
	return is_wrap_key(s->buf + s->key_start, s->key_len);
}

static void open_bracket(struct split *s, char c)
{
	if (c == '[' && at_wrap_key(s)) {
		descend(s);
		return;
	}
	s->after_colon = 0;
	s->depth++;
	if (s->unit && s->depth - s->udepth > s->umax)
		s->umax = s->depth - s->udepth;
}

/* A closing bracket: 1 when it completed a record (in u). */
static int close_bracket(struct split *s, struct split_unit *u)
{
	s->after_colon = 0;
	s->depth--;
	if (s->unit && s->depth == s->udepth) {
		int top = s->udepth == 0;
		emit(s, u, s->pos, NULL);
		if (top)
			top_value_done(s);
		return 1;
	}
	if (s->ctx == CTX_WRAP_TAIL && s->depth == 0)
		top_value_done(s);
	return 0;
}

/* Scan one byte outside strings at pos: 1 when a record is ready. */
static int scan_byte(struct split *s, struct split_unit *u, char c)
{
	s->pos++;
	switch (c) {
	case '"':
		s->in_str = 1;
		s->str_start = s->pos;
		return 0;
	case '{':
	case '[':
		open_bracket(s, c);
		return 0;
	case '}':
	case ']':
		return close_bracket(s, u);
	case ':':
		if (s->depth == 1)
			s->after_colon = 1;
		return 0;
	case '\n':
		s->line++;
		return 0;
	case ' ': case '\t': case '\r':
		return 0;
	default:
		if (s->depth == 1)
			s->after_colon = 0;
		return 0;
	}
}

/* Scan from pos: 1 record ready, 0 the buffer is used up. */
static int scan_values(struct split *s, struct split_unit *u, int *lines)
{
	while (s->pos < s->end) {
		if (s->lines && s->ctx == CTX_TOP && !s->unit) {
			*lines = 1;
			return 0;
		}
		if (s->in_str && !scan_string(s))
			return 0;
		if (s->pos >= s->end)
			return 0;
		char c = s->buf[s->pos];
		if (s->scalar && !s->in_str && scalar_end(c)) {
			emit(s, u, s->pos, "array element is not an object");
			return 1;
		}
		if (!s->unit && s->ctx != CTX_WRAP_TAIL && s->depth == elem_depth(s)) {
			int r = between(s, u, c);
			if (r == 1)
				continue;
			if (r == 2)
				return 1;
			if (r == 3)
				return 0;
		}
		if (scan_byte(s, u, c))
			return 1;
	}
	return 0;
}

static int next_value(struct split *s, struct split_unit *u)
{
	for (;;) {
		int lines = 0;
		if (scan_values(s, u, &lines))
			return 1;
		if (lines)
			return next_line(s, u);
		if (fill(s) > 0)
			continue;
		return end_of_values(s, u);
	}
}

int split_next(struct split *s, struct split_unit *u)
{
	memset(u, 0, sizeof *u);
	if (s->lines && s->ctx == CTX_TOP)
		return next_line(s, u);
	return next_value(s, u);
}

const char *split_diagnose(const char *data, size_t len, char *buf, size_t n)
{
	int64_t depth = 0, max = 0;
	int in_str = 0, esc = 0;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				max = depth;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	if (max > SPLIT_MAX_NESTING)
		snprintf(buf, n, "nesting too deep (%lld levels; the limit is %d)",
		         (long long)max, SPLIT_MAX_NESTING);
	else if (in_str)
		snprintf(buf, n, "truncated JSON: the record ends inside a string");
	else if (depth > 0)
		snprintf(buf, n, "truncated JSON: %lld bracket(s) never closed",
		         (long long)depth);
	else
		return NULL;
	return buf;
}
