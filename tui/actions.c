/*
 * actions.c - rename, split, move, ungroup, new task, force-group (see
 * actions.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tui/actions.h"
#include "tui/app.h"
#include "tui/doc.h"
#include "tui/draw.h"
#include "tui/prompt.h"
#include "tui/sanitize.h"

struct ids {
	int64_t *v;
	size_t n;
	int64_t task_id;
	double threshold;
};

static struct ids *ids_new(const int64_t *v, size_t n)
{
	struct ids *s = calloc(1, sizeof *s);

	if (!s || !(s->v = calloc(n ? n : 1, sizeof *s->v)))
		abort();
	if (n)
		memcpy(s->v, v, n * sizeof *v);
	s->n = n;
	return s;
}

static void ids_free(struct ids *s)
{
	if (s)
		free(s->v);
	free(s);
}

/* ---- rename ---------------------------------------------------------------- */

static void on_rename(struct app *a, const char *text, void *arg)
{
	int64_t id = (int64_t)(intptr_t)arg;
	struct ops_ctx c;

	if (!text || !*text)
		return;
	app_ops_ctx(a, &c, "rename");
	if (app_job_end(a, &c, ops_rename(&c, id, text), "Rename") == 0)
		app_msg(a, "Task %lld renamed to %s", (long long)id, text);
}

void tui_rename_task(struct app *a, int64_t id)
{
	struct task_copy tc;
	char label[64];

	if (store_task_get(a->store, id, &tc) != 1) {
		app_error(a, "No task %lld", (long long)id);
		return;
	}
	snprintf(label, sizeof label, "Rename task %lld: ", (long long)id);
	prompt_open(a, label, tc.row.name, on_rename, (void *)(intptr_t)id);
	task_copy_clear(&tc);
}

/* ---- reports ----------------------------------------------------------------- */

void tui_report_doc(struct doc *d, const struct group_report *r, int top)
{
	doc_addf(d, STY_HEAD, "%llu traces considered\n",
	         (unsigned long long)r->considered);
	doc_addf(d, STY_NORMAL, "  %llu matched to existing tasks\n"
	         "  %llu grouped into %llu new tasks\n  %llu left ungrouped\n",
	         (unsigned long long)r->matched, (unsigned long long)r->grouped,
	         (unsigned long long)r->tasks_created, (unsigned long long)r->left);
	if (r->n_tasks)
		doc_add(d, "\nLargest new groups:\n", STY_HEAD);
	for (size_t i = 0; i < r->n_tasks && (int)i < top; i++) {
		const struct group_new_task *t = &r->tasks[i];
		doc_addf(d, STY_KEY, "%7llu  ", (unsigned long long)t->traces);
		char *model = sanitize_str(t->model, SAN_ONELINE);
		char *tmpl = sanitize_str(t->template, SAN_ONELINE);
		doc_addf(d, STY_DIM, "%-.20s  ", model);
		doc_add(d, tmpl, STY_NORMAL);
		doc_add(d, "\n", STY_NORMAL);
		free(model);
		free(tmpl);
	}
}

/* ---- split --------------------------------------------------------------------- */

static void on_split_confirm(struct app *a, const char *text, void *arg)
{
	struct ids *s = arg;
	struct group_params p = a->params;
	struct group_report r;
	struct ops_ctx c;

	app_pop(a);                          /* the preview */
	if (!text) {
		app_msg(a, "Split cancelled; nothing changed");
		ids_free(s);
		return;
	}
	p.similarity_threshold = s->threshold;
	memset(&r, 0, sizeof r);
	app_ops_ctx(a, &c, "split");
	if (app_job_end(a, &c, ops_split(&c, s->task_id, &p, 0, &r), "Split") == 0)
		app_msg(a, "Split task %lld: %llu new task(s), %llu trace(s) "
		        "ungrouped (u undoes it)", (long long)s->task_id,
		        (unsigned long long)r.tasks_created, (unsigned long long)r.left);
	group_report_clear(&r);
	ids_free(s);
}

/* What the split would do, the kept cluster first. */
static void split_doc(struct doc *d, const struct group_report *r,
                      int64_t task_id, double threshold)
{
	uint64_t kept = 0;

	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].task_id == task_id)
			kept = r->tasks[i].traces;
	doc_addf(d, STY_HEAD, "Split preview of task %lld at threshold %.2f "
	         "(nothing changed yet)\n\n", (long long)task_id, threshold);
	doc_addf(d, STY_NORMAL, "%llu traces in the task\n"
	         "  %llu stay in task %lld (its largest cluster)\n"
	         "  %llu go to %llu new task(s)\n  %llu become ungrouped\n",
	         (unsigned long long)r->considered, (unsigned long long)kept,
	         (long long)task_id, (unsigned long long)(r->grouped - kept),
	         (unsigned long long)r->tasks_created, (unsigned long long)r->left);
	doc_add(d, "\nClusters:\n", STY_HEAD);
	for (size_t i = 0; i < r->n_tasks && i < 20; i++) {
		const struct group_new_task *t = &r->tasks[i];
		char *tmpl = sanitize_str(t->template, SAN_ONELINE);
		doc_addf(d, STY_KEY, "%7llu  ", (unsigned long long)t->traces);
		doc_add(d, t->task_id == task_id ? "stays  " : "new    ", STY_DIM);
		doc_add(d, tmpl, STY_NORMAL);
		doc_add(d, "\n", STY_NORMAL);
		free(tmpl);
	}
}

