/*
 * otlp.c - LLM spans: OTLP/JSON (resourceSpans -> scopeSpans -> spans, one
 * resource element per call here) and the flat OpenInference span-per-line
 * shape (attributes as a JSON object, nested or dotted).
 *
 * Three message encodings are read:
 *   - OTel GenAI: gen_ai.system_instructions, gen_ai.input.messages,
 *     gen_ai.output.messages, each a JSON string or a structured value;
 *   - OpenLLMetry: gen_ai.prompt.N.role/content, gen_ai.completion.N.*;
 *   - OpenInference: llm.input_messages.N.message.role/content and
 *     ...message.contents.M.message_content.text, or a nested list.
 * Attribute values come wrapped ({stringValue}, {intValue:"5"}, arrayValue,
 * kvlistValue, or snake_case string_value ...).  Spans that are not LLM calls
 * are skipped.  source_key: "otlp:<span id>".
 */
#include "importers/formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum part { P_ROLE, P_CONTENT, P_TEXT };

struct idx_item {          /* one indexed message attribute */
	int out;               /* 0 input, 1 output */
	long n, m;             /* message index, content part index */
	enum part what;
	const char *s;
};

struct span {
	const char *provider, *op, *req_model, *resp_model, *oi_model, *oi_kind;
	const char *url, *project, *tl_template, *tl_version, *tl_key;
	const char *oi_template, *oi_version, *input_value, *output_value;
	const cJSON *sys_instr, *in_msgs, *out_msgs, *oi_vars, *old_prompt;
	cJSON *tl_vars;
	struct idx_item *items;
	size_t n_items, cap_items;
	cJSON *owned[16];
	int n_owned;
	int has_gen_ai;
	struct sbuf text;
};

static void span_free(struct span *sp)
{
	for (int i = 0; i < sp->n_owned; i++)
		cJSON_Delete(sp->owned[i]);
	cJSON_Delete(sp->tl_vars);
	free(sp->items);
	sb_free(&sp->text);
}

/* Keep a tree alive until the span is done; NULL if no room. */
static const cJSON *own(struct span *sp, cJSON *tree)
{
	if (!tree)
		return NULL;
	if (sp->n_owned == (int)(sizeof sp->owned / sizeof *sp->owned)) {
		cJSON_Delete(tree);
		return NULL;
	}
	sp->owned[sp->n_owned++] = tree;
	return tree;
}

/* ---- OTLP AnyValue -------------------------------------------------- */

static int is_kind(const cJSON *c, const char *camel, const char *snake)
{
	return c->string && (!strcmp(c->string, camel) || !strcmp(c->string, snake));
}

static const cJSON *any_values(const cJSON *v, const char *camel,
                               const char *snake)
{
	const cJSON *inner = jget(v, camel);
	if (!inner)
		inner = jget(v, snake);
	return jget(inner, "values");
}

/* A wrapped value as plain JSON (a new tree). */
static cJSON *any_to_json(const cJSON *v)
{
	const cJSON *c, *e;
	if (!cJSON_IsObject(v))
		return cJSON_Duplicate(v, 1);
	for (c = v->child; c; c = c->next) {
		if (is_kind(c, "arrayValue", "array_value")) {
			cJSON *a = cJSON_CreateArray();
			cJSON_ArrayForEach(e, any_values(v, "arrayValue", "array_value"))
				cJSON_AddItemToArray(a, any_to_json(e));
			return a;
		}
		if (is_kind(c, "kvlistValue", "kvlist_value")) {
			cJSON *o = cJSON_CreateObject();
			cJSON_ArrayForEach(e, any_values(v, "kvlistValue", "kvlist_value")) {
				const char *k = jstr(e, "key");
				if (k)
					cJSON_AddItemToObject(o, k, any_to_json(jget(e, "value")));
			}
			return o;
		}
		if (is_kind(c, "intValue", "int_value") && cJSON_IsString(c))
			return cJSON_CreateNumber(strtod(c->valuestring, NULL));
		if (c->string && strstr(c->string, "alue"))
			return cJSON_Duplicate(c, 1);
	}
	return cJSON_CreateNull();
}

/* The plain value inside a wrapped attribute value. */
static const cJSON *unwrap(struct span *sp, const cJSON *v)
{
	const cJSON *c;
	if (!cJSON_IsObject(v))
		return v;
	for (c = v->child; c; c = c->next) {
		if (is_kind(c, "arrayValue", "array_value") ||
		    is_kind(c, "kvlistValue", "kvlist_value"))
			return own(sp, any_to_json(v));
		if (c->string && strstr(c->string, "alue"))
			return c;
	}
	return NULL;
}

