/*
 * record.h - build one trace_record from the pieces a format handler finds.
 *
 * A format handler clears a `struct rec`, feeds it messages, instructions,
 * output text and facts, and hands it to imp_emit (formats.h).  The builder
 * applies the shared rules, so every format agrees on them:
 *   - instructions: the instructions field first, then every system and
 *     developer message in order, blocks joined by a blank line ("\n\n");
 *   - content parts (strings, text / input_text / output_text parts, OTel
 *     {type:text, content}) are joined with "\n"; images etc. are skipped;
 *   - first_user: the text of the first user message;
 *   - input_json: [{"role":..,"content":..}, ...] with content a string;
 *   - every text is valid UTF-8 (invalid sequences become U+FFFD).
 * Strings set directly in `tr` must live until the record is emitted.
 */
#ifndef TRACEGROUP_IMPORT_RECORD_H
#define TRACEGROUP_IMPORT_RECORD_H

#include <cjson/cJSON.h>

#include "importers/import.h"
#include "importers/text.h"

struct rec {
	struct trace_record tr;   /* short fields are set directly by handlers */
	struct sbuf instr;        /* instructions so far */
	struct sbuf user;         /* first user message */
	struct sbuf input;        /* "[{..},{..}" without the closing bracket */
	struct sbuf output;
	struct sbuf key;          /* source_key, empty: content hash */
	struct sbuf scratch;
	struct sbuf fixed;        /* UTF-8-repaired copies of short fields */
	cJSON *meta;              /* metadata object, or NULL */
	const cJSON *raw_obj;     /* the object this record came from */
	int have_user;
	int n_input;
	char created[TEXT_TIME_MAX];
};

void rec_init(struct rec *r);
/* Forget everything of the previous record (keeps allocations). */
void rec_clear(struct rec *r);
void rec_free(struct rec *r);

/* Append the text of a content value (string, part list, part) to b.
 * Returns the number of text pieces added. */
int rec_content_text(struct sbuf *b, const cJSON *content);

/* One input message: goes to input_json, to the instructions when the role
 * is system/developer, and to first_user when it is the first user one. */
void rec_message(struct rec *r, const char *role, const cJSON *content);
void rec_message_text(struct rec *r, const char *role, const char *text);
/* An instructions field: a string, a part list, or an item list. */
void rec_instructions(struct rec *r, const cJSON *v);
void rec_instructions_text(struct rec *r, const char *text, size_t n);
/* Output text (pieces are joined with "\n"). */
void rec_output(struct rec *r, const cJSON *content);
void rec_output_text(struct rec *r, const char *text);

/* "family:id" or "family:a:b" into the source key. */
void rec_key(struct rec *r, const char *family, const char *id);
void rec_key2(struct rec *r, const char *family, const char *a, const char *b);
/* created_at from an ISO string, unix number or nanosecond string. */
void rec_created(struct rec *r, const cJSON *v);
void rec_created_str(struct rec *r, const char *s);

/* metadata_json: key = a string / number value (NULL / null ignored). */
void rec_meta(struct rec *r, const char *key, const cJSON *v);
void rec_meta_str(struct rec *r, const char *key, const char *s);
/* key = a copy of any JSON value. */
void rec_meta_json(struct rec *r, const char *key, const cJSON *v);

/* ---- small cJSON accessors (NULL-safe) ---------------------------------- */
const cJSON *jget(const cJSON *o, const char *key);
/* The string value of o[key], or NULL when absent / not a string. */
const char *jstr(const cJSON *o, const char *key);
/* First of several keys that holds a string. */
const char *jstr2(const cJSON *o, const char *k1, const char *k2);
int jis(const cJSON *o, const char *key, const char *value);
/* v when it is an array, else NULL (for cJSON_ArrayForEach). */
const cJSON *jarr(const cJSON *v);
/* Text of a string or number value into tmp ("%g" / integer form). */
const char *jtext(const cJSON *v, char tmp[32]);

#endif
