/*
 * view_stats.c - totals and the last grouping runs.  store_stats counts
 * whole tables (seconds on a large database), so the figures are computed
 * by a background job (job.c) when the view opens and after changes; the
 * view says so until they arrive.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/doc.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/sanitize.h"

struct stats_view {
	struct doc doc;
	int top;
	const struct job *shown;      /* the job the doc was built from */
};

static void build(struct stats_view *s, struct job *j)
{
	const struct store_stats *st = &j->stats;
	struct doc *d = &s->doc;

	doc_clear(d);
	if (j->rc != 0) {
		char *clean = sanitize_str(j->err, SAN_ONELINE);
		doc_addf(d, STY_ERROR, "Cannot read the statistics: %s\n", clean);
		free(clean);
		return;
	}
	doc_add(d, "Totals\n", STY_HEAD);
	doc_addf(d, STY_NORMAL, "  traces            %lld\n", (long long)st->traces);
	doc_addf(d, STY_NORMAL, "  tasks             %lld\n", (long long)st->tasks);
	doc_addf(d, STY_NORMAL, "  grouped           %lld  (auto %lld, batch %lld, "
	         "manual %lld)\n", (long long)st->grouped, (long long)st->by_auto,
	         (long long)st->by_batch, (long long)st->by_manual);
	doc_addf(d, STY_NORMAL, "  ungrouped         %lld\n", (long long)st->ungrouped);
	doc_addf(d, STY_NORMAL, "  projects          %lld\n", (long long)st->projects);
	doc_addf(d, STY_NORMAL, "  distinct texts    %lld\n", (long long)st->texts);
	doc_addf(d, STY_NORMAL, "  auto-match rate   %.1f%% of imported traces "
	         "matched on import\n", st->imported_total
	         ? 100.0 * (double)st->imported_matched / (double)st->imported_total
	         : 0.0);
	doc_addf(d, STY_NORMAL, "  database size     %.1f MB\n",
	         (double)st->db_bytes / 1e6);
	doc_addf(d, STY_DIM, "  (computed in %.0f ms)\n", j->ms);
	doc_add(d, "\nLast grouping runs\n", STY_HEAD);
	doc_add(d, "started                   kind          thr considered  matched"
	        "  grouped  tasks ungrouped        ms\n", STY_KEY);
	doc_add_untrusted(d, j->runs ? j->runs : "", STY_NORMAL);
}

static void stats_draw(struct view *v, struct app *a, int y, int h)
{
	struct stats_view *s = v->priv;
	struct job *j = a->stats;

	if (!j || !job_finished(j)) {
		draw_text(y, 0, COLS, "Counting… (the figures are computed in the "
		          "background)", STY_DIM);
		return;
	}
	if (s->shown != j) {
		build(s, j);
		s->shown = j;
	}
	doc_layout(&s->doc, COLS);
	if (s->top > (int)s->doc.nrows - h)
		s->top = (int)s->doc.nrows - h;
	if (s->top < 0)
		s->top = 0;
	doc_draw(&s->doc, s->top, y, h, COLS);
}

static int stats_request(struct view *v, struct app *a, enum request r)
{
	struct stats_view *s = v->priv;

	(void)a;
	return tui_doc_scroll(&s->top, r, app_body_rows());
}

static void stats_reload(struct view *v, struct app *a)
{
	struct stats_view *s = v->priv;

	s->shown = NULL;
	app_job_replace(a, &a->stats, JOB_STATS);
}

static void stats_free(struct view *v)
{
	struct stats_view *s = v->priv;

	doc_free(&s->doc);
	free(s);
	free(v);
}

static const struct view_ops stats_ops = {
	"stats", SC_STATS, stats_draw, stats_request, NULL, stats_reload,
	NULL, NULL, stats_free
};

struct view *view_stats_new(struct app *a)
{
	struct view *v = calloc(1, sizeof *v);
	struct stats_view *s = calloc(1, sizeof *s);

	if (!v || !s)
		abort();
	doc_init(&s->doc);
	v->ops = &stats_ops;
	v->priv = s;
	snprintf(v->title, sizeof v->title, "Statistics");
	stats_reload(v, a);
	return v;
}