/* ---- attribute classification --------------------------------------- */

static void add_item(struct span *sp, int out, long n, long m,
                     enum part what, const char *s)
{
	if (!s || n < 0 || n > 100000)
		return;
	if (sp->n_items == sp->cap_items) {
		sp->cap_items = sp->cap_items ? sp->cap_items * 2 : 16;
		sp->items = text_xrealloc(sp->items, sp->cap_items * sizeof *sp->items);
	}
	sp->items[sp->n_items++] = (struct idx_item){ out, n, m, what, s };
}

/* "N.<rest>" -> N, *rest; -1 if no index. */
static long index_of(const char *s, const char **rest)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	long n = strtol(s, &end, 10);
	if (*end != '.')
		return -1;
	*rest = end + 1;
	return n;
}

/* gen_ai.prompt.N.role / gen_ai.completion.N.content */
static int openllmetry_attr(struct span *sp, const char *key, const char *s)
{
	const char *rest;
	int out = !strncmp(key, "gen_ai.completion.", 18);
	if (!out && strncmp(key, "gen_ai.prompt.", 14))
		return 0;
	long n = index_of(key + (out ? 18 : 14), &rest);
	if (n < 0)
		return 0;
	if (!strcmp(rest, "role"))
		add_item(sp, out, n, 0, P_ROLE, s);
	else if (!strcmp(rest, "content"))
		add_item(sp, out, n, 0, P_CONTENT, s);
	return 1;
}

/* llm.input_messages.N.message.role / .content / .contents.M.message_content.text */
static int openinference_attr(struct span *sp, const char *key, const char *s)
{
	const char *rest, *r2;
	int out = !strncmp(key, "llm.output_messages.", 20);
	if (!out && strncmp(key, "llm.input_messages.", 19))
		return 0;
	long n = index_of(key + (out ? 20 : 19), &rest);
	if (n < 0 || strncmp(rest, "message.", 8))
		return n >= 0;
	rest += 8;
	if (!strcmp(rest, "role"))
		add_item(sp, out, n, 0, P_ROLE, s);
	else if (!strcmp(rest, "content"))
		add_item(sp, out, n, 0, P_CONTENT, s);
	else if (!strncmp(rest, "contents.", 9)) {
		long m = index_of(rest + 9, &r2);
		if (m >= 0 && !strcmp(r2, "message_content.text"))
			add_item(sp, out, n, m, P_TEXT, s);
	}
	return 1;
}

static const char *sget(const cJSON *o, const char *dotted, const char *a,
                        const char *b)
{
	const char *s = jstr(o, dotted);
	return s ? s : jstr(jget(o, a), b);
}

/* A nested OpenInference message list: [{"message.role":..}|{"message":{..}}] */
static void openinference_list(struct span *sp, int out, const cJSON *list)
{
	const cJSON *el, *part;
	long n = 0;
	cJSON_ArrayForEach(el, list) {
		const cJSON *parts = jget(el, "message.contents");
		if (!parts)
			parts = jget(jget(el, "message"), "contents");
		add_item(sp, out, n, 0, P_ROLE, sget(el, "message.role", "message", "role"));
		add_item(sp, out, n, 0, P_CONTENT,
		         sget(el, "message.content", "message", "content"));
		long m = 0;
		cJSON_ArrayForEach(part, jarr(parts))
			add_item(sp, out, n, m++, P_TEXT,
			         sget(part, "message_content.text", "message_content", "text"));
		n++;
	}
}

/* A number attribute as text kept with the span. */
static const char *num_str(struct span *sp, const cJSON *v)
{
	char tmp[32];
	const char *t = jtext(v, tmp);
	const cJSON *n = t ? own(sp, cJSON_CreateString(t)) : NULL;
	return n ? n->valuestring : NULL;
}

