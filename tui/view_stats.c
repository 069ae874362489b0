/*
 * view_stats.c - totals and the last grouping runs (store_stats,
 * store_runs_list), read when the view opens and after changes.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/doc.h"
#include "tui/draw.h"

struct stats_view {
	struct doc doc;
	int top;
};

static int add_run(void *ctx, const struct run_row *r)
{
	struct doc *d = ctx;

	doc_add_untrusted(d, r->started_at, STY_NORMAL);
	doc_addf(d, STY_NORMAL, "  %-8.8s %5.2f %9lld %8lld %8lld %6lld %9lld %9.0f\n",
	         r->kind ? r->kind : "", r->threshold, (long long)r->considered,
	         (long long)r->matched, (long long)r->grouped,
	         (long long)r->tasks_created, (long long)r->ungrouped_after,
	         r->duration_ms);
	return 0;
}

static void build(struct stats_view *s, struct app *a)
{
	struct store_stats st;
	struct doc *d = &s->doc;

	doc_clear(d);
	memset(&st, 0, sizeof st);
	if (store_stats(a->store, &st) != 0) {
		doc_addf(d, STY_ERROR, "Cannot read the statistics: %s\n",
		         store_error(a->store));
		return;
	}
	doc_add(d, "Totals\n", STY_HEAD);
	doc_addf(d, STY_NORMAL, "  traces            %lld\n", (long long)st.traces);
	doc_addf(d, STY_NORMAL, "  tasks             %lld\n", (long long)st.tasks);
	doc_addf(d, STY_NORMAL, "  grouped           %lld  (auto %lld, batch %lld, "
	         "manual %lld)\n", (long long)st.grouped, (long long)st.by_auto,
	         (long long)st.by_batch, (long long)st.by_manual);
	doc_addf(d, STY_NORMAL, "  ungrouped         %lld\n", (long long)st.ungrouped);
	doc_addf(d, STY_NORMAL, "  projects          %lld\n", (long long)st.projects);
	doc_addf(d, STY_NORMAL, "  distinct texts    %lld\n", (long long)st.texts);
	doc_addf(d, STY_NORMAL, "  auto-match rate   %.1f%% of imported traces "
	         "matched on import\n", st.imported_total
	         ? 100.0 * (double)st.imported_matched / (double)st.imported_total : 0.0);
	doc_addf(d, STY_NORMAL, "  database size     %.1f MB\n",
	         (double)st.db_bytes / 1e6);
	doc_add(d, "\nLast grouping runs\n", STY_HEAD);
	doc_add(d, "  started                   kind       thr considered  matched"
	        "  grouped  tasks ungrouped        ms\n", STY_KEY);
	store_runs_list(a->store, 20, add_run, d);
}

static void stats_draw(struct view *v, struct app *a, int y, int h)
{
	struct stats_view *s = v->priv;

	(void)a;
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
	build(v->priv, a);
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
	build(s, a);
	return v;
}
