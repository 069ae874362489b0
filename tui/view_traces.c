/*
 * view_traces.c - the traces of one task (or of none: Ungrouped).
 *
 * The view holds a window of rows read with keyset pages: forward after the
 * last id, backward and to the end by bisecting on ids with short pages
 * (the store pages forward only), so a task of a million traces costs a
 * page per move, never a scan.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/actions.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/sanitize.h"
#include "tui/tasklist.h"

#define PAGE 60
#define SEARCH_PAGES 10             /* read per keypress; n goes on */

struct trace_item {
	int64_t id;
	char *created, *text, *source_id;
	enum assign_kind by;
};

struct traces_view {
	struct trace_filter f;
	struct trace_item *rows;
	size_t n, cap;
	int at_start, at_end;         /* the window holds the first / last row */
	int sel, top;
	struct marks marks;
	int64_t task_id;
	char error[256];
};

/* ---- the window ------------------------------------------------------------ */

static void free_item(struct trace_item *t)
{
	free(t->created);
	free(t->text);
	free(t->source_id);
}

static void clear_rows(struct traces_view *t)
{
	for (size_t i = 0; i < t->n; i++)
		free_item(&t->rows[i]);
	t->n = 0;
}

struct page {
	struct trace_item *items;
	size_t n, cap;
	int64_t below;                /* keep ids < below (0: all) */
	int stopped;
};

static int collect(void *ctx, const struct trace_row *r)
{
	struct page *p = ctx;
	struct trace_item *k;

	if (p->below && r->id >= p->below) {
		p->stopped = 1;
		return 1;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : PAGE;
		p->items = realloc(p->items, p->cap * sizeof *p->items);
		if (!p->items)
			abort();
	}
	k = &p->items[p->n++];
	k->id = r->id;
	k->created = tui_strndup_utf8(r->created_at, 40);
	k->text = tui_strndup_utf8(r->text ? r->text : r->first_user, 300);
	k->source_id = tui_strndup_utf8(r->source_id, 80);
	k->by = r->assigned_by;
	return 0;
}

static int read_page(struct traces_view *t, struct app *a, int64_t after,
                     int64_t below, int limit, struct page *p)
{
	memset(p, 0, sizeof *p);
	p->below = below;
	if (store_traces_page(a->store, &t->f, after, limit, 0, collect, p) < 0) {
		snprintf(t->error, sizeof t->error, "%s", store_error(a->store));
		return -1;
	}
	return 0;
}

static int count_cb(void *ctx, const struct trace_row *r)
{
	struct page *p = ctx;

	if (p->below && r->id >= p->below)
		return 1;
	p->n++;
	return 0;
}

/* How many rows (at most limit) have after < id < below (below 0: any). */
static size_t count_between(struct traces_view *t, struct app *a, int64_t after,
                            int64_t below, int limit)
{
	struct page p;

	memset(&p, 0, sizeof p);
	p.below = below;
	if (store_traces_page(a->store, &t->f, after, limit, 0, count_cb, &p) < 0)
		return 0;
	return p.n;
}

/* The largest x such that at least PAGE rows lie in (x, below); 0 when
 * fewer than PAGE rows lie below `below`. */
