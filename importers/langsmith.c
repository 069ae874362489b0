/*
 * langsmith.c - LangSmith runs.  Only run_type "llm" is a call; other runs
 * (chain, tool, retriever ...) are skipped.  inputs.messages is either a
 * list of lists of LangChain-serialised messages ({lc, id:[..,"SystemMessage"],
 * kwargs:{content, type}}) or OpenAI-style {role, content}; inputs.prompts
 * (completion models) is a list of strings.
 *
 * Project: session_name, else session_id.  Model: extra.invocation_params
 * .model / model_name, else extra.metadata.ls_model_name.  Path: from the
 * provider (ls_provider or invocation_params._type).
 */
#include "importers/formats.h"

#include <string.h>

static const char *lc_role(const cJSON *m)
{
	const char *t = jstr(jget(m, "kwargs"), "type");
	if (!t)
		t = jstr(m, "type");
	if (!t) {
		const cJSON *id = jget(m, "id"), *last = NULL, *e;
		cJSON_ArrayForEach(e, jarr(id))
			last = e;
		t = cJSON_IsString(last) ? last->valuestring : NULL;
	}
	if (!t)
		return jstr(m, "role");
	if (!strcmp(t, "system") || !strcmp(t, "SystemMessage"))
		return "system";
	if (!strcmp(t, "human") || !strcmp(t, "HumanMessage") || !strcmp(t, "user"))
		return "user";
	if (!strcmp(t, "ai") || !strcmp(t, "AIMessage") || !strcmp(t, "assistant"))
		return "assistant";
	if (!strcmp(t, "tool") || !strcmp(t, "ToolMessage"))
		return "tool";
	if (!strcmp(t, "chat") || !strcmp(t, "ChatMessage")) {
		const char *role = jstr(jget(m, "kwargs"), "role");
		return role ? role : "user";
	}
	return t;
}

static void run_message(struct rec *r, const cJSON *m)
{
	const cJSON *kw = jget(m, "kwargs");
	if (!kw)
		kw = jget(m, "data");
	if (kw && !jget(m, "role"))
		rec_message(r, lc_role(m), jget(kw, "content"));
	else
		rec_message(r, jstr(m, "role"), jget(m, "content"));
}

static void run_inputs(struct rec *r, const cJSON *in)
{
	const cJSON *msgs = jget(in, "messages"), *m;
	if (cJSON_IsArray(msgs) && cJSON_IsArray(msgs->child))
		msgs = msgs->child;
	if (cJSON_IsArray(msgs)) {
		cJSON_ArrayForEach(m, msgs)
			run_message(r, m);
		return;
	}
	const cJSON *prompts = jget(in, "prompts");
	if (cJSON_IsArray(prompts)) {
		rec_message(r, "user", prompts->child);
		return;
	}
	const cJSON *p = jget(in, "prompt");
	if (!p)
		p = jget(in, "input");
	if (cJSON_IsString(p))
		rec_message(r, "user", p);
}

static void run_outputs(struct rec *r, const cJSON *out)
{
	const cJSON *gens = jget(out, "generations");
	const cJSON *g = cJSON_IsArray(gens) ? gens->child : NULL;
	if (cJSON_IsArray(g))
		g = g->child;
	if (g) {
		if (jstr(g, "text") && *jstr(g, "text"))
			rec_output_text(r, jstr(g, "text"));
		else
			rec_output(r, jget(jget(jget(g, "message"), "kwargs"), "content"));
		return;
	}
	const cJSON *choice = cJSON_GetArrayItem(jget(out, "choices"), 0);
	if (choice) {
		rec_output(r, jget(jget(choice, "message"), "content"));
		return;
	}
	if (jget(out, "content"))
		rec_output(r, jget(out, "content"));
	else
		rec_output(r, jget(out, "output"));
}

static const char *run_path(const cJSON *extra)
{
	const char *type = jstr(jget(extra, "invocation_params"), "_type");
	const char *prov = jstr(jget(extra, "metadata"), "ls_provider");
	const char *mt = jstr(jget(extra, "metadata"), "ls_model_type");
	if ((type && strstr(type, "openai-chat")) ||
	    (prov && !strcmp(prov, "openai") && (!mt || !strcmp(mt, "chat"))))
		return "/v1/chat/completions";
	if ((type && strstr(type, "anthropic")) ||
	    (prov && !strcmp(prov, "anthropic")))
		return "/v1/messages";
	return NULL;
}

int langsmith_run(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	if (!jis(obj, "run_type", "llm"))
		return FMT_SKIP;
	const cJSON *extra = jget(obj, "extra");
	const cJSON *ip = jget(extra, "invocation_params");
	const cJSON *md = jget(extra, "metadata");
	struct rec *r = imp_rec(im, NULL);
	const char *id = jstr(obj, "id");
	if (id) {
		rec_key(r, "langsmith", id);
		r->tr.source_id = id;
	}
	r->tr.project = jstr2(obj, "session_name", "session_id");
	r->tr.model = jstr2(ip, "model", "model_name");
	if (!r->tr.model)
		r->tr.model = jstr(md, "ls_model_name");
	if (!r->tr.model)
		r->tr.model = jstr(jget(obj, "inputs"), "model");
	r->tr.path = run_path(extra);
	rec_created(r, jget(obj, "start_time"));
	run_inputs(r, jget(obj, "inputs"));
	run_outputs(r, jget(obj, "outputs"));
	rec_meta(r, "prompt_name", jget(md, "lc_hub_repo"));
	rec_meta(r, "prompt_version", jget(md, "lc_hub_commit_hash"));
	rec_meta(r, "trace_id", jget(obj, "trace_id"));
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}
