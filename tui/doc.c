/*
 * doc.c - styled, wrapped text (see doc.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui/doc.h"
#include "tui/draw.h"
#include "tui/sanitize.h"

void doc_init(struct doc *d)
{
	memset(d, 0, sizeof *d);
}

void doc_free(struct doc *d)
{
	free(d->ch);
	free(d->sty);
	free(d->rows);
	doc_init(d);
}

void doc_clear(struct doc *d)
{
	d->n = 0;
	d->width = 0;
	d->nrows = 0;
}

static void grow(struct doc *d, size_t more)
{
	if (d->n + more <= d->cap)
		return;
	while (d->n + more > d->cap)
		d->cap = d->cap ? d->cap * 2 : 1024;
	d->ch = realloc(d->ch, d->cap * sizeof *d->ch);
	d->sty = realloc(d->sty, d->cap);
	if (!d->ch || !d->sty)
		abort();
}

void doc_add(struct doc *d, const char *s, int style)
{
	mbstate_t st;
	size_t len = strlen(s), used = 0;

	memset(&st, 0, sizeof st);
	grow(d, len + 1);
	while (used < len) {
		wchar_t c;
		size_t k = mbrtowc(&c, s + used, len - used, &st);
		if (k == (size_t)-1 || k == (size_t)-2) {
			c = 0xFFFD;
			k = 1;
			memset(&st, 0, sizeof st);
		}
		if (k == 0)
			break;
		d->ch[d->n] = c;
		d->sty[d->n++] = (unsigned char)style;
		used += k;
	}
	d->width = 0;
}

void doc_addf(struct doc *d, int style, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	doc_add(d, buf, style);
}

void doc_add_untrusted(struct doc *d, const char *s, int style)
{
	char *clean = sanitize_str(s, SAN_MULTILINE);
	doc_add(d, clean, style);
	free(clean);
}

static void push_row(struct doc *d, size_t start)
{
	if (d->nrows == d->rows_cap) {
		d->rows_cap = d->rows_cap ? d->rows_cap * 2 : 256;
		d->rows = realloc(d->rows, d->rows_cap * sizeof *d->rows);
		if (!d->rows)
			abort();
	}
	d->rows[d->nrows++] = start;
}

void doc_layout(struct doc *d, int width)
{
	int col = 0;

	if (width < 1)
		width = 1;
	if (d->width == width)
		return;
	d->nrows = 0;
	d->width = width;
	push_row(d, 0);
	for (size_t i = 0; i < d->n; i++) {
		int w;
		if (d->ch[i] == '\n') {
			push_row(d, i + 1);
			col = 0;
			continue;
		}
		w = draw_wcwidth(d->ch[i]);
		if (col + w > width) {
			push_row(d, i);
			col = 0;
		}
		col += w;
	}
	if (d->n && d->ch[d->n - 1] == '\n')
		d->nrows--;                     /* no empty row after a final newline */
}

static size_t row_end(const struct doc *d, size_t r)
{
	return r + 1 < d->nrows ? d->rows[r + 1] : d->n;
}

void doc_draw(struct doc *d, int top, int y, int h, int width)
{
	doc_layout(d, width);
	for (int i = 0; i < h; i++) {
		size_t r = (size_t)(top + i), col = 0;
		move(y + i, 0);
		if (top + i >= 0 && r < d->nrows) {
			for (size_t k = d->rows[r]; k < row_end(d, r); k++) {
				cchar_t cc;
				wchar_t s[2] = { d->ch[k], 0 };
				attr_t a = draw_attr(d->sty[k]);
				if (s[0] == '\n')
					break;
				if (wcwidth(s[0]) < 0)
					s[0] = 0xFFFD;
				setcchar(&cc, s, a, PAIR_NUMBER(a), NULL);
				add_wch(&cc);
				col += (size_t)draw_wcwidth(s[0]);
			}
		}
		if ((int)col < width)
			draw_fill(y + i, (int)col, width - (int)col, STY_NORMAL);
	}
}

static int match_at(const struct doc *d, size_t i, const wchar_t *pat, size_t m)
{
	if (i + m > d->n)
		return 0;
	for (size_t k = 0; k < m; k++)
		if (towlower((wint_t)d->ch[i + k]) != towlower((wint_t)pat[k]))
			return 0;
	return 1;
}

static int row_of(const struct doc *d, size_t i)
{
	size_t lo = 0, hi = d->nrows;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (d->rows[mid] <= i)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo;
}

int doc_search(struct doc *d, const wchar_t *pat, int from, int dir)
{
	size_t m = wcslen(pat);
	int best = -1;

	if (!m || !d->nrows)
		return -1;
	for (size_t i = 0; i + m <= d->n; i++) {
		int r;
		if (!match_at(d, i, pat, m))
			continue;
		for (size_t k = 0; k < m; k++)
			d->sty[i + k] = STY_MATCH;
		r = row_of(d, i);
		if (dir > 0 && r > from && (best < 0 || r < best))
			best = r;
		if (dir < 0 && r < from && r > best)
			best = r;
	}
	return best;
}
