/*
 * test_engine.c - templates, scoring, extraction, inference, auto-match.
 */
#include "tests/testutil.h"

#include "engine/engine.h"
#include "engine/matcher.h"
#include "engine/template.h"

static struct tmpl *parse(const char *s)
{
	return tmpl_parse(s, strlen(s));
}

static double score(const char *tmpl, const char *text)
{
	struct tmpl *t = parse(tmpl);
	double s;
	assert_non_null(t);
	s = tmpl_score(t, text, strlen(text));
	tmpl_free(t);
	return s;
}

static char *infer(const char *const *texts, size_t n)
{
	size_t lens[16] = {0}, i;
	struct tmpl *t;
	char *r;
	for (i = 0; i < n; i++)
		lens[i] = strlen(texts[i]);
	t = tmpl_infer(texts, lens, n);
	r = tmpl_render(t);
	for (i = 0; i < n; i++)   /* every member fits what was inferred */
		assert_true(tmpl_score(t, texts[i], lens[i]) == 1.0);
	tmpl_free(t);
	return r;
}

static void assert_round_trip(const char *s)
{
	struct tmpl *t = parse(s);
	char *r;
	assert_non_null(t);
	r = tmpl_render(t);
	assert_string_equal(r, s);
	free(r);
	tmpl_free(t);
}

static void test_round_trip(void **state)
{
	(void)state;
	assert_round_trip("");
	assert_round_trip("Greet {var_0}");
	assert_round_trip("{var_0} said {var_1}.");
	assert_round_trip("Use the {{WINDOW}} lines shown; JSON {{\"a\": {var_0}}}");
	assert_round_trip("{{}}{{{{");
}

static void test_parse_rejects(void **state)
{
	const char *bad[] = { "{", "}", "a { b", "a } b", "{var_}", "{var_x}",
	                      "{var_0", "{WINDOW}", "{{var_0}" };
	size_t i;
	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(parse(bad[i]));
}

static void test_literal_braces(void **state)
{
	struct tmpl *t = tmpl_literal("Show {WINDOW} {x}", 17);
	char *r = tmpl_render(t), *again;
	struct tmpl *u;
	(void)state;
	assert_string_equal(r, "Show {{WINDOW}} {{x}}");
	assert_int_equal(tmpl_nslots(t), 0);
	u = parse(r);
	again = tmpl_render(u);
	assert_string_equal(again, r);
	assert_true(tmpl_score(u, "Show {WINDOW} {x}", 17) == 1.0);
	free(r);
	free(again);
	tmpl_free(t);
	tmpl_free(u);
}

static void test_adjacent_slots_merge(void **state)
{
	struct tmpl *t = parse("a {var_0}{var_1} b");
	char *r = tmpl_render(t);
	(void)state;
	assert_int_equal(tmpl_nslots(t), 1);
	assert_string_equal(r, "a {var_0} b");
	free(r);
	tmpl_free(t);
}

static void test_exact_fit_scores_one(void **state)
{
	(void)state;
	assert_true(score("Greet {var_0}", "Greet Charlie") == 1.0);
	assert_true(score("Greet {var_0}", "Greet Charlie and Dana") == 1.0);
	assert_true(score("{var_0} is the capital of {var_1}.",
	                  "Paris is the capital of France.") == 1.0);
	assert_true(score("no slots here", "no slots here") == 1.0);
	/* a slot absorbs at least one byte */
	assert_true(score("Greet {var_0}", "Greet ") < 1.0);
}

static void test_score_range_and_order(void **state)
{
	const char *texts[] = { "", "x", "Greet", "Greet Charlie now",
	                        "completely different words", "{ } {{ }}" };
	const char *tmpls[] = { "", "{var_0}", "Greet {var_0}", "a b c d e f",
	                        "{var_0} said {var_1}" };
	size_t i, j;
	(void)state;
	for (i = 0; i < sizeof tmpls / sizeof tmpls[0]; i++)
		for (j = 0; j < sizeof texts / sizeof texts[0]; j++) {
			double s = score(tmpls[i], texts[j]);
			assert_true(s >= 0.0 && s <= 1.0);
		}
	/* one changed frame word costs a little, many cost a lot */
	assert_true(score("Summarize the ticket below for the support team: {var_0}",
	                  "Summarize the ticket below for the sales team: my order") >
	            0.8);
	assert_true(score("Summarize the ticket below for the support team: {var_0}",
	                  "Write a haiku about the sea") < 0.4);
}

