/*
 * test_engine_real.c - batch grouping on real LLM request dumps from the
 * shared reference data (read in place, never copied).  Each test skips
 * with a note when ../shared/data/real is not there.
 */
#include "tests/testutil.h"

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "engine/engine.h"

struct texts {
	char *v[4096];
	uint32_t w[4096];
	size_t n;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Count one more trace carrying `s` (distinct texts with weights). */
static void add_text(struct texts *t, const char *s)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], s)) {
			t->w[i]++;
			return;
		}
	assert_true(t->n < 4096);
	t->v[t->n] = strdup(s);
	t->w[t->n++] = 1;
}

static void texts_free(struct texts *t)
{
	while (t->n)
		free(t->v[--t->n]);
}

static const char *real_path(const char *rel)
{
	static char buf[8300];
	const char *shared = tu_shared_dir();
	size_t a, b;
	if (!shared)
		return NULL;
	a = strlen(shared);
	b = strlen(rel);
	if (a + b + 12 > sizeof buf)
		return NULL;
	memcpy(buf, shared, a);
	memcpy(buf + a, "/data/real/", 11);
	memcpy(buf + a + 11, rel, b + 1);
	return access(buf, R_OK) == 0 ? buf : NULL;
}

/* The system message of a SWE-agent trajectory's history, once, or once
 * per LLM call (assistant turn) when `per_call`: the traces an import
 * makes of it. */
static void add_traj_system(struct texts *t, const char *path, bool per_call)
{
	char *raw = slurp(path);
	cJSON *root, *msg;
	const char *system = NULL;
	size_t calls = 0, i;
	assert_non_null(raw);
	root = cJSON_Parse(raw);
	assert_non_null(root);
	cJSON_ArrayForEach(msg, cJSON_GetObjectItem(root, "history")) {
		cJSON *role = cJSON_GetObjectItem(msg, "role");
		cJSON *content = cJSON_GetObjectItem(msg, "content");
		if (!cJSON_IsString(role))
			continue;
		if (!system && !strcmp(role->valuestring, "system") &&
		    cJSON_IsString(content))
			system = content->valuestring;
		calls += !strcmp(role->valuestring, "assistant");
	}
	assert_non_null(system);
	for (i = 0; i < (per_call ? calls : 1); i++)
		add_text(t, system);
	cJSON_Delete(root);
	free(raw);
}

/* The system prompts of an OpenAI Batch input file. */
static size_t add_batch_systems(struct texts *t, const char *path)
{
	char *raw = slurp(path), *line, *save = NULL;
	size_t lines = 0;
	assert_non_null(raw);
	for (line = strtok_r(raw, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		cJSON *root = cJSON_Parse(line), *msg;
		cJSON *msgs = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "body"),
		                                  "messages");
		cJSON_ArrayForEach(msg, msgs) {
			cJSON *role = cJSON_GetObjectItem(msg, "role");
			cJSON *content = cJSON_GetObjectItem(msg, "content");
			if (cJSON_IsString(role) && !strcmp(role->valuestring, "system") &&
			    cJSON_IsString(content))
				add_text(t, content->valuestring);
		}
		cJSON_Delete(root);
		lines++;
	}
	free(raw);
	return lines;
}

static void run(const struct texts *t, struct cluster_result *r)
{
	struct cluster_item items[4096];
	struct group_params p = GROUP_PARAMS_DEFAULT;
	size_t i;
	for (i = 0; i < t->n; i++) {
		items[i].text = t->v[i];
		items[i].len = strlen(t->v[i]);
		items[i].weight = t->w[i];
	}
	assert_int_equal(cluster_run(items, t->n, &p, NULL, NULL, r), 0);
	for (i = 0; i < t->n; i++)
		if (r->assign[i] != CLUSTER_NONE)
			assert_true(tmpl_score(r->templates[r->assign[i]], t->v[i],
			                       strlen(t->v[i])) >= p.similarity_threshold);
}

static const char *const swe_files[] = {
	"demo_function_calling_simple.traj", "demo_humanevalfix-python-0.traj",
	"demo_marshmallow-1867_default.traj",
	"gpt4_6e44b9__sweagenttestrepo-1c2844.traj",
	"gpt4_pydicom__pydicom-1458.traj", "gpt4_swe-agent__test-repo-i1.traj",
};

/* The six trajectories' system prompts (see add_traj_system); skips the
 * test when the shared data is not there. */
