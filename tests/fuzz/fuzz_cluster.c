/*
 * fuzz_cluster.c - libFuzzer harness for inference, clustering and the
 * auto-match index.
 *
 * Input: 4 parameter bytes (threshold, min cluster size, max sample,
 * weights seed), then up to 48 texts separated by newlines.  Checked:
 *   - tmpl_infer over the texts gives a template whose rendering reparses
 *     to the same rendering, and every input scores in [0,1] against it;
 *   - cluster_run (engine.h): assignments are a cluster or CLUSTER_NONE;
 *     each cluster's size is the sum of its members' weights and reaches
 *     min_cluster_size; every member scores >= threshold against its
 *     template; the same input gives the same result (determinism);
 *   - matcher_best over the cluster templates returns a task whose own
 *     template scores the returned score, >= threshold, or -1 and 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "tests/fuzz/fuzz.h"

#define MAX_TEXTS 48

static void check_render(const struct tmpl *t)
{
	char *r = tmpl_render(t), *r2;
	struct tmpl *t2 = tmpl_parse(r, strlen(r));

	FUZZ_CHECK(t2, "inferred template does not reparse: %.200s", r);
	r2 = tmpl_render(t2);
	FUZZ_CHECK(strcmp(r, r2) == 0, "inferred template render unstable");
	free(r);
	free(r2);
	tmpl_free(t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cluster_item items[MAX_TEXTS];
	const char *texts[MAX_TEXTS];
	size_t lens[MAX_TEXTS], n = 0;
	struct group_params p;
	struct cluster_result r1, r2;

	if (size < 5 || memchr(data, 0, size))
		return 0;
	p.similarity_threshold = data[0] / 255.0;
	p.min_cluster_size = 2 + data[1] % 4;
	p.max_sample_size = 1 + data[2] % 100;
	unsigned wseed = data[3];
	FUZZ_CHECK(group_params_check(&p) == NULL, "params refused");
	const char *s = (const char *)data + 4, *end = (const char *)data + size;
	while (s < end && n < MAX_TEXTS) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		texts[n] = s;
		lens[n] = (size_t)(nl - s);
		items[n].text = s;
		items[n].len = lens[n];
		items[n].weight = 1 + (wseed + n * 7) % 3;
		n++;
		s = nl + 1;
	}
	if (!n)
		return 0;

	struct tmpl *t = tmpl_infer(texts, lens, n);
	check_render(t);
	for (size_t i = 0; i < n; i++) {
		double sc = tmpl_score(t, texts[i], lens[i]);
		FUZZ_CHECK(sc >= 0.0 && sc <= 1.0, "score %g against the inferred", sc);
	}
	tmpl_free(t);

	FUZZ_CHECK(cluster_run(items, n, &p, NULL, NULL, &r1) == 0, "cluster_run failed");
	FUZZ_CHECK(r1.n_items == n, "n_items");
	uint64_t *sum = calloc(r1.n_clusters + 1, sizeof *sum);
	for (size_t i = 0; i < n; i++) {
		uint32_t c = r1.assign[i];
		if (c == CLUSTER_NONE)
			continue;
		FUZZ_CHECK(c < r1.n_clusters, "assign %u of %zu", c, r1.n_clusters);
		sum[c] += items[i].weight;
		double sc = tmpl_score(r1.templates[c], texts[i], lens[i]);
		FUZZ_CHECK(sc >= p.similarity_threshold, "member %zu scores %g < %g",
		           i, sc, p.similarity_threshold);
	}
	struct matcher *m = matcher_new();
	for (size_t c = 0; c < r1.n_clusters; c++) {
		FUZZ_CHECK(sum[c] == r1.sizes[c], "cluster %zu size %llu, members %llu",
		           c, (unsigned long long)r1.sizes[c], (unsigned long long)sum[c]);
		FUZZ_CHECK(r1.sizes[c] >= p.min_cluster_size, "cluster %zu too small", c);
		check_render(r1.templates[c]);
		matcher_add(m, (int64_t)c + 1, r1.templates[c]);
	}
	for (size_t i = 0; i < n; i++) {
		double sc = -1;
		int64_t id = matcher_best(m, texts[i], lens[i], p.similarity_threshold, &sc);
		if (id < 0) {
			FUZZ_CHECK(sc == 0, "no match but score %g", sc);
			continue;
		}
		FUZZ_CHECK(id >= 1 && (size_t)id <= r1.n_clusters, "match id %lld", (long long)id);
		FUZZ_CHECK(sc >= p.similarity_threshold && sc <= 1.0, "match score %g", sc);
	}
	matcher_free(m);
	free(sum);

	FUZZ_CHECK(cluster_run(items, n, &p, NULL, NULL, &r2) == 0, "second run failed");
	FUZZ_CHECK(r2.n_clusters == r1.n_clusters, "not deterministic");
	FUZZ_CHECK(!memcmp(r1.assign, r2.assign, n * sizeof *r1.assign), "assignments differ");
	cluster_result_free(&r1);
	cluster_result_free(&r2);
	return 0;
}
