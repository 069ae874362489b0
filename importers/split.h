/*
 * split.h - cut a byte stream into JSON records without parsing it.
 *
 * Accepts JSONL (one value per line), one or more concatenated JSON values,
 * a top-level array (each element is a record), and an object wrapping the
 * list under a known key ("data", "traces", "observations", "requests",
 * "resourceSpans", ...): the list's elements are then the records and the
 * rest of the wrapping object, up to the list, is kept as the "envelope".
 *
 * The scanner tracks strings, escapes and depth with counters only (no
 * recursion, no tree), so memory is bounded by the largest single record:
 * bytes before the current record are dropped as the scan moves on.  A
 * record larger than max_record is skipped and reported as bad.
 */
#ifndef TRACEGROUP_IMPORT_SPLIT_H
#define TRACEGROUP_IMPORT_SPLIT_H

#include <stddef.h>
#include <stdint.h>

struct reader;

enum split_mode {
	SPLIT_AUTO = 0,   /* decide from the first value: one line -> JSONL */
	SPLIT_LINES       /* JSONL from the start (file named *.jsonl) */
};

/* JSON nesting accepted in one record (cJSON's CJSON_NESTING_LIMIT). */
#define SPLIT_MAX_NESTING 1000

struct split_unit {
	const char *data;         /* the record's bytes, valid until the next call */
	size_t len;
	uint64_t line;            /* 1-based line of its first byte */
	uint64_t index;           /* 0-based record index in the file */
	const char *error;        /* non-NULL: bad record, one-line reason;
	                             data then holds (at most) its first bytes */
	const char *envelope;     /* wrapping object minus the list, or NULL */
	size_t envelope_len;
	unsigned envelope_gen;    /* changes whenever the envelope changes */
};

struct split;

/* chunk: read size (and initial buffer size); max_record: largest record. */
struct split *split_new(struct reader *r, enum split_mode mode,
                        size_t chunk, size_t max_record);
/* Next record: 1 (u filled), 0 at the end, -1 on a read error (see
 * split_error; records read before it were all returned). */
int split_next(struct split *s, struct split_unit *u);
const char *split_error(const struct split *s);
/* The largest buffer the scanner ever held, in bytes. */
size_t split_high_water(const struct split *s);
/* No-op on NULL. */
void split_free(struct split *s);

/*
 * Why `data` is not a JSON value, judged by the same scanner: "nesting too
 * deep ...", "truncated ..." or NULL (no structural problem found).  The
 * message is written to buf.
 */
const char *split_diagnose(const char *data, size_t len, char *buf, size_t n);

#endif
