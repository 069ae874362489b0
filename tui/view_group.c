/*
 * view_group.c - the batch grouping panel: parameters changed with keys, a
 * live dry-run preview and a threshold sweep computed in the background
 * (job.c), apply and auto-match.
 *
 * The screen never waits for a job: a parameter change cancels the stale
 * preview and starts a new one; the panel draws whatever is known so far.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/actions.h"
#include "tui/app.h"
#include "tui/doc.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/prompt.h"
#include "tui/sanitize.h"

struct group_view {
	int top;
	int sweep_min;                /* min_cluster_size the sweep was run at */
	uint32_t sweep_sample;
};

static void restart_preview(struct app *a)
{
	app_job_replace(a, &a->preview, JOB_PREVIEW);
}

static void restart_sweep(struct view *v, struct app *a)
{
	struct group_view *g = v->priv;

	g->sweep_min = (int)a->params.min_cluster_size;
	g->sweep_sample = a->params.max_sample_size;
	app_job_replace(a, &a->sweep, JOB_SWEEP);
}

/* ---- drawing ------------------------------------------------------------------- */

static int draw_params(struct app *a, int y)
{
	const struct group_params *p = &a->params;
	int64_t all, groupable;
	char buf[64], n_all[32], n_groupable[32];
	int x = 0;

	app_counts(a, &all, &groupable);
	x += draw_text(y, x, COLS - x, "similarity_threshold ", STY_NORMAL);
	snprintf(buf, sizeof buf, "%.2f", p->similarity_threshold);
	x += draw_text(y, x, COLS - x, buf, STY_KEY);
	x += draw_text(y, x, COLS - x, " (+/-)   min_cluster_size ", STY_DIM);
	snprintf(buf, sizeof buf, "%u", p->min_cluster_size);
	x += draw_text(y, x, COLS - x, buf, STY_KEY);
	x += draw_text(y, x, COLS - x, " ([/])   max_sample_size ", STY_DIM);
	snprintf(buf, sizeof buf, "%u", p->max_sample_size);
	x += draw_text(y, x, COLS - x, buf, STY_KEY);
	draw_text(y, x, COLS - x, " ({/})", STY_DIM);
	app_count_str(a, all, n_all, sizeof n_all);
	app_count_str(a, groupable, n_groupable, sizeof n_groupable);
	draw_fmt(y + 1, 0, COLS, STY_NORMAL, "Ungrouped: %s traces, %s of them "
	         "groupable (not placed by hand)", n_all, n_groupable);
	return y + 3;
}

static int draw_preview(struct app *a, int y, int bottom)
{
	struct job *j = a->preview;

	if (!j) {
		draw_text(y, 0, COLS, "Preview: not started", STY_DIM);
		return y + 1;
	}
	job_lock(j);
	if (!j->finished) {
		draw_fmt(y, 0, COLS, STY_HEAD, "Preview (dry run): computing… %llu/%llu "
		         "partitions", (unsigned long long)j->done,
		         (unsigned long long)j->total);
		job_unlock(j);
		return y + 1;
	}
	if (j->rc != 0) {
		char *clean = sanitize_str(j->err, SAN_ONELINE);
		draw_fmt(y, 0, COLS, STY_ERROR, "Preview failed: %s",
		         j->rc == OPS_CANCELLED ? "cancelled" : clean);
		free(clean);
		job_unlock(j);
		return y + 1;
	}
	draw_fmt(y, 0, COLS, STY_HEAD, "Preview (dry run at %.2f, nothing changed; "
	         "%.0f ms)", j->params.similarity_threshold, j->ms);
	{
		const struct group_report *r = &j->report;
		draw_fmt(++y, 0, COLS, STY_NORMAL, "%llu traces considered, %llu matched "
		         "to existing tasks", (unsigned long long)r->considered,
		         (unsigned long long)r->matched);
		draw_fmt(++y, 0, COLS, STY_NORMAL, "%llu grouped into %llu new tasks, "
		         "%llu left ungrouped", (unsigned long long)r->grouped,
		         (unsigned long long)r->tasks_created, (unsigned long long)r->left);
		if (r->n_tasks && y + 2 < bottom)
			draw_text(y += 2, 0, COLS, "Largest new groups:", STY_HEAD);
		for (size_t i = 0; i < r->n_tasks && y + 1 < bottom; i++) {
			const struct group_new_task *t = &r->tasks[i];
			int x;
			draw_fmt(++y, 0, 9, STY_KEY, "%7llu ", (unsigned long long)t->traces);
			x = 9 + draw_folded(y, 9, 14, t->model, STY_DIM);
			draw_fill(y, x, 24 - x, STY_NORMAL);
			draw_folded(y, 24, COLS - 24, t->template, STY_NORMAL);
		}
	}
	job_unlock(j);
	y++;
	return y;
}