static void test_mostly_slots_do_not_match_everything(void **state)
{
	(void)state;
	/* the only literal is absent: nothing is explained */
	assert_true(score("{var_0} said {var_1}", "the weather is nice today") < 0.1);
	/* a text far longer than a slot-free template scores low */
	assert_true(score("Hello", "Hello there, please summarize this long "
	                  "report about quarterly sales figures") < 0.3);
}

static void test_extract(void **state)
{
	struct tmpl *t = parse("Translate from {var_0} to {var_1}: {var_2}");
	const char *text = "Translate from Classical Chinese to Modern English: "
	                   "to be or not to be: that is";
	char **v;
	int n;
	(void)state;
	n = tmpl_extract(t, text, strlen(text), &v);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "Classical Chinese");
	assert_string_equal(v[1], "Modern English");
	assert_string_equal(v[2], "to be or not to be: that is");
	while (n-- > 0)
		free(v[n]);
	free(v);
	assert_int_equal(tmpl_extract(t, "Translate this", 14, &v), -1);
	assert_null(v);
	tmpl_free(t);
}

/* The spans a template gives, worked out the plain way: a leading
 * literal is a prefix, a trailing one a suffix, and each literal between
 * slots is found leftmost, at least one byte after the previous one. */
static int reference_spans(const char *const *lit, size_t nlit,
                           const char *text, size_t len, size_t *b)
{
	size_t pos = 0, end = len, i, k, n = 0;
	size_t last = strlen(lit[nlit - 1]);
	if (strlen(lit[0]) > len || memcmp(text, lit[0], strlen(lit[0])))
		return -1;
	pos = strlen(lit[0]);
	if (last > len - pos || memcmp(text + len - last, lit[nlit - 1], last))
		return -1;
	end = len - last;
	for (i = 1; i < nlit; i++) {
		size_t l = strlen(lit[i]), at = (size_t)-1;
		if (i == nlit - 1) {
			if (end <= pos)
				return -1;
			b[2 * n] = pos, b[2 * n + 1] = end, n++;
			break;
		}
		for (k = pos + 1; k + l <= end; k++)
			if (!memcmp(text + k, lit[i], l)) {
				at = k;
				break;
			}
		if (at == (size_t)-1)
			return -1;
		b[2 * n] = pos, b[2 * n + 1] = at, n++;
		pos = at + l;
	}
	return (int)n;
}

/* Literals are searched by their least common bytes first; over texts
 * made of few bytes (false hits everywhere, the fallback taken) the spans
 * must be exactly the leftmost ones. */
static void test_fit_finds_leftmost_literals(void **state)
{
	static const char alpha[] = "ab eQ";
	uint32_t seed = 12345;
	char text[4096], lits[4][8], rendered[64];
	int fits = 0;
	(void)state;
	for (int trial = 0; trial < 3000; trial++) {
		const char *lit[4];
		size_t len, want[8], *got = NULL, r = 0, i, j;
		int n, m;
		struct tmpl *t;
		for (i = 0; i < 4; i++) {
			size_t l = i == 0 || i == 3 ? (seed >> 7) % 3 : 1 + (seed >> 9) % 5;
			for (j = 0; j < l; j++) {
				seed = seed * 1103515245u + 12345u;
				lits[i][j] = alpha[(seed >> 16) % (trial % 2 ? 3 : 5)];
			}
			lits[i][l] = '\0';
			lit[i] = lits[i];
			seed = seed * 1103515245u + 12345u;
		}
		r = (size_t)snprintf(rendered, sizeof rendered, "%s{var_0}%s{var_1}"
		                     "%s{var_2}%s", lit[0], lit[1], lit[2], lit[3]);
		len = (size_t)(seed >> 8) % (trial % 7 ? 64 : sizeof text);
		memcpy(text, lit[0], strlen(lit[0]));
		for (i = strlen(lit[0]); i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = alpha[(seed >> 16) % 3];
		}
		if (len > strlen(lit[3]) + strlen(lit[0]))
			memcpy(text + len - strlen(lit[3]), lit[3], strlen(lit[3]));
		assert_non_null(t = tmpl_parse(rendered, r));
		n = reference_spans(lit, 4, text, len, want);
		m = tmpl_extract_spans(t, text, len, &got);
		assert_int_equal(m, n);
		fits += n > 0;
		for (i = 0; n > 0 && i < 2 * (size_t)n; i++)
			assert_int_equal(got[i], want[i]);
		free(got);
		tmpl_free(t);
	}
	assert_true(fits > 300 && fits < 2700);   /* both outcomes tried */
}

