/*
 * output.h - how commands write: sanitised text for people, JSON for
 * scripts, a progress line on terminals.
 */
#ifndef TRACEGROUP_CLI_OUTPUT_H
#define TRACEGROUP_CLI_OUTPUT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "ops/ops.h"

/* Untrusted text on one line, cut to at most `cols` display columns
 * (0: no limit), padded to exactly cols when pad is set. */
void out_cell(FILE *f, const char *s, int cols, int pad);
/* Untrusted text, several lines kept. */
void out_text(FILE *f, const char *s);
/* Print a JSON value on one line and free it. */
void out_json(FILE *f, cJSON *v);
/* cJSON string or null. */
cJSON *json_str(const char *s);

/* Progress line on stderr for ops (only when env->tty). */
void out_progress(void *ctx, const char *what, uint64_t done, uint64_t total);
void out_progress_end(struct cli_env *env);

/* The ops context for a command. */
void ops_ctx_init(struct ops_ctx *c, struct cli_env *env, int quiet);

/* A grouping report for people or as JSON. */
void out_report(struct cli_env *env, const char *what,
                const struct group_report *r, int dry_run, int json,
                int top);

#endif