static void span_attr(struct span *sp, const char *key, const cJSON *v)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	struct { const char *key; const char **dst; } str_keys[] = {
		{ "gen_ai.provider.name", &sp->provider },
		{ "gen_ai.operation.name", &sp->op },
		{ "gen_ai.request.model", &sp->req_model },
		{ "gen_ai.response.model", &sp->resp_model },
		{ "llm.model_name", &sp->oi_model },
		{ "openinference.span.kind", &sp->oi_kind },
		{ "url.full", &sp->url }, { "http.url", &sp->url },
		{ "openinference.project.name", &sp->project },
		{ "traceloop.prompt.template", &sp->tl_template },
		{ "traceloop.prompt.key", &sp->tl_key },
		{ "llm.prompt_template.template", &sp->oi_template },
		{ "input.value", &sp->input_value },
		{ "output.value", &sp->output_value },
	};
	if (!strncmp(key, "gen_ai.", 7) || !strncmp(key, "llm.", 4))
		sp->has_gen_ai = 1;
	for (size_t i = 0; i < sizeof str_keys / sizeof *str_keys; i++)
		if (!strcmp(key, str_keys[i].key)) {
			if (s && !*str_keys[i].dst)
				*str_keys[i].dst = s;
			return;
		}
	if (!strcmp(key, "gen_ai.system") || !strcmp(key, "llm.system") ||
	    !strcmp(key, "llm.provider")) {
		if (!sp->provider)
			sp->provider = s;
	} else if (!strcmp(key, "llm.request.type")) {
		if (!sp->op)
			sp->op = s;
	} else if (!strcmp(key, "traceloop.prompt.version")) {
		sp->tl_version = s ? s : num_str(sp, v);
	} else if (!strcmp(key, "llm.prompt_template.version")) {
		sp->oi_version = s ? s : num_str(sp, v);
	} else if (!strcmp(key, "llm.prompt_template.variables")) {
		sp->oi_vars = v;
	} else if (!strncmp(key, "traceloop.prompt.template_variables.", 36)) {
		if (!sp->tl_vars)
			sp->tl_vars = cJSON_CreateObject();
		cJSON_AddItemToObject(sp->tl_vars, key + 36, cJSON_Duplicate(v, 1));
	} else if (!strcmp(key, "gen_ai.system_instructions")) {
		sp->sys_instr = v;
	} else if (!strcmp(key, "gen_ai.input.messages")) {
		sp->in_msgs = v;
	} else if (!strcmp(key, "gen_ai.output.messages")) {
		sp->out_msgs = v;
	} else if (!strcmp(key, "gen_ai.prompt")) {
		sp->old_prompt = v;
	} else if (!strcmp(key, "llm.input_messages") || !strcmp(key, "llm.output_messages")) {
		openinference_list(sp, key[4] == 'o', v);
	} else if (!openllmetry_attr(sp, key, s)) {
		openinference_attr(sp, key, s);
	}
}

/* Flat-span attributes: an object, maybe nested ({"llm": {"model_name"}}). */
static void dict_attrs(struct span *sp, const cJSON *o, char *key, size_t len,
                       int depth)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, o) {
		size_t n = (size_t)snprintf(key + len, 512 - len, "%s%s",
		                            len ? "." : "", c->string ? c->string : "");
		if (len + n >= 512)
			continue;
		if (cJSON_IsObject(c) && depth < 8)
			dict_attrs(sp, c, key, len + n, depth + 1);
		else
			span_attr(sp, key, c);
		key[len] = '\0';
	}
}

static void list_attrs(struct span *sp, const cJSON *attrs)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, attrs) {
		const char *key = jstr(a, "key");
		const cJSON *v = unwrap(sp, jget(a, "value"));
		if (key && v)
			span_attr(sp, key, v);
	}
}

/* ---- building the record -------------------------------------------- */

/* A messages attribute: a JSON string or a structured value. */
static const cJSON *json_value(struct span *sp, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		cJSON *t = cJSON_Parse(v->valuestring);
		return t ? own(sp, t) : NULL;
	}
	return v;
}

static void genai_messages(struct rec *r, const cJSON *msgs, int out)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, jarr(msgs)) {
		const cJSON *content = jget(m, "parts");
		if (!content)
			content = jget(m, "content");
		if (out)
			rec_output(r, content);
		else
			rec_message(r, jstr(m, "role"), content);
	}
}

static int item_cmp(const void *a, const void *b)
{
	const struct idx_item *x = a, *y = b;
	if (x->out != y->out)
		return x->out - y->out;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	if (x->what != y->what)
		return (int)x->what - (int)y->what;
	return x->m < y->m ? -1 : x->m > y->m;
}