static void test_extract_value_first(void **state)
{
	struct tmpl *t = parse("{var_0} is the capital of {var_1}");
	const char *text = "Paris is the capital of France";
	char **v;
	int n;
	(void)state;
	n = tmpl_extract(t, text, strlen(text), &v);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "Paris");
	assert_string_equal(v[1], "France");
	free(v[0]);
	free(v[1]);
	free(v);
	tmpl_free(t);
}

static void test_infer_short(void **state)
{
	const char *t[] = { "Greet Alice", "Greet Bob", "Greet Charlie" };
	char *r = infer(t, 3);
	(void)state;
	assert_string_equal(r, "Greet {var_0}");
	free(r);
}

static void test_infer_multiword(void **state)
{
	const char *t[] = {
		"Translate from French to German: Bonjour le monde",
		"Translate from Classical Chinese to English: ni hao",
		"Translate from Spanish to Old Norse: hola amigos de la casa",
	};
	char *r = infer(t, 3);
	(void)state;
	assert_string_equal(r, "Translate from {var_0} to {var_1}: {var_2}");
	free(r);
}

/* A value that turns up in the other slot of the next member ("Dutch")
 * is no part of the frame: the word between the slots is. */
static void test_infer_values_swap_slots(void **state)
{
	const char *t[] = {
		"Translate from Japanese to Dutch. Text: we ship from Oslo to Rome",
		"Translate from Dutch to English. Text: sent from Lyon to Bonn",
		"Translate from Korean to Korean. Text: keep it short",
	};
	char *r = infer(t, 3);
	(void)state;
	assert_string_equal(r, "Translate from {var_0} to {var_1}. Text: {var_2}");
	free(r);
}

static void test_infer_value_first_and_literal_words(void **state)
{
	const char *t[] = {
		"Paris is the capital of France",
		"The capital is the capital of Capitalia",
		"Rome is the capital of Italy",
	};
	char *r = infer(t, 3);
	(void)state;
	assert_string_equal(r, "{var_0} is the capital of {var_1}");
	free(r);
}

/* A frame that ends "comma-separated." before a pasted document keeps its
 * "." where it stands, also in a text whose document ends with a "." of
 * its own: matched there, the "." would leave the frame's last gap empty
 * in every other text, and the frame would lose its end. */
static void test_infer_frame_end_before_document(void **state)
{
	const char *t[] = {
		"List keywords for \"winter\". Return them comma-separated."
		"\n\nalpha beta gamma",
		"List keywords for \"stores\". Return them comma-separated."
		"\n\ndelta epsilon",
		"List keywords for \"orders\". Return them comma-separated."
		"\n\nzeta eta. theta iota.",
	};
	char *r = infer(t, 3);
	(void)state;
	assert_string_equal(r, "List keywords for \"{var_0}\". Return them "
	                    "comma-separated.\n\n{var_1}");
	free(r);
}

static void test_infer_keeps_braces(void **state)
{
	const char *t[] = { "Show {WINDOW} for alice", "Show {WINDOW} for bob" };
	char *r = infer(t, 2);
	(void)state;
	assert_string_equal(r, "Show {{WINDOW}} for {var_0}");
	free(r);
}

static void test_infer_identical(void **state)
{
	const char *t[] = { "same text {x}", "same text {x}" };
	char *r = infer(t, 2);
	(void)state;
	assert_string_equal(r, "same text {{x}}");
	free(r);
}

/* Of 20 texts, the 8 aligned first (every 20/8th) all end "today"; text 1,
 * checked only against their template, ends "tomorrow" and does not fit
 * it, so all 20 are aligned and the last word is a slot. */
static void test_infer_checks_the_rest_of_a_sample(void **state)
{
	static const char *const names[] = {
		"Ada", "Bob", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo",
		"Kit", "Lu", "Max", "Ned", "Oz", "Pam", "Quin", "Ray", "Sue", "Tom"
	};
	enum { N = sizeof names / sizeof names[0] };
	char buf[N][64];
	const char *texts[N];
	size_t lens[N], i;
	struct tmpl *t;
	char *r;
	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(buf[i], sizeof buf[i], "Remind %s about the meeting %s.",
		         names[i], i == 1 ? "tomorrow" : "today");
		texts[i] = buf[i];
		lens[i] = strlen(buf[i]);
	}
	t = tmpl_infer(texts, lens, N);
	r = tmpl_render(t);
	assert_string_equal(r, "Remind {var_0} about the meeting {var_1}.");
	for (i = 0; i < N; i++)
		assert_true(tmpl_fits(t, texts[i], lens[i], NULL));
	free(r);
	tmpl_free(t);
	/* without the odd one out, the 8 give the template the 20 would */
	texts[1] = texts[0];
	lens[1] = lens[0];
	t = tmpl_infer(texts, lens, N);
	r = tmpl_render(t);
	assert_string_equal(r, "Remind {var_0} about the meeting today.");
	free(r);
	tmpl_free(t);
}

