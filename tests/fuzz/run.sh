#!/bin/sh
# run.sh - build the libFuzzer harnesses and run each for FUZZ_SECONDS.
#
# Usage: tests/fuzz/run.sh          (from the repository root or anywhere)
# Environment: FUZZ_SECONDS (default 60), FUZZ_JOBS (harnesses run at once,
# default 1), FUZZ_ONLY (space-separated harness names, default all).
#
# Harnesses (tests/fuzz/*.c, built with clang -fsanitize=fuzzer,address,
# undefined into build/fuzz/):
#   import-auto, import-<format>   fuzz_import.c: detection and each importer
#   tmpl                           fuzz_tmpl.c: parse / render round trips
#   score                          fuzz_score.c: scoring, extraction, fills
#   cluster                        fuzz_cluster.c: infer, cluster_run, matcher
# Corpora live in build/fuzz/corpus-<harness>/, seeded at run time from
# tests/fixtures/ (and sample-data's templates); tests/ is never written.
# Every file under tests/fixtures/rel/fuzz/<harness>/ is a past finding,
# replayed before fuzzing.  Prints one TAP line per harness:
# "ok - fuzz <harness> (<N> execs)" or "not ok - ..." with the crash file.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/build/fuzz
SECS=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
CLANG=${CLANG:-clang}
FORMATS="native openai-chat openai-responses openai-batch-input
openai-batch-output openai-finetune anthropic-messages anthropic-batch-input
anthropic-batch-output otlp openinference-spans langfuse langsmith helicone
swe-agent"
CFLAGS="-std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -g -O1 -I$ROOT
-fno-omit-frame-pointer -fno-sanitize-recover=undefined"
PKG=$(pkg-config --cflags libcjson zlib)
LIBS="$(pkg-config --libs libcjson zlib) -lm"
cd "$ROOT" || exit 1
mkdir -p "$OUT/obj" "$OUT/crashes"

# libFuzzer present?  (clang without libclang-rt-*-dev cannot link it.)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' > "$OUT/probe.c"
if ! command -v "$CLANG" > /dev/null 2>&1 ||
   ! "$CLANG" -fsanitize=fuzzer,address,undefined -o "$OUT/probe" "$OUT/probe.c" 2>/dev/null; then
	echo "ok - fuzz # SKIP no libFuzzer"
	exit 0
fi

# The product code under test, built once (again when a source changes).
SRC=$(ls importers/*.c engine/*.c)
stamp=$OUT/obj/.stamp
if [ ! -f "$stamp" ] || [ -n "$(find importers engine tests/fuzz -newer "$stamp" -name '*.[ch]' | head -n 1)" ]; then
	rm -f "$OUT"/obj/*.o
	printf '%s\n' $SRC | xargs -P 2 -I{} sh -c '
		o="$0/obj/$(echo {} | tr / _).o"
		$1 $2 $3 -fsanitize=fuzzer-no-link,address,undefined -c -o "$o" {}' \
		"$OUT" "$CLANG" "$CFLAGS" "$PKG" || { echo "not ok - fuzz: build the product code"; exit 1; }
	build() {   # build NAME SOURCE [DEFINES]
		"$CLANG" $CFLAGS $PKG ${3:-} -fsanitize=fuzzer,address,undefined \
			-o "$OUT/fuzz-$1" "$2" "$OUT"/obj/*.o $LIBS ||
			{ echo "not ok - fuzz: build $1"; exit 1; }
	}
	build import-auto tests/fuzz/fuzz_import.c &
	for f in $FORMATS; do
		build "import-$f" tests/fuzz/fuzz_import.c "-DFUZZ_FORMAT=\"$f\"" &
		[ "$(jobs -p | wc -l)" -ge 2 ] && wait
	done
	wait
	for h in tmpl score cluster; do build "$h" "tests/fuzz/fuzz_$h.c"; done
	touch "$stamp"
fi

# Seeds: copied into build/fuzz at run time.
seed() {   # seed HARNESS FILE...
	mkdir -p "$OUT/corpus-$1"
	for f in "$@"; do [ "$f" = "$1" ] || cp -f "$f" "$OUT/corpus-$1/seed-$(basename "$f")" 2>/dev/null; done
}
HARNESSES="import-auto"
seed import-auto tests/fixtures/formats/* tests/fixtures/rel/*.jsonl tests/fixtures/rel/wrongtypes/*
for f in $FORMATS; do
	HARNESSES="$HARNESSES import-$f"
	seed "import-$f" tests/fixtures/formats/* tests/fixtures/rel/*.jsonl
done
HARNESSES="$HARNESSES tmpl score cluster"
# Engine seeds: the sample data's true templates, one per file, and
# hand-made score / cluster inputs from tests/fixtures/rel/engine/.
mkdir -p "$OUT/corpus-tmpl" "$OUT/corpus-score" "$OUT/corpus-cluster"
if [ -f sample-data/truth-templates.tsv ]; then
	awk -F '\t' -v d="$OUT/corpus-tmpl" 'NR > 1 && NR < 40 {
		f = d "/seed-truth-" NR; gsub(/\\n/, "\n", $5); printf "%s", $5 > f; close(f) }' \
		sample-data/truth-templates.tsv
fi
seed tmpl tests/fixtures/rel/engine/tmpl-*
seed score tests/fixtures/rel/engine/score-*
seed cluster tests/fixtures/rel/engine/cluster-*

[ -n "${FUZZ_ONLY:-}" ] && HARNESSES=$FUZZ_ONLY
fail=0
run_one() {   # run_one HARNESS: replay past findings, then fuzz
	h=$1 log=$OUT/log-$1
	bin=$OUT/fuzz-$h
	reg=$ROOT/tests/fixtures/rel/fuzz/$h
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		if ! "$bin" "$reg"/* > "$log.replay" 2>&1; then
			echo "not ok - fuzz $h: a past finding crashes again"
			grep -m 3 'ERROR\|invariant\|runtime error' "$log.replay" | sed 's/^/#   /'
			return
		fi
	fi
	case $h in import-*) len=16384 ;; *) len=4096 ;; esac
	"$bin" -max_total_time="$SECS" -timeout=30 -rss_limit_mb=2560 \
		-max_len=$len -print_final_stats=1 \
		-artifact_prefix="$OUT/crashes/$h-" "$OUT/corpus-$h" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$execs" ]; then
		echo "ok - fuzz $h (${execs} execs)"
	else
		echo "not ok - fuzz $h (exit $rc after ${execs:-?} execs)"
		grep -m 5 'ERROR\|invariant\|runtime error\|Test unit written' "$log" | sed 's/^/#   /'
	fi
}
running=0
for h in $HARNESSES; do
	run_one "$h" > "$OUT/result-$h" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then wait; running=0; fi
done
wait
for h in $HARNESSES; do
	cat "$OUT/result-$h"
	grep -q '^not ok' "$OUT/result-$h" && fail=1
done
exit $fail
