/*
 * cmd_group.c - `match`, `group`, `group-trace` and `split`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"

int parse_group_params(struct cli_env *env, const struct args *a,
                       struct group_params *p)
{
	const char *v, *bad = NULL;
	struct group_params d = GROUP_PARAMS_DEFAULT;

	*p = d;
	if ((v = args_get(a, "threshold")) &&
	    (bad = ops_parse_threshold(v, &p->similarity_threshold)))
		return usage_error(env, a->cmd, "--threshold: %s", bad);
	if ((v = args_get(a, "min-cluster-size")) &&
	    (bad = ops_parse_count(v, 2, &p->min_cluster_size)))
		return usage_error(env, a->cmd, "--min-cluster-size %s", bad);
	if ((v = args_get(a, "max-sample-size")) &&
	    (bad = ops_parse_count(v, 1, &p->max_sample_size)))
		return usage_error(env, a->cmd, "--max-sample-size %s", bad);
	return EXIT_OK;
}

int parse_task_id(struct cli_env *env, const struct args *a, const char *s,
                  int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (!*s || *end || v <= 0)
		return usage_error(env, a->cmd, "'%s' is not a task id", s);
	*id = v;
	return EXIT_OK;
}

/* --timing: where the run's time went, on stderr (the report may be JSON
 * on stdout).  Closing the database comes after: a checkpoint of the WAL. */
static void print_timing(struct cli_env *env, const char *what,
                         const struct group_report *r)
{
	fprintf(env->err, "%s: %.3f s = plan %.3f + cluster %.3f + write %.3f"
	        " + commit %.3f\n", what, r->seconds, r->timing.plan,
	        r->timing.cluster, r->timing.write, r->timing.commit);
}

static int finish(struct cli_env *env, struct ops_ctx *c, int rc,
                  const char *what, struct group_report *r, int dry, int json,
                  int top, int quiet, int timing)
{
	out_progress_end(env);
	if (rc == OPS_CANCELLED) {
		group_report_clear(r);
		return cli_fail(env, "%s cancelled; nothing was changed", what);
	}
	if (rc < 0) {
		group_report_clear(r);
		return cli_fail(env, "%s", c->err);
	}
	if (!timing)                   /* JSON reports carry it on request */
		memset(&r->timing, 0, sizeof r->timing);
	if (!quiet || json)
		out_report(env, what, r, dry, json, top);
	if (timing)
		print_timing(env, what, r);
	group_report_clear(r);
	return EXIT_OK;
}

int cmd_match(struct cli_env *env, struct args *a)
{
	struct group_params p;
	struct group_report r;
	struct ops_ctx c;
	int rc = parse_group_params(env, a, &p);

	if (rc != EXIT_OK)
		return rc;
	if (!cli_store(env))
		return EXIT_FAIL;
	ops_ctx_init(&c, env, args_has(a, "quiet"));
	rc = ops_match(&c, p.similarity_threshold, args_has(a, "dry-run"), &r);
	return finish(env, &c, rc, "match", &r, args_has(a, "dry-run"),
	              args_has(a, "json"), 0, 0, args_has(a, "timing"));
}

int cmd_group(struct cli_env *env, struct args *a)
{
	struct group_params p;
	struct group_report r;
	struct ops_ctx c;
	uint32_t top = 10;
	const char *v, *bad;
	int rc = parse_group_params(env, a, &p);

	if (rc != EXIT_OK)
		return rc;
	if ((v = args_get(a, "top")) && (bad = ops_parse_count(v, 0, &top)))
		return usage_error(env, a->cmd, "--top %s", bad);
	if (!cli_store(env))
		return EXIT_FAIL;
	ops_ctx_init(&c, env, args_has(a, "quiet"));
	rc = ops_group(&c, &p, args_has(a, "dry-run"), &r);
	return finish(env, &c, rc, "group", &r, args_has(a, "dry-run"),
	              args_has(a, "json"), (int)top, args_has(a, "quiet"),
	              args_has(a, "timing"));
}

int cmd_group_trace(struct cli_env *env, struct args *a)
{
	struct group_params p;
	struct group_report r;
	struct ops_ctx c;
	int64_t id;
	int rc = parse_group_params(env, a, &p);

	if (rc != EXIT_OK)
		return rc;
	if (!cli_store(env))
		return EXIT_FAIL;
	ops_ctx_init(&c, env, 1);
	if (ops_trace_ref(&c, a->pos[0], &id) != 0)
		return cli_fail(env, "%s", c.err);
	rc = ops_group_trace(&c, id, &p, &r);
	return finish(env, &c, rc, "group-trace", &r, 0, args_has(a, "json"), 5, 0,
	              0);
}

int cmd_split(struct cli_env *env, struct args *a)
{
	struct group_params p;
	struct group_report r;
	struct ops_ctx c;
	int64_t id;
	int rc = parse_group_params(env, a, &p);

	if (rc != EXIT_OK || (rc = parse_task_id(env, a, a->pos[0], &id)))
		return rc;
	if (!args_has(a, "threshold"))
		return usage_error(env, a->cmd, "give the stricter --threshold to split at");
	if (!cli_store(env))
		return EXIT_FAIL;
	ops_ctx_init(&c, env, 1);
	rc = ops_split(&c, id, &p, args_has(a, "dry-run"), &r);
	return finish(env, &c, rc, "split", &r, args_has(a, "dry-run"),
	              args_has(a, "json"), 20, 0, 0);
}

int cmd_score(struct cli_env *env, struct args *a)
{
	struct ops_ctx c;
	double score;

	ops_ctx_init(&c, env, 1);
	if (ops_score(&c, a->pos[0], a->pos[1], &score) != 0)
		return usage_error(env, a->cmd, "%s", c.err);
	if (args_has(a, "json")) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "score", score);
		cJSON_AddBoolToObject(o, "fits", score >= 1.0);
		out_json(env->out, o);
	} else {
		fprintf(env->out, "%.3f\n", score);
	}
	return EXIT_OK;
}
