# rel_fuzz.sh - the short fuzz run: every libFuzzer harness (detection and
# each importer, template parse/render, scoring/alignment, clustering) for
# 2 seconds, two at a time, after replaying past findings from
# tests/fixtures/rel/fuzz/.  `make fuzz FUZZ_SECONDS=N` runs the long
# version; docs/RELIABILITY.md has its figures.  Without clang's libFuzzer
# runtime this prints "ok - fuzz # SKIP no libFuzzer".
. "$TESTS_DIR/e2e/lib.sh"
FUZZ_SECONDS=2 FUZZ_JOBS=2 sh "$TESTS_DIR/fuzz/run.sh"
