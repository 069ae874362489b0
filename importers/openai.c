/*
 * openai.c - OpenAI shapes: Chat Completions request / response, Responses
 * request / response, Batch input and output lines, fine-tuning chat JSONL.
 *
 * Batch custom_ids are only unique within one batch, so an input line's
 * source_key is "openai-batch:<custom_id>:<hash of the line>" while its
 * join_key stays the custom_id; output lines carry the response's model so
 * the store can tell batches apart when joining.
 */
#include "importers/formats.h"

#include <string.h>

#define PATH_CHAT "/v1/chat/completions"
#define PATH_RESPONSES "/v1/responses"
#define PATH_MESSAGES "/v1/messages"

const char *api_path(int api)
{
	return api == 'c' ? PATH_CHAT : api == 'r' ? PATH_RESPONSES :
	       api == 'a' ? PATH_MESSAGES : NULL;
}

const char *url_path(const char *url)
{
	if (!url)
		return NULL;
	const char *p = strstr(url, "://");
	if (!p)
		return url;
	p = strchr(p + 3, '/');
	return p ? p : "/";
}

/* Does a message list use Anthropic-only content blocks? */
static int anthropic_blocks(const cJSON *messages)
{
	const cJSON *m, *b;
	cJSON_ArrayForEach(m, messages) {
		cJSON_ArrayForEach(b, jarr(jget(m, "content"))) {
			const char *t = jstr(b, "type");
			if (t && (!strcmp(t, "tool_use") || !strcmp(t, "tool_result") ||
			          (!strcmp(t, "image") && jget(b, "source"))))
				return 1;
		}
	}
	return 0;
}

int api_of_body(const cJSON *body)
{
	const char *model = jstr(body, "model");
	const cJSON *msgs = jget(body, "messages");
	if (cJSON_IsArray(msgs)) {
		if (jget(body, "system") || jget(body, "anthropic_version") ||
		    (model && !strncmp(model, "claude", 6)) || anthropic_blocks(msgs))
			return 'a';
		return 'c';
	}
	if (jget(body, "input") || jget(body, "instructions") ||
	    cJSON_IsObject(jget(body, "prompt")))
		return 'r';
	return 0;
}

int api_of_reply(const cJSON *resp)
{
	const char *obj = jstr(resp, "object");
	if (obj && !strcmp(obj, "chat.completion"))
		return 'c';
	if (obj && !strcmp(obj, "response"))
		return 'r';
	if (jis(resp, "type", "message") && jis(resp, "role", "assistant"))
		return 'a';
	if (cJSON_IsArray(jget(resp, "choices")))
		return 'c';
	return 0;
}

static void message_list(struct rec *r, const cJSON *msgs)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, msgs) {
		if (cJSON_IsString(m)) {
			rec_message(r, "user", m);
			continue;
		}
		const char *role = jstr(m, "role");
		if (!role && !jget(m, "content"))
			continue;             /* function_call items and the like */
		rec_message(r, role ? role : "user", jget(m, "content"));
	}
}

static void prompt_keys_from_metadata(struct rec *r, const cJSON *md)
{
	static const char *const keys[] = {
		"prompt_name", "prompt_version", "prompt_id", "prompt_template", NULL
	};
	for (int i = 0; keys[i]; i++)
		rec_meta(r, keys[i], jget(md, keys[i]));
}

void openai_chat_body(struct rec *r, const cJSON *body)
{
	if (!r->tr.model)
		r->tr.model = jstr(body, "model");
	message_list(r, jget(body, "messages"));
	prompt_keys_from_metadata(r, jget(body, "metadata"));
}

void openai_chat_reply(struct rec *r, const cJSON *resp)
{
	const cJSON *choice = cJSON_GetArrayItem(jget(resp, "choices"), 0);
	const cJSON *msg = jget(choice, "message");
	if (!r->tr.model)
		r->tr.model = jstr(resp, "model");
	rec_created(r, jget(resp, "created"));
	if (msg)
		rec_output(r, jget(msg, "content"));
	else
		rec_output(r, jget(choice, "text"));
}

void openai_responses_body(struct rec *r, const cJSON *body)
{
	const cJSON *input = jget(body, "input");
	const cJSON *prompt = jget(body, "prompt");
	if (!r->tr.model)
		r->tr.model = jstr(body, "model");
	rec_instructions(r, jget(body, "instructions"));
	if (cJSON_IsString(input))
		rec_message(r, "user", input);
	else
		message_list(r, input);
	if (cJSON_IsObject(prompt)) {
		rec_meta(r, "prompt_id", jget(prompt, "id"));
		rec_meta(r, "prompt_version", jget(prompt, "version"));
		rec_meta_json(r, "prompt_variables", jget(prompt, "variables"));
	}
	prompt_keys_from_metadata(r, jget(body, "metadata"));
}

