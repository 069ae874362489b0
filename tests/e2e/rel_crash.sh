# rel_crash.sh - the short crash run: SIGKILL `import` and `group` at random
# moments (10 kills) and check integrity, whole batches, no half-assigned
# trace, task counts, and that a re-import completes with no duplicates.
# `make crashtest` runs the long version (KILLS=200 over sample-data and
# 20,000 generated traces); docs/RELIABILITY.md has its figures.
. "$TESTS_DIR/e2e/lib.sh"
KILLS=10 CRASH_TRACES=5500 CRASH_SAMPLE_DATA=0 ASAN_OPTIONS=detect_leaks=0 \
	sh "$TESTS_DIR/crash/run.sh" "$TG"
