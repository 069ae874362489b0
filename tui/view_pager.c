/*
 * view_pager.c - text views on a doc: command output, previews, help.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "tui/app.h"
#include "tui/doc.h"
#include "tui/draw.h"
#include "tui/sanitize.h"

struct pager {
	struct doc doc;
	int top;
};

static void pager_draw(struct view *v, struct app *a, int y, int h)
{
	struct pager *p = v->priv;
	int max;

	(void)a;
	doc_layout(&p->doc, COLS);
	max = (int)p->doc.nrows - h;
	if (p->top > max)
		p->top = max;
	if (p->top < 0)
		p->top = 0;
	doc_draw(&p->doc, p->top, y, h, COLS);
}

static int pager_request(struct view *v, struct app *a, enum request r)
{
	struct pager *p = v->priv;

	(void)a;
	if (r == REQ_ENTER)
		return 1;
	return tui_doc_scroll(&p->top, r, app_body_rows());
}

static int pager_search(struct view *v, struct app *a, const char *pat, int dir)
{
	struct pager *p = v->priv;

	(void)a;
	return tui_doc_search(&p->doc, &p->top, pat, dir);
}

static void pager_status(struct view *v, struct app *a, char *buf, size_t n)
{
	struct pager *p = v->priv;

	(void)a;
	snprintf(buf, n, "line %d of %zu  (q: back)", p->top + 1, p->doc.nrows);
}

static void pager_free(struct view *v)
{
	struct pager *p = v->priv;

	doc_free(&p->doc);
	free(p);
	free(v);
}

static const struct view_ops pager_ops = {
	"pager", SC_PAGER, pager_draw, pager_request, NULL, NULL,
	pager_search, pager_status, pager_free
};

static const struct view_ops help_ops = {
	"help", SC_PAGER, pager_draw, pager_request, NULL, NULL,
	pager_search, pager_status, pager_free
};

struct view *view_doc_new(struct app *a, const char *title, struct doc *d)
{
	struct view *v = calloc(1, sizeof *v);
	struct pager *p = calloc(1, sizeof *p);
	char *clean = sanitize_str(title, SAN_ONELINE);

	(void)a;
	if (!v || !p)
		abort();
	p->doc = *d;
	v->ops = &pager_ops;
	v->priv = p;
	snprintf(v->title, sizeof v->title, "%s", clean);
	free(clean);
	return v;
}

struct view *view_pager_new(struct app *a, const char *title, const char *text)
{
	struct doc d;

	doc_init(&d);
	doc_add_untrusted(&d, text, STY_NORMAL);
	return view_doc_new(a, title, &d);
}

static void help_scope(struct doc *d, const char *title, int scope, int exact)
{
	doc_addf(d, STY_HEAD, "\n%s\n", title);
	for (const struct request_info *r = tui_requests; r->name; r++) {
		if (exact ? r->scope != scope : !(r->scope & scope) || r->scope == SC_ALL)
			continue;
		doc_addf(d, STY_KEY, "  %-12s", r->keys);
		doc_addf(d, STY_NORMAL, " %s\n", r->help);
	}
}

struct view *view_help_new(struct app *a)
{
	struct doc d;
	struct view *v;

	doc_init(&d);
	doc_add(&d, "tracegroup explorer: keys and commands\n", STY_HEAD);
	help_scope(&d, "Everywhere", SC_ALL, 1);
	help_scope(&d, "Task list", SC_TASKS, 0);
	help_scope(&d, "Trace list", SC_TRACES, 0);
	help_scope(&d, "Trace detail", SC_DETAIL, 0);
	help_scope(&d, "Grouping panel", SC_GROUP, 0);
	doc_add(&d, "\nCommands (type : then the command, as on the command line)\n",
	        STY_HEAD);
	for (int i = 0; cli_commands[i]; i++) {
		if (!strcmp(cli_commands[i]->name, "tui"))
			continue;
		doc_addf(&d, STY_KEY, "  :%-12s", cli_commands[i]->name);
		doc_addf(&d, STY_NORMAL, " %s\n", cli_commands[i]->summary);
	}
	doc_add(&d, "  :save-display FILE  write the screen as text to FILE\n"
	        "  :quit         quit\n", STY_NORMAL);
	v = view_doc_new(a, "Help", &d);
	v->ops = &help_ops;
	return v;
}