void openai_responses_reply(struct rec *r, const cJSON *resp)
{
	const cJSON *item;
	if (!r->tr.model)
		r->tr.model = jstr(resp, "model");
	rec_created(r, jget(resp, "created_at"));
	if (!r->instr.len)
		rec_instructions(r, jget(resp, "instructions"));
	cJSON_ArrayForEach(item, jget(resp, "output")) {
		if (jis(item, "type", "message") || jget(item, "content"))
			rec_output(r, jget(item, "content"));
	}
	if (!r->output.len)
		rec_output_text(r, jstr(resp, "output_text"));
}

/* The id of a response object as the record's key. */
static void reply_key(struct rec *r, const cJSON *resp)
{
	const char *id = jstr(resp, "id");
	if (id) {
		rec_key(r, "openai", id);
		r->tr.source_id = id;
	}
}

/* A bare request may name its project and trace id in metadata. */
static void request_ids(struct rec *r, const cJSON *body)
{
	const cJSON *md = jget(body, "metadata");
	const char *tid = jstr(md, "trace_id");
	r->tr.project = jstr(md, "project");
	if (tid) {
		rec_key(r, "openai", tid);
		r->tr.source_id = tid;
	}
}

int openai_chat(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	struct rec *r = imp_rec(im, NULL);
	r->tr.path = PATH_CHAT;
	if (api_of_reply(obj) == 'c') {
		reply_key(r, obj);
		openai_chat_reply(r, obj);
	} else {
		if (!cJSON_IsArray(jget(obj, "messages")))
			return imp_bad(im, "chat request without a \"messages\" list");
		request_ids(r, obj);
		openai_chat_body(r, obj);
	}
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}

int openai_responses(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	struct rec *r = imp_rec(im, NULL);
	r->tr.path = PATH_RESPONSES;
	if (api_of_reply(obj) == 'r') {
		reply_key(r, obj);
		openai_responses_reply(r, obj);
	} else {
		request_ids(r, obj);
		openai_responses_body(r, obj);
	}
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}

int openai_batch_input(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	const char *cid = jstr(obj, "custom_id");
	const cJSON *body = jget(obj, "body");
	if (!cid)
		return imp_bad(im, "batch line: \"custom_id\" is not a string");
	if (!cJSON_IsObject(body))
		return imp_bad(im, "batch line %s: \"body\" is not an object", cid);
	struct rec *r = imp_rec(im, NULL);
	const char *url = jstr(obj, "url");
	int api = url && strstr(url, "/responses") ? 'r' :
	          url && strstr(url, "/chat/") ? 'c' : api_of_body(body);
	r->tr.path = url ? url_path(url) : api_path(api);
	r->tr.join_key = cid;
	r->tr.source_id = cid;
	imp_key_hashed(im, r, "openai-batch", cid);
	if (api == 'r')
		openai_responses_body(r, body);
	else if (api == 'a')
		anthropic_body(r, body);
	else
		openai_chat_body(r, body);
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}

int openai_batch_output(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	const char *cid = jstr(obj, "custom_id");
	const cJSON *resp = jget(obj, "response");
	const cJSON *body = jget(resp, "body");
	const char *id = jstr(obj, "id");
	if (!cid)
		return imp_bad(im, "batch output: \"custom_id\" is not a string");
	struct rec *r = imp_rec(im, NULL);
	r->tr.kind = RECORD_OUTPUT;
	r->tr.join_key = cid;
	r->tr.source_id = id;
	if (id)
		rec_key(r, "openai-batch-out", id);
	else
		imp_key_hashed(im, r, "openai-batch-out", cid);
	int api = api_of_reply(body);
	r->tr.path = api_path(api);
	if (api == 'r')
		openai_responses_reply(r, body);
	else if (api == 'c')
		openai_chat_reply(r, body);
	rec_meta(r, "status_code", jget(resp, "status_code"));
	rec_meta_json(r, "error", jget(obj, "error"));
	if (!jget(obj, "error") || cJSON_IsNull(jget(obj, "error")))
		rec_meta_json(r, "error", jget(body, "error"));
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}

int openai_finetune(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	const cJSON *msgs = jget(obj, "messages");
	if (!cJSON_IsArray(msgs))
		return imp_bad(im, "fine-tuning line without a \"messages\" list");
	struct rec *r = imp_rec(im, NULL);
	const cJSON *m, *last = NULL;
	cJSON_ArrayForEach(m, msgs)
		last = m;
	if (!jis(last, "role", "assistant"))
		last = NULL;
	r->tr.path = PATH_CHAT;
	r->tr.model = jstr(obj, "model");
	cJSON_ArrayForEach(m, msgs) {
		if (m == last)
			break;
		const char *role = jstr(m, "role");
		rec_message(r, role ? role : "user", jget(m, "content"));
	}
	if (last)
		rec_output(r, jget(last, "content"));
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}
