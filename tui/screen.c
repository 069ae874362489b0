/*
 * screen.c - real or virtual curses screen (see screen.h).
 */
#include <curses.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/draw.h"
#include "tui/screen.h"

static SCREEN *scr;
static FILE *null_out, *null_in;

static void common_setup(void)
{
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	draw_init();
}

int screen_open(int virtual_screen, int cols, int rows, char *err,
                size_t errlen)
{
	if (virtual_screen) {
		setenv("TERM", "xterm-256color", 1);
		null_out = fopen("/dev/null", "w");
		null_in = fopen("/dev/null", "r");
		if (!null_out || !null_in) {
			snprintf(err, errlen, "cannot open /dev/null");
			return -1;
		}
		scr = newterm("xterm-256color", null_out, null_in);
	} else {
		scr = newterm(NULL, stdout, stdin);
	}
	if (!scr) {
		snprintf(err, errlen, "cannot initialise the terminal (TERM=%s)",
		         getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	set_term(scr);
	common_setup();
	if (virtual_screen)
		resizeterm(rows, cols);
	return 0;
}

void screen_close(void)
{
	if (!scr)
		return;
	endwin();
	delscreen(scr);
	scr = NULL;
	if (null_out)
		fclose(null_out);
	if (null_in)
		fclose(null_in);
	null_out = null_in = NULL;
}

void screen_resize(int cols, int rows)
{
	resizeterm(rows, cols);
}

static void save_row(FILE *f, int y)
{
	cchar_t *cells = calloc((size_t)COLS + 1, sizeof *cells);
	char *line = malloc((size_t)COLS * MB_LEN_MAX * 5 + 1);
	size_t len = 0, keep = 0;
	int n;

	if (!cells || !line)
		abort();
	n = mvin_wchnstr(y, 0, cells, COLS);
	for (int i = 0; n != ERR && i < COLS; i++) {
		wchar_t wc[CCHARW_MAX + 1];
		attr_t at;
		short pair;
		mbstate_t st;
		if (getcchar(&cells[i], NULL, &at, &pair, NULL) == 0)
			break;
		if (getcchar(&cells[i], wc, &at, &pair, NULL) == ERR || !wc[0])
			break;
		memset(&st, 0, sizeof st);
		for (int k = 0; wc[k]; k++) {
			size_t m = wcrtomb(line + len, wc[k], &st);
			if (m != (size_t)-1)
				len += m;
		}
		if (!(wc[0] == ' ' && !wc[1]))
			keep = len;
	}
	fwrite(line, 1, keep, f);
	fputc('\n', f);
	free(line);
	free(cells);
}

int screen_save(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int y = 0; y < LINES; y++)
		save_row(f, y);
	return fclose(f);
}
