/*
 * text.h - growable byte buffers, UTF-8 repair, JSON string escaping,
 * FNV-1a hashing and timestamp normalisation for the importers.
 *
 * Out of memory: every allocation here aborts the program with a message
 * (the importers have no sensible way to go on without memory).
 */
#ifndef TRACEGROUP_IMPORT_TEXT_H
#define TRACEGROUP_IMPORT_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *s;        /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

void *text_xmalloc(size_t n);
void *text_xrealloc(void *p, size_t n);

void sb_reset(struct sbuf *b);
void sb_free(struct sbuf *b);
void sb_add(struct sbuf *b, const char *s, size_t n);
void sb_adds(struct sbuf *b, const char *s);
void sb_addc(struct sbuf *b, char c);
/* Append `s`, replacing every invalid UTF-8 sequence by U+FFFD. */
void sb_add_utf8(struct sbuf *b, const char *s, size_t n);
/* Append `s` as a quoted JSON string (control characters escaped, invalid
 * UTF-8 replaced by U+FFFD). */
void sb_add_json_str(struct sbuf *b, const char *s, size_t n);

/* Nonzero when s[0..n) is well-formed UTF-8. */
int text_valid_utf8(const char *s, size_t n);

/* 64-bit FNV-1a, and its 16-digit lowercase hex form. */
uint64_t text_fnv1a(const void *data, size_t n, uint64_t seed);
#define TEXT_FNV_SEED 0xcbf29ce484222325ULL
void text_hex64(uint64_t h, char out[17]);

/*
 * Timestamps, written to `out` as "YYYY-MM-DDTHH:MM:SS[.fff]Z" (UTC, the
 * fraction without trailing zeros).  Each returns 0, or -1 (out = "") when
 * the input is not a timestamp it understands.
 *   text_time_iso:   "2025-03-10T01:31:22.813Z", "... 01:31:22+02:00",
 *                    no zone (taken as UTC), date only.
 *   text_time_unix:  seconds since the epoch; values above 1e11 are taken
 *                    as milliseconds, above 1e14 as microseconds.
 *   text_time_nanos: a decimal string of nanoseconds since the epoch.
 */
#define TEXT_TIME_MAX 40
int text_time_iso(const char *s, char out[TEXT_TIME_MAX]);
int text_time_unix(double secs, char out[TEXT_TIME_MAX]);
int text_time_nanos(const char *digits, char out[TEXT_TIME_MAX]);
/* Whichever of the above fits a string: digits only -> unix/nanos by size. */
int text_time_any(const char *s, char out[TEXT_TIME_MAX]);

#endif
