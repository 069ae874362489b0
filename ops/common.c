/*
 * common.c - small pieces every operation uses.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ops/internal.h"

int ops_fail(struct ops_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	return -1;
}

int ops_store_fail(struct ops_ctx *c, const char *what)
{
	return ops_fail(c, "%s: %s", what, store_error(c->store));
}

int ops_cancelled(const struct ops_ctx *c)
{
	return c->cancel && *c->cancel;
}

double ops_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ops_reserve(void *arr, size_t *cap, size_t n, size_t sz)
{
	void **p = arr;
	size_t want = *cap ? *cap : 16;

	if (n <= *cap)
		return;
	while (want < n)
		want *= 2;
	if (!(*p = realloc(*p, want * sz)))
		abort();
	*cap = want;
}

char *ops_strdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

const char *ops_parse_threshold(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || isnan(v))
		return "similarity threshold must be a number in [0,1], e.g. 0.6";
	if (v < 0 || v > 1)
		return "similarity threshold must be between 0 and 1";
	*out = v;
	return NULL;
}

const char *ops_parse_count(const char *s, uint32_t min, uint32_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (!*s || *end || v < (long long)min || v > 100000000)
		return min >= 2 ? "must be a whole number of at least 2"
		                : "must be a whole number of at least 1";
	*out = (uint32_t)v;
	return NULL;
}

char *ops_variables(const struct tmpl *t, const char *text)
{
	return ops_variables_len(t, text, text ? strlen(text) : 0);
}

char *ops_variables_len(const struct tmpl *t, const char *text, size_t len)
{
	size_t *spans = NULL;
	int n = t && text ? tmpl_extract_spans(t, text, len, &spans) : -1;
	char *json, *p;

	if (n <= 0) {
		free(spans);
		return NULL;
	}
	/* "[[start,end],...]": at most 44 bytes a pair. */
	if (!(json = malloc((size_t)n * 44 + 3)))
		abort();
	p = json;
	*p++ = '[';
	for (int i = 0; i < n; i++)
		p += sprintf(p, "%s[%zu,%zu]", i ? "," : "", spans[2 * i],
		             spans[2 * i + 1]);
	*p++ = ']';
	*p = '\0';
	free(spans);
	return json;
}

int ops_spans_parse(const char *json, size_t text_len, size_t **spans)
{
	cJSON *arr = json ? cJSON_Parse(json) : NULL, *pair;
	int n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : -1, i = 0;

	*spans = NULL;
	if (n <= 0) {
		cJSON_Delete(arr);
		return -1;
	}
	if (!(*spans = malloc(2 * (size_t)n * sizeof **spans)))
		abort();
	cJSON_ArrayForEach(pair, arr) {
		cJSON *a = cJSON_GetArrayItem(pair, 0), *b = cJSON_GetArrayItem(pair, 1);
		if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b) || a->valuedouble < 0 ||
		    b->valuedouble < a->valuedouble || b->valuedouble > (double)text_len)
			break;
		(*spans)[2 * i] = (size_t)a->valuedouble;
		(*spans)[2 * i + 1] = (size_t)b->valuedouble;
		i++;
	}
	cJSON_Delete(arr);
	if (i != n) {
		free(*spans);
		*spans = NULL;
		return -1;
	}
	return n;
}

/* First literal words of a template, slots shown as "…", at most ~60 bytes. */
char *ops_task_name(const char *tpl)
{
	char buf[72];
	size_t n = 0;
	int space = 0;

	for (const char *p = tpl; *p && n < 60; p++) {
		if (p[0] == '{' && p[1] == '{') {
			p++;
		} else if (p[0] == '}' && p[1] == '}') {
			p++;
		} else if (*p == '{') {
			const char *e = strchr(p, '}');
			if (e) {
				if (n && buf[n - 1] != ' ')
					buf[n++] = ' ';
				n += (size_t)snprintf(buf + n, sizeof buf - n, "\xe2\x80\xa6");
				p = e;
				continue;
			}
		}
		if (isspace((unsigned char)*p)) {
			space = n > 0;
			continue;
		}
		if (space && n < 60)
			buf[n++] = ' ';
		space = 0;
		buf[n++] = *p;
	}
	/* Never cut a UTF-8 sequence in half. */
	while (n > 0 && (unsigned char)buf[n - 1] >= 0x80) {
		size_t k = n - 1;
		while (k > 0 && ((unsigned char)buf[k] & 0xC0) == 0x80)
			k--;
		unsigned char lead = (unsigned char)buf[k];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
		if (n - k >= need)
			break;
		n = k;
	}
	buf[n] = '\0';
	return ops_strdup(n ? buf : "(empty)");
}

int ops_score(struct ops_ctx *c, const char *template_text, const char *text,
              double *score)
{
	struct tmpl *t = tmpl_parse(template_text, strlen(template_text));

	if (!t)
		return ops_fail(c, "not a template: a lone '{' or '}' must be doubled, "
		                "slots are written {var_N}");
	*score = tmpl_score(t, text, strlen(text));
	tmpl_free(t);
	return 0;
}

int ops_trace_ref(struct ops_ctx *c, const char *ref, int64_t *id)
{
	int rc = store_trace_lookup(c->store, ref, id);

	if (rc < 0)
		return ops_store_fail(c, "trace lookup");
	if (rc == 0)
		return ops_fail(c, "no trace '%s' (give a source id or #internal-id)",
		                ref);
	return 0;
}

void group_report_clear(struct group_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_tasks; i++) {
		free(r->tasks[i].project);
		free(r->tasks[i].model);
		free(r->tasks[i].path);
		free(r->tasks[i].template);
	}
	free(r->tasks);
	memset(r, 0, sizeof *r);
}

void ops_report_task(struct group_report *r, const char *project,
                     const char *model, const char *path, int64_t task_id,
                     const struct tmpl *t, uint64_t traces)
{
	struct group_new_task *nt;

	ops_reserve(&r->tasks, &r->cap_tasks, r->n_tasks + 1, sizeof *r->tasks);
	nt = &r->tasks[r->n_tasks++];
	nt->task_id = task_id;
	nt->project = ops_strdup(project);
	nt->model = ops_strdup(model);
	nt->path = ops_strdup(path);
	nt->template = tmpl_render(t);
	nt->traces = traces;
}

static int cmp_new_task(const void *a, const void *b)
{
	const struct group_new_task *x = a, *y = b;
	if (x->traces != y->traces)
		return x->traces < y->traces ? 1 : -1;
	return strcmp(x->template, y->template);
}

void ops_report_sort(struct group_report *r)
{
	if (r->n_tasks)
		qsort(r->tasks, r->n_tasks, sizeof *r->tasks, cmp_new_task);
}
