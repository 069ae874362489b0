/*
 * output.c - text, JSON and progress output for the commands.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "cli/output.h"
#include "tui/sanitize.h"

static int cp_width(long cp)
{
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

/* Display width of a sanitised string. */
static int str_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, used;
	int width = 0;

	while (i < len) {
		width += cp_width(utf8_decode(p + i, len - i, &used));
		i += used;
	}
	return width;
}

void out_cell(FILE *f, const char *s, int cols, int pad)
{
	char *clean = sanitize_str(s, SAN_ONELINE | SAN_FOLD);
	const unsigned char *p = (const unsigned char *)clean;
	size_t len = strlen(clean), i = 0, used;
	int width = 0, cut = cols > 0 && str_width(clean) > cols;

	while (i < len) {
		long cp = utf8_decode(p + i, len - i, &used);
		int w = cp_width(cp);
		if (cut && width + w > cols - 1)
			break;
		fwrite(p + i, 1, used, f);
		width += w;
		i += used;
	}
	if (cut) {
		fputs("\xe2\x80\xa6", f);    /* an ellipsis */
		width++;
	}
	while (pad && width < cols) {
		fputc(' ', f);
		width++;
	}
	free(clean);
}

void out_text(FILE *f, const char *s)
{
	char *clean = sanitize_str(s, SAN_MULTILINE);
	fputs(clean, f);
	free(clean);
}

/* cJSON writes non-ASCII as raw UTF-8; code points that steer a terminal
 * (C1 controls such as U+009B, bidi overrides, line separators) are written
 * as \uXXXX escapes instead, so JSON read on a screen is inert too. */
static void put_json_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, used;

	while (i < len) {
		long cp = utf8_decode(p + i, len - i, &used);
		if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
		    cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029)
			fprintf(f, "\\u%04lx", cp);
		else
			fwrite(p + i, 1, used, f);
		i += used;
	}
}

void out_json(FILE *f, cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);
	if (s) {
		put_json_text(f, s);
		fputc('\n', f);
	}
	free(s);
	cJSON_Delete(v);
}

cJSON *json_str(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static int progress_shown;

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void out_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
	struct ops_ctx *c = ctx;
	struct cli_env *env = c->progress_env;
	static double start, last;
	static const char *last_what;
	double now = mono(), secs;
	char *name;

	if (what != last_what) {
		start = now;
		last_what = what;
	}
	if (now - last < 0.2)
		return;
	last = now;
	secs = now - start > 1e-3 ? now - start : 1e-3;
	name = sanitize_str(what, SAN_ONELINE);
	progress_shown = 1;
	if (strcmp(what, "group") && strcmp(what, "match") && total)
		fprintf(env->err, "\r%.40s: %llu records, %.1f MB/s, %3.0f%%, ETA %.0fs   ",
		        name, (unsigned long long)c->progress_items, done / 1e6 / secs,
		        100.0 * done / total, done ? (total - done) * secs / done : 0);
	else if (total)
		fprintf(env->err, "\r%.40s: partition %llu of %llu   ", name,
		        (unsigned long long)done, (unsigned long long)total);
	free(name);
	fflush(env->err);
}

void out_progress_end(struct cli_env *env)
{
	if (progress_shown)
		fprintf(env->err, "\r%78s\r", "");
	progress_shown = 0;
}

static void bridge(void *ctx, const char *what, uint64_t done, uint64_t total)
{
	struct cli_env *env = ctx;
	env->progress(env->progress_ctx, what, done, total);
}

void ops_ctx_init(struct ops_ctx *c, struct cli_env *env, int quiet)
{
	memset(c, 0, sizeof *c);
	c->store = env->store;
	c->cancel = env->cancel;
	if (env->progress) {                 /* the explorer draws its own */
		c->progress = bridge;
		c->progress_ctx = env;
	} else if (env->tty && !quiet) {
		c->progress = out_progress;
		c->progress_ctx = c;
		c->progress_env = env;
	}
}

void out_report(struct cli_env *env, const char *what,
                const struct group_report *r, int dry_run, int json, int top)
{
	FILE *f = env->out;

	if (json) {
		cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();
		cJSON_AddStringToObject(o, "operation", what);
		cJSON_AddBoolToObject(o, "dry_run", dry_run);
		cJSON_AddNumberToObject(o, "considered", (double)r->considered);
		cJSON_AddNumberToObject(o, "matched", (double)r->matched);
		cJSON_AddNumberToObject(o, "grouped", (double)r->grouped);
		cJSON_AddNumberToObject(o, "left", (double)r->left);
		cJSON_AddNumberToObject(o, "tasks_created", (double)r->tasks_created);
		cJSON_AddNumberToObject(o, "seconds", r->seconds);
		if (r->timing.plan > 0 || r->timing.cluster > 0) {   /* --timing */
			cJSON *t = cJSON_AddObjectToObject(o, "timing");
			cJSON_AddNumberToObject(t, "plan", r->timing.plan);
			cJSON_AddNumberToObject(t, "cluster", r->timing.cluster);
			cJSON_AddNumberToObject(t, "write", r->timing.write);
			cJSON_AddNumberToObject(t, "commit", r->timing.commit);
		}
		if (r->reason[0])
			cJSON_AddStringToObject(o, "reason", r->reason);
		for (size_t i = 0; i < r->n_tasks; i++) {
			cJSON *t = cJSON_CreateObject();
			if (r->tasks[i].task_id)
				cJSON_AddNumberToObject(t, "task_id", (double)r->tasks[i].task_id);
			cJSON_AddStringToObject(t, "project", r->tasks[i].project);
			cJSON_AddStringToObject(t, "model", r->tasks[i].model);
			cJSON_AddStringToObject(t, "path", r->tasks[i].path);
			cJSON_AddStringToObject(t, "template", r->tasks[i].template);
			cJSON_AddNumberToObject(t, "traces", (double)r->tasks[i].traces);
			cJSON_AddItemToArray(arr, t);
		}
		cJSON_AddItemToObject(o, "tasks", arr);
		out_json(f, o);
		return;
	}
	fprintf(f, "%s%s: %llu traces considered, %llu matched to existing tasks, "
	        "%llu grouped into %llu new tasks, %llu left ungrouped (%.2fs)\n",
	        what, dry_run ? " (dry run, nothing changed)" : "",
	        (unsigned long long)r->considered, (unsigned long long)r->matched,
	        (unsigned long long)r->grouped,
	        (unsigned long long)r->tasks_created, (unsigned long long)r->left,
	        r->seconds);
	if (r->reason[0]) {
		fputs("left alone: ", f);
		out_cell(f, r->reason, 0, 0);
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->n_tasks && (int)i < top; i++) {
		fprintf(f, "  %6llu  ", (unsigned long long)r->tasks[i].traces);
		if (r->tasks[i].task_id)
			fprintf(f, "task %-5lld ", (long long)r->tasks[i].task_id);
		out_cell(f, r->tasks[i].template, 90, 0);
		fputc('\n', f);
	}
	if ((int)r->n_tasks > top)
		fprintf(f, "  ... and %zu more\n", r->n_tasks - (size_t)top);
}