static const char *bar_char(double v)
{
	static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	int i = (int)(v * 8 + 0.5);

	if (v > 0 && i == 0)
		i = 1;
	return bars[i < 0 ? 0 : i > 8 ? 8 : i];
}

static void draw_sweep(struct view *v, struct app *a, int y)
{
	struct group_view *g = v->priv;
	struct job *j = a->sweep;
	struct sweep_point pts[SWEEP_N];
	uint64_t max_tasks = 1;
	int cw = COLS >= 16 + SWEEP_N * 5 ? 5 : 4, known = 0;
	int cur = (int)((a->params.similarity_threshold - SWEEP_FIRST) / SWEEP_STEP + 0.5);

	if (!j)
		return;
	job_lock(j);
	memcpy(pts, j->pts, sizeof pts);
	job_unlock(j);
	for (int i = 0; i < SWEEP_N; i++)
		if (pts[i].known) {
			known++;
			if (pts[i].tasks > max_tasks)
				max_tasks = pts[i].tasks;
		}
	draw_fmt(y, 0, COLS, STY_HEAD, "Threshold sweep (min_cluster_size %d)%s",
	         g->sweep_min, known < SWEEP_N ? ": computing…" : "");
	draw_text(y + 1, 0, 16, "tasks created", STY_NORMAL);
	draw_text(y + 2, 0, 16, "", STY_NORMAL);
	draw_text(y + 3, 0, 16, "traces grouped", STY_NORMAL);
	draw_text(y + 4, 0, 16, "", STY_NORMAL);
	draw_text(y + 5, 0, 16, "threshold", STY_DIM);
	for (int i = 0; i < SWEEP_N; i++) {
		int x = 16 + i * cw;
		double share;
		char bar[32] = "", num[16];
		if (x + cw > COLS)
			break;
		draw_fmt(y + 5, x, cw, i == cur ? STY_MATCH : STY_DIM, "%s.%02d",
		         cw == 5 ? " " : "", (int)(100 * (SWEEP_FIRST + SWEEP_STEP * i) + 0.5));
		if (!pts[i].known) {
			draw_text(y + 2, x, cw, cw == 5 ? "   · " : "  · ", STY_DIM);
			continue;
		}
		share = pts[i].considered ? (double)pts[i].grouped / (double)pts[i].considered : 0;
		for (int k = 0; k < cw - 1; k++)
			strcat(bar, bar_char((double)pts[i].tasks / (double)max_tasks));
		draw_text(y + 1, x, cw, bar, STY_BAR);
		snprintf(num, sizeof num, "%*llu", cw - 1, (unsigned long long)pts[i].tasks);
		draw_text(y + 2, x, cw, num, STY_NORMAL);
		bar[0] = '\0';
		for (int k = 0; k < cw - 1; k++)
			strcat(bar, bar_char(share));
		draw_text(y + 3, x, cw, bar, STY_BAR);
		snprintf(num, sizeof num, "%*.0f%%", cw - 2, 100 * share);
		draw_text(y + 4, x, cw, num, STY_NORMAL);
	}
}

