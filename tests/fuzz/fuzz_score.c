/*
 * fuzz_score.c - libFuzzer harness for similarity and alignment.
 *
 * Input: a template (rendered form; a text that does not parse is taken
 * as a literal), a 0 byte, a text, a 0 byte, then slot values separated
 * by 0x01 bytes.  Checked, per engine.h:
 *   - tmpl_score(t, text) is in [0,1] (never NaN);
 *   - tmpl_extract and tmpl_extract_spans agree on whether the text fits;
 *     when it fits they return tmpl_nslots(t) values, the spans are in
 *     order, inside the text and non-empty, the values are those spans,
 *     and the text scores 1;
 *   - a text built by filling t's slots with non-empty values fits t and
 *     scores 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "tests/fuzz/fuzz.h"

/* Fill rendered template r with values (cycled); caller frees. */
static char *fill(const char *r, const char *const *vals, const size_t *lens,
                  size_t nv, size_t *outlen)
{
	size_t cap = strlen(r) + 1, n = 0, slot = 0;
	char *out;

	for (size_t i = 0; i < nv; i++)
		cap += lens[i] * (strlen(r) / 7 + 1);
	out = malloc(cap);
	for (size_t i = 0; r[i];) {
		if ((r[i] == '{' && r[i + 1] == '{') || (r[i] == '}' && r[i + 1] == '}')) {
			out[n++] = r[i];
			i += 2;
		} else if (r[i] == '{') {
			size_t v = slot++ % nv;
			memcpy(out + n, vals[v], lens[v]);
			n += lens[v];
			i = (size_t)(strchr(r + i, '}') - r) + 1;
		} else {
			out[n++] = r[i++];
		}
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

static void check_fit(const struct tmpl *t, const char *text, size_t len)
{
	char **vals = NULL;
	size_t *spans = NULL;
	int n = tmpl_extract(t, text, len, &vals);
	int m = tmpl_extract_spans(t, text, len, &spans);
	double sc = tmpl_score(t, text, len);

	FUZZ_CHECK(sc >= 0.0 && sc <= 1.0, "score %g", sc);
	FUZZ_CHECK((n < 0) == (m < 0), "extract %d, spans %d", n, m);
	if (n < 0) {
		FUZZ_CHECK(!vals && !spans, "no fit but arrays set");
		return;
	}
	FUZZ_CHECK((size_t)n == tmpl_nslots(t) && n == m, "n %d m %d slots %zu",
	           n, m, tmpl_nslots(t));
	FUZZ_CHECK(sc == 1.0, "fits but scores %g", sc);
	for (int i = 0; i < n; i++) {
		size_t a = spans[2 * i], b = spans[2 * i + 1];
		FUZZ_CHECK(a < b && b <= len, "span %zu..%zu of %zu", a, b, len);
		if (i)
			FUZZ_CHECK(a >= spans[2 * i - 1], "spans overlap");
		FUZZ_CHECK(strlen(vals[i]) == b - a && !memcmp(vals[i], text + a, b - a),
		           "value %d differs from its span", i);
		free(vals[i]);
	}
	free(vals);
	free(spans);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *z1 = memchr(s, 0, size), *z2;
	const char *vals[16];
	size_t lens[16], nv = 0;
	struct tmpl *t;

	if (!z1 || !(z2 = memchr(z1 + 1, 0, size - (size_t)(z1 + 1 - s))))
		return 0;
	size_t tlen = (size_t)(z1 - s), xlen = (size_t)(z2 - z1 - 1);
	const char *text = z1 + 1;
	t = tmpl_parse(s, tlen);
	if (!t)
		t = tmpl_literal(s, tlen);
	check_fit(t, text, xlen);

	for (const char *p = z2 + 1, *end = s + size; p < end && nv < 16;) {
		const char *q = memchr(p, 1, (size_t)(end - p));
		if (!q)
			q = end;
		if (q > p && !memchr(p, 0, (size_t)(q - p))) {
			vals[nv] = p;
			lens[nv++] = (size_t)(q - p);
		}
		p = q + 1;
	}
	if (nv && tmpl_nslots(t)) {
		char *r = tmpl_render(t);
		if (strlen(r) < 4096 && !memchr(s, 0, tlen)) {
			size_t flen;
			char *f = fill(r, vals, lens, nv, &flen);
			double sc = tmpl_score(t, f, flen);
			FUZZ_CHECK(sc == 1.0, "filled template scores %g: %.200s", sc, f);
			check_fit(t, f, flen);
			free(f);
		}
		free(r);
	}
	tmpl_free(t);
	return 0;
}
