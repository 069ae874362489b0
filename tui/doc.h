/*
 * doc.h - a styled text document that wraps to the screen width.
 *
 * The detail view, the pagers (command output, previews) and the help
 * screen build a doc from pieces of text, each with a style, then show it
 * wrapped to the window, scrolled and searched.  Text appended with
 * doc_add_untrusted() is sanitised (multi-line) first; doc_add() takes text
 * that is already safe.  The doc owns its memory: doc_free().
 */
#ifndef TRACEGROUP_TUI_DOC_H
#define TRACEGROUP_TUI_DOC_H

#include <stddef.h>
#include <wchar.h>

struct doc {
	wchar_t *ch;               /* the text, newlines included */
	unsigned char *sty;        /* style per character */
	size_t n, cap;
	size_t *rows;              /* layout: start of each screen row */
	size_t nrows, rows_cap;
	int width;                 /* width of the current layout, 0: none */
};

void doc_init(struct doc *d);
void doc_free(struct doc *d);
void doc_clear(struct doc *d);
/* Append safe UTF-8 text in a style. */
void doc_add(struct doc *d, const char *s, int style);
void doc_addf(struct doc *d, int style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append untrusted text: sanitised, newlines kept. */
void doc_add_untrusted(struct doc *d, const char *s, int style);
/* Wrap to `width` columns (no-op when already laid out at that width). */
void doc_layout(struct doc *d, int width);
/* Draw rows [top, top + h) at screen rows y.. y + h - 1. */
void doc_draw(struct doc *d, int top, int y, int h, int width);
/* Row of the next (dir > 0) or previous match of `pat` (case-insensitive)
 * strictly after/before row `from`; -1 when none.  Highlights matches. */
int doc_search(struct doc *d, const wchar_t *pat, int from, int dir);

#endif
