/*
 * engine.h - the grouping engine: templates, similarity, clustering.
 *
 * Pure C over token sequences: no SQLite, no curses, no I/O.  The store and
 * the operations layer feed it texts and persist what it returns.
 *
 * A template is a sequence of literal text and slots.  Rendered as text,
 * slots read "{var_N}" (N counting from 0 in order) and literal braces are
 * doubled ("{{", "}}"), so any prompt round-trips exactly:
 *     tmpl_render(tmpl_parse(s)) == s  for every rendered template s.
 * Adjacent slots merge into one.
 *
 * Ownership: functions returning pointers return caller-owned objects;
 * release them with the matching *_free (all *_free(NULL) are no-ops) or,
 * for char *, with free().  On allocation failure the engine aborts.
 */
#ifndef TRACEGROUP_ENGINE_H
#define TRACEGROUP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

struct tmpl;

/* Parse a rendered template.  Returns NULL if `s` is malformed (a lone '{' or
 * '}' that is neither an escape nor a "{var_N}" slot). */
struct tmpl *tmpl_parse(const char *s, size_t len);
/* A template with no slots whose literal is exactly `text`. */
struct tmpl *tmpl_literal(const char *text, size_t len);
char *tmpl_render(const struct tmpl *t);
size_t tmpl_nslots(const struct tmpl *t);
void tmpl_free(struct tmpl *t);

/*
 * Similarity of `text` to template `t`, in [0,1].  A text that fits the
 * template exactly (every literal in order, slots absorbing the rest, each
 * slot absorbing at least one character) scores 1.0.  See
 * docs/SIMILARITY.md for the definition and worked examples.
 */
double tmpl_score(const struct tmpl *t, const char *text, size_t len);

/*
 * Values of t's slots in `text`, when the text fits the template exactly.
 * Returns the number of slots and sets *values to a caller-owned array of
 * caller-owned strings (free each, then the array); returns -1 (and *values
 * NULL) when the text does not fit.
 */
int tmpl_extract(const struct tmpl *t, const char *text, size_t len,
                 char ***values);

/*
 * Byte offsets of t's slot values in `text`: *spans gets 2 * n caller-owned
 * size_t (start, end) pairs, one per slot in order.  Returns n, or -1 (and
 * *spans NULL) when the text does not fit.
 */
int tmpl_extract_spans(const struct tmpl *t, const char *text, size_t len,
                       size_t **spans);

/* Infer one template from n >= 1 texts (the members of one cluster). */
struct tmpl *tmpl_infer(const char *const *texts, const size_t *lens, size_t n);

/* --- auto-match: an index over the templates of one partition ----------- */

struct matcher;

struct matcher *matcher_new(void);
/* Add task `id` with template t (the matcher keeps its own copy). */
void matcher_add(struct matcher *m, int64_t id, const struct tmpl *t);
/* Best task for `text` scoring >= threshold, or -1.  *score gets its score
 * (0 when none).  Of templates the text fits exactly (score 1), the one
 * with the most literal bytes wins ("Greet {var_0} today" over "Greet
 * {var_0}"); other ties go to the lowest id, so results are
 * deterministic. */
int64_t matcher_best(const struct matcher *m, const char *text, size_t len,
                     double threshold, double *score);
void matcher_free(struct matcher *m);

/* --- batch grouping ------------------------------------------------------ */

struct group_params {
	double similarity_threshold;   /* [0,1], default 0.6 */
	uint32_t min_cluster_size;     /* >= 2, default 2 (counted in traces) */
	uint32_t max_sample_size;      /* >= 1, default 100 */
};

#define GROUP_PARAMS_DEFAULT { 0.6, 2, 100 }

/* Returns NULL when valid, else a static message naming the bad parameter. */
const char *group_params_check(const struct group_params *p);

/* One distinct text of a partition and how many traces carry it. */
struct cluster_item {
	const char *text;
	size_t len;
	uint32_t weight;
};

#define CLUSTER_NONE UINT32_MAX

struct cluster_result {
	size_t n_items;
	uint32_t *assign;          /* per item: cluster index, or CLUSTER_NONE */
	size_t n_clusters;         /* only clusters of >= min_cluster_size traces */
	struct tmpl **templates;   /* per cluster */
	uint64_t *sizes;           /* per cluster: traces (sum of weights) */
};

/*
 * Cluster the distinct texts of one partition (same project, model, path).
 * `cancel`, when not NULL, is polled now and then; a non-zero answer stops
 * the run and cluster_run returns 1 with *out empty.  Returns 0 on success.
 * Invalid parameters (group_params_check) return -1 with *out empty.
 * Deterministic: the same items in the same order give the same result.
 * Every member of a returned cluster scores >= threshold against its
 * template.
 */
/* A partition of more than CLUSTER_AT_ONCE distinct texts is clustered in
 * rounds over evenly spread samples of CLUSTER_SAMPLE texts (cluster.c). */
#define CLUSTER_AT_ONCE 2048
#define CLUSTER_SAMPLE 512
/* So is a partition whose texts hold more than CLUSTER_AT_ONCE_BYTES, over
 * samples of about CLUSTER_SAMPLE_BYTES (at least CLUSTER_SAMPLE_MIN texts):
 * pasted documents cost the passes by the byte, not by the text. */
#define CLUSTER_AT_ONCE_BYTES (1u << 20)
#define CLUSTER_SAMPLE_BYTES (1u << 20)
#define CLUSTER_SAMPLE_MIN 64

int cluster_run(const struct cluster_item *items, size_t n,
                const struct group_params *p,
                int (*cancel)(void *ctx), void *ctx,
                struct cluster_result *out);
void cluster_result_free(struct cluster_result *r);

#endif
