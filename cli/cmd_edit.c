/*
 * cmd_edit.c - `assign`, `merge`, `rename`, `undo`, `redo`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"

int cmd_assign(struct cli_env *env, struct args *a)
{
	int modes = (args_get(a, "task") != NULL) + args_has(a, "ungroup") +
	            args_has(a, "new-task");
	int64_t task = 0, moved = 0, *ids;
	struct ops_ctx c;
	int rc = EXIT_OK;

	if (modes != 1)
		return usage_error(env, a->cmd, "give exactly one of --task ID, "
		                   "--ungroup, --new-task");
	if (args_get(a, "task") &&
	    (rc = parse_task_id(env, a, args_get(a, "task"), &task)))
		return rc;
	if (!cli_store(env))
		return EXIT_FAIL;
	ops_ctx_init(&c, env, 1);
	if (!(ids = calloc((size_t)a->npos, sizeof *ids)))
		abort();
	for (int i = 0; i < a->npos && rc == EXIT_OK; i++)
		if (ops_trace_ref(&c, a->pos[i], &ids[i]) != 0)
			rc = cli_fail(env, "%s", c.err);
	if (rc == EXIT_OK && args_has(a, "new-task")) {
		if (ops_create_task(&c, ids, (size_t)a->npos, args_get(a, "name"),
		                    &task) != 0)
			rc = cli_fail(env, "%s", c.err);
		else
			fprintf(env->out, "created task %lld with %d traces\n",
			        (long long)task, a->npos);
	} else if (rc == EXIT_OK) {
		if (ops_assign(&c, ids, (size_t)a->npos, task, &moved) != 0)
			rc = cli_fail(env, "%s", c.err);
		else if (task)
			fprintf(env->out, "moved %lld traces to task %lld\n",
			        (long long)moved, (long long)task);
		else
			fprintf(env->out, "ungrouped %lld traces\n", (long long)moved);
	}
	free(ids);
	return rc;
}

int cmd_merge(struct cli_env *env, struct args *a)
{
	int64_t into, *from = calloc((size_t)a->npos, sizeof *from);
	uint32_t max = 100;
	struct ops_ctx c;
	const char *v, *bad;
	int rc = parse_task_id(env, a, a->pos[0], &into);

	if (!from)
		abort();
	for (int i = 1; i < a->npos && rc == EXIT_OK; i++)
		rc = parse_task_id(env, a, a->pos[i], &from[i - 1]);
	if (rc == EXIT_OK && (v = args_get(a, "max-sample-size")) &&
	    (bad = ops_parse_count(v, 1, &max)))
		rc = usage_error(env, a->cmd, "--max-sample-size %s", bad);
	if (rc == EXIT_OK && !cli_store(env))
		rc = EXIT_FAIL;
	if (rc == EXIT_OK) {
		ops_ctx_init(&c, env, 1);
		if (ops_merge(&c, into, from, (size_t)a->npos - 1, max) != 0)
			rc = cli_fail(env, "%s", c.err);
		else
			fprintf(env->out, "merged %d tasks into task %lld\n", a->npos - 1,
			        (long long)into);
	}
	free(from);
	return rc;
}

int cmd_rename(struct cli_env *env, struct args *a)
{
	struct ops_ctx c;
	int64_t id;
	int rc = parse_task_id(env, a, a->pos[0], &id);

	if (rc != EXIT_OK)
		return rc;
	if (!cli_store(env))
		return EXIT_FAIL;
	ops_ctx_init(&c, env, 1);
	if (ops_rename(&c, id, a->pos[1]) != 0)
		return cli_fail(env, "%s", c.err);
	fprintf(env->out, "renamed task %lld\n", (long long)id);
	return EXIT_OK;
}

static int undo_redo(struct cli_env *env, int redo)
{
	struct ops_ctx c;
	char *summary;

	if (!cli_store(env))
		return EXIT_FAIL;
	ops_ctx_init(&c, env, 1);
	if (ops_undo(&c, redo, &summary) != 0)
		return cli_fail(env, "%s", c.err);
	if (!summary) {
		fprintf(env->out, "nothing to %s\n", redo ? "redo" : "undo");
		return EXIT_OK;
	}
	out_cell(env->out, summary, 0, 0);
	fputc('\n', env->out);
	free(summary);
	return EXIT_OK;
}

int cmd_undo(struct cli_env *env, struct args *a)
{
	(void)a;
	return undo_redo(env, 0);
}

int cmd_redo(struct cli_env *env, struct args *a)
{
	(void)a;
	return undo_redo(env, 1);
}
