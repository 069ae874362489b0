/*
 * view_detail.c - one trace: its task's template, the instructions with
 * each slot's value highlighted, variables, input messages, output,
 * metadata and, on R, the original record as pretty JSON.
 *
 * Slot values are underlined and coloured one colour per slot; with
 * NO_COLOR they are also framed in ⟦ ⟧ so they read in a plain dump.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "engine/engine.h"
#include "ops/ops.h"
#include "tui/actions.h"
#include "tui/app.h"
#include "tui/doc.h"
#include "tui/draw.h"
#include "tui/sanitize.h"

struct detail_view {
	int64_t id;
	struct doc doc;
	int top;
	int raw;                      /* show the original record */
	int search_row;
};

/* ---- template pieces ---------------------------------------------------------- */

/* The literal pieces of a rendered template: n_slots + 1 of them (the
 * first and last may be empty).  Returns the count, -1 when malformed. */
static int literals(const char *t, char ***out)
{
	size_t len = strlen(t), cap = 8, n = 0, o = 0;
	char **lit = calloc(cap, sizeof *lit), *cur = malloc(len + 1);

	if (!lit || !cur)
		abort();
	for (size_t i = 0; i < len;) {
		if ((t[i] == '{' && t[i + 1] == '{') || (t[i] == '}' && t[i + 1] == '}')) {
			cur[o++] = t[i];
			i += 2;
		} else if (!strncmp(t + i, "{var_", 5)) {
			const char *e = strchr(t + i, '}');
			if (!e)
				break;
			cur[o] = '\0';
			if (n + 2 > cap && !(lit = realloc(lit, (cap *= 2) * sizeof *lit)))
				abort();
			lit[n++] = strdup(cur);
			o = 0;
			i = (size_t)(e - t) + 1;
		} else {
			cur[o++] = t[i++];
		}
	}
	cur[o] = '\0';
	lit[n++] = cur;
	*out = lit;
	return (int)n;
}