static int64_t page_start_before(struct traces_view *t, struct app *a,
                                 int64_t below)
{
	int64_t lo = 0, hi;

	if (count_between(t, a, 0, below, PAGE) < PAGE)
		return 0;
	if (below) {
		hi = below - 1;
	} else {
		hi = 1024;
		while (count_between(t, a, hi, 0, 1) > 0)
			hi *= 2;
	}
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (count_between(t, a, mid, below, PAGE) >= PAGE)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void append(struct traces_view *t, struct page *p)
{
	if (t->n + p->n > t->cap) {
		t->cap = t->n + p->n + PAGE;
		t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
		if (!t->rows)
			abort();
	}
	memcpy(t->rows + t->n, p->items, p->n * sizeof *p->items);
	t->n += p->n;
	free(p->items);
}

static void prepend(struct traces_view *t, struct page *p)
{
	if (t->n + p->n > t->cap) {
		t->cap = t->n + p->n + PAGE;
		t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
		if (!t->rows)
			abort();
	}
	memmove(t->rows + p->n, t->rows, t->n * sizeof *t->rows);
	memcpy(t->rows, p->items, p->n * sizeof *p->items);
	t->n += p->n;
	t->sel += (int)p->n;
	t->top += (int)p->n;
	free(p->items);
}

static void load_from(struct traces_view *t, struct app *a, int64_t after,
                      int limit)
{
	struct page p;

	clear_rows(t);
	t->at_start = after == 0;
	if (read_page(t, a, after, 0, limit, &p) != 0)
		return;
	t->at_end = p.n < (size_t)limit;
	append(t, &p);
}

static void more_after(struct traces_view *t, struct app *a)
{
	struct page p;

	if (t->at_end || !t->n)
		return;
	if (read_page(t, a, t->rows[t->n - 1].id, 0, PAGE, &p) != 0)
		return;
	t->at_end = p.n < PAGE;
	append(t, &p);
}

static void more_before(struct traces_view *t, struct app *a)
{
	struct page p;
	int64_t start;

	if (t->at_start || !t->n)
		return;
	start = page_start_before(t, a, t->rows[0].id);
	if (read_page(t, a, start, t->rows[0].id, PAGE, &p) != 0)
		return;
	t->at_start = start == 0;
	prepend(t, &p);
}

static void load_last(struct traces_view *t, struct app *a)
{
	int64_t start = page_start_before(t, a, 0);

	load_from(t, a, start, PAGE);
	t->at_start = start == 0;
	t->at_end = 1;
	t->sel = (int)t->n - 1;
	t->top = 0;
}

/* Keep the cursor on a row that is loaded, reading pages as needed. */
static void clamp(struct traces_view *t, struct app *a, int h)
{
	if (t->sel + h >= (int)t->n)
		more_after(t, a);
	if (t->sel < 0 && !t->at_start)
		more_before(t, a);
	if (t->top < 0 && !t->at_start)
		more_before(t, a);
	if (t->sel >= (int)t->n)
		t->sel = (int)t->n - 1;
	if (t->sel < 0)
		t->sel = 0;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + h)
		t->top = t->sel - h + 1;
	if (t->top < 0)
		t->top = 0;
}

/* ---- drawing --------------------------------------------------------------------- */

static void traces_draw(struct view *v, struct app *a, int y, int h)
{
	struct traces_view *t = v->priv;
	int wsrc = COLS >= 110 ? 22 : 0;
	int x0 = 2 + 9 + 21 + 8 + wsrc;

	clamp(t, a, h - 1);
	draw_fill(y, 0, COLS, STY_HEAD);
	draw_text(y, 2, 9, "      ID", STY_HEAD);
	draw_text(y, 12, 20, "CREATED", STY_HEAD);
	draw_text(y, 33, 7, "BY", STY_HEAD);
	if (wsrc)
		draw_text(y, 40, wsrc, "SOURCE ID", STY_HEAD);
	draw_text(y, x0, COLS - x0, "INSTRUCTIONS", STY_HEAD);
	if (!t->n)
		draw_text(y + 1, 2, COLS - 2, t->error[0] ? t->error : "(no traces)",
		          t->error[0] ? STY_ERROR : STY_DIM);
	for (int i = 0; i < h - 1 && t->top + i < (int)t->n; i++) {
		const struct trace_item *k = &t->rows[t->top + i];
		int cur = t->top + i == t->sel, row = y + 1 + i;
		int sty = cur ? STY_CURSOR : STY_NORMAL;
		int marked = marks_has(&t->marks, k->id);
		char buf[32];
		draw_cell(row, 0, 2, marked ? "*" : " ", marked ? STY_MARK : sty, 0);
		snprintf(buf, sizeof buf, "%8lld ", (long long)k->id);
		draw_cell(row, 2, 10, buf, sty, 0);
		draw_cell(row, 12, 21, k->created, sty, 1);
		draw_cell(row, 33, 7, assign_kind_name(k->by), sty, 0);
		if (wsrc)
			draw_cell(row, 40, wsrc, k->source_id, sty, 1);
		draw_cell(row, x0, COLS - x0, k->text, sty, 1);
	}
}

