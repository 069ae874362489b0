/*
 * testutil.h - small helpers shared by the cmocka tests.
 * Every test includes this first; it pulls in cmocka's prerequisites.
 */
#ifndef TRACEGROUP_TESTUTIL_H
#define TRACEGROUP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* cmocka gives every test and fixture the signature (void **state); most
 * tests do not use it. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/* A fresh temporary directory for one test; caller frees the string. */
static inline char *tu_tempdir(void)
{
	char tmpl[] = "/tmp/tgtest.XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

/* "<dir>/<name>" in a static buffer ring (4 slots). */
static inline const char *tu_path(const char *dir, const char *name)
{
	static char buf[4][4096];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

/* Directory of the tests (the TESTS_DIR environment, else "tests"). */
static inline const char *tu_tests_dir(void)
{
	const char *d = getenv("TESTS_DIR");
	return d && *d ? d : "tests";
}

/* The shared reference data directory (../shared/ beside the checkout), or
 * NULL when it is not there.  Tests that need it say so and skip. */
static inline const char *tu_shared_dir(void)
{
	static char buf[4096];
	const char *e = getenv("TRACEGROUP_SHARED");
	if (e && *e)
		snprintf(buf, sizeof buf, "%s", e);
	else
		snprintf(buf, sizeof buf, "%s/../../shared", tu_tests_dir());
	return access(buf, R_OK) == 0 ? buf : NULL;
}

/* xorshift64: the next number of a reproducible sequence kept in *state
 * (any non-zero seed). */
static inline uint64_t tu_rand(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static inline void tu_rmrf(const char *dir)
{
	char cmd[4200];
	if (!dir || strncmp(dir, "/tmp/", 5) != 0)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

#endif