static void free_strs(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Instructions with their slot values highlighted; 0 when they do not fit
 * the template (then nothing was added). */
static int add_highlighted(struct doc *d, const char *tmpl, const char *text)
{
	struct tmpl *t = tmpl_parse(tmpl, strlen(tmpl));
	char **vals = NULL, **lits = NULL;
	int nv, nl, ok = 0;
	int brackets = !draw_color();

	if (!t)
		return 0;
	nv = tmpl_extract(t, text, strlen(text), &vals);
	nl = literals(tmpl, &lits);
	if (nv >= 0 && nl == nv + 1) {
		size_t total = 0;
		for (int i = 0; i < nl; i++)
			total += strlen(lits[i]) + (i < nv ? strlen(vals[i]) : 0);
		ok = total == strlen(text);
		for (size_t p = 0, i = 0; ok && (int)i < nl; i++) {
			ok = !strncmp(text + p, lits[i], strlen(lits[i]));
			p += strlen(lits[i]);
			if ((int)i < nv)
				p += strlen(vals[i]);
		}
	}
	for (int i = 0; ok && i < nl; i++) {
		doc_add_untrusted(d, lits[i], STY_NORMAL);
		if (i < nv) {
			int sty = STY_SLOT0 + i % STY_SLOTS;
			if (brackets)
				doc_add(d, "⟦", STY_DIM);
			doc_add_untrusted(d, vals[i], sty);
			if (brackets)
				doc_add(d, "⟧", STY_DIM);
		}
	}
	if (nv >= 0)
		free_strs(vals, nv);
	if (nl > 0)
		free_strs(lits, nl);
	tmpl_free(t);
	return ok;
}

/* Sanitised bytes s[0..len) in a style. */
static void add_part(struct doc *d, const char *s, size_t len, int style)
{
	char *clean = sanitize(s, len, SAN_MULTILINE);
	doc_add(d, clean, style);
	free(clean);
}

/* Instructions highlighted from the stored variable spans; 0 when there
 * are none usable (then nothing was added). */
static int add_spans(struct doc *d, const char *vars, const char *text)
{
	size_t len = strlen(text), *sp = NULL, pos = 0;
	int n = vars ? ops_spans_parse(vars, len, &sp) : -1;
	int brackets = !draw_color();

	for (int i = 0; i < n; i++)
		if (sp[2 * i] < pos || sp[2 * i + 1] < sp[2 * i] || sp[2 * i + 1] > len)
			n = -1;
		else
			pos = sp[2 * i + 1];
	if (n < 0) {
		free(sp);
		return 0;
	}
	pos = 0;
	for (int i = 0; i < n; i++) {
		add_part(d, text + pos, sp[2 * i] - pos, STY_NORMAL);
		if (brackets)
			doc_add(d, "⟦", STY_DIM);
		add_part(d, text + sp[2 * i], sp[2 * i + 1] - sp[2 * i],
		         STY_SLOT0 + i % STY_SLOTS);
		if (brackets)
			doc_add(d, "⟧", STY_DIM);
		pos = sp[2 * i + 1];
	}
	add_part(d, text + pos, len - pos, STY_NORMAL);
	free(sp);
	return 1;
}

/* The slot values from the spans, one per line. */
static int add_span_values(struct doc *d, const char *vars, const char *text)
{
	size_t *sp = NULL;
	int n = vars && text ? ops_spans_parse(vars, strlen(text), &sp) : -1;

	for (int i = 0; i < n; i++) {
		doc_addf(d, STY_SLOT0 + i % STY_SLOTS, "var_%d", i);
		doc_add(d, " = ", STY_NORMAL);
		add_part(d, text + sp[2 * i], sp[2 * i + 1] - sp[2 * i], STY_NORMAL);
		doc_add(d, "\n", STY_NORMAL);
	}
	free(sp);
	return n >= 0;
}

/* ---- sections ------------------------------------------------------------------------- */

static void section(struct doc *d, const char *title)
{
	doc_addf(d, STY_HEAD, "\n── %s ──\n", title);
}

static void field(struct doc *d, const char *name, const char *value)
{
	doc_addf(d, STY_KEY, "%-13s ", name);
	doc_add_untrusted(d, value && *value ? value : "-", STY_NORMAL);
	doc_add(d, "\n", STY_NORMAL);
}

static void add_json(struct doc *d, const char *text)
{
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	char *s = j ? cJSON_Print(j) : NULL;

	doc_add_untrusted(d, s ? s : text ? text : "-", STY_NORMAL);
	doc_add(d, "\n", STY_NORMAL);
	free(s);
	cJSON_Delete(j);
}

static void add_messages(struct doc *d, const char *input)
{
	cJSON *j = input ? cJSON_Parse(input) : NULL, *m;

	if (!cJSON_IsArray(j)) {
		cJSON_Delete(j);
		doc_add_untrusted(d, input ? input : "-", STY_NORMAL);
		doc_add(d, "\n", STY_NORMAL);
		return;
	}
	cJSON_ArrayForEach(m, j) {
		cJSON *role = cJSON_GetObjectItemCaseSensitive(m, "role");
		cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
		doc_add_untrusted(d, cJSON_IsString(role) ? role->valuestring : "?",
		                  STY_KEY);
		doc_add(d, ": ", STY_KEY);
		if (cJSON_IsString(content)) {
			doc_add_untrusted(d, content->valuestring, STY_NORMAL);
		} else {
			char *s = cJSON_Print(content ? content : m);
			doc_add_untrusted(d, s, STY_NORMAL);
			free(s);
		}
		doc_add(d, "\n", STY_NORMAL);
	}
	cJSON_Delete(j);
}

static void add_prompt_meta(struct doc *d, const char *meta)
{
	cJSON *j = meta ? cJSON_Parse(meta) : NULL;
	cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "prompt_name");
	cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "prompt_version");

	if (cJSON_IsString(name) || cJSON_IsString(ver) || cJSON_IsNumber(ver)) {
		char v[64] = "";
		if (cJSON_IsNumber(ver))
			snprintf(v, sizeof v, "%g", ver->valuedouble);
		field(d, "prompt", cJSON_IsString(name) ? name->valuestring : "-");
		field(d, "prompt ver.", cJSON_IsString(ver) ? ver->valuestring : v);
	}
	cJSON_Delete(j);
}

