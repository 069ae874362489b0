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
	/* filters: the value chosen (NULL: any), cycled through the distinct
	 * values, which a background job reads on first use and again after
	 * changes (the old ones serve meanwhile) */
	char *project, *model, *path;
	struct value_list projects, models, paths;
	int have_values;
	uint64_t values_version;      /* data_version the values were read at */
	enum request pending;         /* filter key waiting for the values */
	int want_last;                /* G pressed: jump when the list is read */
};

static void take_values(struct view *v, struct app *a);

static const char *sort_name(enum task_sort s)
{
	return s == TASK_SORT_NAME ? "name" : s == TASK_SORT_NEWEST ? "newest"
	     : "count";
}

/* "  filter: project=... model=..." or "" (raw: sanitise before drawing). */
static void filter_text(const struct tasks_view *t, char *buf, size_t n)
{
	size_t at = 0;

	buf[0] = '\0';
	if (t->project || t->model || t->path)
		at += (size_t)snprintf(buf, n, "  filter:");
	if (t->project && at < n)
		at += (size_t)snprintf(buf + at, n - at, " project=%s", t->project);
	if (t->model && at < n)
		at += (size_t)snprintf(buf + at, n - at, " model=%s", t->model);
	if (t->path && at < n)
		snprintf(buf + at, n - at, " path=%s", t->path);
}

