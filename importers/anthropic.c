/*
 * anthropic.c - Anthropic Messages request / response and Message Batches:
 * the create body's {custom_id, params} requests and the results JSONL
 * ({custom_id, result:{type, message}}), whose lines become RECORD_OUTPUT.
 *
 * `system` is a string or a list of text blocks (joined with "\n", like any
 * content parts); it is the instructions, ahead of any system message.
 */
#include "importers/formats.h"

#include <string.h>

void anthropic_body(struct rec *r, const cJSON *body)
{
	const cJSON *m;
	if (!r->tr.model)
		r->tr.model = jstr(body, "model");
	rec_instructions(r, jget(body, "system"));
	cJSON_ArrayForEach(m, jget(body, "messages")) {
		const char *role = jstr(m, "role");
		rec_message(r, role ? role : "user", jget(m, "content"));
	}
	const cJSON *md = jget(body, "metadata");
	rec_meta(r, "prompt_id", jget(md, "prompt_id"));
	rec_meta(r, "prompt_name", jget(md, "prompt_name"));
	rec_meta(r, "prompt_version", jget(md, "prompt_version"));
}

void anthropic_reply(struct rec *r, const cJSON *resp)
{
	if (!r->tr.model)
		r->tr.model = jstr(resp, "model");
	rec_output(r, jget(resp, "content"));
}

int anthropic_messages(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	struct rec *r = imp_rec(im, NULL);
	r->tr.path = api_path('a');
	if (api_of_reply(obj) == 'a') {
		const char *id = jstr(obj, "id");
		if (id) {
			rec_key(r, "anthropic", id);
			r->tr.source_id = id;
		}
		anthropic_reply(r, obj);
	} else {
		/* A request log line may carry the logger's own request id. */
		const char *id = jstr(obj, "id");
		if (!cJSON_IsArray(jget(obj, "messages")))
			return imp_bad(im, "messages request without a \"messages\" list");
		if (id) {
			rec_key(r, "anthropic", id);
			r->tr.source_id = id;
		}
		anthropic_body(r, obj);
	}
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}

int anthropic_batch_input(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	const char *cid = jstr(obj, "custom_id");
	const cJSON *params = jget(obj, "params");
	if (!cid)
		return imp_bad(im, "batch request: \"custom_id\" is not a string");
	if (!cJSON_IsObject(params))
		return imp_bad(im, "batch request %s: \"params\" is not an object", cid);
	struct rec *r = imp_rec(im, NULL);
	r->tr.path = api_path('a');
	r->tr.join_key = cid;
	r->tr.source_id = cid;
	imp_key_hashed(im, r, "anthropic-batch", cid);
	anthropic_body(r, params);
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}

int anthropic_batch_output(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	const char *cid = jstr(obj, "custom_id");
	const cJSON *result = jget(obj, "result");
	const cJSON *msg = jget(result, "message");
	if (!cid)
		return imp_bad(im, "batch result: \"custom_id\" is not a string");
	if (!cJSON_IsObject(result))
		return imp_bad(im, "batch result %s: \"result\" is not an object", cid);
	struct rec *r = imp_rec(im, NULL);
	const char *id = jstr(msg, "id");
	r->tr.kind = RECORD_OUTPUT;
	r->tr.path = api_path('a');
	r->tr.join_key = cid;
	r->tr.source_id = id;
	if (id)
		rec_key(r, "anthropic-batch-out", id);
	else
		imp_key_hashed(im, r, "anthropic-batch-out", cid);
	anthropic_reply(r, msg);
	rec_meta(r, "result_type", jget(result, "type"));
	rec_meta_json(r, "error", jget(result, "error"));
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}
