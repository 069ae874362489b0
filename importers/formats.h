/*
 * formats.h - what a format handler is, and the formats there are.
 *
 * A handler receives one parsed record object (`obj`) and, when the record
 * came out of a wrapping object ({"data": [...]}, a Langfuse trace with its
 * observations, ...), that object as `env` (else NULL).  It fills the
 * builder from imp_rec() and calls imp_emit() once per trace it finds (a
 * SWE-agent trajectory or an OTLP resource yields several).  It returns:
 *   FMT_OK   records emitted (possibly none on purpose)
 *   FMT_SKIP nothing to import and nothing wrong (a chain run, a span that
 *            is not an LLM call)
 *   FMT_BAD  a bad record: imp_bad() set the reason
 *   FMT_STOP the sink asked to stop (imp_emit returned non-zero)
 */
#ifndef TRACEGROUP_IMPORT_FORMATS_H
#define TRACEGROUP_IMPORT_FORMATS_H

#include <cjson/cJSON.h>

#include "importers/record.h"

enum { FMT_OK = 0, FMT_SKIP = 1, FMT_BAD = 2, FMT_STOP = 3 };

struct imp;   /* one running import (import.c) */

typedef int (*fmt_fn)(struct imp *im, const cJSON *obj, const cJSON *env);

struct format {
	const char *name;     /* as accepted by --format and put in records */
	const char *family;   /* source_key prefix */
	fmt_fn fn;
};

/* The builder for the next record, cleared, its format set to `f`. */
struct rec *imp_rec(struct imp *im, const struct format *f);
/* Finish r and hand it to the sink; non-zero: stop (return FMT_STOP). */
int imp_emit(struct imp *im, struct rec *r);
/* Record the reason of a bad record; returns FMT_BAD. */
int imp_bad(struct imp *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The raw bytes of the current record (for content hashes). */
const char *imp_raw(const struct imp *im, size_t *len);
/* Key "family:custom_id:<hash of the record>": batch custom_ids repeat
 * across batches, so the record's content keeps the keys apart. */
void imp_key_hashed(struct imp *im, struct rec *r, const char *family,
                    const char *custom_id);

/* detect.c */
const struct format *fmt_by_name(const char *name);
/* The format of a record object, or NULL. */
const struct format *fmt_detect(const cJSON *obj);
/* The list under a wrapping key of obj, if obj is only a wrapper. */
const cJSON *fmt_wrapped_list(const cJSON *obj);

/* Handlers, one family per file. */
int native_record(struct imp *im, const cJSON *obj, const cJSON *env);
int openai_chat(struct imp *im, const cJSON *obj, const cJSON *env);
int openai_responses(struct imp *im, const cJSON *obj, const cJSON *env);
int openai_batch_input(struct imp *im, const cJSON *obj, const cJSON *env);
int openai_batch_output(struct imp *im, const cJSON *obj, const cJSON *env);
int openai_finetune(struct imp *im, const cJSON *obj, const cJSON *env);
int anthropic_messages(struct imp *im, const cJSON *obj, const cJSON *env);
int anthropic_batch_input(struct imp *im, const cJSON *obj, const cJSON *env);
int anthropic_batch_output(struct imp *im, const cJSON *obj, const cJSON *env);
int otlp_record(struct imp *im, const cJSON *obj, const cJSON *env);
int openinference_span(struct imp *im, const cJSON *obj, const cJSON *env);
int langfuse_record(struct imp *im, const cJSON *obj, const cJSON *env);
int langsmith_run(struct imp *im, const cJSON *obj, const cJSON *env);
int helicone_row(struct imp *im, const cJSON *obj, const cJSON *env);
int swe_agent_traj(struct imp *im, const cJSON *obj, const cJSON *env);

/* Shared by handlers whose records embed API bodies (openai.c,
 * anthropic.c).  *_body read a request body, *_reply an API response. */
void openai_chat_body(struct rec *r, const cJSON *body);
void openai_chat_reply(struct rec *r, const cJSON *resp);
void openai_responses_body(struct rec *r, const cJSON *body);
void openai_responses_reply(struct rec *r, const cJSON *resp);
void anthropic_body(struct rec *r, const cJSON *body);
void anthropic_reply(struct rec *r, const cJSON *resp);
/* Which API a body / response object belongs to: 'c' chat, 'r' responses,
 * 'a' anthropic, 0 unknown; and that API's endpoint path. */
int api_of_body(const cJSON *body);
int api_of_reply(const cJSON *resp);
const char *api_path(int api);
/* Endpoint from a URL or path ("https://host/v1/x?y" -> "/v1/x"). */
const char *url_path(const char *url);

#endif
