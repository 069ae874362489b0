/*
 * cmd_tui.c - `tracegroup tui`: until the explorer is built, the task list.
 */
#include "cli/commands.h"

int cmd_tui(struct cli_env *env, struct args *a)
{
	char *argv[] = { "tasks", NULL };

	fprintf(env->err, "tracegroup: the explorer is not built yet; here is "
	        "the task list\n");
	return cli_exec(env, 1, argv);
}
