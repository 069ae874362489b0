/*
 * spans.c - where each slot's value sits in a text that fits a template.
 *
 * Storing offsets instead of copies keeps the extracted variables of a
 * 20 KB pasted document to a few bytes per trace; the text itself is stored
 * once already.
 */
#include <stdlib.h>

#include "engine/engine.h"
#include "engine/template.h"

int tmpl_extract_spans(const struct tmpl *t, const char *text, size_t len,
                       size_t **spans)
{
	size_t n = tmpl_nslots(t);
	size_t *b = malloc((2 * n + 1) * sizeof *b);

	*spans = NULL;
	if (!b)
		abort();
	if (!tmpl_fits(t, text, len, b)) {
		free(b);
		return -1;
	}
	*spans = b;
	return (int)n;
}
