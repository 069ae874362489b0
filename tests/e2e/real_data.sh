# real_data.sh - the real LLM dumps of the shared reference data through the
# CLI as a user runs it (import, group), checked against what they are:
# the SWE-agent system prompt's two versions, 2 characters apart, are one
# task; the cookbook's movies and furniture batches are two.  Skips when
# ../shared/data/real is not beside the checkout.
. "$TESTS_DIR/e2e/lib.sh"
REAL=${TRACEGROUP_SHARED:-$ROOT/../shared}/data/real
if [ ! -d "$REAL/swe_agent_trajectories" ] ||
   [ ! -d "$REAL/openai_cookbook_batch" ]; then
	echo "ok - real data # SKIP $REAL not found"
	exit 0
fi
DB=$WORK/real.db
for f in "$REAL"/swe_agent_trajectories/*.traj \
         "$REAL"/openai_cookbook_batch/batch_tasks_movies.jsonl \
         "$REAL"/openai_cookbook_batch/batch_tasks_furniture.jsonl; do
	"$TG" --db "$DB" import --quiet "$f" || no "import $(basename "$f")"
done
"$TG" --db "$DB" group --quiet
"$TG" --db "$DB" tasks --json > "$WORK/tasks.jsonl"

# tasks (lines of tasks --json) whose name (the start of the template) starts
# with $1
tasks_of() { grep "\"name\":\"$1" "$WORK/tasks.jsonl"; }
# the 4.9 KB prompt's tasks: their lines are the only ones that long
long=$(tasks_of "SETTING: You are an autonomous programmer" | awk 'length($0) > 4000')
eq "the 4.9 KB SWE-agent prompt's two versions are one task" 1 \
	"$(printf '%s\n' "$long" | grep -c .)"
eq "that task holds every call made with either version" 36 \
	"$(printf '%s\n' "$long" | jnum trace_count)"
eq "the movies batch is one task of 1000 traces" 1000 \
	"$(tasks_of "Your goal is to extract movie categories" | jnum trace_count)"
eq "the furniture batch is another, of 312" 312 \
	"$(tasks_of "Your goal is to generate short, descriptive captions" | jnum trace_count)"