/* A matcher over rendered templates, with ids first, first + 1, ... */
static struct matcher *matcher_of(const char *const *tm, size_t n,
                                  int64_t first)
{
	struct matcher *m = matcher_new();
	for (size_t i = 0; i < n; i++) {
		struct tmpl *t = parse(tm[i]);
		matcher_add(m, first + (int64_t)i, t);
		tmpl_free(t);
	}
	return m;
}

static void test_matcher(void **state)
{
	const char *tm[] = {
		"Greet {var_0}",
		"{var_0} is the capital of {var_1}",
		"Summarize the ticket below for the support team: {var_0}",
		"You are a helpful assistant.",
		"Translate from {var_0} to {var_1}: {var_2}",
		"Hello {var_0}, please {var_1} today",
	};
	struct matcher *m = matcher_of(tm, sizeof tm / sizeof tm[0], 10);
	double s;
	(void)state;
	assert_int_equal(matcher_best(m, "Greet Charlie", 13, 0.6, &s), 10);
	assert_true(s == 1.0);
	assert_int_equal(matcher_best(m, "Oslo is the capital of Norway", 29, 0.6,
	                              &s), 11);
	assert_int_equal(matcher_best(m, "You are a helpful assistant.", 28, 0.6,
	                              &s), 13);
	assert_int_equal(matcher_best(m, "Hello Ann, please call me today", 31,
	                              0.6, &s), 15);
	/* near miss found through the token index */
	assert_int_equal(matcher_best(m, "Summarize the ticket below for the sales "
	                              "team: it broke", 54, 0.6, &s), 12);
	assert_true(s >= 0.6 && s < 1.0);
	assert_int_equal(matcher_best(m, "Write a haiku about the sea", 27, 0.6,
	                              &s), -1);
	assert_true(s == 0.0);
	matcher_free(m);
}

/* Templates without a slot are found by their whole text, looked up only
 * for texts of a length one of them has. */
static void test_matcher_fits_literal_templates(void **state)
{
	const char *tm[] = { "You are a helpful assistant.", "Be brief.",
	                     "Greet {var_0}", "You are a careful assistant." };
	struct matcher *m = matcher_of(tm, sizeof tm / sizeof tm[0], 20);
	(void)state;
	assert_int_equal(matcher_fit(m, tm[0], strlen(tm[0])), 20);
	assert_int_equal(matcher_fit(m, tm[1], strlen(tm[1])), 21);
	assert_int_equal(matcher_fit(m, tm[3], strlen(tm[3])), 23);
	assert_int_equal(matcher_fit(m, "Greet Ann", 9), 22);
	/* same length as two of them, fits neither */
	assert_int_equal(matcher_fit(m, "You are a hopeful assistant.", 28), -1);
	assert_int_equal(matcher_fit(m, "Be brief", 8), -1);
	matcher_free(m);
}

static void test_matcher_ties_lowest_id(void **state)
{
	struct matcher *m = matcher_new();
	struct tmpl *a = parse("Greet {var_0}"), *b = parse("{var_0} Charlie");
	double s;
	(void)state;
	matcher_add(m, 7, a);
	matcher_add(m, 3, b);
	matcher_add(m, 5, a);
	assert_int_equal(matcher_best(m, "Greet Charlie", 13, 0.6, &s), 3);
	assert_int_equal(matcher_best(m, "Greet Dana", 10, 0.6, &s), 5);
	tmpl_free(a);
	tmpl_free(b);
	matcher_free(m);
	matcher_free(NULL);
	tmpl_free(NULL);
}

/* Of two templates a text fits exactly, the one that leaves less to its
 * slots wins, whatever the ids: a trailing slot does not take texts from
 * the template that spells them out. */