static void add_swe_prompts(struct texts *t, bool per_call)
{
	char name[256];
	size_t i;
	if (!real_path("swe_agent_trajectories")) {
		printf("# skip: shared data (swe_agent_trajectories) not found\n");
		skip();
	}
	for (i = 0; i < sizeof swe_files / sizeof swe_files[0]; i++) {
		snprintf(name, sizeof name, "swe_agent_trajectories/%s",
		         swe_files[i]);
		add_traj_system(t, real_path(name), per_call);
	}
}

static void test_swe_agent_system_prompts(void **state)
{
	struct texts t = {0};
	struct cluster_result r;
	size_t i, big = 0, in_cluster = 0;
	char *s;
	struct tmpl *back;
	(void)state;
	add_swe_prompts(&t, false);
	run(&t, &r);
	/* the 4.9 KB prompt: three identical, one 2 characters apart */
	for (i = 0; i < t.n; i++) {
		if (strlen(t.v[i]) < 4000)
			continue;
		big += t.w[i];
		assert_true(r.assign[i] != CLUSTER_NONE);
		assert_int_equal(r.assign[i], r.assign[0 + (strlen(t.v[0]) < 4000)]);
	}
	assert_int_equal(big, 4);
	for (i = 0; i < t.n; i++)
		in_cluster += r.assign[i] != CLUSTER_NONE;
	assert_int_equal(in_cluster, 2);       /* the two distinct 4.9 KB texts */
	assert_int_equal(r.n_clusters, 1);
	assert_int_equal(r.sizes[0], 4);
	/* its literal {WINDOW} survives rendering and parsing */
	s = tmpl_render(r.templates[0]);
	assert_non_null(strstr(s, "{{WINDOW}}"));
	back = tmpl_parse(s, strlen(s));
	assert_non_null(back);
	for (i = 0; i < t.n; i++)
		if (r.assign[i] == 0)
			assert_true(tmpl_score(back, t.v[i], strlen(t.v[i])) == 1.0);
	tmpl_free(back);
	free(s);
	cluster_result_free(&r);
	texts_free(&t);
}

/*
 * The same prompts as an import sees them: one trace per LLM call, so the
 * common 4.9 KB prompt carries 31 traces and its version 2 characters
 * apart ("scroll_up" for "scroll_down" in its command list) 5.  Both are
 * tasks by their own weight, and still one task: a word changed in a long
 * prompt is an edit, not a sub-template.
 */
static void test_swe_agent_prompts_per_call(void **state)
{
	struct texts t = {0};
	struct cluster_result r;
	size_t i, big = 0, distinct = 0;
	uint32_t c = CLUSTER_NONE;
	(void)state;
	add_swe_prompts(&t, true);
	run(&t, &r);
	for (i = 0; i < t.n; i++) {
		if (strlen(t.v[i]) < 4000)
			continue;
		assert_true(t.w[i] >= 2);           /* a task by itself */
		big += t.w[i];
		distinct++;
		if (c == CLUSTER_NONE)
			c = r.assign[i];
		assert_true(c != CLUSTER_NONE);
		assert_int_equal(r.assign[i], c);
	}
	assert_int_equal(distinct, 2);
	assert_int_equal(r.sizes[c], big);
	cluster_result_free(&r);
	texts_free(&t);
}

static void test_cookbook_batches_are_two_tasks(void **state)
{
	struct texts t = {0};
	struct cluster_result r;
	const char *movies = real_path("openai_cookbook_batch/batch_tasks_movies.jsonl");
	size_t i, lines;
	(void)state;
	if (!movies) {
		printf("# skip: shared data (openai_cookbook_batch) not found\n");
		skip();
	}
	lines = add_batch_systems(&t, movies);
	lines += add_batch_systems(&t, real_path(
	    "openai_cookbook_batch/batch_tasks_furniture.jsonl"));
	assert_true(lines > 1000);
	run(&t, &r);
	assert_int_equal(r.n_clusters, 2);
	for (i = 0; i < t.n; i++)
		assert_true(r.assign[i] != CLUSTER_NONE);
	assert_true(r.assign[0] != r.assign[t.n - 1]);
	assert_int_equal(r.sizes[0] + r.sizes[1], lines);
	cluster_result_free(&r);
	texts_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swe_agent_system_prompts),
		cmocka_unit_test(test_swe_agent_prompts_per_call),
		cmocka_unit_test(test_cookbook_batches_are_two_tasks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
