/*
 * commands.h - the handlers behind the command table (commands.c).
 */
#ifndef TRACEGROUP_CLI_COMMANDS_H
#define TRACEGROUP_CLI_COMMANDS_H

#include "cli/args.h"

int cmd_import(struct cli_env *env, struct args *a);
int cmd_match(struct cli_env *env, struct args *a);
int cmd_group(struct cli_env *env, struct args *a);
int cmd_group_trace(struct cli_env *env, struct args *a);
int cmd_split(struct cli_env *env, struct args *a);
int cmd_assign(struct cli_env *env, struct args *a);
int cmd_merge(struct cli_env *env, struct args *a);
int cmd_rename(struct cli_env *env, struct args *a);
int cmd_undo(struct cli_env *env, struct args *a);
int cmd_redo(struct cli_env *env, struct args *a);
int cmd_tasks(struct cli_env *env, struct args *a);
int cmd_traces(struct cli_env *env, struct args *a);
int cmd_show(struct cli_env *env, struct args *a);
int cmd_stats(struct cli_env *env, struct args *a);
int cmd_export(struct cli_env *env, struct args *a);
int cmd_history(struct cli_env *env, struct args *a);
int cmd_score(struct cli_env *env, struct args *a);
int cmd_tui(struct cli_env *env, struct args *a);

/* Shared parsing of grouping parameters; EXIT_OK or EXIT_USAGE. */
struct group_params;
int parse_group_params(struct cli_env *env, const struct args *a,
                       struct group_params *p);
/* A task id argument; EXIT_OK or EXIT_USAGE. */
int parse_task_id(struct cli_env *env, const struct args *a, const char *s,
                  int64_t *id);

#endif
