/*
 * draw.c - text on the screen with wcwidth-correct columns (see draw.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/sanitize.h"

static int use_color;

void draw_init(void)
{
	const char *nc = getenv("NO_COLOR");
	static const short slot_fg[STY_SLOTS] = {
		COLOR_YELLOW, COLOR_CYAN, COLOR_GREEN, COLOR_MAGENTA, COLOR_RED,
		COLOR_BLUE };

	use_color = !(nc && *nc) && has_colors();
	if (!use_color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_BLUE, -1);          /* head */
	init_pair(2, COLOR_BLACK, COLOR_CYAN); /* title/status */
	init_pair(3, COLOR_GREEN, -1);         /* mark */
	init_pair(4, COLOR_RED, -1);           /* error */
	init_pair(5, COLOR_GREEN, -1);         /* bar */
	init_pair(6, COLOR_BLACK, COLOR_YELLOW); /* match */
	for (int i = 0; i < STY_SLOTS; i++)
		init_pair((short)(10 + i), slot_fg[i], -1);
}

int draw_color(void)
{
	return use_color;
}

attr_t draw_attr(int style)
{
	if (style >= STY_SLOT0 && style < STY_SLOT0 + STY_SLOTS)
		return A_UNDERLINE | A_BOLD |
		       (use_color ? COLOR_PAIR(10 + style - STY_SLOT0) : 0);
	switch (style) {
	case STY_HEAD:   return A_BOLD | (use_color ? COLOR_PAIR(1) : 0);
	case STY_TITLE:
	case STY_STATUS: return use_color ? COLOR_PAIR(2) : A_REVERSE;
	case STY_CURSOR: return A_REVERSE;
	case STY_MARK:   return A_BOLD | (use_color ? COLOR_PAIR(3) : 0);
	case STY_DIM:    return A_DIM;
	case STY_MATCH:  return use_color ? COLOR_PAIR(6) : A_REVERSE | A_UNDERLINE;
	case STY_ERROR:  return A_BOLD | (use_color ? COLOR_PAIR(4) : 0);
	case STY_BAR:    return use_color ? COLOR_PAIR(5) : A_BOLD;
	case STY_KEY:    return A_BOLD;
	default:         return A_NORMAL;
	}
}

int draw_wcwidth(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

/* Put one character; unprintable ones become U+FFFD. */
static void put_wc(wchar_t c, attr_t a)
{
	cchar_t cc;
	wchar_t s[2] = { c, 0 };

	if (wcwidth(c) < 0)
		s[0] = 0xFFFD;
	setcchar(&cc, s, a, PAIR_NUMBER(a), NULL);
	add_wch(&cc);
}

int draw_text(int y, int x, int cols, const char *s, int style)
{
	attr_t a = draw_attr(style);
	mbstate_t st;
	size_t len = strlen(s), used = 0;
	int col = 0;

	memset(&st, 0, sizeof st);
	move(y, x);
	while (used < len && col < cols) {
		wchar_t c;
		size_t n = mbrtowc(&c, s + used, len - used, &st);
		int w;
		if (n == (size_t)-1 || n == (size_t)-2) {
			c = 0xFFFD;
			n = 1;
			memset(&st, 0, sizeof st);
		}
		if (c == '\n' || n == 0)
			break;
		w = draw_wcwidth(c);
		if (w == 0 && col == 0) {          /* a mark with no base */
			used += n;
			continue;
		}
		if (col + w > cols)
			break;
		put_wc(c, a);
		col += w;
		used += n;
	}
	return col;
}

static int draw_sanitized(int y, int x, int cols, const char *s, int style,
                          int flags)
{
	char *clean = sanitize_str(s, flags);
	int n = draw_text(y, x, cols, clean, style);
	free(clean);
	return n;
}

int draw_untrusted(int y, int x, int cols, const char *s, int style)
{
	return draw_sanitized(y, x, cols, s, style, SAN_ONELINE);
}

int draw_folded(int y, int x, int cols, const char *s, int style)
{
	return draw_sanitized(y, x, cols, s, style, SAN_ONELINE | SAN_FOLD);
}

void draw_fill(int y, int x, int cols, int style)
{
	attr_t a = draw_attr(style);

	move(y, x);
	for (int i = 0; i < cols; i++)
		put_wc(' ', a);
}

void draw_cell(int y, int x, int cols, const char *s, int style, int untrusted)
{
	int n;

	if (cols <= 0)
		return;
	n = untrusted ? draw_folded(y, x, cols, s ? s : "", style)
	              : draw_text(y, x, cols, s ? s : "", style);
	if (n < cols)
		draw_fill(y, x + n, cols - n, style);
}

void draw_fmt(int y, int x, int cols, int style, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	draw_cell(y, x, cols, buf, style, 0);
}

int draw_width(const char *s)
{
	mbstate_t st;
	size_t len = strlen(s), used = 0;
	int col = 0;

	memset(&st, 0, sizeof st);
	while (used < len) {
		wchar_t c;
		size_t n = mbrtowc(&c, s + used, len - used, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			c = 0xFFFD;
			n = 1;
			memset(&st, 0, sizeof st);
		}
		if (n == 0)
			break;
		col += draw_wcwidth(c);
		used += n;
	}
	return col;
}
