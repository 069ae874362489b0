/*
 * test_engine_cluster.c - batch grouping on the corpus the engine must get
 * right: short templates, multi-word values, long values, fixed texts,
 * one-offs, values in first position, parameters and cancellation.
 */
#include "tests/testutil.h"

#include "engine/engine.h"
#include "engine/groups.h"
#include "engine/pattern.h"

struct run {
	struct cluster_item items[64];
	size_t n;
	struct cluster_result r;
};

static void add(struct run *run, const char *text, uint32_t weight)
{
	run->items[run->n].text = text;
	run->items[run->n].len = strlen(text);
	run->items[run->n].weight = weight;
	run->n++;
}

/* The invariants the product relies on, checked after every run. */
static void check_invariants(const struct run *run, double threshold,
                             uint32_t min_size)
{
	uint64_t *w = calloc(run->r.n_clusters + 1, sizeof *w);
	size_t i;
	assert_int_equal(run->r.n_items, run->n);
	for (i = 0; i < run->n; i++) {
		uint32_t c = run->r.assign[i];
		if (c == CLUSTER_NONE)
			continue;
		assert_true(c < run->r.n_clusters);
		assert_true(tmpl_score(run->r.templates[c], run->items[i].text,
		                       run->items[i].len) >= threshold);
		w[c] += run->items[i].weight;
	}
	for (i = 0; i < run->r.n_clusters; i++) {
		assert_int_equal(w[i], run->r.sizes[i]);
		assert_true(run->r.sizes[i] >= min_size);
	}
	free(w);
}

static void cluster(struct run *run)
{
	struct group_params p = GROUP_PARAMS_DEFAULT;
	assert_int_equal(cluster_run(run->items, run->n, &p, NULL, NULL, &run->r), 0);
	check_invariants(run, p.similarity_threshold, p.min_cluster_size);
}

static void assert_template(const struct run *run, size_t item,
                            const char *expect)
{
	char *s;
	assert_true(run->r.assign[item] != CLUSTER_NONE);
	s = tmpl_render(run->r.templates[run->r.assign[item]]);
	assert_string_equal(s, expect);
	free(s);
}

static void assert_same(const struct run *run, size_t a, size_t b)
{
	assert_true(run->r.assign[a] != CLUSTER_NONE);
	assert_int_equal(run->r.assign[a], run->r.assign[b]);
}

static void test_short_one_token_values(void **state)
{
	struct run run = {0};
	(void)state;
	add(&run, "Greet Alice", 1);
	add(&run, "Say goodbye to Alice", 1);
	add(&run, "Greet Bob", 2);
	add(&run, "Say goodbye to Bob", 1);
	add(&run, "Greet Charlie", 1);
	add(&run, "Say goodbye to Dana", 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 2);
	assert_same(&run, 0, 2);
	assert_same(&run, 0, 4);
	assert_same(&run, 1, 5);
	assert_true(run.r.assign[0] != run.r.assign[1]);
	assert_template(&run, 0, "Greet {var_0}");
	assert_template(&run, 1, "Say goodbye to {var_0}");
	assert_int_equal(run.r.sizes[run.r.assign[0]], 4);
	cluster_result_free(&run.r);
}

static void test_multiword_values(void **state)
{
	struct run run = {0};
	(void)state;
	add(&run, "Translate from French to German: Bonjour le monde", 1);
	add(&run, "Translate from Classical Chinese to English: ni hao", 1);
	add(&run, "Translate from Spanish to Old Norse: hola amigos de la casa", 1);
	add(&run, "Translate from Italian to Dutch: ciao", 1);
	add(&run, "Write a limerick about a cat", 1);
	cluster(&run);
	assert_same(&run, 0, 1);
	assert_same(&run, 0, 2);
	assert_same(&run, 0, 3);
	assert_template(&run, 0, "Translate from {var_0} to {var_1}: {var_2}");
	assert_int_equal(run.r.assign[4], CLUSTER_NONE);
	cluster_result_free(&run.r);
}

static const char *const stopwords[] = {
	"the", "of", "a", "and", "in", "to", "is", "was", "on", "for", "with",
	"by", "that", "it", "as",
};
static const char *const syllables[] = {
	"ka", "lo", "mi", "ven", "tor", "sa", "pre", "dun", "el", "ri", "qua",
	"bo", "nex", "stu", "pha", "gil", "or", "tem", "zu", "wy",
};

/* Deterministic pseudo-random prose of about `bytes` bytes: frequent
 * stopwords among words drawn from a vocabulary of 8,000. */
