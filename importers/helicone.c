/*
 * helicone.c - Helicone export rows: request_body / response_body (objects,
 * or JSON text as in the CSV export), request_path, request_created_at,
 * request_model, prompt_id.  The bodies are read with the OpenAI / Anthropic
 * readers.  source_key: "helicone:<request_id>".
 */
#include "importers/formats.h"

#include <string.h>

/* A body given as an object or as JSON text (parsed into *tree). */
static const cJSON *body_of(const cJSON *v, cJSON **tree)
{
	if (cJSON_IsString(v)) {
		*tree = cJSON_Parse(v->valuestring);
		return *tree;
	}
	return cJSON_IsObject(v) ? v : NULL;
}

int helicone_row(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	cJSON *t1 = NULL, *t2 = NULL;
	const cJSON *req = body_of(jget(obj, "request_body"), &t1);
	const cJSON *resp = body_of(jget(obj, "response_body"), &t2);
	struct rec *r = imp_rec(im, NULL);
	const char *id = jstr(obj, "request_id");
	const char *provider = jstr(obj, "provider");
	if (id) {
		rec_key(r, "helicone", id);
		r->tr.source_id = id;
	}
	r->tr.model = jstr(obj, "request_model");
	int api = api_of_body(req);
	if (provider && !strcmp(provider, "ANTHROPIC") && api == 'c')
		api = 'a';
	r->tr.path = jstr(obj, "request_path") ? url_path(jstr(obj, "request_path")) :
	             api_path(api);
	rec_created(r, jget(obj, "request_created_at"));
	if (api == 'a')
		anthropic_body(r, req);
	else if (api == 'r')
		openai_responses_body(r, req);
	else
		openai_chat_body(r, req);
	switch (api_of_reply(resp)) {
	case 'c': openai_chat_reply(r, resp); break;
	case 'r': openai_responses_reply(r, resp); break;
	case 'a': anthropic_reply(r, resp); break;
	}
	if (!r->tr.model)
		r->tr.model = jstr(obj, "response_model");
	rec_meta(r, "prompt_id", jget(obj, "prompt_id"));
	rec_meta(r, "user_id", jget(obj, "request_user_id"));
	int rc = imp_emit(im, r) ? FMT_STOP : FMT_OK;
	cJSON_Delete(t1);
	cJSON_Delete(t2);
	return rc;
}
