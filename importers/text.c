/*
 * text.c - byte buffers, UTF-8 repair, JSON escaping, hashing, timestamps.
 * See text.h.
 */
#include "importers/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char REPLACEMENT[] = "\xEF\xBF\xBD";   /* U+FFFD */

void *text_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "tracegroup: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

void *text_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "tracegroup: out of memory (%zu bytes)\n", n);
		abort();
	}
	return q;
}

static void sb_grow(struct sbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->s = text_xrealloc(b->s, cap);
	b->cap = cap;
}

void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_adds(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

void sb_addc(struct sbuf *b, char c)
{
	sb_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

/* Length of the well-formed UTF-8 sequence at s (n bytes left), 0 if the
 * bytes there are not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;                 /* overlong */
		if (c == 0xED && s[1] > 0x9F)
			return 0;                 /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] > 0x8F)
			return 0;
		return 4;
	}
	return 0;
}

int text_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_seq(p + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

void sb_add_utf8(struct sbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	sb_grow(b, n);
	while (i < n) {
		size_t k = p[i] < 0x80 ? 1 : utf8_seq(p + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		sb_add(b, s + run, i - run);
		sb_add(b, REPLACEMENT, 3);
		run = ++i;
	}
	sb_add(b, s + run, n - run);
}

void sb_add_json_str(struct sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	sb_grow(b, n + 2);
	sb_addc(b, '"');
	while (i < n) {
		unsigned c = p[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		size_t k = c >= 0x80 ? utf8_seq(p + i, n - i) : 0;
		if (k) {
			i += k;
			continue;
		}
		sb_add(b, s + run, i - run);
		if (c >= 0x80) {
			sb_add(b, REPLACEMENT, 3);
		} else if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			sb_add(b, e, 2);
		} else if (c == '\n') {
			sb_add(b, "\\n", 2);
		} else if (c == '\t') {
			sb_add(b, "\\t", 2);
		} else if (c == '\r') {
			sb_add(b, "\\r", 2);
		} else {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sb_add(b, e, 6);
		}
		run = ++i;
	}
	sb_add(b, s + run, n - run);
	sb_addc(b, '"');
}

uint64_t text_fnv1a(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void text_hex64(uint64_t h, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* Format epoch seconds plus a fraction given as digits (may be ""). */
static int format_epoch(int64_t secs, const char *frac, size_t nfrac,
                        char out[TEXT_TIME_MAX])
{
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		out[0] = '\0';
		return -1;
	}
	while (nfrac && frac[nfrac - 1] == '0')
		nfrac--;
	if (nfrac > 9)
		nfrac = 9;
	snprintf(out, TEXT_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%s%.*sZ",
	         y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
	         (int)(rem % 60), nfrac ? "." : "", (int)nfrac, frac);
	return 0;
}

static int digits(const char *s, int n, int *val)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*val = v;
	return 0;
}

/* Parse an optional zone ("Z", "+HH:MM", "+HHMM", "+HH", "" = UTC) into
 * seconds east of UTC. */
static int parse_zone(const char *p, int *offset)
{
	int hh = 0, mm = 0;
	*offset = 0;
	while (*p == ' ')
		p++;
	if (*p == '\0' || ((*p == 'Z' || *p == 'z') && p[1] == '\0'))
		return 0;
	if (strcmp(p, "UTC") == 0 || strcmp(p, "GMT") == 0)
		return 0;
	if ((*p != '+' && *p != '-') || digits(p + 1, 2, &hh) < 0)
		return -1;
	const char *q = p + 3;
	if (*q == ':')
		q++;
	if (*q && (digits(q, 2, &mm) < 0 || q[2] != '\0'))
		return -1;
	*offset = (hh * 3600 + mm * 60) * (*p == '-' ? -1 : 1);
	return 0;
}

int text_time_iso(const char *s, char out[TEXT_TIME_MAX])
{
	int y, mo, d, h = 0, mi = 0, se = 0, off = 0;
	const char *frac = "", *p;
	size_t nfrac = 0;
	out[0] = '\0';
	if (!s || strlen(s) < 10 || digits(s, 4, &y) < 0 || s[4] != '-' ||
	    digits(s + 5, 2, &mo) < 0 || s[7] != '-' || digits(s + 8, 2, &d) < 0)
		return -1;
	p = s + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (digits(p + 1, 2, &h) < 0 || p[3] != ':' ||
		    digits(p + 4, 2, &mi) < 0)
			return -1;
		p += 6;
		if (*p == ':') {
			if (digits(p + 1, 2, &se) < 0)
				return -1;
			p += 3;
		}
		if (*p == '.' || *p == ',') {
			frac = ++p;
			while (isdigit((unsigned char)*p))
				p++;
			nfrac = (size_t)(p - frac);
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	if (parse_zone(p, &off) < 0)
		return -1;
	int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	               h * 3600 + mi * 60 + se - off;
	return format_epoch(secs, frac, nfrac, out);
}

int text_time_unix(double secs, char out[TEXT_TIME_MAX])
{
	char frac[24];
	out[0] = '\0';
	if (!(secs > -1e12 && secs < 1e19))
		return -1;
	if (secs > 1e14)
		secs /= 1e6;
	else if (secs > 1e11)
		secs /= 1e3;
	double whole = secs >= 0 ? (double)(int64_t)secs : (double)(int64_t)secs - 1;
	long micros = (long)((secs - whole) * 1e6 + 0.5);
	if (micros >= 1000000) {
		whole += 1;
		micros -= 1000000;
	}
	snprintf(frac, sizeof frac, "%06ld", micros);
	return format_epoch((int64_t)whole, frac, 6, out);
}

int text_time_nanos(const char *s, char out[TEXT_TIME_MAX])
{
	size_t n = s ? strlen(s) : 0;
	char frac[10];
	out[0] = '\0';
	if (n == 0 || n > 19)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	unsigned long long v = strtoull(s, NULL, 10);
	snprintf(frac, sizeof frac, "%09llu", v % 1000000000ULL);
	return format_epoch((int64_t)(v / 1000000000ULL), frac, 9, out);
}

int text_time_any(const char *s, char out[TEXT_TIME_MAX])
{
	size_t n = s ? strlen(s) : 0;
	size_t nd = strspn(s ? s : "", "0123456789");
	if (n && nd == n)
		return n >= 17 ? text_time_nanos(s, out) :
		                 text_time_unix(strtod(s, NULL), out);
	if (n && nd + 1 < n && s[nd] == '.' &&
	    strspn(s + nd + 1, "0123456789") == n - nd - 1)
		return text_time_unix(strtod(s, NULL), out);
	return text_time_iso(s, out);
}