static void add_variables(struct doc *d, const char *vars)
{
	cJSON *j = vars ? cJSON_Parse(vars) : NULL, *v;
	int i = 0;

	if (!cJSON_IsArray(j)) {
		doc_add(d, "(none)\n", STY_DIM);
		cJSON_Delete(j);
		return;
	}
	cJSON_ArrayForEach(v, j) {
		doc_addf(d, STY_SLOT0 + i % STY_SLOTS, "var_%d", i);
		doc_add(d, " = ", STY_NORMAL);
		doc_add_untrusted(d, cJSON_IsString(v) ? v->valuestring : "?",
		                  STY_NORMAL);
		doc_add(d, "\n", STY_NORMAL);
		i++;
	}
	cJSON_Delete(j);
}

static void build(struct detail_view *dv, struct app *a, struct view *v)
{
	struct trace_copy tc;
	const struct trace_row *r = &tc.row;
	char buf[64];
	int rc = store_trace_get(a->store, dv->id, &tc);

	doc_clear(&dv->doc);
	snprintf(v->title, sizeof v->title, "Trace #%lld", (long long)dv->id);
	if (rc != 1) {
		doc_add(&dv->doc, rc == 0 ? "This trace no longer exists.\n"
		        : "Cannot read this trace.\n", STY_ERROR);
		return;
	}
	field(&dv->doc, "source id", r->source_id);
	field(&dv->doc, "project", r->project);
	field(&dv->doc, "model", r->model);
	field(&dv->doc, "path", r->path);
	field(&dv->doc, "format", r->format);
	field(&dv->doc, "created", r->created_at);
	snprintf(buf, sizeof buf, "%lld (%s)", (long long)r->task_id,
	         assign_kind_name(r->assigned_by));
	field(&dv->doc, "task", r->task_id ? buf : "none (ungrouped)");
	add_prompt_meta(&dv->doc, r->metadata);
	section(&dv->doc, "Template");
	if (r->task_template)
		doc_add_untrusted(&dv->doc, r->task_template, STY_DIM);
	else
		doc_add(&dv->doc, "(ungrouped: no template)", STY_DIM);
	doc_add(&dv->doc, "\n", STY_NORMAL);
	section(&dv->doc, r->text_source == TEXT_FIRST_USER
	        ? "Instructions (first user message)" : "Instructions");
	if (!r->text)
		doc_add(&dv->doc, "(none)", STY_DIM);
	else if (!r->task_template ||
	         (!add_spans(&dv->doc, r->variables, r->text) &&
	          !add_highlighted(&dv->doc, r->task_template, r->text)))
		doc_add_untrusted(&dv->doc, r->text, STY_NORMAL);
	doc_add(&dv->doc, "\n", STY_NORMAL);
	section(&dv->doc, "Variables");
	if (!r->task_id)
		doc_add(&dv->doc, "(none)\n", STY_DIM);
	else if (!add_span_values(&dv->doc, r->variables, r->text))
		add_variables(&dv->doc, r->variables);
	section(&dv->doc, "Input messages");
	add_messages(&dv->doc, r->input);
	section(&dv->doc, "Output");
	doc_add_untrusted(&dv->doc, r->output ? r->output : "(none)", STY_NORMAL);
	doc_add(&dv->doc, "\n", STY_NORMAL);
	section(&dv->doc, "Metadata");
	add_json(&dv->doc, r->metadata);
	if (dv->raw) {
		char *raw = malloc(r->raw_len + 1);
		if (!raw)
			abort();
		memcpy(raw, r->raw ? r->raw : "", r->raw_len);
		raw[r->raw_len] = '\0';
		section(&dv->doc, "Original record");
		add_json(&dv->doc, raw);
		free(raw);
	} else {
		doc_add(&dv->doc, "\n(R: show the original record)\n", STY_DIM);
	}
	trace_copy_clear(&tc);
}

