/*
 * test_engine_combine.c - the last grouping pass (engine/combine.h) and the
 * evidence a template must carry (engine/groups.h): values of several
 * words across token counts, repeated values, frame words that must stay
 * apart, pasted documents, short frames around prose.
 */
#include "tests/testutil.h"

#include "engine/combine.h"
#include "engine/engine.h"
#include "engine/groups.h"

#define MAX_ITEMS 256

struct run {
	struct cluster_item items[MAX_ITEMS];
	char *owned[MAX_ITEMS];
	size_t n;
	struct cluster_result r;
};

static void add(struct run *run, const char *text, uint32_t weight)
{
	assert_true(run->n < MAX_ITEMS);
	run->items[run->n].text = text;
	run->items[run->n].len = strlen(text);
	run->items[run->n].weight = weight;
	run->n++;
}

/* Add a formatted text the run owns. */
static void addf(struct run *run, uint32_t weight, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	run->owned[run->n] = strdup(buf);
	add(run, run->owned[run->n], weight);
}

static void run_free(struct run *run)
{
	size_t i;
	for (i = 0; i < run->n; i++)
		free(run->owned[i]);
	cluster_result_free(&run->r);
}

/* Every member scores >= threshold, sizes add up, no cluster too small. */
static void cluster(struct run *run)
{
	struct group_params p = GROUP_PARAMS_DEFAULT;
	uint64_t *w;
	size_t i;
	assert_int_equal(cluster_run(run->items, run->n, &p, NULL, NULL, &run->r), 0);
	w = calloc(run->r.n_clusters + 1, sizeof *w);
	for (i = 0; i < run->n; i++) {
		uint32_t c = run->r.assign[i];
		if (c == CLUSTER_NONE)
			continue;
		assert_true(c < run->r.n_clusters);
		assert_true(tmpl_score(run->r.templates[c], run->items[i].text,
		                       run->items[i].len) >= p.similarity_threshold);
		w[c] += run->items[i].weight;
	}
	for (i = 0; i < run->r.n_clusters; i++) {
		assert_int_equal(w[i], run->r.sizes[i]);
		assert_true(run->r.sizes[i] >= p.min_cluster_size);
	}
	free(w);
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

static void assert_all_same(const struct run *run, size_t from, size_t to)
{
	size_t i;
	assert_true(run->r.assign[from] != CLUSTER_NONE);
	for (i = from + 1; i < to; i++)
		assert_int_equal(run->r.assign[i], run->r.assign[from]);
}

static const char *const names[] = {
	"Ana", "Ana María", "José María Núñez", "Bob", "Hana van Dijk", "Luis Kim",
	"Zoë", "Noah da Souza", "Wei", "Elif O'Brien", "Kofi Mensah", "Mia",
};
static const char *const plans[] = {
	"Team", "Business Plus", "Starter", "Pro Annual", "Family", "Enterprise",
	"Student",
};
static const char *const dates[] = {
	"2026-06-03", "June 3, 2026", "7 May", "2025-12-16", "22 May", "tomorrow",
	"14 June",
};
static const char *const features[] = {
	"offline mode", "the mobile barcode scanner", "shared calendars",
	"two-factor sign-in", "scheduled exports to S3", "dark mode",
};

#define PICK(a, i) (a[(i) % (sizeof a / sizeof a[0])])

/* Values of one to four words change the token count of every text; the
 * clusters found per token count must end as one task. */
static void test_multiword_values_across_lengths(void **state)
{
	struct run run = {0};
	size_t i;
	(void)state;
	for (i = 0; i < 60; i++)
		addf(&run, 1 + (uint32_t)(i % 3), "%s is on the %s plan, which renews "
		     "on %s. Write a short, friendly reminder and mention one feature "
		     "they have not tried yet: %s.", PICK(names, i), PICK(plans, i * 5),
		     PICK(dates, i * 3), PICK(features, i * 7));
	addf(&run, 1, "Write a haiku about the sea");
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_all_same(&run, 0, 60);
	assert_template(&run, 0, "{var_0} is on the {var_1} plan, which renews on "
	                "{var_2}. Write a short, friendly reminder and mention one "
	                "feature they have not tried yet: {var_3}.");
	assert_int_equal(run.r.assign[60], CLUSTER_NONE);
	run_free(&run);
}

static void test_multiword_values_in_the_middle(void **state)
{
	static const char *const langs[] = {
		"German", "Simplified Chinese", "French", "Brazilian Portuguese",
		"Korean", "English",
	};
	struct run run = {0};
	size_t i;
	(void)state;
	for (i = 0; i < 40; i++)
		addf(&run, 1, "Greet %s and tell them that their order WEB-%06zu has "
		     "shipped in %s. It should arrive by %s. Keep it under 60 words.",
		     PICK(names, i * 7), 100000 + i * 7919, PICK(langs, i),
		     PICK(dates, i * 5));
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_all_same(&run, 0, 40);
	assert_template(&run, 0, "Greet {var_0} and tell them that their order "
	                "{var_1} has shipped in {var_2}. It should arrive by {var_3}. "
	                "Keep it under 60 words.");
	run_free(&run);
}

/* A text repeated many times is one task with its siblings that differ in
 * a name; repeating does not make a value a literal. */
static void test_repeated_values_are_a_slot(void **state)
{
	struct run run = {0};
	(void)state;
	add(&run, "Greet Alice", 5);
	add(&run, "Greet Bob", 5);
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_all_same(&run, 0, 2);
	assert_int_equal(run.r.sizes[0], 10);
	assert_template(&run, 0, "Greet {var_0}");
	run_free(&run);
}

/* A cluster whose template keeps a number as a literal ("uid=0") takes a
 * repeated text that has another number there ("uid=509"): numbers are
 * values wherever they stand, not constants that tell tasks apart. */
static void test_numbers_differ_one_task(void **state)
{
	struct run run = {0};
	(void)state;
	add(&run, "session opened for user news by (uid=0)", 26);
	add(&run, "session opened for user cyrus by (uid=0)", 26);
	add(&run, "session opened for user root by LOGIN(uid=0)", 1);
	add(&run, "session opened for user test by (uid=509)", 33);
	add(&run, "layout pass 3 begin", 6);
	add(&run, "layout pass 3 end", 6);
	cluster(&run);
	assert_all_same(&run, 0, 4);
	assert_int_equal(run.r.sizes[run.r.assign[0]], 86);
	assert_template(&run, 0,
	                "session opened for user {var_0} by{var_1}(uid={var_2})");
	/* words still are constants */
	assert_true(run.r.assign[4] != run.r.assign[5]);
	run_free(&run);
}

/* Repeated texts that differ in a frame word stay apart, and so do a frame
 * and the same frame with words added beside a value. */
static void test_frame_words_stay_apart(void **state)
{
	static const char *const users[] = {
		"root", "admin", "test", "oracle", "guest", "ubuntu", "git",
	};
	struct run run = {0};
	size_t i;
	(void)state;
	add(&run, "The change in focus caused us to need to do a layout begin", 6);
	add(&run, "The change in focus caused us to need to do a layout end", 6);
	for (i = 0; i < 12; i++)
		addf(&run, 1, "Failed password for %s from 10.0.%zu.%zu port %zu ssh2",
		     PICK(users, i), i, i * 7, 40000 + i * 37);
	for (i = 0; i < 12; i++)
		addf(&run, 1, "Failed password for invalid user %s from 10.1.%zu.%zu "
		     "port %zu ssh2", PICK(plans, i), i, i * 3, 50000 + i * 41);
	cluster(&run);
	assert_true(run.r.assign[0] != run.r.assign[1]);
	assert_all_same(&run, 2, 14);
	assert_all_same(&run, 14, 26);
	assert_true(run.r.assign[2] != run.r.assign[14]);
	run_free(&run);
}

/* Deterministic prose: sentences of words that share few letters. */
static void prose(char *out, size_t cap, unsigned seed, size_t sentences)
{
	static const char *const words[] = {
		"the", "parcel", "budget", "reviews", "of", "warehouse", "a", "blocks",
		"export", "in", "session", "urgent", "template", "delays", "to",
		"customer", "archive", "replaces", "and", "meeting",
	};
	size_t n = 0, s, w;
	unsigned x = seed * 2654435761u + 7;
	out[0] = '\0';
	for (s = 0; s < sentences; s++) {
		size_t len = 6 + s % 5;
		for (w = 0; w < len && n + 32 < cap; w++) {
			x = x * 1103515245u + 12345u;
			n += (size_t)snprintf(out + n, cap - n, "%s%s%s", w ? " " : "",
			                      words[(x >> 16) % 20],
			                      w + 1 == len ? "." : "");
		}
		if (s + 1 < sentences && n + 2 < cap)
			out[n++] = ' ', out[n] = '\0';
	}
}

/* Documents share coincidences ("Hi", "Regards,") that are no frame: the
 * document slot starts on its own line and swallows them. */
static void test_document_slot_swallows_coincidences(void **state)
{
	struct run run = {0};
	char body[2048];
	size_t i;
	(void)state;
	for (i = 0; i < 12; i++) {
		prose(body, sizeof body, (unsigned)i, 4 + i % 5);
		addf(&run, 1, "Rewrite the email below in a %s tone and sign it as %s."
		     "\n\n---\nHi %s,\n\n%s\n\nRegards,\n%s\n---", i % 2 ? "warm" :
		     "calm but firm", PICK(names, i), PICK(names, i + 3), body,
		     PICK(names, i + 5));
	}
	cluster(&run);
	assert_int_equal(run.r.n_clusters, 1);
	assert_all_same(&run, 0, 12);
	assert_template(&run, 0, "Rewrite the email below in a {var_0} tone and "
	                "sign it as {var_1}.\n\n---\n{var_2}\n---");
	run_free(&run);
}

/* A short frame whose last slot runs on over sentences of prose is not a
 * task: the frame explains too little of each text. */
static void test_short_frame_around_prose_is_no_task(void **state)
{
	struct run run = {0};
	char tail[2048];
	size_t i;
	(void)state;
	for (i = 0; i < 6; i++) {
		prose(tail, sizeof tail, (unsigned)i + 40, 3 + i % 3);
		addf(&run, 1, "Pretend you are %s, a %s expert living in Lyon. %s",
		     PICK(names, i), PICK(features, i), tail);
	}
	cluster(&run);
	for (i = 0; i < 6; i++)
		assert_int_equal(run.r.assign[i], CLUSTER_NONE);
	run_free(&run);
}

/* combine_groups over two clusters of one text each, of the given
 * weights, each with its own text as template; returns the merges. */
static long combine_two(uint32_t wa, uint32_t wb)
{
	static const char *const text[] = {
		"Please greet Alice warmly when she arrives at the front desk",
		"Please greet Bob warmly when she arrives at the front desk",
	};
	struct group_params p = GROUP_PARAMS_DEFAULT;
	struct cluster_item items[2];
	struct group g[2];
	long merges;
	size_t i;
	memset(g, 0, sizeof g);
	for (i = 0; i < 2; i++) {
		items[i] = (struct cluster_item){ text[i], strlen(text[i]),
		                                  i ? wb : wa };
		group_add(&g[i], (uint32_t)i);
		g[i].t = group_infer(items, g[i].mem, g[i].n, p.max_sample_size);
		assert_non_null(g[i].t);
	}
	merges = combine_groups(items, g, 2, &p, NULL);
	for (i = 0; i < 2; i++) {
		free(g[i].mem);
		tmpl_free(g[i].t);
	}
	return merges;
}

/* Two texts the earlier passes left on their own are not merged here; a
 * text that is a task by itself takes one that generalises it. */
static void test_two_single_texts_stay_apart(void **state)
{
	(void)state;
	assert_int_equal(combine_two(1, 1), 0);
	assert_int_equal(combine_two(2, 1), 1);
	assert_int_equal(combine_two(1, 2), 1);
}

/* A cluster whose template has a slot takes a cluster whose template has a
 * constant there, even when the values of the first are nearly all one
 * word: its sample of 16 members shows "root" only, yet "admin" and
 * "guest" made the slot.  Two clusters of distinct constants stay apart. */
static void test_own_slot_takes_a_constant(void **state)
{
	struct group_params p = GROUP_PARAMS_DEFAULT;
	struct run run = {0};
	struct group g[3] = {{0}};
	size_t i;
	char *s;
	(void)state;
	for (i = 0; i < 40; i++)
		addf(&run, 1, "Failed password for root from 10.0.%zu.%zu port %zu ssh2",
		     i / 8, i % 8 + 1, 4000 + i);
	addf(&run, 1, "Failed password for admin from 10.1.0.1 port 5001 ssh2");
	addf(&run, 1, "Failed password for guest from 10.1.0.2 port 5002 ssh2");
	for (i = 0; i < 5; i++)
		addf(&run, 1, "Failed password for uucp from 10.2.0.%zu port %zu ssh2",
		     i + 1, 6000 + i);
	for (i = 0; i < 5; i++)
		addf(&run, 1, "Failed password for ftp from 10.3.0.%zu port %zu ssh2",
		     i + 1, 7000 + i);
	for (i = 0; i < 42; i++)
		group_add(&g[0], (uint32_t)i);
	for (i = 42; i < 47; i++)
		group_add(&g[1], (uint32_t)i);
	for (i = 47; i < 52; i++)
		group_add(&g[2], (uint32_t)i);
	for (i = 0; i < 3; i++)
		g[i].t = group_infer(run.items, g[i].mem, g[i].n, p.max_sample_size);
	s = tmpl_render(g[0].t);
	assert_string_equal(s, "Failed password for {var_0} from {var_1} port "
	                       "{var_2} ssh2");
	free(s);
	s = tmpl_render(g[1].t);
	assert_string_equal(s, "Failed password for uucp from {var_0} port {var_1} ssh2");
	free(s);

	/* the constants alone: uucp and ftp stay apart */
	assert_int_equal(combine_groups(run.items, g + 1, 2, &p, NULL), 0);
	assert_int_equal(g[1].n, 5);
	assert_int_equal(g[2].n, 5);
	/* with the slot's cluster: both join it, under its template */
	assert_int_equal(combine_groups(run.items, g, 3, &p, NULL), 2);
	assert_int_equal(g[0].n, 52);
	assert_int_equal(g[1].n, 0);
	assert_int_equal(g[2].n, 0);
	s = tmpl_render(g[0].t);
	assert_string_equal(s, "Failed password for {var_0} from {var_1} port "
	                       "{var_2} ssh2");
	free(s);
	for (i = 0; i < 3; i++) {
		free(g[i].mem);
		tmpl_free(g[i].t);
	}
	run_free(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multiword_values_across_lengths),
		cmocka_unit_test(test_multiword_values_in_the_middle),
		cmocka_unit_test(test_repeated_values_are_a_slot),
		cmocka_unit_test(test_frame_words_stay_apart),
		cmocka_unit_test(test_numbers_differ_one_task),
		cmocka_unit_test(test_document_slot_swallows_coincidences),
		cmocka_unit_test(test_short_frame_around_prose_is_no_task),
		cmocka_unit_test(test_two_single_texts_stay_apart),
		cmocka_unit_test(test_own_slot_takes_a_constant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
