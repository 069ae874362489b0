/*
 * swe_agent.c - SWE-agent trajectories (*.traj): {history: [{role, content,
 * ...}], info, replay_config, ...}.  Every assistant message is one LLM call:
 * its input is every message before it, its instructions the system
 * message(s), its output the message's content.  first_user is the first
 * user message that is not a demonstration (is_demo).
 *
 * The history is walked once and the input list grows as it goes, so a
 * trajectory of n turns costs O(size) work here, not O(n * size).  `raw`
 * of each record is the assistant message (re-serialised); source_key is
 * "swe-agent:<hash of the whole trajectory>:<turn>".
 */
#include "importers/formats.h"

#include <stdio.h>
#include <string.h>

/* replay_config.agent.model.name (replay_config may be JSON text). */
static const char *traj_model(const cJSON *obj, cJSON **tree)
{
	const cJSON *rc = jget(obj, "replay_config");
	if (cJSON_IsString(rc))
		rc = *tree = cJSON_Parse(rc->valuestring);
	const cJSON *model = jget(jget(rc, "agent"), "model");
	const char *name = jstr2(model, "name", "model_name");
	return name ? name : jstr(jget(jget(obj, "info"), "model_stats"), "model");
}

static int turn(struct imp *im, struct rec *r, const cJSON *m,
                const char *traj_hash, int n)
{
	char num[24];
	snprintf(num, sizeof num, "%d", n);
	sb_reset(&r->output);
	rec_output(r, jget(m, "content"));
	rec_key2(r, "swe-agent", traj_hash, num);
	r->raw_obj = m;
	return imp_emit(im, r);
}

int swe_agent_traj(struct imp *im, const cJSON *obj, const cJSON *env)
{
	(void)env;
	const cJSON *m;
	cJSON *tree = NULL;
	char hash[17];
	size_t len;
	const char *raw = imp_raw(im, &len);
	int n = 0, rc = FMT_SKIP;
	text_hex64(text_fnv1a(raw, len, TEXT_FNV_SEED), hash);
	struct rec *r = imp_rec(im, NULL);
	r->tr.model = traj_model(obj, &tree);
	cJSON_ArrayForEach(m, jget(obj, "history")) {
		const char *role = jstr(m, "role");
		if (!role)
			continue;
		if (!strcmp(role, "assistant")) {
			if (turn(im, r, m, hash, n++)) {
				rc = FMT_STOP;
				break;
			}
			rc = FMT_OK;
		}
		if (!strcmp(role, "user") && cJSON_IsTrue(jget(m, "is_demo")) &&
		    !r->have_user) {
			r->have_user = 1;           /* keep first_user for the task */
			rec_message(r, role, jget(m, "content"));
			r->have_user = 0;
			continue;
		}
		rec_message(r, role, jget(m, "content"));
	}
	cJSON_Delete(tree);
	return rc;
}