/* Indexed messages, grouped by index, in order. Returns how many. */
static int indexed_messages(struct span *sp, struct rec *r, int out)
{
	int count = 0;
	size_t i = 0;
	while (i < sp->n_items) {
		const struct idx_item *it = &sp->items[i];
		if (it->out != out) {
			i++;
			continue;
		}
		const char *role = "user", *content = NULL;
		sb_reset(&sp->text);
		int parts = 0;
		for (; i < sp->n_items && sp->items[i].out == out &&
		       sp->items[i].n == it->n; i++) {
			const struct idx_item *x = &sp->items[i];
			if (x->what == P_ROLE)
				role = x->s;
			else if (x->what == P_CONTENT)
				content = x->s;
			else {
				if (parts++)
					sb_addc(&sp->text, '\n');
				sb_adds(&sp->text, x->s);
			}
		}
		if (!content)
			content = sp->text.s ? sp->text.s : "";
		if (out)
			rec_output_text(r, content);
		else
			rec_message_text(r, role, content);
		count++;
	}
	return count;
}

static void span_input(struct span *sp, struct rec *r)
{
	const cJSON *v;
	if (sp->sys_instr) {
		v = json_value(sp, sp->sys_instr);
		if (v)
			rec_instructions(r, v);
		else if (cJSON_IsString(sp->sys_instr))
			rec_instructions(r, sp->sys_instr);
	}
	if ((v = json_value(sp, sp->in_msgs))) {
		genai_messages(r, v, 0);
		return;
	}
	if (indexed_messages(sp, r, 0))
		return;
	if (sp->old_prompt) {
		v = json_value(sp, sp->old_prompt);
		if (cJSON_IsArray(v))
			genai_messages(r, v, 0);
		else
			rec_message(r, "user", sp->old_prompt);
		return;
	}
	if (sp->input_value) {
		cJSON *t = cJSON_Parse(sp->input_value);
		const cJSON *msgs = jget(t, "messages");
		if (cJSON_IsArray(msgs))
			genai_messages(r, msgs, 0);
		else
			rec_message_text(r, "user", sp->input_value);
		cJSON_Delete(t);
	}
}

static void span_output(struct span *sp, struct rec *r)
{
	const cJSON *v = json_value(sp, sp->out_msgs);
	if (v)
		genai_messages(r, v, 1);
	else if (!indexed_messages(sp, r, 1) && sp->output_value)
		rec_output_text(r, sp->output_value);
}

static const char *span_path(const struct span *sp)
{
	const char *p = sp->provider, *op = sp->op;
	if (sp->url)
		return url_path(sp->url);
	if (!op && sp->oi_kind)
		op = "chat";
	if (!p || !op)
		return NULL;
	int chat = !strcmp(op, "chat");
	if (!strcmp(p, "openai") || !strcmp(p, "azure.ai.openai") ||
	    !strcmp(p, "azure"))
		return chat ? "/v1/chat/completions" :
		       !strcmp(op, "text_completion") || !strcmp(op, "completion") ?
		       "/v1/completions" :
		       !strcmp(op, "embeddings") ? "/v1/embeddings" : NULL;
	if (!strcmp(p, "anthropic") && chat)
		return "/v1/messages";
	return NULL;
}

static int is_llm(const struct span *sp)
{
	static const char *const ops[] = {
		"chat", "text_completion", "completion", "generate_content", NULL
	};
	if (sp->oi_kind)
		return !strcmp(sp->oi_kind, "LLM") || !strcmp(sp->oi_kind, "llm");
	if (sp->in_msgs || sp->sys_instr || sp->old_prompt || sp->n_items)
		return 1;
	for (int i = 0; sp->op && ops[i]; i++)
		if (!strcmp(sp->op, ops[i]))
			return 1;
	return 0;
}

static void span_meta(struct span *sp, struct rec *r)
{
	rec_meta_str(r, "prompt_template", sp->tl_template ? sp->tl_template :
	             sp->oi_template);
	rec_meta_str(r, "prompt_version", sp->tl_version ? sp->tl_version :
	             sp->oi_version);
	rec_meta_str(r, "prompt_name", sp->tl_key);
	if (sp->tl_vars)
		rec_meta_json(r, "prompt_variables", sp->tl_vars);
	else if (sp->oi_vars) {
		const cJSON *v = json_value(sp, sp->oi_vars);
		rec_meta_json(r, "prompt_variables", v ? v : sp->oi_vars);
	}
}

