/*
 * langfuse.c - Langfuse exports: observations of type GENERATION (other
 * observation types are skipped), on their own (API list, blob export with
 * snake_case columns) or inside a trace download ({..., observations: []}),
 * in which case the trace is the envelope.
 *
 * Project: the observation's or trace's projectId, else the id in the
 * trace's htmlPath ("/project/<id>/traces/...").  Prompt keys: promptName,
 * promptVersion, promptId.  source_key: "langfuse:<observation id>".
 */
#include "importers/formats.h"

#include <string.h>

static const char *get2(const cJSON *o, const char *camel, const char *snake)
{
	return jstr2(o, camel, snake);
}

static const cJSON *jget2(const cJSON *o, const char *camel, const char *snake)
{
	const cJSON *v = jget(o, camel);
	return v ? v : jget(o, snake);
}

/* "/project/<id>/..." -> <id> copied into buf. */
static const char *project_from_path(const char *path, char *buf, size_t n)
{
	const char *p = path ? strstr(path, "/project/") : NULL;
	if (!p)
		return NULL;
	p += 9;
	size_t len = strcspn(p, "/?#");
	if (!len || len >= n)
		return NULL;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

static void langfuse_input(struct rec *r, const cJSON *in)
{
	const cJSON *m;
	if (cJSON_IsObject(in) && cJSON_IsArray(jget(in, "messages")))
		in = jget(in, "messages");
	if (cJSON_IsString(in)) {
		rec_message(r, "user", in);
	} else if (cJSON_IsArray(in)) {
		cJSON_ArrayForEach(m, in) {
			if (cJSON_IsString(m))
				rec_message(r, "user", m);
			else
				rec_message(r, jstr(m, "role"), jget(m, "content"));
		}
	} else if (in && !cJSON_IsNull(in)) {
		char *s = cJSON_PrintUnformatted(in);
		rec_message_text(r, "user", s);
		cJSON_free(s);
	}
}

static void langfuse_output(struct rec *r, const cJSON *out)
{
	const cJSON *choice = cJSON_GetArrayItem(jget(out, "choices"), 0);
	if (choice)
		out = jget(choice, "message");
	if (cJSON_IsObject(out) && jget(out, "content"))
		out = jget(out, "content");
	rec_output(r, out);
}

int langfuse_record(struct imp *im, const cJSON *obj, const cJSON *env)
{
	char tmp[32], proj[128];
	if (!jis(obj, "type", "GENERATION"))
		return FMT_SKIP;
	struct rec *r = imp_rec(im, NULL);
	const char *id = jstr(obj, "id");
	if (id) {
		rec_key(r, "langfuse", id);
		r->tr.source_id = id;
	}
	r->tr.model = jstr(obj, "model");
	r->tr.project = get2(obj, "projectId", "project_id");
	if (!r->tr.project)
		r->tr.project = get2(env, "projectId", "project_id");
	if (!r->tr.project)
		r->tr.project = project_from_path(jstr(env, "htmlPath"), proj, sizeof proj);
	rec_created(r, jget2(obj, "startTime", "start_time"));
	langfuse_input(r, jget(obj, "input"));
	langfuse_output(r, jget(obj, "output"));
	rec_meta(r, "prompt_name", jget2(obj, "promptName", "prompt_name"));
	rec_meta_str(r, "prompt_version",
	             jtext(jget2(obj, "promptVersion", "prompt_version"), tmp));
	rec_meta(r, "prompt_id", jget2(obj, "promptId", "prompt_id"));
	rec_meta(r, "trace_id", jget2(obj, "traceId", "trace_id"));
	rec_meta(r, "name", jget(obj, "name"));
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}
