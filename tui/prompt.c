/*
 * prompt.c - the bottom-line prompt (see prompt.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/prompt.h"

static struct prompt *open_common(struct app *a, const char *label,
                                  prompt_fn done, void *arg)
{
	struct prompt *p = calloc(1, sizeof *p);

	if (!p)
		abort();
	free(a->prompt);
	snprintf(p->label, sizeof p->label, "%s", label);
	p->done = done;
	p->arg = arg;
	a->prompt = p;
	return p;
}

void prompt_open(struct app *a, const char *label, const char *init,
                 prompt_fn done, void *arg)
{
	struct prompt *p = open_common(a, label, done, arg);

	if (init) {
		snprintf(p->buf, sizeof p->buf, "%s", init);
		p->len = strlen(p->buf);
	}
}

void prompt_confirm(struct app *a, const char *question, prompt_fn done,
                    void *arg)
{
	open_common(a, question, done, arg)->confirm = 1;
}

static void finish(struct app *a, int ok)
{
	struct prompt *p = a->prompt;
	char text[sizeof p->buf];
	prompt_fn done = p->done;
	void *arg = p->arg;

	memcpy(text, p->buf, p->len);
	text[p->len] = '\0';
	free(p);
	a->prompt = NULL;
	done(a, ok ? text : NULL, arg);
}

static void backspace(struct prompt *p)
{
	while (p->len > 0) {
		unsigned char c = (unsigned char)p->buf[--p->len];
		if ((c & 0xC0) != 0x80)
			break;
	}
}

void prompt_key(struct app *a, int key, int is_char)
{
	struct prompt *p = a->prompt;

	if (p->confirm) {
		if (is_char && (key == 'y' || key == 'Y')) {
			strcpy(p->buf, "y");
			p->len = 1;
			finish(a, 1);
		} else {
			finish(a, 0);
		}
		return;
	}
	if (is_char && (key == '\n' || key == '\r'))
		finish(a, 1);
	else if ((is_char && (key == 27 || key == CTRL_('c') || key == CTRL_('g'))))
		finish(a, 0);
	else if ((!is_char && key == KEY_ENTER))
		finish(a, 1);
	else if ((!is_char && key == KEY_BACKSPACE) ||
	         (is_char && (key == 127 || key == 8))) {
		if (p->len == 0)
			finish(a, 0);
		else
			backspace(p);
	} else if (is_char && key == CTRL_('u')) {
		p->len = 0;
	} else if (is_char && key >= 0x20 && key != 127) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n;
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, (wchar_t)key, &st);
		if (n != (size_t)-1 && p->len + n < sizeof p->buf) {
			memcpy(p->buf + p->len, mb, n);
			p->len += n;
		}
	}
}

void prompt_draw(struct app *a)
{
	struct prompt *p = a->prompt;
	int y = LINES - 1, x, room;
	char *text;
	int w;

	x = draw_text(y, 0, COLS, p->label, STY_KEY);
	room = COLS - x - 1;
	if (room < 1)
		return;
	text = malloc(p->len + 1);
	if (!text)
		abort();
	memcpy(text, p->buf, p->len);
	text[p->len] = '\0';
	/* Show the tail when the text is wider than the room. */
	{
		const char *s = text;
		while (*s && draw_width(s) > room)
			do s++; while ((*s & 0xC0) == 0x80);
		w = draw_untrusted(y, x, room, s, STY_NORMAL);
	}
	draw_fill(y, x + w, COLS - x - w, STY_NORMAL);
	move(y, x + w);
	free(text);
}

void prompt_cancel(struct app *a)
{
	if (a->prompt)
		finish(a, 0);
}
