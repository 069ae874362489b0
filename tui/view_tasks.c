/*
 * view_tasks.c - the home view: one row per task plus the "Ungrouped"
 * bucket; filters, sort, marks, merge, split, rename.
 *
 * Rows are read page by page with the store's keyset cursor as the cursor
 * moves down; nothing is counted on a keypress (the ungrouped count is the
 * app's cached one).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/app.h"
#include "tui/doc.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/prompt.h"
#include "tui/actions.h"
#include "tui/sanitize.h"
#include "tui/tasklist.h"

#define PAGE 100

struct tasks_view {
	struct task_list list;        /* display row 0: Ungrouped; i+1: list row i */
	int sel, top;
	struct marks marks;
	/* filters: the values cycled through, read once on first use */
	char **projects, **models, **paths;
	size_t n_projects, n_models, n_paths;
	int i_project, i_model, i_path; /* -1: any */
	int want_last;                /* G pressed: jump when the list is read */
};

static const char *sort_name(enum task_sort s)
{
	return s == TASK_SORT_NAME ? "name" : s == TASK_SORT_NEWEST ? "newest"
	     : "count";
}

static void set_title(struct view *v)
{
	struct tasks_view *t = v->priv;
	struct task_filter *f = &t->list.filter;
	char filt[300] = "";
	char *p = filt;
	size_t left = sizeof filt;

	if (t->i_project >= 0)
		p += snprintf(p, left, " project=%s", t->projects[t->i_project]);
	if (t->i_model >= 0)
		p += snprintf(p, sizeof filt - (size_t)(p - filt), " model=%s",
		              t->models[t->i_model]);
	if (t->i_path >= 0)
		snprintf(p, sizeof filt - (size_t)(p - filt), " path=%s",
		         t->paths[t->i_path]);
	snprintf(v->title, sizeof v->title, "Tasks  sort: %s%s%s",
	         sort_name(f->sort), *filt ? "  filter:" : "", filt);
	{
		char *clean = sanitize_str(v->title, SAN_ONELINE);
		snprintf(v->title, sizeof v->title, "%s", clean);
		free(clean);
	}
}

static int n_rows(struct tasks_view *t)
{
	return 1 + (int)t->list.n;
}

static void clamp(struct tasks_view *t, int h)
{
	tasklist_ensure(&t->list, (size_t)(t->sel + h));
	if (t->sel >= n_rows(t))
		t->sel = n_rows(t) - 1;
	if (t->sel < 0)
		t->sel = 0;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + h)
		t->top = t->sel - h + 1;
	if (t->top < 0)
		t->top = 0;
}

static const struct task_item *sel_task(struct tasks_view *t)
{
	return t->sel > 0 && (size_t)t->sel <= t->list.n ? &t->list.rows[t->sel - 1]
	                                                : NULL;
}

/* ---- drawing ---------------------------------------------------------------- */

struct cols { int mark, id, count, name, project, model, path, tmpl; };

static struct cols layout(void)
{
	struct cols c = { 2, 7, 8, 24, 13, 17, 21, 0 };
	int w = COLS;

	if (w < 110)
		c.path = 0;
	if (w < 92)
		c.model = 0;
	if (w < 72)
		c.project = 0;
	c.tmpl = w - c.mark - c.id - c.count - c.name - c.project - c.model - c.path;
	if (c.tmpl < 0)
		c.tmpl = 0;
	return c;
}

static void draw_head(int y)
{
	struct cols c = layout();
	int x = c.mark;

	draw_fill(y, 0, COLS, STY_HEAD);
	draw_cell(y, x, c.id, "    ID", STY_HEAD, 0), x += c.id;
	draw_cell(y, x, c.count, " TRACES", STY_HEAD, 0), x += c.count;
	draw_cell(y, x, c.name, " NAME", STY_HEAD, 0), x += c.name;
	if (c.project)
		draw_cell(y, x, c.project, "PROJECT", STY_HEAD, 0), x += c.project;
	if (c.model)
		draw_cell(y, x, c.model, "MODEL", STY_HEAD, 0), x += c.model;
	if (c.path)
		draw_cell(y, x, c.path, "PATH", STY_HEAD, 0), x += c.path;
	draw_cell(y, x, c.tmpl, "TEMPLATE", STY_HEAD, 0);
}

