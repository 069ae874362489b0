/*
 * cmd_import.c - `tracegroup import`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"

static int list_formats(struct cli_env *env)
{
	for (const char *const *n = import_format_names(); *n; n++)
		fprintf(env->out, "%s\n", *n);
	return EXIT_OK;
}

static int known_format(const char *name)
{
	for (const char *const *n = import_format_names(); *n; n++)
		if (!strcmp(*n, name))
			return 1;
	return 0;
}

static void print_summary(struct cli_env *env, const char *file,
                          const struct import_summary *s, int json)
{
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "file", file);
		cJSON_AddNumberToObject(o, "records", (double)s->records);
		cJSON_AddNumberToObject(o, "imported", (double)s->imported);
		cJSON_AddNumberToObject(o, "already_present", (double)s->present);
		cJSON_AddNumberToObject(o, "rejected", (double)s->rejected);
		cJSON_AddNumberToObject(o, "auto_matched", (double)s->matched);
		cJSON_AddNumberToObject(o, "outputs", (double)s->outputs);
		cJSON_AddNumberToObject(o, "seconds", s->seconds);
		out_json(env->out, o);
		return;
	}
	out_cell(env->out, file, 0, 0);
	fprintf(env->out, ": %llu imported, %llu already present, %llu rejected, "
	        "%llu auto-matched", (unsigned long long)s->imported,
	        (unsigned long long)s->present, (unsigned long long)s->rejected,
	        (unsigned long long)s->matched);
	if (s->outputs)
		fprintf(env->out, ", %llu batch results", (unsigned long long)s->outputs);
	fprintf(env->out, " (%.2fs)\n", s->seconds);
}

int cmd_import(struct cli_env *env, struct args *a)
{
	struct ops_import_opts o = { .threshold = 0.6 };
	const char *v, *bad;
	int quiet = args_has(a, "quiet"), json = args_has(a, "json");
	int rc = EXIT_OK, rejected = 0;
	struct ops_ctx c;

	if (args_has(a, "list-formats"))
		return list_formats(env);
	if (a->npos == 0)
		return usage_error(env, a->cmd, "missing FILE...");
	if ((v = args_get(a, "format")) && !known_format(v))
		return usage_error(env, a->cmd, "unknown format '%s' (see --list-formats)", v);
	if ((v = args_get(a, "threshold")) && (bad = ops_parse_threshold(v, &o.threshold)))
		return usage_error(env, a->cmd, "--threshold: %s", bad);
	o.in.format = args_get(a, "format");
	o.in.project = args_get(a, "project");
	o.in.path = args_get(a, "path");
	o.in.strict = args_has(a, "strict");
	o.no_match = args_has(a, "no-match");
	o.messages = env->err;
	if ((v = args_get(a, "rejects")) && !(o.rejects = fopen(v, "ab")))
		return cli_fail(env, "%s: %s", v, strerror(errno));
	if (!cli_store(env)) {
		if (o.rejects)
			fclose(o.rejects);
		return EXIT_FAIL;
	}
	ops_ctx_init(&c, env, quiet);
	for (int i = 0; i < a->npos && rc != EXIT_FAIL; i++) {
		struct import_summary s;
		int r = ops_import(&c, a->pos[i], &o, &s);
		out_progress_end(env);
		if (r < 0) {
			cli_fail(env, "%s", c.err);
			rc = EXIT_FAIL;
			continue;
		}
		rejected += s.rejected > 0;
		if (!quiet || json)
			print_summary(env, a->pos[i], &s, json);
		if (r == OPS_CANCELLED) {
			cli_fail(env, "import interrupted; whole records imported so far are "
			     "kept, run the same import again to complete it");
			rc = EXIT_FAIL;
		}
	}
	if (o.rejects)
		fclose(o.rejects);
	return rc == EXIT_OK && rejected ? EXIT_REJECTED : rc;
}