static char *prose(unsigned seed, size_t bytes)
{
	char *s = malloc(bytes + 64);
	size_t n = 0;
	unsigned x = seed * 2654435761u + 1;
	while (n < bytes) {
		x = x * 1103515245u + 12345u;
		if ((x >> 16) % 10 < 3) {
			n += (size_t)sprintf(s + n, "%s ", stopwords[(x >> 8) % 15]);
			continue;
		}
		n += (size_t)sprintf(s + n, "%s%s%s%s", syllables[(x >> 4) % 20],
		                     syllables[(x >> 9) % 20], syllables[(x >> 14) % 20],
		                     (x >> 20) % 11 ? " " : ". ");
	}
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

static char *rag_prompt(unsigned seed, size_t bytes)
{
	char *doc = prose(seed, bytes), *q = prose(seed + 100, 60 + seed * 7);
	size_t cap = strlen(doc) + strlen(q) + 512;
	char *s = malloc(cap);
	snprintf(s, cap, "You are a careful analyst. Read the document and answer "
	         "the question using only facts from it.\n\nDocument:\n%s\n\n"
	         "Question: %s\nAnswer in one sentence and cite the paragraph.",
	         doc, q);
	free(doc);
	free(q);
	return s;
}

static char *diff_prompt(unsigned seed, size_t bytes)
{
	char *a = prose(seed + 7, bytes / 2), *b = prose(seed + 9, bytes / 2);
	size_t cap = strlen(a) + strlen(b) + 512;
	char *s = malloc(cap);
	snprintf(s, cap, "Review this patch and list every bug you find as JSON "
	         "{\"bugs\": [{\"line\": N, \"why\": \"...\"}]}.\n```diff\n- %s\n+ %s\n"
	         "```\nReply with the JSON only.", a, b);
	free(a);
	free(b);
	return s;
}

static void test_long_values_dominate(void **state)
{
	struct run run = {0};
	static const size_t sizes[] = { 1200, 20000, 5000, 9000, 3000 };
	char *t[10];
	size_t i;
	(void)state;
	for (i = 0; i < 5; i++) {
		t[i] = rag_prompt((unsigned)i + 1, sizes[i]);
		t[5 + i] = diff_prompt((unsigned)i + 1, sizes[(i + 2) % 5]);
	}
	for (i = 0; i < 10; i++)
		add(&run, t[i], 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 2);
	for (i = 1; i < 5; i++) {
		assert_same(&run, 0, i);
		assert_same(&run, 5, 5 + i);
	}
	assert_true(run.r.assign[0] != run.r.assign[5]);
	assert_template(&run, 0, "You are a careful analyst. Read the document and "
	                "answer the question using only facts from it.\n\nDocument:\n"
	                "{var_0}\n\nQuestion: {var_1}\nAnswer in one sentence and "
	                "cite the paragraph.");
	cluster_result_free(&run.r);
	for (i = 0; i < 10; i++)
		free(t[i]);
}

/* "{frame}\n\n{label}:\n{document}\n\nQuestion: {question}?" */
static char *doc_question(const char *frame, const char *label, unsigned seed)
{
	char *doc = prose(seed, 6000), *q = prose(seed + 1000, 50);
	size_t cap = strlen(frame) + strlen(doc) + strlen(q) + 64;
	char *s = malloc(cap);
	snprintf(s, cap, "%s\n\n%s:\n%s\n\nQuestion: %s?", frame, label, doc, q);
	free(doc);
	free(q);
	return s;
}

/* Two tasks that paste documents of one kind of prose under near frames:
 * two documents share dozens of words in order by chance ("the", "of",
 * "in"), scattered, which is no frame.  Before the frame had to be made of
 * phrases, the first text of the second task joined the first task's
 * leader, and the mixed cluster's template failed: neither task grouped. */
static void test_documents_share_words_not_a_frame(void **state)
{
	static const char *const frame[2] = {
		"Use the late refund below. Only track the legacy region before "
		"refund. Always flag the temporary tenant without budget.",
		"Use the automatic checklist below. Carefully cancel the quarterly "
		"sensor during shipment. Politely reject the automatic server under "
		"meeting.",
	};
	struct run run = {0};
	char *t[10];
	size_t i;
	(void)state;
	for (i = 0; i < 10; i++) {
		t[i] = doc_question(frame[i % 2], i % 2 ? "checklist" : "refund",
		                    (unsigned)i + 1);
		add(&run, t[i], 1);
	}
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 2);
	for (i = 2; i < 10; i++)
		assert_same(&run, i % 2, i);
	assert_true(run.r.assign[0] != run.r.assign[1]);
	assert_template(&run, 1, "Use the automatic checklist below. Carefully "
	                "cancel the quarterly sensor during shipment. Politely "
	                "reject the automatic server under meeting.\n\nchecklist:\n"
	                "{var_0}\n\nQuestion: {var_1}?");
	cluster_result_free(&run.r);
	for (i = 0; i < 10; i++)
		free(t[i]);
}

