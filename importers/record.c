/*
 * record.c - the trace_record builder.  See record.h.
 */
#include "importers/record.h"

#include <stdio.h>
#include <string.h>

void rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
}

void rec_clear(struct rec *r)
{
	memset(&r->tr, 0, sizeof r->tr);
	sb_reset(&r->instr);
	sb_reset(&r->user);
	sb_reset(&r->input);
	sb_reset(&r->output);
	sb_reset(&r->key);
	sb_reset(&r->fixed);
	cJSON_Delete(r->meta);
	r->meta = NULL;
	r->raw_obj = NULL;
	r->have_user = 0;
	r->n_input = 0;
	r->created[0] = '\0';
}

void rec_free(struct rec *r)
{
	sb_free(&r->instr);
	sb_free(&r->user);
	sb_free(&r->input);
	sb_free(&r->output);
	sb_free(&r->key);
	sb_free(&r->scratch);
	sb_free(&r->fixed);
	cJSON_Delete(r->meta);
	r->meta = NULL;
}

const cJSON *jget(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = jget(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *jstr2(const cJSON *o, const char *k1, const char *k2)
{
	const char *s = jstr(o, k1);
	return s ? s : jstr(o, k2);
}

int jis(const cJSON *o, const char *key, const char *value)
{
	const char *s = jstr(o, key);
	return s && strcmp(s, value) == 0;
}

const cJSON *jarr(const cJSON *v)
{
	return cJSON_IsArray(v) ? v : NULL;
}

const char *jtext(const cJSON *v, char tmp[32])
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (!cJSON_IsNumber(v))
		return NULL;
	double d = v->valuedouble;
	if (d > -1e18 && d < 1e18 && d == (double)(long long)d)
		snprintf(tmp, 32, "%lld", (long long)d);
	else
		snprintf(tmp, 32, "%.17g", d);
	return tmp;
}

/* The text of one part of a content list, or NULL when it has none. */
static const char *part_text(const cJSON *p)
{
	if (cJSON_IsString(p))
		return p->valuestring;
	if (!cJSON_IsObject(p))
		return NULL;
	const char *type = jstr(p, "type");
	if (type && strcmp(type, "text") && strcmp(type, "input_text") &&
	    strcmp(type, "output_text"))
		return NULL;
	const char *t = jstr(p, "text");
	return t ? t : jstr(p, "content");
}

int rec_content_text(struct sbuf *b, const cJSON *content)
{
	int n = 0;
	if (cJSON_IsString(content)) {
		sb_add_utf8(b, content->valuestring, strlen(content->valuestring));
		return 1;
	}
	if (cJSON_IsObject(content)) {
		const char *t = part_text(content);
		if (t)
			sb_add_utf8(b, t, strlen(t));
		return t != NULL;
	}
	const cJSON *p;
	cJSON_ArrayForEach(p, jarr(content)) {
		const char *t = part_text(p);
		if (!t)
			continue;
		if (n++)
			sb_addc(b, '\n');
		sb_add_utf8(b, t, strlen(t));
	}
	return n;
}

static void add_block(struct sbuf *b, const char *s, size_t n)
{
	if (!n)
		return;
	if (b->len)
		sb_add(b, "\n\n", 2);
	sb_add(b, s, n);
}

static void message_scratch(struct rec *r, const char *role)
{
	const char *s = r->scratch.s ? r->scratch.s : "";
	size_t n = r->scratch.len;
	sb_add(&r->input, r->n_input++ ? ",{\"role\":" : "[{\"role\":", 9);
	sb_add_json_str(&r->input, role, strlen(role));
	sb_add(&r->input, ",\"content\":", 11);
	sb_add_json_str(&r->input, s, n);
	sb_addc(&r->input, '}');
	if (!strcmp(role, "system") || !strcmp(role, "developer"))
		add_block(&r->instr, s, n);
	else if (!r->have_user && !strcmp(role, "user")) {
		r->have_user = 1;
		sb_add(&r->user, s, n);
	}
}

void rec_message(struct rec *r, const char *role, const cJSON *content)
{
	sb_reset(&r->scratch);
	rec_content_text(&r->scratch, content);
	message_scratch(r, role ? role : "user");
}

void rec_message_text(struct rec *r, const char *role, const char *text)
{
	sb_reset(&r->scratch);
	if (text)
		sb_add_utf8(&r->scratch, text, strlen(text));
	message_scratch(r, role ? role : "user");
}

void rec_instructions_text(struct rec *r, const char *text, size_t n)
{
	sb_reset(&r->scratch);
	sb_add_utf8(&r->scratch, text, n);
	add_block(&r->instr, r->scratch.s, r->scratch.len);
}

void rec_instructions(struct rec *r, const cJSON *v)
{
	const cJSON *item;
	if (!cJSON_IsArray(v) || !jget(cJSON_GetArrayItem(v, 0), "role")) {
		sb_reset(&r->scratch);
		rec_content_text(&r->scratch, v);
		add_block(&r->instr, r->scratch.s, r->scratch.len);
		return;
	}
	cJSON_ArrayForEach(item, v) {
		sb_reset(&r->scratch);
		rec_content_text(&r->scratch, jget(item, "content"));
		add_block(&r->instr, r->scratch.s, r->scratch.len);
	}
}

void rec_output(struct rec *r, const cJSON *content)
{
	size_t before = r->output.len;
	if (before)
		sb_addc(&r->output, '\n');
	if (!rec_content_text(&r->output, content)) {
		r->output.len = before;
		if (r->output.s)
			r->output.s[before] = '\0';
	}
}

void rec_output_text(struct rec *r, const char *text)
{
	if (!text)
		return;
	if (r->output.len)
		sb_addc(&r->output, '\n');
	sb_add_utf8(&r->output, text, strlen(text));
}

void rec_key(struct rec *r, const char *family, const char *id)
{
	sb_reset(&r->key);
	sb_adds(&r->key, family);
	sb_addc(&r->key, ':');
	sb_add_utf8(&r->key, id, strlen(id));
}

void rec_key2(struct rec *r, const char *family, const char *a, const char *b)
{
	rec_key(r, family, a);
	sb_addc(&r->key, ':');
	sb_add_utf8(&r->key, b, strlen(b));
}

void rec_created_str(struct rec *r, const char *s)
{
	if (s && !r->created[0])
		text_time_any(s, r->created);
}

void rec_created(struct rec *r, const cJSON *v)
{
	if (r->created[0])
		return;
	if (cJSON_IsString(v))
		text_time_any(v->valuestring, r->created);
	else if (cJSON_IsNumber(v) && v->valuedouble > 0)
		text_time_unix(v->valuedouble, r->created);
}

static cJSON *meta_obj(struct rec *r)
{
	if (!r->meta)
		r->meta = cJSON_CreateObject();
	return r->meta;
}

void rec_meta_str(struct rec *r, const char *key, const char *s)
{
	if (!s)
		return;
	cJSON *m = meta_obj(r);
	cJSON_DeleteItemFromObjectCaseSensitive(m, key);
	cJSON_AddStringToObject(m, key, s);
}

void rec_meta(struct rec *r, const char *key, const cJSON *v)
{
	char tmp[32];
	rec_meta_str(r, key, jtext(v, tmp));
}

void rec_meta_json(struct rec *r, const char *key, const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return;
	cJSON *m = meta_obj(r);
	cJSON_DeleteItemFromObjectCaseSensitive(m, key);
	cJSON_AddItemToObject(m, key, cJSON_Duplicate(v, 1));
}