static void traces_status(struct view *v, struct app *a, char *buf, size_t n)
{
	struct traces_view *t = v->priv;

	(void)a;
	snprintf(buf, n, "trace #%lld  marked %zu%s",
	         t->n ? (long long)t->rows[t->sel].id : 0LL, t->marks.n,
	         t->marks.anchor >= 0 ? "  (range open: V)" : "");
}

/* ---- requests -------------------------------------------------------------------- */

/* The marked traces, or the one under the cursor. */
static int64_t *targets(struct traces_view *t, size_t *n)
{
	int64_t *v = calloc(t->marks.n + 1, sizeof *v);

	if (!v)
		abort();
	if (t->marks.n) {
		memcpy(v, t->marks.ids, t->marks.n * sizeof *v);
		*n = t->marks.n;
	} else {
		*n = t->n ? 1 : 0;
		if (t->n)
			v[0] = t->rows[t->sel].id;
	}
	return v;
}

static void mark_range(struct traces_view *t, struct app *a)
{
	int64_t lo, hi;

	if (t->marks.anchor < 0) {
		if (t->n)
			t->marks.anchor = t->rows[t->sel].id;
		app_msg(a, "Range starts here; move and press V again");
		return;
	}
	lo = t->marks.anchor;
	hi = t->rows[t->sel].id;
	if (lo > hi) {
		int64_t x = lo;
		lo = hi, hi = x;
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->rows[i].id >= lo && t->rows[i].id <= hi)
			marks_set(&t->marks, t->rows[i].id);
	t->marks.anchor = -1;
}