static void test_matcher_most_literal_fit(void **state)
{
	const char *tm[] = {
		"auth failure; rhost={var_0}",
		"auth failure; rhost={var_0}  user=root",
		"{var_0}",
	};
	const char *root = "auth failure; rhost=10.0.0.1  user=root";
	const char *bare = "auth failure; rhost=10.0.0.1";
	struct matcher *m = matcher_of(tm, sizeof tm / sizeof tm[0], 1);
	double s;
	(void)state;
	assert_int_equal(matcher_fit(m, root, strlen(root)), 2);
	assert_int_equal(matcher_best(m, root, strlen(root), 0.6, &s), 2);
	assert_true(s == 1.0);
	assert_int_equal(matcher_fit(m, bare, strlen(bare)), 1);
	assert_int_equal(matcher_fit(m, "anything", 8), 3);
	matcher_free(m);
}

static const char *const vocab[] = {
	"summarize", "the", "following", "customer", "ticket", "and", "reply",
	"politely", "classify", "sentiment", "of", "review", "translate", "into",
	"French", "extract", "entities", "from", "document", "answer",
};

/* Template k of a family that shares most of its words with the others. */
static void family_template(size_t k, char *buf, size_t cap)
{
	snprintf(buf, cap, "Task T%zu: %s %s %s {var_0} %s %s %s. Context: {var_1}",
	         k, vocab[k % 20], vocab[(k / 20) % 20], vocab[(k / 400) % 20],
	         vocab[(k * 7) % 20], vocab[(k * 11) % 20], vocab[(k * 13) % 20]);
}

/* With 10,000 templates sharing common words, auto-match still finds the
 * template a text fits, a near miss, and nothing for unrelated text. */
static void test_matcher_many_templates(void **state)
{
	struct matcher *m = matcher_new();
	char buf[512];
	size_t k;
	double s;
	(void)state;
	for (k = 0; k < 10000; k++) {
		struct tmpl *t;
		family_template(k, buf, sizeof buf);
		t = parse(buf);
		matcher_add(m, (int64_t)k, t);
		tmpl_free(t);
	}
	snprintf(buf, sizeof buf, "Task T1234: %s %s %s the invoice %s %s %s. "
	         "Context: it is late", vocab[1234 % 20], vocab[(1234 / 20) % 20],
	         vocab[(1234 / 400) % 20], vocab[(1234 * 7) % 20],
	         vocab[(1234 * 11) % 20], vocab[(1234 * 13) % 20]);
	assert_int_equal(matcher_best(m, buf, strlen(buf), 0.6, &s), 1234);
	assert_true(s == 1.0);
	/* one frame word changed: no exact fit, found through its anchors */
	snprintf(buf, sizeof buf, "Task T4321: %s %s %s the invoice %s %s %s. "
	         "Background: it is late", vocab[4321 % 20], vocab[(4321 / 20) % 20],
	         vocab[(4321 / 400) % 20], vocab[(4321 * 7) % 20],
	         vocab[(4321 * 11) % 20], vocab[(4321 * 13) % 20]);
	assert_int_equal(matcher_best(m, buf, strlen(buf), 0.6, &s), 4321);
	assert_true(s >= 0.6 && s < 1.0);
	for (k = 0; k < 50; k++) {
		snprintf(buf, sizeof buf, "unrelated request %zu about the %s and %s",
		         k, vocab[k % 20], vocab[(k * 3) % 20]);
		assert_int_equal(matcher_best(m, buf, strlen(buf), 0.6, &s), -1);
		assert_true(s == 0.0);
	}
	matcher_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_literal_braces),
		cmocka_unit_test(test_adjacent_slots_merge),
		cmocka_unit_test(test_exact_fit_scores_one),
		cmocka_unit_test(test_score_range_and_order),
		cmocka_unit_test(test_mostly_slots_do_not_match_everything),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_extract_value_first),
		cmocka_unit_test(test_fit_finds_leftmost_literals),
		cmocka_unit_test(test_infer_short),
		cmocka_unit_test(test_infer_multiword),
		cmocka_unit_test(test_infer_values_swap_slots),
		cmocka_unit_test(test_infer_frame_end_before_document),
		cmocka_unit_test(test_infer_value_first_and_literal_words),
		cmocka_unit_test(test_infer_keeps_braces),
		cmocka_unit_test(test_infer_identical),
		cmocka_unit_test(test_matcher),
		cmocka_unit_test(test_matcher_fits_literal_templates),
		cmocka_unit_test(test_matcher_most_literal_fit),
		cmocka_unit_test(test_matcher_ties_lowest_id),
		cmocka_unit_test(test_matcher_many_templates),
		cmocka_unit_test(test_infer_checks_the_rest_of_a_sample),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
