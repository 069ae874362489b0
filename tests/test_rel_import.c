/*
 * test_rel_import.c - regressions found while fuzzing the importers.
 *
 * import.h: trace_record.index is the "0-based record index within the
 * file", and import_reject.index the same for a bad record, so a record
 * and a reject can be told apart and lined up with the file.  A record
 * after a rejected one must therefore carry the index after the reject's.
 */
#include "tests/testutil.h"

#include "importers/import.h"


struct seen {
	int64_t index[8];      /* records: index; rejects: -1 - index */
	int n;
};

static int on_record(void *ctx, const struct trace_record *r)
{
	struct seen *s = ctx;
	if (s->n < 8)
		s->index[s->n++] = (int64_t)r->index;
	return 0;
}

static void on_reject(void *ctx, const struct import_reject *j)
{
	struct seen *s = ctx;
	if (s->n < 8)
		s->index[s->n++] = -1 - (int64_t)j->index;
}

/* Lines: good (record 0), unterminated string (record 1), good (record 2). */
static void test_index_after_reject(void **state)
{
	struct seen s = { {0}, 0 };
	struct import_sink sink = { &s, on_record, on_reject, NULL };
	struct import_opts o = { "native", NULL, NULL, 0 };
	uint64_t nr, nj;
	char err[256], path[4096];

	(void)state;
	snprintf(path, sizeof path, "%s/fixtures/rel/index-after-reject.jsonl",
	         tu_tests_dir());
	assert_int_equal(import_file(path, &o, &sink,
	                             &nr, &nj, err, sizeof err), IMPORT_OK);
	assert_int_equal(nr, 2);
	assert_int_equal(nj, 1);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.index[0], 0);
	assert_int_equal(s.index[1], -1 - 1);      /* the reject: record 1 */
	assert_int_equal(s.index[2], 2);           /* the next record: 2, not 1 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_after_reject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
