/*
 * template_norm.h - how the evaluation compares templates, in one place.
 *
 * Template accuracy compares an inferred template with the truth after
 * normalising both: runs of whitespace become one space (none at the ends),
 * every slot ("{var_N}" in ours, "<*>" in Loghub's) becomes "<*>", adjacent
 * slots merge, and our doubled braces become single ones.  bench/score.c
 * (through the product) and bench/eval_engine.c (engine only) both include
 * this, so their template accuracy cannot drift apart.
 */
#ifndef TRACEGROUP_BENCH_TEMPLATE_NORM_H
#define TRACEGROUP_BENCH_TEMPLATE_NORM_H

#include <stdlib.h>
#include <string.h>

enum syntax { RAW, OURS, LOGHUB };

static inline int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Length of a slot at s in syntax `syn`, or 0. */
static inline size_t slot_len(const char *s, enum syntax syn)
{
	size_t k = 5;
	if (syn == LOGHUB)
		return strncmp(s, "<*>", 3) ? 0 : 3;
	if (syn != OURS || strncmp(s, "{var_", 5))
		return 0;
	while (s[k] >= '0' && s[k] <= '9')
		k++;
	return k > 5 && s[k] == '}' ? k + 1 : 0;
}

/* Normalised copy of s; caller frees.  Exits on out of memory. */
static inline char *normalise(const char *s, enum syntax syn)
{
	size_t n = strlen(s), i = 0, o = 0, k;
	char *d = malloc(n + 4);
	int space = 0;
	if (!d)
		exit(2);
	while (i < n) {
		if (syn == OURS && (s[i] == '{' || s[i] == '}') && s[i + 1] == s[i]) {
			if (space)
				d[o++] = ' ';
			space = 0;
			d[o++] = s[i];
			i += 2;
		} else if ((k = slot_len(s + i, syn)) > 0) {
			int after_slot = o >= 3 && !memcmp(d + o - 3, "<*>", 3);
			if (!after_slot) {
				if (space)
					d[o++] = ' ';
				memcpy(d + o, "<*>", 3);
				o += 3;
			}
			space = 0;
			i += k;
		} else if (is_space(s[i])) {
			space = o > 0;
			i++;
		} else {
			if (space)
				d[o++] = ' ';
			space = 0;
			d[o++] = s[i++];
		}
	}
	d[o] = '\0';
	return d;
}

/* Undo the truth files' escapes (\n, \t, \\) in place. */
static inline void unescape(char *s)
{
	char *d = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*d++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

#endif