static void test_long_values_pair(void **state)
{
	struct run run = {0};
	char *a = rag_prompt(3, 8000), *b = rag_prompt(4, 15000);
	(void)state;
	add(&run, a, 1);
	add(&run, b, 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_same(&run, 0, 1);
	{   /* a third instance, never seen, scores high against the template */
		char *c = rag_prompt(5, 4000);
		assert_true(tmpl_score(run.r.templates[0], c, strlen(c)) >= 0.6);
		free(c);
	}
	cluster_result_free(&run.r);
	free(a);
	free(b);
}

static void test_fixed_instruction(void **state)
{
	struct run run = {0};
	(void)state;
	add(&run, "You are a helpful assistant that answers in French.", 100000);
	add(&run, "Classify the sentiment of this review: great phone", 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_template(&run, 0, "You are a helpful assistant that answers in "
	                "French.");
	assert_int_equal(run.r.sizes[0], 100000);
	assert_int_equal(run.r.assign[1], CLUSTER_NONE);
	cluster_result_free(&run.r);
}

static void test_one_offs_stay_alone(void **state)
{
	struct run run = {0};
	size_t i;
	(void)state;
	add(&run, "Write a haiku about autumn leaves falling on a pond", 1);
	add(&run, "What is the boiling point of water at high altitude?", 1);
	add(&run, "Summarize the plot of Hamlet in three sentences", 1);
	add(&run, "Convert this CSV to JSON: a,b\n1,2", 1);
	add(&run, "Explain quantum tunnelling to a ten year old child", 1);
	add(&run, "List five uses for a paperclip", 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 0);
	for (i = 0; i < run.n; i++)
		assert_int_equal(run.r.assign[i], CLUSTER_NONE);
	cluster_result_free(&run.r);
}

/* Booleans are values: "cancelPeek: true" and "cancelPeek: false" are one
 * task, and messages that share nothing but a trailing "false" are not
 * one ("{var_0}false" has no frame). */
static void test_boolean_values(void **state)
{
	struct run run = {0};
	char *s;
	(void)state;
	add(&run, "cancelPeek: false", 20);
	add(&run, "cancelPeek: true", 3);
	add(&run, "stopScanLocked record.mScanRequested=false", 6);
	add(&run, "mVisiblity.getValue is false", 5);
	add(&run, "updateChargingLocked: charging=false", 1);
	cluster(&run);
	assert_same(&run, 0, 1);
	assert_template(&run, 0, "cancelPeek: {var_0}");
	for (size_t i = 0; i < run.r.n_clusters; i++) {
		s = tmpl_render(run.r.templates[i]);
		assert_string_not_equal(s, "{var_0}false");
		free(s);
	}
	assert_true(run.r.assign[2] != run.r.assign[3]);
	cluster_result_free(&run.r);
}

/* Slots whose values are numbers only do not count against the frame's
 * coverage: one word and four numbers is one task, not one per repeated
 * line. */
static void test_numbers_only_values(void **state)
{
	struct run run = {0};
	size_t i;
	(void)state;
	add(&run, "onExtend:1514038530000 14 0 4", 1);
	add(&run, "onExtend:1514038531000 2 0 4", 2);
	add(&run, "onExtend:1514038561000 0 0 0", 1);
	add(&run, "onExtend:1514038645000 3 1 5", 2);
	add(&run, "onExtend:1514038666000 2 7 4", 2);
	add(&run, "onExtend:1514038670000 1 0 9", 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	for (i = 1; i < run.n; i++)
		assert_same(&run, 0, i);
	assert_template(&run, 0, "onExtend:{var_0}");
	cluster_result_free(&run.r);
}

/* One plain word among the values and every word of the slot counts: a
 * two-word frame is no task over sentences that differ in their words,
 * and it is one over numbers. */
static void test_words_among_values_count(void **state)
{
	static const char *const words[] = {
		"BLOCK* ask 10.0.0.1:50010 to delete blk_-11 blk_22 blk_33",
		"BLOCK* ask 10.0.0.2:50010 to delete blk_-44 blk_55",
		"BLOCK* ask 10.0.0.3:50010 to replicate blk_66 to datanode(s) 10.0.0.9:50010",
	};
	static const char *const numbers[] = {
		"BLOCK* ask 10.0.0.1:50010 1 2 3",
		"BLOCK* ask 10.0.0.2:50010 4 5",
		"BLOCK* ask 10.0.0.3:50010 6 7 8 0x9",
	};
	struct cluster_item items[3];
	const uint32_t mem[] = { 0, 1, 2 };
	struct tmpl *t = tmpl_parse("BLOCK* ask {var_0}", 18);
	size_t i;
	(void)state;
	assert_non_null(t);
	for (i = 0; i < 3; i++)
		items[i] = (struct cluster_item){ words[i], strlen(words[i]), 1 };
	assert_false(group_template_ok(t, items, mem, 3, 100, 0.6));
	for (i = 0; i < 3; i++)
		items[i] = (struct cluster_item){ numbers[i], strlen(numbers[i]), 1 };
	assert_true(group_template_ok(t, items, mem, 3, 100, 0.6));
	tmpl_free(t);
}

/* A fixed text that is a task by itself keeps its words: two one-off
 * texts sharing a few of them do not turn it into a template of slots. */
static void test_fixed_text_keeps_its_frame(void **state)
{
	struct run run = {0};
	(void)state;
	add(&run, "pam_unix(sshd:auth): check pass; user unknown", 135);
	add(&run, "pam_unix(sshd:session): session opened for user fztu by (uid=0)", 1);
	add(&run, "pam_unix(sshd:session): session closed for user fztu", 1);
	cluster(&run);
	assert_template(&run, 0, "pam_unix(sshd:auth): check pass; user unknown");
	assert_int_equal(run.r.sizes[run.r.assign[0]], 135);
	cluster_result_free(&run.r);
}

static void test_value_first_and_literal_words(void **state)
{
	struct run run = {0};
	(void)state;
	add(&run, "Paris is the capital of France", 1);
	add(&run, "The capital is the capital of Capitalia", 1);
	add(&run, "Rome is the capital of Italy", 1);
	add(&run, "Canberra is the capital of Australia", 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_same(&run, 0, 1);
	assert_same(&run, 0, 2);
	assert_same(&run, 0, 3);
	assert_template(&run, 0, "{var_0} is the capital of {var_1}");
	cluster_result_free(&run.r);
}

static void test_literal_braces_in_cluster(void **state)
{
	struct run run = {0};
	struct tmpl *back;
	char *s;
	(void)state;
	add(&run, "Edit the file. The {WINDOW} lines are shown. Task: fix bug 12", 1);
	add(&run, "Edit the file. The {WINDOW} lines are shown. Task: add tests", 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	s = tmpl_render(run.r.templates[0]);
	assert_string_equal(s, "Edit the file. The {{WINDOW}} lines are shown. "
	                    "Task: {var_0}");
	back = tmpl_parse(s, strlen(s));
	assert_non_null(back);
	assert_true(tmpl_score(back, run.items[0].text, run.items[0].len) == 1.0);
	tmpl_free(back);
	free(s);
	cluster_result_free(&run.r);
}

static void test_min_cluster_size_counts_traces(void **state)
{
	struct run run = {0};
	struct group_params p = GROUP_PARAMS_DEFAULT;
	(void)state;
	add(&run, "Greet Alice", 1);
	add(&run, "Greet Bob", 1);
	add(&run, "Tell me a joke about penguins", 3);
	p.min_cluster_size = 3;
	assert_int_equal(cluster_run(run.items, run.n, &p, NULL, NULL, &run.r), 0);
	check_invariants(&run, p.similarity_threshold, p.min_cluster_size);
	assert_int_equal(run.r.n_clusters, 1);
	assert_int_equal(run.r.assign[0], CLUSTER_NONE);
	assert_int_equal(run.r.assign[2], 0);
	cluster_result_free(&run.r);
}

static void test_deterministic(void **state)
{
	struct run a = {0}, b = {0};
	const char *t[] = { "Greet Alice", "Greet Bob", "Ping host 10.0.0.1",
	                    "Ping host 10.0.0.2", "Ping host example.org",
	                    "Greet Carol", "odd one out" };
	size_t i;
	(void)state;
	for (i = 0; i < 7; i++) {
		add(&a, t[i], (uint32_t)i + 1);
		add(&b, t[i], (uint32_t)i + 1);
	}
	cluster(&a);
	cluster(&b);
	assert_int_equal(a.r.n_clusters, b.r.n_clusters);
	assert_memory_equal(a.r.assign, b.r.assign, a.n * sizeof *a.r.assign);
	for (i = 0; i < a.r.n_clusters; i++) {
		char *x = tmpl_render(a.r.templates[i]), *y = tmpl_render(b.r.templates[i]);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	cluster_result_free(&a.r);
	cluster_result_free(&b.r);
}

static int cancel_now(void *ctx)
{
	(*(int *)ctx)++;
	return 1;
}

static void test_cancel(void **state)
{
	struct run run = {0};
	struct group_params p = GROUP_PARAMS_DEFAULT;
	int calls = 0;
	(void)state;
	add(&run, "Greet Alice", 1);
	add(&run, "Greet Bob", 1);
	assert_int_equal(cluster_run(run.items, run.n, &p, cancel_now, &calls,
	                             &run.r), 1);
	assert_true(calls >= 1);
	assert_int_equal(run.r.n_clusters, 0);
	assert_null(run.r.assign);
	cluster_result_free(&run.r);
}

static void test_params_check(void **state)
{
	struct group_params ok = GROUP_PARAMS_DEFAULT, p;
	struct cluster_result r;
	(void)state;
	assert_null(group_params_check(&ok));
	p = ok;
	p.similarity_threshold = 1.5;
	assert_non_null(strstr(group_params_check(&p), "similarity_threshold"));
	p.similarity_threshold = -0.1;
	assert_non_null(group_params_check(&p));
	p = ok;
	p.min_cluster_size = 1;
	assert_non_null(strstr(group_params_check(&p), "min_cluster_size"));
	p = ok;
	p.max_sample_size = 0;
	assert_non_null(strstr(group_params_check(&p), "max_sample_size"));
	assert_int_equal(cluster_run(NULL, 0, &p, NULL, NULL, &r), -1);
	assert_int_equal(cluster_run(NULL, 0, &ok, NULL, NULL, &r), 0);
	assert_int_equal(r.n_clusters, 0);
	cluster_result_free(&r);
}

static void test_sample_smaller_than_cluster(void **state)
{
	struct run run = {0};
	struct group_params p = GROUP_PARAMS_DEFAULT;
	static char text[40][64];
	size_t i;
	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(text[i], sizeof text[i], "Reset password for user%zu now", i);
		add(&run, text[i], 1);
	}
	p.max_sample_size = 3;
	assert_int_equal(cluster_run(run.items, run.n, &p, NULL, NULL, &run.r), 0);
	check_invariants(&run, p.similarity_threshold, p.min_cluster_size);
	assert_int_equal(run.r.n_clusters, 1);
	assert_int_equal(run.r.sizes[0], 40);
	assert_template(&run, 0, "Reset password for {var_0} now");
	cluster_result_free(&run.r);
}

/* Whether item x of n is in the first round's evenly spread sample of
 * CLUSTER_SAMPLE (engine/cluster.c, rounds()). */
static int first_sample_has(size_t x, size_t n)
{
	size_t k = x * CLUSTER_SAMPLE / n;
	for (size_t j = k ? k - 1 : 0; j <= k + 1; j++)
		if (j * n / CLUSTER_SAMPLE == x)
			return 1;
	return 0;
}

/* A partition larger than one round's sample (engine/cluster.c rounds()):
 * three frequent templates, and a rare one whose few members the first
 * sample misses, interleaved.  Every member of every template ends in its
 * task. */
static void test_large_partition_in_rounds(void **state)
{
	static const char *const w[] = { "amber", "birch", "cedar", "delta",
		"ember", "fjord", "grove", "harbor", "iris", "juniper", "kelp",
		"lumen", "maple", "nectar", "opal", "pine", "quartz", "river",
		"sage", "tundra" };
	enum { N = 6000, RARE = 4 };
	_Static_assert(N > CLUSTER_AT_ONCE, "the partition goes in rounds");
	struct cluster_item *items = calloc(N, sizeof *items);
	struct cluster_result r1 = {0}, r2 = {0};
	struct group_params p = GROUP_PARAMS_DEFAULT;
	char (*text)[96] = calloc(N, sizeof *text);
	int *kind = calloc(N, sizeof *kind);
	uint32_t of[4];
	size_t i, rare = 0;
	(void)state;
	for (i = 0; i < N; i++) {
		const char *a = w[i % 20], *b = w[(i / 20) % 20], *c = w[(i / 400) % 20];
		kind[i] = (int)(i % 3);
		if (i > rare * 1500 + 700 && rare < RARE && !first_sample_has(i, N)) {
			kind[i] = 3;
			rare++;
		}
		if (kind[i] == 0)
			snprintf(text[i], sizeof text[i], "Greet %s-%s %s warmly", a, b, c);
		else if (kind[i] == 1)
			snprintf(text[i], sizeof text[i], "Translate from %s to %s: the %s report", a, b, c);
		else if (kind[i] == 2)
			snprintf(text[i], sizeof text[i], "Summarise the ticket about %s %s for %s", a, b, c);
		else
			snprintf(text[i], sizeof text[i], "Archive folder %s/%s quietly tonight", a, b);
		items[i] = (struct cluster_item){ text[i], strlen(text[i]), 1 };
	}
	assert_int_equal(cluster_run(items, N, &p, NULL, NULL, &r1), 0);
	for (i = 0; i < 4; i++)
		of[i] = CLUSTER_NONE;
	for (i = 0; i < N; i++) {
		uint32_t c = r1.assign[i];
		assert_true(c != CLUSTER_NONE);
		assert_true(tmpl_score(r1.templates[c], items[i].text, items[i].len) >=
		            p.similarity_threshold);
		if (of[kind[i]] == CLUSTER_NONE)
			of[kind[i]] = c;
		assert_int_equal(c, of[kind[i]]);      /* one task per template */
	}
	assert_int_equal(r1.n_clusters, 4);
	assert_int_equal(r1.sizes[of[3]], RARE);
	/* the same input gives the same result */
	assert_int_equal(cluster_run(items, N, &p, NULL, NULL, &r2), 0);
	assert_memory_equal(r1.assign, r2.assign, N * sizeof *r1.assign);
	cluster_result_free(&r1);
	cluster_result_free(&r2);
	free(items);
	free(text);
	free(kind);
}

/* A pseudo-random document of about `bytes` bytes, in lines of words,
 * without whitespace at its end. */
static void fake_document(char *out, size_t bytes, uint32_t seed)
{
	static const char *const w[] = { "the", "report", "shows", "revenue",
		"fell", "during", "winter", "while", "orders", "from", "northern",
		"stores", "grew", "steadily", "and", "returns", "stayed", "low",
		"because", "couriers", "delivered", "faster", "than", "expected" };
	size_t n = 0, line = 0;
	while (n + 16 < bytes) {
		const char *x;
		seed = seed * 1103515245u + 12345u;
		x = w[(seed >> 16) % 24];
		n += (size_t)sprintf(out + n, "%s%s", x, ++line % 12 ? " " : ".\n");
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\n'))
		n--;
	out[n] = '\0';
}

/* A partition whose texts paste documents (400 texts of 8 KB) goes in
 * rounds by its bytes (engine/cluster.c, sample_size): the frame task
 * holds every one of its texts, a rare task of three neighbouring texts
 * (a sample takes at most one of them) is found, one-off prompts stay
 * ungrouped, and the result is deterministic. */
static void test_document_partition_in_rounds(void **state)
{
	enum { N = 400, DOC = 8000, RARE = 3, ONE_OFF = 5 };
	_Static_assert((size_t)N * DOC > CLUSTER_AT_ONCE_BYTES,
	               "the partition goes in rounds");
	static const char *const q[] = { "which region grew", "when did it fall",
		"who delivered late", "what stayed low" };
	struct cluster_item *items = calloc(N, sizeof *items);
	struct cluster_result r1 = {0}, r2 = {0};
	struct group_params p = GROUP_PARAMS_DEFAULT;
	char *doc = malloc(DOC), **text = calloc(N, sizeof *text);
	uint32_t frame = CLUSTER_NONE, rare = CLUSTER_NONE;
	size_t i;
	(void)state;
	for (i = 0; i < N; i++) {
		text[i] = malloc(DOC + 256);
		fake_document(doc, DOC - 200, (uint32_t)i + 1);
		if (i >= 200 && i < 200 + RARE)
			sprintf(text[i], "Translate this memo into French, keep the"
			        " numbers as they are:\n%s", doc);
		else if (i % 80 == 7)
			sprintf(text[i], "Note %zu: %s", i, doc);
		else
			sprintf(text[i], "Answer the question using only the documents"
			        " below. If the answer is not in them, say so.\n\n"
			        "Documents:\n%s\n\nQuestion: %s?", doc, q[i % 4]);
		items[i] = (struct cluster_item){ text[i], strlen(text[i]), 1 };
	}
	assert_int_equal(cluster_run(items, N, &p, NULL, NULL, &r1), 0);
	assert_int_equal(r1.n_clusters, 2);
	for (i = 0; i < N; i++) {
		uint32_t c = r1.assign[i];
		uint32_t *want = i >= 200 && i < 200 + RARE ? &rare : &frame;
		if (i % 80 == 7 && !(i >= 200 && i < 200 + RARE)) {
			assert_int_equal(c, CLUSTER_NONE);      /* one-off prompts */
			continue;
		}
		assert_true(c != CLUSTER_NONE);
		assert_true(tmpl_score(r1.templates[c], items[i].text,
		                       items[i].len) >= p.similarity_threshold);
		if (*want == CLUSTER_NONE)
			*want = c;
		assert_int_equal(c, *want);
	}
	assert_true(frame != rare);
	assert_int_equal(r1.sizes[frame], N - RARE - ONE_OFF);
	assert_int_equal(r1.sizes[rare], RARE);
	{
		char *t = tmpl_render(r1.templates[frame]);
		assert_string_equal(t, "Answer the question using only the documents"
		                    " below. If the answer is not in them, say so.\n\n"
		                    "Documents:\n{var_0}\n\nQuestion: {var_1}?");
		free(t);
	}
	assert_int_equal(cluster_run(items, N, &p, NULL, NULL, &r2), 0);
	assert_memory_equal(r1.assign, r2.assign, N * sizeof *r1.assign);
	cluster_result_free(&r1);
	cluster_result_free(&r2);
	for (i = 0; i < N; i++)
		free(text[i]);
	free(text);
	free(items);
	free(doc);
}

/* Punctuation stuck to a value belongs to its mask on either side, through
 * a chain of it: "(10.0.0.1)", "[(10.0.0.3)]" and "10.0.0.2" are the same
 * shape, so the first pass puts the five texts in one group. */
static void test_value_punctuation_either_side(void **state)
{
	const char *texts[] = {
		"Fetch 10.0.0.2 now", "Fetch (10.0.0.1) now", "Fetch [(10.0.0.3)] now",
		"Fetch <10.0.0.4>, now", "Fetch 10.0.0.5: now",
	};
	struct cluster_item items[5];
	uint32_t group[5];
	size_t i;
	(void)state;
	for (i = 0; i < 5; i++)
		items[i] = (struct cluster_item){ texts[i], strlen(texts[i]), 1 };
	assert_int_equal(pattern_group(items, 5, group, NULL), 1);
	for (i = 0; i < 5; i++)
		assert_int_equal(group[i], 0);
	/* three skeletons of a length are counted by direct comparison,
	 * five through the table: the same groups either way */
	assert_int_equal(pattern_group(items, 3, group, NULL), 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(group[i], 0);
}

/* A document slot: starts a line, and its values hold GROUP_DOC_TOKENS
 * tokens or more on average over the members that fit; a slot after
 * "Thanks " is never one, whatever it holds.  Tried with values of 15 and
 * 16 tokens on average, and with one long value among short ones. */
/* A last slot that takes whole sentences of their own, each repeating
 * with its words fixed and its numbers varying, hides one template per
 * sentence (refine.h). */
static void test_slot_hides_templates(void **state)
{
	static const char *const line[] = {
		"ARPT: 621686.164365: wl0: setup_keepalive: Local port: 62614, Remote port: 443",
		"ARPT: 626126.086205: wl0: setup_keepalive: interval 900, retry_interval 30, retry_count 10",
		"ARPT: 626908.045241: wl0: setup_keepalive: interval 900, retry_interval 30, retry_count 10",
		"ARPT: 627305.613279: wl0: setup_keepalive: Seq: 1664112163, Ack: 818851215, Win size: 4096",
		"ARPT: 671889.268467: wl0: setup_keepalive: Seq: 2040703749, Ack: 3006590414, Win size: 4096",
		"ARPT: 671958.142550: wl0: setup_keepalive: Local port: 49791, Remote port: 5223",
		"ARPT: 672041.595629: wl0: setup_keepalive: interval 258, retry_interval 30, retry_count 10",
		"ARPT: 672113.005034: wl0: setup_keepalive: Seq: 1128495564, Ack: 3106452487, Win size: 4096",
		"ARPT: 673321.718258: wl0: setup_keepalive: Local port: 50542, Remote port: 5223",
		"ARPT: 682406.173418: wl0: setup_keepalive: Remote IP: 17.249.28.77",
		"ARPT: 682634.998705: wl0: setup_keepalive: Remote IP: 17.249.28.93",
		"ARPT: 683623.036953: wl0: setup_keepalive: Remote IP: 17.249.12.155",
	};
	struct run run = {0};
	size_t i, j;
	(void)state;
	for (i = 0; i < sizeof line / sizeof *line; i++)
		add(&run, line[i], 1);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 4);
	for (i = 0; i < run.n; i++)       /* same sentence, same task */
		for (j = 0; j < run.n; j++)
			assert_int_equal(run.r.assign[i] == run.r.assign[j],
			                 !strncmp(line[i] + 43, line[j] + 43, 5));
	assert_template(&run, 9, "ARPT: {var_0}: wl0: setup_keepalive: "
	                "Remote IP: {var_1}");
	cluster_result_free(&run.r);
}

/* A value slot (an address) whose values sometimes run on with words of a
 * template of their own: those lines are a task of their own, the others
 * keep the slot.  A text that fits the slot exactly but runs on ("user=test",
 * one text of 4 traces) is no member of it: it joins the lines it runs on
 * like ("user=root"), the value of a key being a slot. */
static void test_value_slot_runs_on(void **state)
{
	static const char *const host[] = {
		"218.188.2.4", "65.166.159.14", "zummit.com", "massive.merukuru.org",
		"211.115.206.155", "150.183.249.110  user=root",
		"60.30.224.116  user=root", "212.0.132.20  user=test",
	};
	static const uint32_t weight[] = { 14, 10, 10, 10, 5, 80, 20, 4 };
	static char buf[8][128];
	struct run run = {0};
	size_t i;
	(void)state;
	for (i = 0; i < 8; i++) {
		snprintf(buf[i], sizeof buf[i], "authentication failure; logname= "
		         "uid=0 euid=0 tty=NODEVssh ruser= rhost=%s", host[i]);
		add(&run, buf[i], weight[i]);
	}
	cluster(&run);
	for (i = 1; i < 5; i++)
		assert_same(&run, 0, i);
	assert_same(&run, 5, 6);
	assert_same(&run, 5, 7);
	assert_true(run.r.assign[0] != run.r.assign[5]);
	assert_template(&run, 0, "authentication failure; logname= uid=0 euid=0 "
	                "tty=NODEVssh ruser= rhost={var_0}");
	assert_template(&run, 5, "authentication failure; logname= uid=0 euid=0 "
	                "tty=NODEVssh ruser= rhost={var_0}  user={var_1}");
	cluster_result_free(&run.r);
}

/* Two tasks that quote the same value share no frame for it (real
 * OpenStack lines: the truth has "Unknown base file: <*>" and "Removing
 * base or swap file: <*>"). */
static void test_shared_value_is_no_frame(void **state)
{
	static const char path[] = "/var/lib/nova/instances/_base/"
		"a489c868f0c37da93b76227c91bb03908ac0e742";
	static char unknown[128], removing[128];
	struct run run = {0};
	(void)state;
	snprintf(unknown, sizeof unknown, "Unknown base file: %s", path);
	snprintf(removing, sizeof removing, "Removing base or swap file: %s",
	         path);
	add(&run, unknown, 30);
	add(&run, removing, 21);
	cluster(&run);
	assert_int_not_equal(run.r.assign[0], CLUSTER_NONE);
	assert_int_not_equal(run.r.assign[1], CLUSTER_NONE);
	assert_int_not_equal(run.r.assign[0], run.r.assign[1]);
	cluster_result_free(&run.r);
}

/* Two traces are thin evidence: one-off sentences of one grammar that line
 * up on their common words stay ungrouped (sample-data's one-offs), while
 * one substitution (Greet Alice, Greet Bob: the seed's own case) is a
 * task. */
static void test_thin_cluster_needs_a_frame(void **state)
{
	struct run run = {0};
	(void)state;
	add(&run, "How do I archive the cheaper profile? The urgent supplier "
	    "checks the backlog during the duplicate budget. The regional "
	    "driver merges the account.", 1);
	add(&run, "How do I split the temporary template? Hamid says the "
	    "carrier moves the backlog. The critical session merges the "
	    "inventory.", 1);
	add(&run, "Greet Alice", 1);
	add(&run, "Greet Bob", 1);
	cluster(&run);
	assert_int_equal(run.r.assign[0], CLUSTER_NONE);
	assert_int_equal(run.r.assign[1], CLUSTER_NONE);
	assert_int_equal(run.r.n_clusters, 1);
	assert_same(&run, 2, 3);
	assert_template(&run, 2, "Greet {var_0}");
	cluster_result_free(&run.r);
}

/* Two texts of a task whose values happen to share a word ("temporary",
 * "May") and whose token count no other text has are a positional cluster
 * of their own, with that word as a literal beside a slot.  Two texts are
 * no evidence that it is frame: they rejoin their task. */
static void test_two_texts_share_a_value_word(void **state)
{
	static const char *const name[] = { "Aiko Dupont", "Luis Petit",
		"Elif Kaya", "Rosa Lima", "Hana Sato", "Omar Haddad" };
	static const char *const about[] = { "critical deadline", "overdue feature",
		"manual subscription", "internal customer", "missing driver",
		"shared budget" };
	static const char *const due[] = { "2025-07-23", "24 May", "2025-04-10",
		"19 June", "2025-03-17", "3 July" };
	static char note[8][256];
	struct run run = {0};
	size_t i;
	(void)state;
	for (i = 0; i < 8; i++) {
		snprintf(note[i], sizeof note[i], "Write a monthly deadline note for "
		         "%s about the %s, due %s. Luis says the checklist syncs the "
		         "backlog. Always renew the automatic audit without discount.",
		         i < 6 ? name[i] : i == 6 ? "Gustavo van Dijk"
		                                  : "Valentina da Souza",
		         i < 6 ? about[i] : i == 6 ? "temporary tenant"
		                                   : "temporary session",
		         i < 6 ? due[i] : i == 6 ? "8 May" : "5 May");
		add(&run, note[i], 1);
	}
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	for (i = 1; i < 8; i++)
		assert_same(&run, 0, i);
	assert_template(&run, 0, "Write a monthly deadline note for {var_0} about "
	                "the {var_1}, due {var_2}. Luis says the checklist syncs the "
	                "backlog. Always renew the automatic audit without discount.");
	cluster_result_free(&run.r);
}

/* A column of a few repeated words names sub-templates ("Failed password"
 * / "Failed none"), unless the words are the value of a key: "user=root",
 * "user=guest" and "user=test" are one task. */
static void test_key_value_words_are_values(void **state)
{
	static const char *const user[] = { "root", "guest", "test" };
	static const char *const how[] = { "password", "none" };
	static char kv[12][128], failed[12][128];
	struct run run = {0};
	size_t i;
	(void)state;
	for (i = 0; i < 12; i++) {
		snprintf(kv[i], sizeof kv[i], "authentication failure; logname= "
		         "uid=0 euid=0 tty=NODEVssh ruser= rhost=10.0.%zu.%zu  user=%s",
		         i, i * 7, user[i % 3]);
		add(&run, kv[i], 1 + (uint32_t)(i % 2));
	}
	for (i = 0; i < 12; i++) {
		snprintf(failed[i], sizeof failed[i], "Failed %s for root from "
		         "10.1.%zu.%zu port %zu ssh2", how[i % 2], i, i * 3,
		         40000 + i * 37);
		add(&run, failed[i], 1);
	}
	cluster(&run);
	for (i = 1; i < 12; i++)
		assert_same(&run, 0, i);
	assert_template(&run, 0, "authentication failure; logname= uid=0 euid=0 "
	                "tty=NODEVssh ruser= rhost={var_0}  user={var_1}");
	for (i = 12; i < 24; i++)
		assert_same(&run, 12 + i % 2, i);
	assert_true(run.r.assign[12] != run.r.assign[13]);
	cluster_result_free(&run.r);
}

/* Two versions of one long prompt, a word apart ("scroll_up" where the
 * other reads "scroll_down"), each sent often enough to be a task alone:
 * one task, the edit a slot.  Short lines a word apart stay two
 * (test_key_value_words_are_values). */
static void test_prompt_edit_is_one_task(void **state)
{
	static char v[2][1024];
	static const char *const cmd[] = { "scroll_down", "scroll_up" };
	struct run run = {0};
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(v[i], sizeof v[i], "You are an autonomous programmer "
		         "working in a shell with a file editor. Commands: open "
		         "(opens a file and shows the first lines of it), goto "
		         "(moves the window to a line), scroll_up (moves the "
		         "window up), scroll_down (moves the window down, "
		         "signature: %s), create (creates a file), edit (replaces "
		         "lines of the open file), submit (ends the session). "
		         "Answer with one command at a time and wait for its "
		         "output before the next one.", cmd[i]);
		add(&run, v[i], i ? 5 : 31);
	}
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_same(&run, 0, 1);
	assert_int_equal(run.r.sizes[0], 36);
	cluster_result_free(&run.r);
}

/* The same edit in a prompt over PATTERN_MAX_BYTES: the positional pass
 * does not read such texts, so the frame pass must not take their equal
 * token count for a verdict it never gave. */
static void test_long_prompt_edit_is_one_task(void **state)
{
	static const char *const cmd[] = { "scroll_down", "scroll_up" };
	static const char *const topic[] = { "files", "tests", "commits",
		"branches", "imports", "logs", "scripts", "paths" };
	static char v[2][8192];
	struct run run = {0};
	size_t i, k, len;
	(void)state;
	for (i = 0; i < 2; i++) {
		len = (size_t)snprintf(v[i], sizeof v[i], "You are an autonomous "
		                       "programmer. Commands: open, goto, %s, "
		                       "create, edit, submit.\n", cmd[i]);
		for (k = 0; len < PATTERN_MAX_BYTES + 512; k++)
			len += (size_t)snprintf(v[i] + len, sizeof v[i] - len,
			        "Rule %zu: before you change any of the %s, read "
			        "the %s around it and say why the change is "
			        "needed.\n", k + 1, topic[k % 8], topic[(k + 3) % 8]);
		snprintf(v[i] + len, sizeof v[i] - len, "Answer with one command.");
		add(&run, v[i], i ? 5 : 31);
	}
	assert_true(run.items[0].len > PATTERN_MAX_BYTES);
	assert_int_equal(run.items[0].len, run.items[1].len + 2);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_same(&run, 0, 1);
	assert_int_equal(run.r.sizes[0], 36);
	cluster_result_free(&run.r);
}

/* A slot of phrases is the slot's business: a phrase that happens to hold
 * a number ("exports to S3") is no template of its own, and neither are
 * one-word values that repeat (names, plans). */
static void test_phrase_slot_stays_whole(void **state)
{
	static const char *const name[] = {
		"Nadia", "Oskar", "Ines", "Tomas", "Hamid", "Emeka", "Jonas",
	};
	static const char *const feature[] = {
		"the mobile barcode scanner", "scheduled exports to S3",
		"saved filters", "scheduled exports to S3", "the audit log",
	};
	static char buf[24][200];
	struct run run = {0};
	size_t i;
	(void)state;
	for (i = 0; i < 24; i++) {
		snprintf(buf[i], sizeof buf[i], "%s is on the %s plan, which renews "
		         "on 2025-04-%02zu. Write a short reminder and mention one "
		         "feature they have not tried yet: %s.", name[i % 7],
		         i % 3 ? "Team" : "Enterprise", i + 1, feature[i % 5]);
		add(&run, buf[i], 1);
	}
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	for (i = 1; i < run.n; i++)
		assert_same(&run, 0, i);
	cluster_result_free(&run.r);
}

static void check_doc_slots(const size_t *ntok, size_t n, bool want_doc)
{
	struct tmpl *t = tmpl_parse("Summarise:\n{var_0}\nThanks {var_1}",
	                            strlen("Summarise:\n{var_0}\nThanks {var_1}"));
	struct cluster_item it[8];
	uint32_t mem[8];
	char *buf[8];
	bool doc[2] = { true, true };

	assert_non_null(t);
	for (size_t k = 0; k < n; k++) {
		size_t len = 0;
		buf[k] = malloc(strlen("Summarise:\n") + 8 * ntok[k] + 128);
		len += (size_t)sprintf(buf[k], "Summarise:\n");
		for (size_t w = 0; w < ntok[k]; w++)
			len += (size_t)sprintf(buf[k] + len, w ? " word" : "word");
		len += (size_t)sprintf(buf[k] + len, "\nThanks %s",
		                       k % 2 ? "Ann and Bob and Carol and Dave and Eve and Fay and Gus and Hal"
		                             : "Ann");
		it[k] = (struct cluster_item){ buf[k], len, 1 };
		mem[k] = (uint32_t)k;
	}
	group_document_slots(t, it, mem, n, 100, doc);
	assert_int_equal(doc[0], want_doc);
	assert_false(doc[1]);
	for (size_t k = 0; k < n; k++)
		free(buf[k]);
	tmpl_free(t);
}

static void test_document_slots(void **state)
{
	const size_t below[] = { 15, 15, 15, 15 }, at[] = { 16, 16, 16, 16 };
	const size_t one_long[] = { 1, 1, 1, 61 }, one_short[] = { 1, 1, 1, 60 };
	const size_t huge[] = { 5000, 1, 1, 1, 1, 1 };

	check_doc_slots(below, 4, false);
	check_doc_slots(at, 4, true);
	check_doc_slots(one_long, 4, true);      /* 64 tokens over 4 */
	check_doc_slots(one_short, 4, false);    /* 63 tokens over 4 */
	check_doc_slots(huge, 6, true);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document_slots),
		cmocka_unit_test(test_short_one_token_values),
		cmocka_unit_test(test_multiword_values),
		cmocka_unit_test(test_long_values_dominate),
		cmocka_unit_test(test_long_values_pair),
		cmocka_unit_test(test_long_prompt_edit_is_one_task),
		cmocka_unit_test(test_fixed_instruction),
		cmocka_unit_test(test_one_offs_stay_alone),
		cmocka_unit_test(test_value_first_and_literal_words),
		cmocka_unit_test(test_boolean_values),
		cmocka_unit_test(test_numbers_only_values),
		cmocka_unit_test(test_words_among_values_count),
		cmocka_unit_test(test_fixed_text_keeps_its_frame),
		cmocka_unit_test(test_literal_braces_in_cluster),
		cmocka_unit_test(test_min_cluster_size_counts_traces),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_params_check),
		cmocka_unit_test(test_sample_smaller_than_cluster),
		cmocka_unit_test(test_large_partition_in_rounds),
		cmocka_unit_test(test_document_partition_in_rounds),
		cmocka_unit_test(test_value_punctuation_either_side),
		cmocka_unit_test(test_slot_hides_templates),
		cmocka_unit_test(test_value_slot_runs_on),
		cmocka_unit_test(test_phrase_slot_stays_whole),
		cmocka_unit_test(test_key_value_words_are_values),
		cmocka_unit_test(test_prompt_edit_is_one_task),
		cmocka_unit_test(test_shared_value_is_no_frame),
		cmocka_unit_test(test_thin_cluster_needs_a_frame),
		cmocka_unit_test(test_documents_share_words_not_a_frame),
		cmocka_unit_test(test_two_texts_share_a_value_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