static void group_draw(struct view *v, struct app *a, int y, int h)
{
	int bottom = y + h, sweep_y = bottom - 7;

	y = draw_params(a, y);
	if (sweep_y < y + 3)
		sweep_y = bottom;               /* no room: preview only */
	draw_preview(a, y, sweep_y);
	if (sweep_y < bottom)
		draw_sweep(v, a, sweep_y);
	draw_text(bottom - 1, 0, COLS, "a: apply   A: auto-match all ungrouped   "
	          "w: recompute sweep   q: back", STY_DIM);
}

static void group_status(struct view *v, struct app *a, char *buf, size_t n)
{
	(void)v;
	snprintf(buf, n, "threshold %.2f  min_cluster_size %u  max_sample_size %u",
	         a->params.similarity_threshold, a->params.min_cluster_size,
	         a->params.max_sample_size);
}

/* ---- requests ---------------------------------------------------------------------- */

static void on_apply(struct app *a, const char *text, void *arg)
{
	struct group_report r;
	struct ops_ctx c;

	(void)arg;
	if (!text)
		return;
	memset(&r, 0, sizeof r);
	app_ops_ctx(a, &c, "group");
	if (app_job_end(a, &c, ops_group(&c, &a->params, 0, &r), "Grouping") == 0)
		app_msg(a, "Grouped: %llu matched, %llu grouped into %llu new tasks, "
		        "%llu left (%.2fs)", (unsigned long long)r.matched,
		        (unsigned long long)r.grouped, (unsigned long long)r.tasks_created,
		        (unsigned long long)r.left, r.seconds);
	group_report_clear(&r);
}

static int group_request(struct view *v, struct app *a, enum request r)
{
	struct group_params *p = &a->params;
	char q[128];

	switch (r) {
	case REQ_THRESH_UP:
	case REQ_THRESH_DOWN:
		p->similarity_threshold += r == REQ_THRESH_UP ? 0.05 : -0.05;
		p->similarity_threshold = (int)(p->similarity_threshold * 100 + 0.5) / 100.0;
		if (p->similarity_threshold > 1.0)
			p->similarity_threshold = 1.0;
		if (p->similarity_threshold < 0.0)
			p->similarity_threshold = 0.0;
		restart_preview(a);
		return 1;
	case REQ_MINC_UP:
	case REQ_MINC_DOWN:
		if (r == REQ_MINC_UP)
			p->min_cluster_size++;
		else if (p->min_cluster_size > 2)
			p->min_cluster_size--;
		restart_preview(a);
		restart_sweep(v, a);
		return 1;
	case REQ_SAMPLE_UP:
	case REQ_SAMPLE_DOWN:
		if (r == REQ_SAMPLE_UP && p->max_sample_size < 100000)
			p->max_sample_size *= 2;
		else if (r == REQ_SAMPLE_DOWN && p->max_sample_size > 1)
			p->max_sample_size /= 2;
		restart_preview(a);
		restart_sweep(v, a);
		return 1;
	case REQ_SWEEP:
		restart_sweep(v, a);
		return 1;
	case REQ_APPLY:
		snprintf(q, sizeof q, "Apply batch grouping at threshold %.2f, "
		         "min_cluster_size %u? (y/n) ", p->similarity_threshold,
		         p->min_cluster_size);
		prompt_confirm(a, q, on_apply, NULL);
		return 1;
	case REQ_CANCEL:
		if (app_busy(a)) {
			app_job_cancel(a, &a->preview);
			app_job_cancel(a, &a->sweep);
			app_msg(a, "Background jobs cancelled");
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static void group_reload(struct view *v, struct app *a)
{
	restart_preview(a);
	restart_sweep(v, a);
}

static void group_free(struct view *v)
{
	free(v->priv);
	free(v);
}

static const struct view_ops group_ops = {
	"grouping", SC_GROUP, group_draw, group_request, NULL, group_reload,
	NULL, group_status, group_free
};

struct view *view_group_new(struct app *a)
{
	struct view *v = calloc(1, sizeof *v);
	struct group_view *g = calloc(1, sizeof *g);

	if (!v || !g)
		abort();
	v->ops = &group_ops;
	v->priv = g;
	snprintf(v->title, sizeof v->title, "Batch grouping: live preview");
	group_reload(v, a);
	return v;
}
