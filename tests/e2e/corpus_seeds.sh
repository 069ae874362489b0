# corpus_seeds.sh - the grouping holds on corpora the sample's own seed did
# not pick: sample-data/generate.c with other seeds draws other values,
# documents and one-off prompts around the same tasks.  At seeds 1, 7 and 9
# a one-off worded like the documents a task pastes (the RAG answers, the
# keyword lists) used to join the task's cluster and leave its template
# without evidence, so that every trace of the task stayed ungrouped
# (GA 0.964, 0.979 and 0.945).  Each corpus must reach the sample-data
# targets: GA >= 0.98, pairwise F1 >= 0.99 (bench/score.c).
. "$TESTS_DIR/e2e/lib.sh"
CC=${CC:-cc}
"$CC" -std=c11 -D_GNU_SOURCE -O2 -o "$WORK/generate" "$ROOT/sample-data/generate.c" ||
	no "build sample-data/generate.c"
"$CC" -std=c11 -D_GNU_SOURCE -O2 -o "$WORK/score" "$ROOT/bench/score.c" \
	$(pkg-config --cflags --libs libcjson) -lm || no "build bench/score.c"
for seed in 1 7 9; do
	d=$WORK/s$seed
	"$WORK/generate" --seed $seed --traces 5000 --format native --out "$d" \
		> /dev/null 2>&1 || no "generate seed $seed"
	"$TG" --db "$d/t.db" import --quiet --no-match "$d/native.jsonl"
	"$TG" --db "$d/t.db" group --quiet
	"$TG" --db "$d/t.db" export --format jsonl --output "$d/export.jsonl"
	# label traces groups tasks GA F1 TA ...
	set -- $("$WORK/score" --label s$seed "$d/truth.tsv" "$d/export.jsonl")
	check "seed $seed: GA ${5:-?} >= 0.98" \
		awk -v v="${5:-0}" 'BEGIN { exit !(v >= 0.98) }'
	check "seed $seed: F1 ${6:-?} >= 0.99" \
		awk -v v="${6:-0}" 'BEGIN { exit !(v >= 0.99) }'
done
