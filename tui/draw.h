/*
 * draw.h - putting text on the curses screen, one display column at a time.
 *
 * Every string drawn here is UTF-8 that already went through sanitize(), or
 * is passed to draw_untrusted(), which sanitises it first.  Widths come from
 * wcwidth(), so CJK and emoji take their two columns and columns line up.
 * Styles map to colours, or to bold/underline/reverse when colour is off
 * (NO_COLOR set, or a terminal without colours).
 */
#ifndef TRACEGROUP_TUI_DRAW_H
#define TRACEGROUP_TUI_DRAW_H

#include <curses.h>
#include <stddef.h>
#include <wchar.h>

enum style {
	STY_NORMAL = 0, STY_HEAD, STY_TITLE, STY_STATUS, STY_CURSOR, STY_MARK,
	STY_DIM, STY_MATCH, STY_ERROR, STY_BAR, STY_KEY,
	STY_SLOT0, STY_SLOT1, STY_SLOT2, STY_SLOT3, STY_SLOT4, STY_SLOT5,
	STY_COUNT
};
#define STY_SLOTS 6

/* Set up colours (unless NO_COLOR).  Call once after the screen exists. */
void draw_init(void);
/* 1 when colours are in use. */
int draw_color(void);
attr_t draw_attr(int style);

/* Display width of one wide character (invalid: 1, for U+FFFD). */
int draw_wcwidth(wchar_t c);
/* Draw sanitised UTF-8 at (y, x) in at most `cols` columns; returns the
 * columns used.  Stops at a newline. */
int draw_text(int y, int x, int cols, const char *s, int style);
/* The same for text from outside: sanitised (one line) first. */
int draw_untrusted(int y, int x, int cols, const char *s, int style);
/* The same as a list's one-line preview: whitespace runs fold to one space. */
int draw_folded(int y, int x, int cols, const char *s, int style);
/* Draw s padded with spaces (in the style) to exactly `cols` columns;
 * untrusted s is drawn as a preview (draw_folded). */
void draw_cell(int y, int x, int cols, const char *s, int style, int untrusted);
/* Fill columns [x, x + cols) of row y with spaces in a style. */
void draw_fill(int y, int x, int cols, int style);
/* printf into a cell (trusted text only). */
void draw_fmt(int y, int x, int cols, int style, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Display width of sanitised UTF-8. */
int draw_width(const char *s);

#endif
