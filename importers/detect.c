/*
 * detect.c - the format table, and which format a record is in.
 *
 * Detection looks at a record's own keys (a few lookups, no re-parsing), so
 * a file may mix shapes of one family (batch lines for /v1/chat/completions
 * and /v1/responses).  The rules go from the most specific key sets to the
 * loosest; native comes before the API bodies because it carries a project
 * or path that API bodies never have.
 */
#include "importers/formats.h"

#include <string.h>


static const struct format FORMATS[] = {
	{ "native",                "native",          native_record },
	{ "openai-chat",           "openai",          openai_chat },
	{ "openai-responses",      "openai",          openai_responses },
	{ "openai-batch-input",    "openai-batch",    openai_batch_input },
	{ "openai-batch-output",   "openai-batch-out", openai_batch_output },
	{ "openai-finetune",       "openai-finetune", openai_finetune },
	{ "anthropic-messages",    "anthropic",       anthropic_messages },
	{ "anthropic-batch-input", "anthropic-batch", anthropic_batch_input },
	{ "anthropic-batch-output", "anthropic-batch-out", anthropic_batch_output },
	{ "otlp",                  "otlp",            otlp_record },
	{ "openinference-spans",   "otlp",            openinference_span },
	{ "langfuse",              "langfuse",        langfuse_record },
	{ "langsmith",             "langsmith",       langsmith_run },
	{ "helicone",              "helicone",        helicone_row },
	{ "swe-agent",             "swe-agent",       swe_agent_traj },
};
#define N_FORMATS (sizeof FORMATS / sizeof *FORMATS)

const char *const *import_format_names(void)
{
	static const char *names[N_FORMATS + 1];
	for (size_t i = 0; i < N_FORMATS; i++)
		names[i] = FORMATS[i].name;
	names[N_FORMATS] = NULL;
	return names;
}

const struct format *fmt_by_name(const char *name)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (!strcmp(FORMATS[i].name, name))
			return &FORMATS[i];
	return NULL;
}

static const struct format *named(const char *name)
{
	return fmt_by_name(name);
}

static int has(const cJSON *o, const char *key)
{
	return jget(o, key) != NULL;
}

/* Keys that make an object a record even when it also holds a list. */
static int looks_like_record(const cJSON *o)
{
	static const char *const keys[] = {
		"messages", "model", "custom_id", "body", "run_type",
		"request_body", "history", "spanId", "span_id", "scopeSpans", NULL
	};
	for (int i = 0; keys[i]; i++)
		if (has(o, keys[i]))
			return 1;
	return 0;
}

const cJSON *fmt_wrapped_list(const cJSON *obj)
{
	static const char *const keys[] = {
		"resourceSpans", "resource_spans", "data", "traces", "observations",
		"requests", "runs", "spans", NULL
	};
	if (looks_like_record(obj))
		return NULL;
	for (int i = 0; keys[i]; i++) {
		const cJSON *l = jget(obj, keys[i]);
		if (cJSON_IsArray(l) &&
		    (!l->child || cJSON_IsObject(l->child)))
			return l;
	}
	return NULL;
}

static const struct format *detect_batch(const cJSON *o)
{
	if (has(o, "body"))
		return named("openai-batch-input");
	if (has(o, "params"))
		return named("anthropic-batch-input");
	if (has(o, "result"))
		return named("anthropic-batch-output");
	if (has(o, "response") || has(o, "error"))
		return named("openai-batch-output");
	return NULL;
}

static const struct format *detect_span(const cJSON *o)
{
	if (has(o, "scopeSpans") || has(o, "scope_spans") ||
	    has(o, "instrumentationLibrarySpans"))
		return named("otlp");
	const cJSON *attrs = jget(o, "attributes");
	if ((has(o, "spanId") || has(o, "span_id")) && cJSON_IsArray(attrs))
		return named("otlp");
	if (cJSON_IsObject(attrs) && (cJSON_IsObject(jget(o, "context")) ||
	                              has(o, "span_id") || has(o, "span_kind")))
		return named("openinference-spans");
	return NULL;
}

static int is_langfuse_type(const char *t)
{
	static const char *const types[] = {
		"GENERATION", "SPAN", "EVENT", "AGENT", "TOOL", "CHAIN",
		"RETRIEVER", "EVALUATOR", "EMBEDDING", "GUARDRAIL", NULL
	};
	for (int i = 0; t && types[i]; i++)
		if (!strcmp(t, types[i]))
			return 1;
	return 0;
}

/* A bare request / response body of one of the APIs. */
static const struct format *detect_api(const cJSON *o)
{
	switch (api_of_reply(o)) {
	case 'c': return named("openai-chat");
	case 'r': return named("openai-responses");
	case 'a': return named("anthropic-messages");
	}
	if (cJSON_IsArray(jget(o, "messages"))) {
		int api = api_of_body(o);
		if (api == 'a')
			return named("anthropic-messages");
		return has(o, "model") ? named("openai-chat") : named("openai-finetune");
	}
	if (has(o, "model") && (has(o, "input") || has(o, "instructions") ||
	                        cJSON_IsObject(jget(o, "prompt"))))
		return named("openai-responses");
	return NULL;
}

const struct format *fmt_detect(const cJSON *o)
{
	const struct format *f;
	if ((f = detect_span(o)))
		return f;
	if (cJSON_IsArray(jget(o, "history")))
		return named("swe-agent");
	if (has(o, "custom_id") && (f = detect_batch(o)))
		return f;
	if (has(o, "run_type"))
		return named("langsmith");
	if (has(o, "request_body") || (has(o, "request_path") && has(o, "request_id")))
		return named("helicone");
	if (is_langfuse_type(jstr(o, "type")) &&
	    (has(o, "traceId") || has(o, "trace_id") || has(o, "startTime") ||
	     has(o, "start_time")))
		return named("langfuse");
	if ((has(o, "project") || has(o, "project_id") || has(o, "path")) &&
	    (has(o, "input") || has(o, "instructions") || has(o, "messages") ||
	     has(o, "output")))
		return named("native");
	if ((f = detect_api(o)))
		return f;
	if (has(o, "input") || has(o, "instructions"))
		return named("native");
	return NULL;
}
