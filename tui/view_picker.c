/*
 * view_picker.c - choose a task: type to narrow the list (name or template
 * contains the text), arrows or C-n/C-p to move, Enter to choose, Esc to
 * give up.  Rows are read a page at a time through the store's search.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/sanitize.h"
#include "tui/tasklist.h"

struct picker {
	struct task_list list;
	int sel, top;
	void (*done)(struct app *a, int64_t task_id, void *arg);
	void *arg;
	int finished;
	struct app *app;
};

static void clamp(struct picker *p, int h)
{
	tasklist_ensure(&p->list, (size_t)(p->sel + h + 1));
	if (p->sel >= (int)p->list.n)
		p->sel = (int)p->list.n - 1;
	if (p->sel < 0)
		p->sel = 0;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + h)
		p->top = p->sel - h + 1;
}

static void picker_draw(struct view *v, struct app *a, int y, int h)
{
	struct picker *p = v->priv;
	int x;

	(void)a;
	x = draw_text(y, 0, COLS, "Search: ", STY_KEY);
	x += draw_untrusted(y, x, COLS - x, p->list.search, STY_NORMAL);
	draw_text(y, x, COLS - x, "▏", STY_NORMAL);
	clamp(p, h - 1);
	for (int i = 0; i < h - 1 && p->top + i < (int)p->list.n; i++) {
		const struct task_item *k = &p->list.rows[p->top + i];
		int sty = p->top + i == p->sel ? STY_CURSOR : STY_NORMAL;
		char buf[40];
		int w;
		snprintf(buf, sizeof buf, "%6lld %7lld  ", (long long)k->id,
		         (long long)k->count);
		draw_cell(y + 1 + i, 0, 16, buf, sty, 0);
		draw_cell(y + 1 + i, 16, 24, k->name, sty, 1);
		draw_cell(y + 1 + i, 40, 1, " ", sty, 0);
		/* the project, so a trace is not moved across one unawares */
		draw_cell(y + 1 + i, 41, 13, k->project, sty, 1);
		draw_cell(y + 1 + i, 54, 1, " ", sty, 0);
		w = COLS - 55;
		if (w > 0)
			draw_cell(y + 1 + i, 55, w, k->tmpl, sty, 1);
	}
	if (!p->list.n)
		draw_text(y + 1, 2, COLS - 2, "(no task matches)", STY_DIM);
}

static void choose(struct view *v, struct app *a, int64_t id)
{
	struct picker *p = v->priv;
	void (*done)(struct app *, int64_t, void *) = p->done;
	void *arg = p->arg;

	p->finished = 1;
	app_pop(a);                        /* frees v */
	done(a, id, arg);
}

static void requery(struct picker *p)
{
	tasklist_reset(&p->list);
	p->sel = p->top = 0;
}

static int picker_key(struct view *v, struct app *a, int key, int is_char)
{
	struct picker *p = v->priv;
	size_t len = strlen(p->list.search);

	if (is_char && (key == '\n' || key == '\r')) {
		choose(v, a, p->list.n ? p->list.rows[p->sel].id : 0);
	} else if (is_char && (key == 27 || key == CTRL_('c') || key == CTRL_('g'))) {
		choose(v, a, 0);
	} else if ((!is_char && key == KEY_DOWN) || (is_char && key == CTRL_('n'))) {
		p->sel++;
	} else if ((!is_char && key == KEY_UP) || (is_char && key == CTRL_('p'))) {
		p->sel--;
	} else if (!is_char && key == KEY_NPAGE) {
		p->sel += app_body_rows() - 2;
	} else if (!is_char && key == KEY_PPAGE) {
		p->sel -= app_body_rows() - 2;
	} else if ((!is_char && key == KEY_BACKSPACE) ||
	           (is_char && (key == 127 || key == 8))) {
		while (len > 0 && ((unsigned char)p->list.search[--len] & 0xC0) == 0x80)
			;
		p->list.search[len] = '\0';
		requery(p);
	} else if (is_char && key >= 0x20) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n;
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, (wchar_t)key, &st);
		if (n != (size_t)-1 && len + n < sizeof p->list.search) {
			memcpy(p->list.search + len, mb, n);
			p->list.search[len + n] = '\0';
			requery(p);
		}
	} else if (!is_char && key == KEY_RESIZE) {
		return 0;
	}
	return 1;
}

static void picker_reload(struct view *v, struct app *a)
{
	(void)a;
	requery(v->priv);
}

static void picker_free(struct view *v)
{
	struct picker *p = v->priv;

	if (!p->finished)                  /* closed some other way: give up */
		p->done(p->app, 0, p->arg);
	tasklist_free(&p->list);
	free(p);
	free(v);
}

static const struct view_ops picker_ops = {
	"pick a task", SC_PICKER, picker_draw, NULL, picker_key, picker_reload,
	NULL, NULL, picker_free
};

struct view *view_picker_new(struct app *a, const char *title,
                             void (*done)(struct app *a, int64_t task_id,
                                          void *arg),
                             void *arg)
{
	struct view *v = calloc(1, sizeof *v);
	struct picker *p = calloc(1, sizeof *p);
	char *clean = sanitize_str(title, SAN_ONELINE);

	if (!v || !p)
		abort();
	tasklist_init(&p->list, a->store);
	p->done = done;
	p->arg = arg;
	p->app = a;
	v->ops = &picker_ops;
	v->priv = p;
	snprintf(v->title, sizeof v->title, "%s  (type to search, Enter: choose, "
	         "Esc: cancel)", clean);
	free(clean);
	return v;
}
