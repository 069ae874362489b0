/*
 * cluster.c - batch grouping of one partition (cluster_run).
 *
 * 1. pattern.c groups texts whose masked skeletons agree on their frequent
 *    (constant) tokens; each group of two or more distinct texts gets a
 *    template inferred from a sample of its members.
 * 2. Texts left alone first try to fit one of those templates exactly; the
 *    rest go to merge.c, which clusters them around leaders by frame.
 * 3. Clusters whose templates render the same are one cluster; combine.c
 *    merges clusters whose templates generalise to each other.
 * 4. refine.c splits a cluster whose slot hides templates of its own;
 *    templates that now render the same merge again.
 * 5. Every member is checked against its cluster's template (fits exactly,
 *    or tmpl_score >= threshold); members that fail are left out, then
 *    clusters under min_cluster_size traces are dropped, and so are thin
 *    ones whose frame is no more than coincidence (see thin_ok).
 * A partition of more than CLUSTER_AT_ONCE distinct texts (or of
 * CLUSTER_AT_ONCE_BYTES of text) runs passes 1 and 2 in rounds over
 * samples (see sample_size()), the other texts
 * joining the templates they fit exactly (see rounds()); the later passes
 * then see every group at once.
 * A template must carry evidence: at least one literal word, and strength
 * (tmpl_strength) >= threshold; otherwise its members stay ungrouped.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/alloc.h"
#include "engine/combine.h"
#include "engine/engine.h"
#include "engine/groups.h"
#include "engine/hashmap.h"
#include "engine/infer.h"
#include "engine/matcher.h"
#include "engine/merge.h"
#include "engine/pattern.h"
#include "engine/refine.h"
#include "engine/template.h"
#include "engine/token.h"

#define SAMPLE_ROUNDS 4

struct run {
	const struct cluster_item *items;
	size_t n;
	const struct group_params *p;
	struct cancel_poll cancel;
	struct group *g;
	size_t ng, capg;
	uint32_t *alone;           /* items waiting for the second pass */
	size_t nalone;
};

const char *group_params_check(const struct group_params *p)
{
	if (!p)
		return "group parameters missing";
	if (!(p->similarity_threshold >= 0.0 && p->similarity_threshold <= 1.0))
		return "similarity_threshold must be between 0 and 1";
	if (p->min_cluster_size < 2)
		return "min_cluster_size must be at least 2";
	if (p->max_sample_size < 1)
		return "max_sample_size must be at least 1";
	return NULL;
}

static struct group *new_group(struct run *r)
{
	r->g = eng_grow(r->g, &r->capg, r->ng + 1, sizeof *r->g);
	memset(&r->g[r->ng], 0, sizeof *r->g);
	return &r->g[r->ng++];
}

static bool template_ok(const struct run *r, const struct group *g)
{
	return group_template_ok(g->t, r->items, g->mem, g->n,
	                         r->p->max_sample_size,
	                         r->p->similarity_threshold);
}

/* Template of g from an evenly spread sample of its members. */
static struct tmpl *infer_group(const struct run *r, const struct group *g)
{
	return group_infer(r->items, g->mem, g->n, r->p->max_sample_size);
}

static void leave_alone(struct run *r, struct group *g)
{
	size_t k;
	for (k = 0; k < g->n; k++)
		r->alone[r->nalone++] = g->mem[k];
	g->n = 0;
	tmpl_free(g->t);
	g->t = NULL;
}

/* Pass 1: positional groups; groups of one text wait for pass 2. */
static int first_pass(struct run *r)
{
	uint32_t *of = eng_xmalloc((r->n + 1) * sizeof *of);
	long ng = pattern_group(r->items, r->n, of, &r->cancel), k;
	size_t i;
	if (ng < 0) {
		free(of);
		return 1;
	}
	for (k = 0; k < ng; k++)
		new_group(r);
	for (i = 0; i < r->n; i++)
		group_add(&r->g[of[i]], (uint32_t)i);
	free(of);
	for (i = 0; i < r->ng; i++) {
		struct group *g = &r->g[i];
		if (g->n < 2) {
			leave_alone(r, g);
			continue;
		}
		g->t = infer_group(r, g);
		if (!template_ok(r, g))
			leave_alone(r, g);
		if (cancel_check(&r->cancel))
			return 1;
	}
	return 0;
}

