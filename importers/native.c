/*
 * native.c - tracegroup's own shape, one object per trace:
 *   {"id", "project" | "project_id", "path", "model", "instructions",
 *    "input": string | [{role, content}], "output", "created_at", "metadata"}
 * `content` may be a string or a part list; "messages" is taken for "input".
 */
#include "importers/formats.h"

static void native_input(struct rec *r, const cJSON *input)
{
	const cJSON *m;
	if (cJSON_IsString(input)) {
		rec_message(r, "user", input);
		return;
	}
	cJSON_ArrayForEach(m, jarr(input)) {
		if (cJSON_IsString(m)) {
			rec_message(r, "user", m);
			continue;
		}
		const char *role = jstr(m, "role");
		if (role || jget(m, "content"))
			rec_message(r, role ? role : "user", jget(m, "content"));
	}
}

static void native_output(struct rec *r, const cJSON *out)
{
	const cJSON *item;
	if (cJSON_IsArray(out) && cJSON_IsObject(out->child) &&
	    !jget(out->child, "text")) {
		cJSON_ArrayForEach(item, out)
			rec_output(r, jget(item, "content"));
		return;
	}
	if (cJSON_IsObject(out) && jget(out, "content"))
		out = jget(out, "content");
	rec_output(r, out);
}

int native_record(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	const cJSON *input = jget(obj, "input");
	const cJSON *md = jget(obj, "metadata");
	char tmp[32];
	if (!input)
		input = jget(obj, "messages");
	if (input && !cJSON_IsString(input) && !cJSON_IsArray(input) &&
	    !cJSON_IsNull(input))
		return imp_bad(im, "native record: \"input\" must be a string or a "
		               "list of messages");
	struct rec *r = imp_rec(im, NULL);
	const char *id = jtext(jget(obj, "id"), tmp);
	if (id) {
		rec_key(r, "native", id);
		r->tr.source_id = r->key.s + 7;
	}
	r->tr.project = jstr2(obj, "project", "project_id");
	r->tr.path = jstr(obj, "path");
	r->tr.model = jstr(obj, "model");
	rec_instructions(r, jget(obj, "instructions"));
	native_input(r, input);
	native_output(r, jget(obj, "output"));
	rec_created(r, jget(obj, "created_at"));
	if (cJSON_IsObject(md)) {
		r->meta = cJSON_Duplicate(md, 1);
	}
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}
