/*
 * sanitize.c - neutralise untrusted text for display (see sanitize.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tui/sanitize.h"

long utf8_decode(const unsigned char *s, size_t n, size_t *used)
{
	long cp;
	size_t need;

	*used = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		need = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		need = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		need = 4, cp = s[0] & 0x07;
	else
		return -1;
	if (n < need)
		return -1;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return -1;
	*used = need;
	return cp;
}

static size_t put_cp(char *o, long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Code points that reorder text or act as controls outside C0. */
static int is_hostile(long cp)
{
	return (cp >= 0x80 && cp <= 0x9F) ||          /* C1, e.g. U+009B CSI */
	       cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) ||      /* embeddings, overrides */
	       (cp >= 0x2066 && cp <= 0x2069) ||      /* isolates */
	       cp == 0x2028 || cp == 0x2029 ||        /* line/paragraph sep. */
	       cp == 0xFEFF;
}

/* Append the display form of one code point; returns bytes written. */
static size_t render(char *o, long cp, int flags)
{
	if (cp == '\n')
		return put_cp(o, flags & SAN_MULTILINE ? '\n' : ' ');
	if (cp == '\t') {
		size_t n = flags & SAN_MULTILINE ? 4 : 1;
		memset(o, ' ', n);
		return n;
	}
	if (cp < 0)                                   /* invalid UTF-8 */
		return put_cp(o, 0xFFFD);
	if (cp < 0x20)
		return put_cp(o, 0x2400 + cp);             /* control pictures */
	if (cp == 0x7F)
		return put_cp(o, 0x2421);
	if (is_hostile(cp))
		return put_cp(o, 0xFFFD);
	return put_cp(o, cp);
}

char *sanitize(const char *s, size_t len, int flags)
{
	/* Worst case: each input byte becomes a 3-byte picture (or 4 spaces). */
	char *out = malloc(len * 4 + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, used;
	int fold = (flags & SAN_FOLD) && !(flags & SAN_MULTILINE), gap = 0;

	if (!out)
		abort();
	while (i < len) {
		long cp = utf8_decode(p + i, len - i, &used);
		i += used;
		if (fold && (cp == ' ' || cp == '\t' || cp == '\n')) {
			gap = o > out;
			continue;
		}
		if (gap)
			*o++ = ' ';
		gap = 0;
		o += render(o, cp, flags);
	}
	*o = '\0';
	return out;
}

char *sanitize_str(const char *s, int flags)
{
	return sanitize(s ? s : "", s ? strlen(s) : 0, flags);
}