/* Texts that fit a pass-1 template exactly join it (the lowest such
 * group): an exact-fit lookup, no near-miss scoring. */
static void join_exact(struct run *r)
{
	struct matcher *m = matcher_new();
	size_t i, kept = 0;
	for (i = 0; i < r->ng; i++)
		if (r->g[i].t)
			matcher_add(m, (int64_t)i, r->g[i].t);
	for (i = 0; i < r->nalone; i++) {
		const struct cluster_item *it = &r->items[r->alone[i]];
		int64_t best = matcher_fit(m, it->text, it->len);
		if (best >= 0)
			group_add(&r->g[best], r->alone[i]);
		else
			r->alone[kept++] = r->alone[i];
	}
	r->nalone = kept;
	matcher_free(m);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Pass 2: leader clusters among the texts still alone. */
static int second_pass(struct run *r)
{
	uint32_t *leader = eng_xmalloc((r->nalone + 1) * sizeof *leader);
	uint32_t *gi = eng_xmalloc((r->nalone + 1) * sizeof *gi);
	size_t k;
	qsort(r->alone, r->nalone, sizeof *r->alone, cmp_u32);
	if (merge_alone(r->items, r->alone, r->nalone, r->p, leader,
	                &r->cancel) < 0) {
		free(leader);
		free(gi);
		return 1;
	}
	for (k = 0; k < r->nalone; k++)
		if (leader[k] == k)
			gi[k] = (uint32_t)(new_group(r) - r->g);
	for (k = 0; k < r->nalone; k++)
		group_add(&r->g[gi[leader[k]]], r->alone[k]);
	for (k = 0; k < r->nalone; k++) {
		struct group *g;
		if (leader[k] != k)
			continue;
		g = &r->g[gi[k]];
		g->t = infer_group(r, g);
		if (!template_ok(r, g)) {
			tmpl_free(g->t);
			g->t = NULL;
		}
	}
	free(leader);
	free(gi);
	return 0;
}

/* Clusters whose templates render identically become one. */
static void merge_same(struct run *r)
{
	struct hmap seen = {0};
	size_t i, k;
	hmap_init(&seen, r->ng);
	for (i = 0; i < r->ng; i++) {
		struct group *g = &r->g[i], *into;
		char *s;
		uint64_t *slot;
		if (!g->t)
			continue;
		s = tmpl_render(g->t);
		slot = hmap_slot(&seen, tok_hash(s, strlen(s)), 0);
		free(s);
		if (!*slot) {
			*slot = i + 1;
			continue;
		}
		into = &r->g[*slot - 1];
		for (k = 0; k < g->n; k++)
			group_add(into, g->mem[k]);
		qsort(into->mem, into->n, sizeof *into->mem, cmp_u32);
		g->n = 0;
		tmpl_free(g->t);
		g->t = NULL;
	}
	hmap_free(&seen);
}

/* Pass 3: clusters whose templates generalise to each other merge; a
 * leader that grew gets its template again from a full sample. */
static int combine(struct run *r)
{
	size_t *before = eng_xmalloc((r->ng + 1) * sizeof *before), i;
	long merges;
	for (i = 0; i < r->ng; i++)
		before[i] = r->g[i].n;
	merges = combine_groups(r->items, r->g, r->ng, r->p, &r->cancel);
	for (i = 0; merges > 0 && i < r->ng; i++) {
		struct group *g = &r->g[i];
		struct tmpl *t;
		if (!g->t || g->n == before[i])
			continue;
		t = infer_group(r, g);
		if (group_template_ok(t, r->items, g->mem, g->n,
		                      r->p->max_sample_size,
		                      r->p->similarity_threshold)) {
			tmpl_free(g->t);
			g->t = t;
		} else {
			tmpl_free(t);
		}
	}
	free(before);
	return merges < 0;
}

/* Pass 4: clusters whose slots hide templates of their own give them parts
 * (refine.h); a part whose template carries no evidence stays in. */
static void refine(struct run *r)
{
	size_t i, n0 = r->ng;
	for (i = 0; i < n0; i++) {
		uint32_t *part, np, q;
		size_t first, k, kept = 0, back = 0;
		struct group *g = &r->g[i];
		if (!g->t || g->n < 2)
			continue;
		part = eng_xmalloc((g->n + 1) * sizeof *part);
		np = refine_parts(r->items, g, r->p, part);
		first = r->ng;
		for (q = 0; q < np; q++)
			new_group(r);
		g = &r->g[i];              /* new_group may move the array */
		for (k = 0; np && k < g->n; k++) {
			if (part[k])
				group_add(&r->g[first + part[k] - 1], g->mem[k]);
			else
				g->mem[kept++] = g->mem[k];
		}
		if (np)
			g->n = kept;
		for (q = 0; q < np; q++) {
			struct group *h = &r->g[first + q];
			h->t = infer_group(r, h);
			if (template_ok(r, h))
				continue;
			for (k = 0; k < h->n; k++)
				group_add(g, h->mem[k]);
			back += h->n;
			h->n = 0;
			tmpl_free(h->t);
			h->t = NULL;
		}
		if (back)
			qsort(g->mem, g->n, sizeof *g->mem, cmp_u32);
		if (np && !g->n) {
			tmpl_free(g->t);
			g->t = NULL;
		}
		free(part);
	}
}

/* Keep the members that satisfy the invariant; returns their traces. */
static uint64_t check_members(struct run *r, struct group *g)
{
	size_t k, kept = 0;
	uint64_t w = 0;
	for (k = 0; k < g->n; k++) {
		const struct cluster_item *it = &r->items[g->mem[k]];
		if (tmpl_fits(g->t, it->text, it->len, NULL) ||
		    tmpl_score(g->t, it->text, it->len) >=
		        r->p->similarity_threshold) {
			g->mem[kept++] = g->mem[k];
			w += it->weight;
		}
	}
	g->n = kept;
	return w;
}

/*
 * A cluster of no more than min_cluster_size traces is thin evidence: two
 * one-off sentences built on one grammar ("How do I archive the cheaper
 * profile? The urgent supplier checks ...", "How do I split the temporary
 * template? Hamid says ...") line up on their common words.  With two slots
 * or more, its literal words must explain `threshold` of its members'
 * words, not threshold / 2.  One slot (Greet {var_0} over Greet Alice and
 * Greet Bob) is a substitution, and stays a task.
 */
static bool thin_ok(const struct run *r, const struct group *g, uint64_t w)
{
	if (w > r->p->min_cluster_size || g->t->nslots < 2)
		return true;
	return group_covers(g->t, r->items, g->mem, g->n, r->p->max_sample_size,
	                    r->p->similarity_threshold);
}

static void emit(struct run *r, struct cluster_result *out)
{
	size_t i, k, c = 0;
	uint64_t *w = eng_xcalloc(r->ng + 1, sizeof *w);
	out->n_items = r->n;
	out->assign = eng_xmalloc((r->n + 1) * sizeof *out->assign);
	for (i = 0; i < r->n; i++)
		out->assign[i] = CLUSTER_NONE;
	for (i = 0; i < r->ng; i++) {
		if (r->g[i].t)
			w[i] = check_members(r, &r->g[i]);
		if (w[i] >= r->p->min_cluster_size && thin_ok(r, &r->g[i], w[i]))
			c++;
		else
			w[i] = 0;
	}
	out->templates = eng_xcalloc(c + 1, sizeof *out->templates);
	out->sizes = eng_xcalloc(c + 1, sizeof *out->sizes);
	for (i = 0, c = 0; i < r->ng; i++) {
		struct group *g = &r->g[i];
		if (!g->t || w[i] < r->p->min_cluster_size)
			continue;
		out->templates[c] = g->t;
		out->sizes[c] = w[i];
		g->t = NULL;
		for (k = 0; k < g->n; k++)
			out->assign[g->mem[k]] = (uint32_t)c;
		c++;
	}
	out->n_clusters = c;
	free(w);
}

static void run_free(struct run *r)
{
	size_t i;
	for (i = 0; i < r->ng; i++) {
		free(r->g[i].mem);
		tmpl_free(r->g[i].t);
	}
	free(r->g);
	free(r->alone);
}

/* Passes 1 and 2 over all of r's items. */
static int core(struct run *r)
{
	return first_pass(r) || (join_exact(r), second_pass(r));
}

/* Take over the groups of a sub-run over items sub[0..), numbering their
 * members as r's items; a group without a template when !all stays out
 * and its members go to *back.  Returns the number of items placed. */
static size_t adopt(struct run *r, struct run *sub, const uint32_t *sub_of,
                    bool all, uint32_t *back, size_t *nback)
{
	size_t i, k, placed = 0;
	for (i = 0; i < sub->ng; i++) {
		struct group *from = &sub->g[i], *to;
		if (!from->n)
			continue;
		if (!from->t && !all) {
			for (k = 0; k < from->n; k++)
				back[(*nback)++] = sub_of[from->mem[k]];
			continue;
		}
		to = new_group(r);
		to->t = from->t;
		from->t = NULL;
		for (k = 0; k < from->n; k++)
			group_add(to, sub_of[from->mem[k]]);
		placed += from->n;
	}
	return placed;
}

/* Passes 1 and 2 over the items pick[0..np) of r, as a run of their own. */
static int sub_core(struct run *r, const uint32_t *pick, size_t np, bool all,
                    uint32_t *back, size_t *nback, size_t *placed)
{
	struct cluster_item *items = eng_xmalloc((np + 1) * sizeof *items);
	struct run sub = {0};
	size_t i;
	int rc;
	for (i = 0; i < np; i++)
		items[i] = r->items[pick[i]];
	sub.items = items;
	sub.n = np;
	sub.p = r->p;
	sub.cancel = r->cancel;
	sub.alone = eng_xmalloc((np + 1) * sizeof *sub.alone);
	rc = core(&sub);
	r->cancel.ticks = sub.cancel.ticks;
	if (!rc)
		*placed = adopt(r, &sub, pick, all, back, nback);
	run_free(&sub);
	free(items);
	return rc;
}

/* Pending items that fit one of the templates of groups [g0, r->ng)
 * exactly join it; the rest stay in pend[], in order.  Returns how many
 * joined. */
static size_t fit_pending(struct run *r, size_t g0, uint32_t *pend,
                          size_t *npend)
{
	struct matcher *m = matcher_new();
	size_t i, kept = 0, joined = 0, ntmpl = 0;
	for (i = g0; i < r->ng; i++)
		if (r->g[i].t) {
			matcher_add(m, (int64_t)i, r->g[i].t);
			ntmpl++;
		}
	for (i = 0; ntmpl && i < *npend; i++) {
		const struct cluster_item *it = &r->items[pend[i]];
		int64_t best = matcher_fit(m, it->text, it->len);
		if (best >= 0) {
			group_add(&r->g[best], pend[i]);
			joined++;
		} else {
			pend[kept++] = pend[i];
		}
	}
	if (ntmpl)
		*npend = kept;
	matcher_free(m);
	return joined;
}

/*
 * Texts the next round samples from the npend pending ones, or 0 when the
 * passes take them all at once: a sample of CLUSTER_SAMPLE texts past
 * CLUSTER_AT_ONCE texts, and past CLUSTER_AT_ONCE_BYTES bytes a sample of
 * about CLUSTER_SAMPLE_BYTES (at least CLUSTER_SAMPLE_MIN texts): pasted
 * documents cost the passes by the byte, not by the text.
 */
static size_t sample_size(const struct run *r, const uint32_t *pend,
                          size_t npend)
{
	size_t i, bytes = 0, ns;
	if (npend > CLUSTER_AT_ONCE)
		return CLUSTER_SAMPLE;
	for (i = 0; i < npend; i++)
		bytes += r->items[pend[i]].len;
	if (bytes <= CLUSTER_AT_ONCE_BYTES)
		return 0;
	ns = (size_t)((double)npend * CLUSTER_SAMPLE_BYTES / (double)bytes);
	if (ns > CLUSTER_SAMPLE)
		ns = CLUSTER_SAMPLE;
	if (ns < CLUSTER_SAMPLE_MIN)
		ns = CLUSTER_SAMPLE_MIN;
	return npend > 2 * ns ? ns : 0;
}

/*
 * A large partition goes in rounds: passes 1 and 2 run over an evenly
 * spread sample of the items still pending, the other pending items that
 * fit one of the templates found join it (an exact fit, as auto-match
 * would place them), and what is left is pending for the next round.
 * Members of a sample that found no template stay pending too.  When a
 * round places less than a quarter of what was pending, or after
 * SAMPLE_ROUNDS rounds, or when what is pending is small enough to take
 * at once (sample_size() says 0), the last round takes every pending item.
 * A partition small enough from the start is one such last round: the
 * passes see every item at once.
 */
static int rounds(struct run *r)
{
	uint32_t *pend = eng_xmalloc((r->n + 1) * sizeof *pend);
	uint32_t *pick = eng_xmalloc((CLUSTER_SAMPLE + 1) * sizeof *pick);
	uint32_t *rest = eng_xmalloc((r->n + 1) * sizeof *rest);
	size_t npend = r->n, i, round, placed, ns;
	int rc = 0;
	for (i = 0; i < r->n; i++)
		pend[i] = (uint32_t)i;
	for (round = 0; !rc && round < SAMPLE_ROUNDS &&
	     (ns = sample_size(r, pend, npend)) > 0; round++) {
		size_t before = npend, g0 = r->ng, nrest = 0, np = 0, k = 0;
		for (i = 0; i < ns; i++)               /* evenly spread, in order */
			pick[i] = (uint32_t)(i * npend / ns);
		for (i = 0; i < npend; i++) {         /* split pend: sample, rest */
			if (k < ns && pick[k] == i) {
				pick[np++] = pend[i];
				k++;
			} else {
				rest[nrest++] = pend[i];
			}
		}
		npend = 0;
		rc = sub_core(r, pick, np, false, pend, &npend, &placed);
		if (rc)
			break;
		placed += fit_pending(r, g0, rest, &nrest);
		memcpy(pend + npend, rest, nrest * sizeof *rest);
		npend += nrest;
		qsort(pend, npend, sizeof *pend, cmp_u32);
		for (i = g0; i < r->ng; i++)
			qsort(r->g[i].mem, r->g[i].n, sizeof *r->g[i].mem, cmp_u32);
		if (placed * 4 < before)
			break;
	}
	if (!rc && npend == r->n)
		rc = core(r);
	else if (!rc && npend)
		rc = sub_core(r, pend, npend, true, NULL, NULL, &placed);
	free(pend);
	free(pick);
	free(rest);
	return rc;
}

int cluster_run(const struct cluster_item *items, size_t n,
                const struct group_params *p,
                int (*cancel)(void *ctx), void *ctx,
                struct cluster_result *out)
{
	struct run r = {0};
	int rc = 0;
	memset(out, 0, sizeof *out);
	if (group_params_check(p))
		return -1;
	r.items = items;
	r.n = n;
	r.p = p;
	r.cancel.fn = cancel;
	r.cancel.ctx = ctx;
	r.alone = eng_xmalloc((n + 1) * sizeof *r.alone);
	if (rounds(&r)) {
		rc = 1;
	} else {
		merge_same(&r);
		if (combine(&r)) {
			rc = 1;
		} else {
			refine(&r);
			merge_same(&r);
			emit(&r, out);
		}
	}
	run_free(&r);
	return rc;
}

void cluster_result_free(struct cluster_result *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n_clusters; i++)
		tmpl_free(r->templates[i]);
	free(r->templates);
	free(r->sizes);
	free(r->assign);
	memset(r, 0, sizeof *r);
}