/* ---- view ------------------------------------------------------------------------------ */

static void detail_draw(struct view *v, struct app *a, int y, int h)
{
	struct detail_view *dv = v->priv;
	int max;

	(void)a;
	doc_layout(&dv->doc, COLS);
	max = (int)dv->doc.nrows - h;
	if (dv->top > max)
		dv->top = max;
	if (dv->top < 0)
		dv->top = 0;
	doc_draw(&dv->doc, dv->top, y, h, COLS);
}

static void detail_status(struct view *v, struct app *a, char *buf, size_t n)
{
	struct detail_view *dv = v->priv;

	(void)a;
	snprintf(buf, n, "line %d of %zu", dv->top + 1, dv->doc.nrows);
}

int tui_doc_scroll(int *top, enum request r, int h)
{
	switch (r) {
	case REQ_MOVE_DOWN: (*top)++; return 1;
	case REQ_MOVE_UP: (*top)--; return 1;
	case REQ_PAGE_DOWN: *top += h; return 1;
	case REQ_PAGE_UP: *top -= h; return 1;
	case REQ_MOVE_FIRST: *top = 0; return 1;
	case REQ_MOVE_LAST: *top = 1 << 30; return 1;
	default: return 0;
	}
}

static int detail_request(struct view *v, struct app *a, enum request r)
{
	struct detail_view *dv = v->priv;

	if (tui_doc_scroll(&dv->top, r, app_body_rows()))
		return 1;
	switch (r) {
	case REQ_TOGGLE_RAW:
		dv->raw = !dv->raw;
		build(dv, a, v);
		return 1;
	case REQ_MOVE_TO:
		tui_move_traces(a, &dv->id, 1);
		return 1;
	case REQ_UNGROUP:
		tui_ungroup_traces(a, &dv->id, 1);
		return 1;
	case REQ_FORCE_GROUP:
		tui_force_group(a, dv->id);
		return 1;
	case REQ_ENTER:
		return 1;
	default:
		return 0;
	}
}

int tui_doc_search(struct doc *d, int *top, const char *pat, int dir)
{
	wchar_t w[256];
	size_t n = mbstowcs(w, pat, 255);
	int row;

	if (n == (size_t)-1)
		return 0;
	w[n] = 0;
	doc_layout(d, COLS);
	row = doc_search(d, w, *top, dir);
	if (row < 0)
		return 0;
	*top = row;
	return 1;
}

static int detail_search(struct view *v, struct app *a, const char *pat, int dir)
{
	struct detail_view *dv = v->priv;

	(void)a;
	return tui_doc_search(&dv->doc, &dv->top, pat, dir);
}

static void detail_reload(struct view *v, struct app *a)
{
	build(v->priv, a, v);
}

static void detail_free(struct view *v)
{
	struct detail_view *dv = v->priv;

	doc_free(&dv->doc);
	free(dv);
	free(v);
}

static const struct view_ops detail_ops = {
	"detail", SC_DETAIL, detail_draw, detail_request, NULL, detail_reload,
	detail_search, detail_status, detail_free
};

struct view *view_detail_new(struct app *a, int64_t trace_id)
{
	struct view *v = calloc(1, sizeof *v);
	struct detail_view *dv = calloc(1, sizeof *dv);

	if (!v || !dv)
		abort();
	dv->id = trace_id;
	doc_init(&dv->doc);
	v->ops = &detail_ops;
	v->priv = dv;
	build(dv, a, v);
	return v;
}