static int traces_request(struct view *v, struct app *a, enum request r)
{
	struct traces_view *t = v->priv;
	int h = app_body_rows() - 1;
	int64_t *ids;
	size_t n;

	switch (r) {
	case REQ_MOVE_DOWN: t->sel++; break;
	case REQ_MOVE_UP: t->sel--; break;
	case REQ_PAGE_DOWN: t->sel += h; t->top += h; break;
	case REQ_PAGE_UP: t->sel -= h; t->top -= h; break;
	case REQ_MOVE_FIRST:
		if (!t->at_start)
			load_from(t, a, 0, PAGE);
		t->sel = t->top = 0;
		break;
	case REQ_MOVE_LAST:
		if (!t->at_end)
			load_last(t, a);
		t->sel = (int)t->n - 1;
		break;
	case REQ_ENTER:
		if (t->n)
			app_push(a, view_detail_new(a, t->rows[t->sel].id));
		return 1;
	case REQ_MARK:
		if (t->n)
			marks_toggle(&t->marks, t->rows[t->sel].id);
		t->sel++;
		break;
	case REQ_MARK_DOWN:
	case REQ_MARK_UP:
		if (t->n)
			marks_set(&t->marks, t->rows[t->sel].id);
		t->sel += r == REQ_MARK_DOWN ? 1 : -1;
		break;
	case REQ_MARK_RANGE:
		mark_range(t, a);
		break;
	case REQ_MARK_CLEAR:
		marks_clear(&t->marks);
		break;
	case REQ_MOVE_TO:
		ids = targets(t, &n);
		tui_move_traces(a, ids, n);
		free(ids);
		marks_clear(&t->marks);
		return 1;
	case REQ_UNGROUP:
		ids = targets(t, &n);
		tui_ungroup_traces(a, ids, n);
		free(ids);
		marks_clear(&t->marks);
		return 1;
	case REQ_NEW_TASK:
		if (!t->marks.n) {
			app_error(a, "Mark the traces first (Space, V)");
			return 1;
		}
		ids = targets(t, &n);
		tui_new_task(a, ids, n);
		free(ids);
		marks_clear(&t->marks);
		return 1;
	case REQ_FORCE_GROUP:
		if (t->n)
			tui_force_group(a, t->rows[t->sel].id);
		return 1;
	case REQ_RENAME:
	case REQ_SPLIT:
		if (t->task_id <= 0)
			app_error(a, "Ungrouped traces have no task");
		else if (r == REQ_RENAME)
			tui_rename_task(a, t->task_id);
		else
			tui_split_task(a, t->task_id);
		return 1;
	case REQ_CANCEL:
		if (t->marks.n || t->marks.anchor >= 0) {
			marks_clear(&t->marks);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
	clamp(t, a, h);
	return 1;
}

static int row_matches(const struct trace_item *k, const char *pat)
{
	char id[32];

	snprintf(id, sizeof id, "#%lld", (long long)k->id);
	return strcasestr(k->text, pat) || strcasestr(k->source_id, pat) ||
	       !strcmp(id, pat);
}

static int traces_search(struct view *v, struct app *a, const char *pat, int dir)
{
	struct traces_view *t = v->priv;
	int i = t->sel, pages = 0;

	for (;;) {
		i += dir;
		if (i < 0 || i >= (int)t->n) {
			size_t before = t->n;
			if (pages++ >= SEARCH_PAGES) {
				/* Give up for this key, at the last row read, so that
				 * n carries on from there. */
				t->sel = dir > 0 ? (int)t->n - 1 : 0;
				clamp(t, a, app_body_rows() - 1);
				return -1;
			}
			if (dir > 0 && !t->at_end) {
				more_after(t, a);
			} else if (dir < 0 && !t->at_start) {
				more_before(t, a);
				i += (int)(t->n - before);
			}
			if (t->n == before)
				return 0;
			continue;
		}
		if (row_matches(&t->rows[i], pat)) {
			t->sel = i;
			clamp(t, a, app_body_rows() - 1);
			return 1;
		}
	}
}

static void traces_reload(struct view *v, struct app *a)
{
	struct traces_view *t = v->priv;
	int sel = t->sel, top = t->top;
	int64_t after = t->at_start || !t->n ? 0 : t->rows[0].id - 1;
	int64_t cur = t->n ? t->rows[t->sel].id : 0;
	size_t want = t->n > PAGE ? t->n : PAGE;

	load_from(t, a, after, (int)want);
	t->sel = sel;
	t->top = top;
	/* Stay on the same trace when it is still listed: rows above it may
	 * have left the task. */
	for (size_t i = 0; cur && i < t->n; i++)
		if (t->rows[i].id == cur) {
			t->top -= t->sel - (int)i;
			t->sel = (int)i;
			break;
		}
	clamp(t, a, app_body_rows() - 1);
}

static void traces_free(struct view *v)
{
	struct traces_view *t = v->priv;

	clear_rows(t);
	free(t->rows);
	marks_free(&t->marks);
	free(t);
	free(v);
}

static const struct view_ops traces_ops = {
	"traces", SC_TRACES, traces_draw, traces_request, NULL, traces_reload,
	traces_search, traces_status, traces_free
};

struct view *view_traces_new(struct app *a, int64_t task_id, const char *name)
{
	struct view *v = calloc(1, sizeof *v);
	struct traces_view *t = calloc(1, sizeof *t);
	char *clean = sanitize_str(name, SAN_ONELINE);

	if (!v || !t)
		abort();
	t->task_id = task_id;
	t->f.task_id = task_id;
	t->marks.anchor = -1;
	v->ops = &traces_ops;
	v->priv = t;
	if (task_id > 0)
		snprintf(v->title, sizeof v->title, "Traces of task %lld: %s",
		         (long long)task_id, clean);
	else
		snprintf(v->title, sizeof v->title, "Ungrouped traces");
	free(clean);
	load_from(t, a, 0, PAGE);
	return v;
}
