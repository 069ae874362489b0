/*
 * fuzz_tmpl.c - libFuzzer harness for the template text form.
 *
 * engine.h: tmpl_render(tmpl_parse(s)) == s for every rendered template s;
 * adjacent slots merge; slots are numbered from 0 in order.  Checked:
 *   - parse never crashes and rejects only lone braces;
 *   - render(parse(s)) reparses, and rendering again gives the same text
 *     (the rendered form is a fixed point);
 *   - render(parse(s)) == s when s is already canonical (slots {var_0},
 *     {var_1}, ... in order, never adjacent, no leading zeros);
 *   - tmpl_literal(s) renders to a text that parses back to a template
 *     without slots whose render is the same, and s scores 1 against it.
 * Inputs holding a NUL byte only run for crashes: rendered templates are C
 * strings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "tests/fuzz/fuzz.h"

/* Is s exactly what render would print for its own parse? */
static int canonical(const char *s, size_t n)
{
	size_t i = 0, next = 0;
	int last_slot = 0;

	while (i < n) {
		if (s[i] == '{' && i + 1 < n && s[i + 1] == '{') {
			i += 2; last_slot = 0;
		} else if (s[i] == '}' && i + 1 < n && s[i + 1] == '}') {
			i += 2; last_slot = 0;
		} else if (s[i] == '{') {
			char want[32];
			int k = snprintf(want, sizeof want, "{var_%zu}", next);
			if (last_slot || n - i < (size_t)k || memcmp(s + i, want, (size_t)k))
				return 0;
			i += (size_t)k; next++; last_slot = 1;
		} else if (s[i] == '}') {
			return 0;
		} else {
			i++; last_slot = 0;
		}
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct tmpl *t = tmpl_parse(s, size), *t2, *lit, *lit2;
	int has_nul = memchr(data, 0, size) != NULL;
	char *r, *r2, *lr, *lr2;

	if (t) {
		r = tmpl_render(t);
		if (!has_nul) {
			t2 = tmpl_parse(r, strlen(r));
			FUZZ_CHECK(t2, "render does not reparse: %.200s", r);
			r2 = tmpl_render(t2);
			FUZZ_CHECK(strcmp(r, r2) == 0, "render not a fixed point");
			FUZZ_CHECK(tmpl_nslots(t2) == tmpl_nslots(t), "slot count");
			if (canonical(s, size))
				FUZZ_CHECK(strlen(r) == size && memcmp(r, s, size) == 0,
				           "canonical text does not round-trip: %.200s", r);
			free(r2);
			tmpl_free(t2);
		}
		free(r);
		tmpl_free(t);
	} else {
		FUZZ_CHECK(memchr(data, '{', size) || memchr(data, '}', size),
		           "rejected a text without braces");
	}
	if (has_nul || size == 0)
		return 0;
	lit = tmpl_literal(s, size);
	FUZZ_CHECK(tmpl_nslots(lit) == 0, "literal has slots");
	lr = tmpl_render(lit);
	lit2 = tmpl_parse(lr, strlen(lr));
	FUZZ_CHECK(lit2 && tmpl_nslots(lit2) == 0, "literal render does not reparse");
	lr2 = tmpl_render(lit2);
	FUZZ_CHECK(strcmp(lr, lr2) == 0, "literal render not a fixed point");
	double sc = tmpl_score(lit, s, size);
	FUZZ_CHECK(sc == 1.0, "a text scores %g against its own literal", sc);
	free(lr);
	free(lr2);
	tmpl_free(lit);
	tmpl_free(lit2);
	return 0;
}