static void set_title(struct view *v)
{
	struct tasks_view *t = v->priv;
	struct task_filter *f = &t->list.filter;
	char filt[400], *clean;

	filter_text(t, filt, sizeof filt);
	snprintf(v->title, sizeof v->title, "Tasks  sort: %s%s",
	         sort_name(f->sort), filt);
	clean = sanitize_str(v->title, SAN_ONELINE);
	snprintf(v->title, sizeof v->title, "%s", clean);
	free(clean);
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

/* The Ungrouped bucket narrowed by the task list's filters. */
static struct trace_filter ungrouped_filter(const struct tasks_view *t)
{
	struct trace_filter f = { -1, t->list.filter.project_id,
	                          t->list.filter.model, t->list.filter.path };
	return f;
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
		struct trace_filter f = ungrouped_filter(t);
		char n[32];
		int filtered = f.project_id || f.model || f.path;
		app_count_str(a, app_ungrouped_matching(a, &f), n, sizeof n);
		draw_fill(y, 0, COLS, sty);
		draw_cell(y, x + c.id + c.count - 1 - draw_width(n), draw_width(n),
		          n, sty, 0);
		draw_cell(y, x + c.id + c.count, COLS - x - c.id - c.count, filtered
		          ? " (Ungrouped: traces in no task, within the filter)"
		          : " (Ungrouped: traces in no task)", cur ? sty : STY_DIM, 0);
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
	take_values(v, a);

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

static const char *filter_noun(enum request r)
{
	return r == REQ_FILTER_PROJECT ? "project" : r == REQ_FILTER_MODEL
	     ? "model" : "path";
}

static void apply_filters(struct view *v, struct app *a)
{
	struct tasks_view *t = v->priv;
	struct task_filter *f = &t->list.filter;

	f->project_id = 0;
	if (t->project && store_project_find(a->store, t->project,
	                                     &f->project_id) != 1)
		f->project_id = -1;
	f->model = t->model;
	f->path = t->path;
	t->want_last = 0;
	app_job_cancel(a, &a->tasks);
	tasklist_reset(&t->list);
	t->sel = t->top = 0;
	set_title(v);
}

/* Move *cur to the value after it in l (after the last: any). */
static void cycle(const struct value_list *l, char **cur, size_t *pos)
{
	size_t i = 0;

	if (*cur) {
		while (i < l->n && strcmp(l->v[i], *cur))
			i++;
		i = i < l->n ? i + 1 : 0;     /* gone from the list: the first */
	}
	free(*cur);
	*cur = NULL;
	*pos = i;
	if (i < l->n && !(*cur = strdup(l->v[i])))
		abort();
}

/* Cycle one filter with the values read; say where it is. */
static void filter_next(struct view *v, struct app *a, enum request r)
{
	struct tasks_view *t = v->priv;
	const struct value_list *l = r == REQ_FILTER_PROJECT ? &t->projects
	                           : r == REQ_FILTER_MODEL ? &t->models : &t->paths;
	char **cur = r == REQ_FILTER_PROJECT ? &t->project
	           : r == REQ_FILTER_MODEL ? &t->model : &t->path;
	const char *key = r == REQ_FILTER_PROJECT ? "p"
	                : r == REQ_FILTER_MODEL ? "l" : "e";
	size_t pos;

	cycle(l, cur, &pos);
	apply_filters(v, a);
	if (!l->n)
		app_msg(a, "No %s to filter by", filter_noun(r));
	else if (*cur)
		app_msg(a, "%s %s (%zu of %zu; %s: next, 0: clear the filters)",
		        filter_noun(r), *cur, pos + 1, l->n, key);
	else
		app_msg(a, "Any %s (%s: filter by one)", filter_noun(r), key);
}

/* The distinct values a finished job read: take them, and act on the
 * filter key that waited for them. */
static void take_values(struct view *v, struct app *a)
{
	struct tasks_view *t = v->priv;
	struct job *j = a->values;

	if (!j || !job_finished(j))
		return;
	if (j->rc == 0) {
		value_list_free(&t->projects);
		value_list_free(&t->models);
		value_list_free(&t->paths);
		t->projects = j->projects;
		t->models = j->models;
		t->paths = j->paths;
		memset(&j->projects, 0, sizeof j->projects);
		memset(&j->models, 0, sizeof j->models);
		memset(&j->paths, 0, sizeof j->paths);
		t->have_values = 1;
	} else if (t->pending && j->rc != OPS_CANCELLED) {
		app_error(a, "Cannot read the %s values: %s", filter_noun(t->pending),
		          j->err);
		t->pending = REQ_NONE;
	}
	job_free(j);
	a->values = NULL;
	if (t->pending && t->have_values) {
		enum request r = t->pending;
		t->pending = REQ_NONE;
		filter_next(v, a, r);
	}
}

static void filter_key(struct view *v, struct app *a, enum request r)
{
	struct tasks_view *t = v->priv;

	take_values(v, a);
	if (!a->values && (!t->have_values || t->values_version != a->data_version)) {
		/* Reading them scans the ungrouped traces: in the background. */
		t->values_version = a->data_version;
		app_job_replace(a, &a->values, JOB_VALUES);
	}
	if (t->have_values) {
		filter_next(v, a, r);
	} else {
		t->pending = r;
		app_msg(a, "Reading the %ss…", filter_noun(r));
	}
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
		if (t->sel == 0) {
			struct trace_filter f = ungrouped_filter(t);
			char filt[400];
			filter_text(t, filt, sizeof filt);
			app_push(a, view_traces_new(a, &f, filt));
		} else if (k) {
			struct trace_filter f = { k->id, 0, NULL, NULL };
			app_push(a, view_traces_new(a, &f, k->name));
		}
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
	case REQ_FILTER_MODEL:
	case REQ_FILTER_PATH:
		filter_key(v, a, r);
		break;
	case REQ_FILTER_CLEAR:
		free(t->project);
		free(t->model);
		free(t->path);
		t->project = t->model = t->path = NULL;
		t->pending = REQ_NONE;
		apply_filters(v, a);
		app_msg(a, "Filters cleared");
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
	value_list_free(&t->projects);
	value_list_free(&t->models);
	value_list_free(&t->paths);
	free(t->project);
	free(t->model);
	free(t->path);
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
	v->ops = &tasks_ops;
	v->priv = t;
	set_title(v);
	return v;
}