/* Emit the span if it is an LLM call.  `res_project` from the resource. */
static int span_emit(struct imp *im, struct span *sp, const cJSON *span,
                     const char *span_id, const char *res_project)
{
	if (!is_llm(sp))
		return FMT_SKIP;
	struct rec *r = imp_rec(im, NULL);
	r->raw_obj = span;
	if (span_id) {
		rec_key(r, "otlp", span_id);
		r->tr.source_id = span_id;
	}
	r->tr.project = sp->project ? sp->project : res_project;
	r->tr.model = sp->req_model ? sp->req_model :
	              sp->oi_model ? sp->oi_model : sp->resp_model;
	r->tr.path = span_path(sp);
	const cJSON *t = jget(span, "startTimeUnixNano");
	if (!t)
		t = jget(span, "start_time_unix_nano");
	if (cJSON_IsString(t))
		text_time_nanos(t->valuestring, r->created);
	else if (cJSON_IsNumber(t))
		text_time_unix(t->valuedouble / 1e9, r->created);
	else
		rec_created(r, jget(span, "start_time") ? jget(span, "start_time") :
		            jget(span, "startTime"));
	span_input(sp, r);
	span_output(sp, r);
	span_meta(sp, r);
	return imp_emit(im, r) ? FMT_STOP : FMT_OK;
}

/* Deprecated event form: gen_ai.system.message / gen_ai.user.message. */
static void span_events(struct span *sp, const cJSON *span)
{
	const cJSON *ev, *a;
	cJSON_ArrayForEach(ev, jarr(jget(span, "events"))) {
		const char *name = jstr(ev, "name");
		if (!name || strncmp(name, "gen_ai.", 7))
			continue;
		const char *role = !strcmp(name, "gen_ai.system.message") ? "system" :
		                   !strcmp(name, "gen_ai.user.message") ? "user" :
		                   !strcmp(name, "gen_ai.assistant.message") ? "assistant" :
		                   NULL;
		cJSON_ArrayForEach(a, jarr(jget(ev, "attributes"))) {
			const cJSON *v = unwrap(sp, jget(a, "value"));
			if (role && jis(a, "key", "content") && cJSON_IsString(v)) {
				add_item(sp, 0, (long)sp->n_items, 0, P_ROLE, role);
				add_item(sp, 0, (long)sp->n_items - 1, 0, P_CONTENT, v->valuestring);
			}
		}
	}
}

static int otlp_span(struct imp *im, const cJSON *span, const char *res_project)
{
	struct span sp = { 0 };
	list_attrs(&sp, jget(span, "attributes"));
	if (!sp.n_items)
		span_events(&sp, span);
	if (sp.n_items)
		qsort(sp.items, sp.n_items, sizeof *sp.items, item_cmp);
	int rc = span_emit(im, &sp, span, jstr2(span, "spanId", "span_id"),
	                   res_project);
	span_free(&sp);
	return rc;
}

static const char *resource_attr(const cJSON *resource, const char *key)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, jarr(jget(resource, "attributes"))) {
		if (jis(a, "key", key)) {
			const cJSON *v = jget(a, "value");
			const char *s = jstr2(v, "stringValue", "string_value");
			return s ? s : cJSON_IsString(v) ? v->valuestring : NULL;
		}
	}
	return NULL;
}

static const cJSON *scope_list(const cJSON *rs)
{
	static const char *const keys[] = {
		"scopeSpans", "scope_spans", "instrumentationLibrarySpans", NULL
	};
	for (int i = 0; keys[i]; i++)
		if (cJSON_IsArray(jget(rs, keys[i])))
			return jget(rs, keys[i]);
	return NULL;
}

int otlp_record(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	const cJSON *ss, *span;
	int any = FMT_SKIP;
	if (!scope_list(obj))
		return otlp_span(im, obj, NULL);
	const char *project = resource_attr(jget(obj, "resource"),
	                                    "openinference.project.name");
	cJSON_ArrayForEach(ss, scope_list(obj)) {
		cJSON_ArrayForEach(span, jarr(jget(ss, "spans"))) {
			int rc = otlp_span(im, span, project);
			if (rc == FMT_STOP)
				return rc;
			if (rc == FMT_OK)
				any = FMT_OK;
		}
	}
	return any;
}

int openinference_span(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	struct span sp = { 0 };
	char key[512] = "";
	const cJSON *ctx = jget(obj, "context");
	dict_attrs(&sp, jget(obj, "attributes"), key, 0, 0);
	if (sp.n_items)
		qsort(sp.items, sp.n_items, sizeof *sp.items, item_cmp);
	const char *id = jstr(ctx, "span_id");
	if (!id)
		id = jstr2(obj, "span_id", "spanId");
	int rc = span_emit(im, &sp, obj, id, NULL);
	span_free(&sp);
	return rc;
}