static void draw_row(struct tasks_view *t, struct app *a, int y, int i)
{
	struct cols c = layout();
	int cur = i == t->sel, x = c.mark;
	int sty = cur ? STY_CURSOR : STY_NORMAL;
	char buf[64];

	if (i == 0) {
		int64_t all;
		app_counts(a, &all, NULL);
		draw_fill(y, 0, COLS, sty);
		snprintf(buf, sizeof buf, "%7lld", (long long)all);
		draw_cell(y, x + c.id, c.count, buf, sty, 0);
		draw_cell(y, x + c.id + c.count, COLS - x - c.id - c.count,
		          " (Ungrouped: traces in no task)", cur ? sty : STY_DIM, 0);
		return;
	}
	const struct task_item *k = &t->list.rows[i - 1];
	int marked = marks_has(&t->marks, k->id);
	draw_cell(y, 0, c.mark, marked ? "*" : " ", marked ? STY_MARK : sty, 0);
	snprintf(buf, sizeof buf, "%6lld", (long long)k->id);
	draw_cell(y, x, c.id, buf, sty, 0), x += c.id;
	snprintf(buf, sizeof buf, "%7lld", (long long)k->count);
	draw_cell(y, x, c.count, buf, sty, 0), x += c.count;
	draw_cell(y, x, 1, " ", sty, 0);
	draw_cell(y, x + 1, c.name - 2, k->name, marked && !cur ? STY_MARK : sty, 1);
	draw_cell(y, x + c.name - 1, 1, " ", sty, 0), x += c.name;
	if (c.project)
		draw_cell(y, x, c.project - 1, k->project, sty, 1),
		draw_cell(y, x + c.project - 1, 1, " ", sty, 0), x += c.project;
	if (c.model)
		draw_cell(y, x, c.model - 1, k->model, sty, 1),
		draw_cell(y, x + c.model - 1, 1, " ", sty, 0), x += c.model;
	if (c.path)
		draw_cell(y, x, c.path - 1, k->path, sty, 1),
		draw_cell(y, x + c.path - 1, 1, " ", sty, 0), x += c.path;
	draw_cell(y, x, c.tmpl, k->tmpl, sty, 1);
}

/* The whole list read for G arrived: take it and go to its end. */
static void take_last(struct tasks_view *t, struct app *a)
{
	struct task_list *l;

	if (!t->want_last || !a->tasks || !job_finished(a->tasks))
		return;
	t->want_last = 0;
	if ((l = job_take_tasks(a->tasks))) {
		struct task_filter f = t->list.filter;
		char search[sizeof t->list.search];
		memcpy(search, t->list.search, sizeof search);
		tasklist_free(&t->list);
		t->list = *l;
		t->list.store = a->store;
		t->list.filter = f;
		memcpy(t->list.search, search, sizeof search);
		t->list.filter.search = t->list.search[0] ? t->list.search : NULL;
		free(l);
		t->sel = n_rows(t) - 1;
		a->msg[0] = '\0';
	}
	job_free(a->tasks);                /* finished: joins at once */
	a->tasks = NULL;
}

static void tasks_draw(struct view *v, struct app *a, int y, int h)
{
	struct tasks_view *t = v->priv;

	take_last(t, a);

	draw_head(y);
	clamp(t, h - 1);
	for (int i = 0; i < h - 1; i++) {
		int r = t->top + i;
		if (r < n_rows(t))
			draw_row(t, a, y + 1 + i, r);
	}
	if (t->list.error[0])
		app_error(a, "%s", t->list.error);
}

static void tasks_status(struct view *v, struct app *a, char *buf, size_t n)
{
	struct tasks_view *t = v->priv;

	(void)a;
	snprintf(buf, n, "row %d of %zu%s%s  marked %zu", t->sel + 1,
	         t->list.n + 1, t->list.eof ? "" : "+", "", t->marks.n);
}

/* ---- filters ----------------------------------------------------------------- */

static void add_value(char ***arr, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*arr)[i], s))
			return;
	*arr = realloc(*arr, (*n + 1) * sizeof **arr);
	if (!*arr || !((*arr)[*n] = strdup(s)))
		abort();
	(*n)++;
}

