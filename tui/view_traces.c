/*
 * view_traces.c - the traces of one task (or of none: Ungrouped, narrowed
 * by the task list's filters).
 *
 * The view holds a window of rows read with keyset pages: forward after the
 * last id, backward before the first id and from the end (G) with
 * descending pages, so a task of a million traces costs one indexed page
 * per move, never a scan.  The window is trimmed at the far end when it
 * grows past WINDOW rows.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/actions.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/sanitize.h"
#include "tui/tasklist.h"

#define PAGE 60
#define WINDOW 3000                 /* rows kept; the far end is dropped */
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
	char *model, *path;           /* f's strings */
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
};

static int collect(void *ctx, const struct trace_row *r)
{
	struct page *p = ctx;
	struct trace_item *k;

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

/* Rows after id `after` (ascending), or before id `before` (descending,
 * 0: from the end) turned to ascending order. */
static int read_page(struct traces_view *t, struct app *a, int desc,
                     int64_t from, int limit, struct page *p)
{
	int rc;

	memset(p, 0, sizeof *p);
	rc = desc ? store_traces_page_desc(a->store, &t->f, from, limit, 0,
	                                   collect, p)
	          : store_traces_page(a->store, &t->f, from, limit, 0, collect, p);
	if (rc < 0) {
		snprintf(t->error, sizeof t->error, "%s", store_error(a->store));
		for (size_t i = 0; i < p->n; i++)
			free_item(&p->items[i]);
		free(p->items);
		memset(p, 0, sizeof *p);
		return -1;
	}
	t->error[0] = '\0';
	for (size_t i = 0; desc && i < p->n / 2; i++) {
		struct trace_item x = p->items[i];
		p->items[i] = p->items[p->n - 1 - i];
		p->items[p->n - 1 - i] = x;
	}
	return 0;
}

static void grow(struct traces_view *t, size_t more)
{
	if (t->n + more > t->cap) {
		t->cap = t->n + more + PAGE;
		t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
		if (!t->rows)
			abort();
	}
}

/* Drop k rows from the start or the end of the window. */
static void drop(struct traces_view *t, size_t k, int at_start)
{
	for (size_t i = 0; i < k; i++)
		free_item(&t->rows[at_start ? i : t->n - 1 - i]);
	if (at_start) {
		memmove(t->rows, t->rows + k, (t->n - k) * sizeof *t->rows);
		t->sel -= (int)k;
		t->top -= (int)k;
		t->at_start = 0;
	} else {
		t->at_end = 0;
	}
	t->n -= k;
}

static void append(struct traces_view *t, struct page *p)
{
	grow(t, p->n);
	memcpy(t->rows + t->n, p->items, p->n * sizeof *p->items);
	t->n += p->n;
	free(p->items);
	/* Trim above the screen only. */
	if (t->n > WINDOW && t->top > (int)(t->n - WINDOW))
		drop(t, t->n - WINDOW, 1);
}

static void prepend(struct traces_view *t, struct page *p)
{
	grow(t, p->n);
	memmove(t->rows + p->n, t->rows, t->n * sizeof *t->rows);
	memcpy(t->rows, p->items, p->n * sizeof *p->items);
	t->n += p->n;
	t->sel += (int)p->n;
	t->top += (int)p->n;
	free(p->items);
	/* Trim below the screen only (no screen is 1000 rows high). */
	if (t->n > WINDOW && t->top + 1000 <= WINDOW)
		drop(t, t->n - WINDOW, 0);
}

static void load_from(struct traces_view *t, struct app *a, int64_t after,
                      int limit)
{
	struct page p;

	clear_rows(t);
	t->at_start = after == 0;
	t->at_end = 1;
	if (read_page(t, a, 0, after, limit, &p) != 0)
		return;
	t->at_end = p.n < (size_t)limit;
	append(t, &p);
}

static void more_after(struct traces_view *t, struct app *a)
{
	struct page p;

	if (t->at_end || !t->n)
		return;
	if (read_page(t, a, 0, t->rows[t->n - 1].id, PAGE, &p) != 0)
		return;
	t->at_end = p.n < PAGE;
	append(t, &p);
}

static void more_before(struct traces_view *t, struct app *a)
{
	struct page p;

	if (t->at_start || !t->n)
		return;
	if (read_page(t, a, 1, t->rows[0].id, PAGE, &p) != 0)
		return;
	t->at_start = p.n < PAGE;
	prepend(t, &p);
}

/* The last page: one descending read from the end. */
static void load_last(struct traces_view *t, struct app *a)
{
	struct page p;

	clear_rows(t);
	t->at_start = 1;
	t->at_end = 1;
	t->sel = t->top = 0;
	if (read_page(t, a, 1, 0, PAGE, &p) != 0)
		return;
	t->at_start = p.n < PAGE;
	append(t, &p);
	t->sel = (int)t->n - 1;
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
			draw_cell(row, 40, wsrc - 1, k->source_id, sty, 1),
			draw_cell(row, 40 + wsrc - 1, 1, " ", sty, 0);
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

static int index_of(const struct traces_view *t, int64_t id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rows[i].id == id)
			return (int)i;
	return -1;
}

static int traces_search(struct view *v, struct app *a, const char *pat, int dir)
{
	struct traces_view *t = v->priv;
	int i = t->sel, pages = 0;

	for (;;) {
		i += dir;
		if (i < 0 || i >= (int)t->n) {
			int64_t edge = t->n ? t->rows[i - dir].id : 0;
			int at;
			if (pages++ >= SEARCH_PAGES) {
				/* Give up for this key, at the last row read, so that
				 * n carries on from there. */
				t->sel = dir > 0 ? (int)t->n - 1 : 0;
				clamp(t, a, app_body_rows() - 1);
				return -1;
			}
			if (dir > 0 && !t->at_end)
				more_after(t, a);
			else if (dir < 0 && !t->at_start)
				more_before(t, a);
			/* The window may have been trimmed: find the edge again;
			 * no row beyond it means the list ended. */
			at = index_of(t, edge);
			if (at < 0 || (dir > 0 ? at >= (int)t->n - 1 : at <= 0))
				return 0;
			i = at;
			continue;
		}
		if (row_matches(&t->rows[i], pat)) {
			t->sel = i;
			clamp(t, a, app_body_rows() - 1);
			return 1;
		}
	}
}

/* The title names the task: keep it up to date (a rename, a :rename). */
static void retitle(struct view *v, struct app *a, int64_t task_id)
{
	struct task_copy tc;
	char *clean;

	if (task_id <= 0 || store_task_get(a->store, task_id, &tc) != 1)
		return;
	clean = sanitize_str(tc.row.deleted ? "(merged away or undone)"
	                     : tc.row.name, SAN_ONELINE);
	snprintf(v->title, sizeof v->title, "Traces of task %lld: %s",
	         (long long)task_id, clean);
	free(clean);
	task_copy_clear(&tc);
}

static void traces_reload(struct view *v, struct app *a)
{
	struct traces_view *t = v->priv;
	int sel = t->sel, top = t->top;
	int64_t after = t->at_start || !t->n ? 0 : t->rows[0].id - 1;
	int64_t cur = t->n ? t->rows[t->sel].id : 0;
	size_t want = t->n > PAGE ? t->n : PAGE;

	retitle(v, a, t->task_id);
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
	free(t->model);
	free(t->path);
	free(t);
	free(v);
}

static const struct view_ops traces_ops = {
	"traces", SC_TRACES, traces_draw, traces_request, NULL, traces_reload,
	traces_search, traces_status, traces_free
};

static char *dup_or_null(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		abort();
	return d;
}

struct view *view_traces_new(struct app *a, const struct trace_filter *f,
                             const char *name)
{
	struct view *v = calloc(1, sizeof *v);
	struct traces_view *t = calloc(1, sizeof *t);
	char *clean = sanitize_str(name, SAN_ONELINE);

	if (!v || !t)
		abort();
	t->task_id = f->task_id;
	t->f = *f;
	t->f.model = t->model = dup_or_null(f->model);
	t->f.path = t->path = dup_or_null(f->path);
	t->marks.anchor = -1;
	v->ops = &traces_ops;
	v->priv = t;
	if (f->task_id > 0)
		snprintf(v->title, sizeof v->title, "Traces of task %lld: %s",
		         (long long)f->task_id, clean);
	else
		snprintf(v->title, sizeof v->title, "Ungrouped traces%s", clean);
	free(clean);
	load_from(t, a, 0, PAGE);
	return v;
}