static void on_split_threshold(struct app *a, const char *text, void *arg)
{
	struct ids *s = arg;
	struct group_params p = a->params;
	struct group_report r;
	struct ops_ctx c;
	const char *bad;
	struct doc d;
	char title[128], q[128];

	if (!text || (bad = ops_parse_threshold(text, &s->threshold))) {
		if (text)
			app_error(a, "%s", bad);
		ids_free(s);
		return;
	}
	p.similarity_threshold = s->threshold;
	memset(&r, 0, sizeof r);
	app_ops_ctx(a, &c, "split preview");
	if (app_job_end(a, &c, ops_split(&c, s->task_id, &p, 1, &r),
	                "Split preview") != 0) {
		group_report_clear(&r);
		ids_free(s);
		return;
	}
	if (!r.n_tasks || (!r.tasks_created && !r.left)) {
		if (!r.n_tasks)
			app_error(a, "At threshold %.2f no cluster of %u traces remains in "
			          "task %lld; nothing to split (try a lower threshold)",
			          s->threshold, p.min_cluster_size, (long long)s->task_id);
		else
			app_msg(a, "At threshold %.2f task %lld stays one cluster of %llu "
			        "traces; nothing to split (try a higher threshold)",
			        s->threshold, (long long)s->task_id,
			        (unsigned long long)r.considered);
		group_report_clear(&r);
		ids_free(s);
		return;
	}
	doc_init(&d);
	split_doc(&d, &r, s->task_id, s->threshold);
	group_report_clear(&r);
	snprintf(title, sizeof title, "Split task %lld: preview", (long long)s->task_id);
	app_push(a, view_doc_new(a, title, &d));
	snprintf(q, sizeof q, "Split task %lld as previewed? (y/n) ",
	         (long long)s->task_id);
	prompt_confirm(a, q, on_split_confirm, s);
}

void tui_split_task(struct app *a, int64_t task_id)
{
	struct ids *s = ids_new(NULL, 0);
	char label[96], init[16];
	double t = a->params.similarity_threshold + 0.2;

	s->task_id = task_id;
	snprintf(label, sizeof label, "Split task %lld at threshold: ",
	         (long long)task_id);
	snprintf(init, sizeof init, "%.2f", t > 0.95 ? 0.95 : t);
	prompt_open(a, label, init, on_split_threshold, s);
}

/* ---- move / ungroup / new task ------------------------------------------------------ */

static void picked(struct app *a, int64_t task_id, void *arg)
{
	struct ids *s = arg;
	struct ops_ctx c;
	int64_t moved = 0;

	if (task_id > 0) {
		app_ops_ctx(a, &c, "move");
		if (app_job_end(a, &c, ops_assign(&c, s->v, s->n, task_id, &moved),
		                "Move") == 0)
			app_msg(a, "Moved %lld trace(s) to task %lld", (long long)moved,
			        (long long)task_id);
	}
	ids_free(s);
}

void tui_move_traces(struct app *a, const int64_t *ids, size_t n)
{
	char title[96];

	if (!n) {
		app_error(a, "No trace to move");
		return;
	}
	snprintf(title, sizeof title, "Move %zu trace(s) to which task?", n);
	app_push(a, view_picker_new(a, title, picked, ids_new(ids, n)));
}

void tui_ungroup_traces(struct app *a, const int64_t *ids, size_t n)
{
	struct ops_ctx c;
	int64_t moved = 0;

	if (!n) {
		app_error(a, "No trace to ungroup");
		return;
	}
	app_ops_ctx(a, &c, "ungroup");
	if (app_job_end(a, &c, ops_assign(&c, ids, n, 0, &moved), "Ungroup") == 0)
		app_msg(a, "Ungrouped %lld trace(s)", (long long)moved);
}

static void on_new_task(struct app *a, const char *text, void *arg)
{
	struct ids *s = arg;
	struct ops_ctx c;
	int64_t id = 0;

	if (text) {
		app_ops_ctx(a, &c, "new task");
		if (app_job_end(a, &c, ops_create_task(&c, s->v, s->n,
		                                       *text ? text : NULL, &id),
		                "New task") == 0)
			app_msg(a, "Created task %lld from %zu trace(s)", (long long)id, s->n);
	}
	ids_free(s);
}

void tui_new_task(struct app *a, const int64_t *ids, size_t n)
{
	if (!n) {
		app_error(a, "Mark traces first (Space)");
		return;
	}
	prompt_open(a, "New task name (empty: from the template): ", NULL,
	            on_new_task, ids_new(ids, n));
}

void tui_force_group(struct app *a, int64_t trace_id)
{
	struct group_report r;
	struct ops_ctx c;

	memset(&r, 0, sizeof r);
	app_ops_ctx(a, &c, "group trace");
	if (app_job_end(a, &c, ops_group_trace(&c, trace_id, &a->params, &r),
	                "Force-group") == 0) {
		if (r.reason[0])
			app_msg(a, "Trace #%lld left alone: %s", (long long)trace_id, r.reason);
		else if (r.tasks_created)
			app_msg(a, "Trace #%lld: new task with %llu trace(s)",
			        (long long)trace_id, (unsigned long long)r.grouped);
		else
			app_msg(a, "Trace #%lld matched to a task", (long long)trace_id);
	}
	group_report_clear(&r);
}