static int collect(void *ctx, const struct task_row *r)
{
	struct tasks_view *t = ctx;

	add_value(&t->projects, &t->n_projects, r->project ? r->project : "");
	add_value(&t->models, &t->n_models, r->model ? r->model : "");
	add_value(&t->paths, &t->n_paths, r->path ? r->path : "");
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The distinct values, from one pass over the live tasks (stopgap until the
 * store offers distinct lists). */
static void load_values(struct tasks_view *t, struct app *a)
{
	struct task_filter f = { 0, NULL, NULL, NULL, TASK_SORT_ID };
	struct task_cursor cur;

	if (t->projects || t->models || t->paths)
		return;
	memset(&cur, 0, sizeof cur);
	store_tasks_page(a->store, &f, &cur, 0, collect, t);
	qsort(t->projects, t->n_projects, sizeof *t->projects, cmp_str);
	qsort(t->models, t->n_models, sizeof *t->models, cmp_str);
	qsort(t->paths, t->n_paths, sizeof *t->paths, cmp_str);
}

static void free_values(char **arr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(arr[i]);
	free(arr);
}

static void apply_filters(struct view *v, struct app *a)
{
	struct tasks_view *t = v->priv;
	struct task_filter *f = &t->list.filter;

	f->project_id = 0;
	if (t->i_project >= 0 &&
	    store_project_find(a->store, t->projects[t->i_project], &f->project_id) != 1)
		f->project_id = -1;
	f->model = t->i_model >= 0 ? t->models[t->i_model] : NULL;
	f->path = t->i_path >= 0 ? t->paths[t->i_path] : NULL;
	t->want_last = 0;
	app_job_cancel(a, &a->tasks);
	tasklist_reset(&t->list);
	t->sel = t->top = 0;
	set_title(v);
}

static void cycle(int *i, size_t n)
{
	*i = *i + 1 >= (int)n ? -1 : *i + 1;
}

/* ---- actions ------------------------------------------------------------------ */

struct merge_req {
	int64_t into;
	int64_t *from;
	size_t n;
};

static void on_merge(struct app *a, const char *text, void *arg)
{
	struct merge_req *m = arg;
	struct ops_ctx c;

	if (text) {
		app_ops_ctx(a, &c, "merge");
		if (app_job_end(a, &c, ops_merge(&c, m->into, m->from, m->n,
		                                 a->params.max_sample_size), "Merge") == 0) {
			struct view *v = app_top(a);
			if (v->ops->scope == SC_TASKS)
				marks_clear(&((struct tasks_view *)v->priv)->marks);
			app_msg(a, "Merged %zu task(s) into task %lld", m->n,
			        (long long)m->into);
		}
	}
	free(m->from);
	free(m);
}

static void merge(struct tasks_view *t, struct app *a)
{
	const struct task_item *k = sel_task(t);
	struct merge_req *m;
	char q[160];

	if (!k) {
		app_error(a, "Put the cursor on the task to merge into");
		return;
	}
	if (!(m = calloc(1, sizeof *m)) ||
	    !(m->from = calloc(t->marks.n + 1, sizeof *m->from)))
		abort();
	m->into = k->id;
	for (size_t i = 0; i < t->marks.n; i++)
		if (t->marks.ids[i] != k->id)
			m->from[m->n++] = t->marks.ids[i];
	if (!m->n) {
		free(m->from);
		free(m);
		app_error(a, "Mark the tasks to merge (Space), then M on the target");
		return;
	}
	snprintf(q, sizeof q, "Merge %zu marked task(s) into task %lld? (y/n) ",
	         m->n, (long long)k->id);
	prompt_confirm(a, q, on_merge, m);
}

static int tasks_request(struct view *v, struct app *a, enum request r)
{
	struct tasks_view *t = v->priv;
	int h = app_body_rows() - 1;
	const struct task_item *k = sel_task(t);

	switch (r) {
	case REQ_MOVE_DOWN: t->sel++; break;
	case REQ_MOVE_UP: t->sel--; break;
	case REQ_PAGE_DOWN: t->sel += h; t->top += h; break;
	case REQ_PAGE_UP: t->sel -= h; t->top -= h; break;
	case REQ_MOVE_FIRST: t->sel = 0; break;
	case REQ_MOVE_LAST:
		/* A long list is read in the background; the cursor jumps
		 * when it is there. */
		tasklist_ensure(&t->list, t->list.n + (size_t)h + 1);
		if (!t->list.eof) {
			if (a->tasks)
				app_job_cancel(a, &a->tasks);
			a->tasks = job_start_tasks(a->db_path, &t->list.filter);
			t->want_last = a->tasks != NULL;
			if (t->want_last)
				app_msg(a, "Reading the whole task list…");
		}
		t->sel = n_rows(t) - 1;
		break;
	case REQ_ENTER:
		if (t->sel == 0)
			app_push(a, view_traces_new(a, -1, "Ungrouped"));
		else if (k)
			app_push(a, view_traces_new(a, k->id, k->name));
		return 1;
	case REQ_MARK:
		if (k)
			marks_toggle(&t->marks, k->id);
		t->sel++;
		break;
	case REQ_MARK_DOWN:
	case REQ_MARK_UP:
		if (k)
			marks_set(&t->marks, k->id);
		t->sel += r == REQ_MARK_DOWN ? 1 : -1;
		break;
	case REQ_MARK_RANGE:
		if (t->marks.anchor < 0) {
			t->marks.anchor = t->sel;
			app_msg(a, "Range starts here; move and press V again");
		} else {
			int lo = (int)t->marks.anchor, hi = t->sel;
			if (lo > hi)
				lo = t->sel, hi = (int)t->marks.anchor;
			for (int i = lo; i <= hi; i++)
				if (i > 0 && (size_t)i <= t->list.n)
					marks_set(&t->marks, t->list.rows[i - 1].id);
			t->marks.anchor = -1;
		}
		break;
	case REQ_MARK_CLEAR:
		marks_clear(&t->marks);
		break;
	case REQ_SORT:
		t->list.filter.sort = t->list.filter.sort == TASK_SORT_COUNT ? TASK_SORT_NAME
		    : t->list.filter.sort == TASK_SORT_NAME ? TASK_SORT_NEWEST
		    : TASK_SORT_COUNT;
		apply_filters(v, a);
		break;
	case REQ_FILTER_PROJECT:
		load_values(t, a);
		cycle(&t->i_project, t->n_projects);
		apply_filters(v, a);
		break;
	case REQ_FILTER_MODEL:
		load_values(t, a);
		cycle(&t->i_model, t->n_models);
		apply_filters(v, a);
		break;
	case REQ_FILTER_PATH:
		load_values(t, a);
		cycle(&t->i_path, t->n_paths);
		apply_filters(v, a);
		break;
	case REQ_FILTER_CLEAR:
		t->i_project = t->i_model = t->i_path = -1;
		apply_filters(v, a);
		break;
	case REQ_MERGE:
		merge(t, a);
		break;
	case REQ_RENAME:
		if (k)
			tui_rename_task(a, k->id);
		else
			app_error(a, "Not a task");
		break;
	case REQ_SPLIT:
		if (k)
			tui_split_task(a, k->id);
		else
			app_error(a, "Not a task");
		break;
	case REQ_CANCEL:
		if (t->marks.anchor >= 0 || t->marks.n) {
			marks_clear(&t->marks);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
	clamp(t, h);
	return 1;
}

static int tasks_search(struct view *v, struct app *a, const char *pat, int dir)
{
	struct tasks_view *t = v->priv;
	int i = t->sel;

	(void)a;
	for (;;) {
		const struct task_item *k;
		i += dir;
		if (i < 1)
			return 0;
		if ((size_t)i > t->list.n) {
			tasklist_ensure(&t->list, (size_t)i + PAGE);
			if ((size_t)i > t->list.n)
				return 0;
		}
		k = &t->list.rows[i - 1];
		if ((k->name && strcasestr(k->name, pat)) ||
		    (k->tmpl && strcasestr(k->tmpl, pat))) {
			t->sel = i;
			clamp(t, app_body_rows() - 1);
			return 1;
		}
	}
}

static void tasks_reload(struct view *v, struct app *a)
{
	struct tasks_view *t = v->priv;
	const struct task_item *k = sel_task(t);
	int64_t cur = k ? k->id : 0;
	int h = app_body_rows() - 1;

	t->want_last = 0;
	app_job_cancel(a, &a->tasks);
	tasklist_reset(&t->list);
	clamp(t, h);
	/* Stay on the same task when it is still near (counts and names
	 * change the order). */
	tasklist_ensure(&t->list, (size_t)(t->sel + 2 * h));
	for (size_t i = 0; cur && i < t->list.n; i++)
		if (t->list.rows[i].id == cur) {
			t->sel = (int)i + 1;
			break;
		}
	clamp(t, h);
}

static void tasks_free(struct view *v)
{
	struct tasks_view *t = v->priv;

	tasklist_free(&t->list);
	marks_free(&t->marks);
	free_values(t->projects, t->n_projects);
	free_values(t->models, t->n_models);
	free_values(t->paths, t->n_paths);
	free(t);
	free(v);
}

static const struct view_ops tasks_ops = {
	"tasks", SC_TASKS, tasks_draw, tasks_request, NULL, tasks_reload,
	tasks_search, tasks_status, tasks_free
};

struct view *view_tasks_new(struct app *a)
{
	struct view *v = calloc(1, sizeof *v);
	struct tasks_view *t = calloc(1, sizeof *t);

	if (!v || !t)
		abort();
	tasklist_init(&t->list, a->store);
	t->marks.anchor = -1;
	t->i_project = t->i_model = t->i_path = -1;
	v->ops = &tasks_ops;
	v->priv = t;
	set_title(v);
	return v;
}
