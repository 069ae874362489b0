/*
 * commands.c - the command table: every command, its options and help.
 * Parsing, --help, the README reference and the explorer's ":" prompt all
 * read this one table.
 */
#include "cli/commands.h"

#define GROUP_OPTS \
	{ "threshold", "T", "similarity threshold in [0,1] (default 0.6)" }, \
	{ "min-cluster-size", "N", "traces needed to create a task, >= 2 (default 2)" }, \
	{ "max-sample-size", "N", "members used to infer a template, >= 1 (default 100)" }
#define TIMING_OPT \
	{ "timing", NULL, "on stderr: seconds spent reading the plan, clustering," \
	  " writing and committing" }

static const struct cmdspec c_import = {
	"import", "FILE...", "import trace dumps (JSON, JSONL, gzip; '-' is stdin)",
	"Detects each file's format from its records (OpenAI chat/batch/responses,\n"
	"Anthropic, OTLP spans, Langfuse, LangSmith, Helicone, native, ...).\n"
	"Re-importing a file adds nothing.  Bad records are reported with file,\n"
	"line and reason; the rest of the file is imported.  New traces are\n"
	"auto-matched to existing tasks unless --no-match.",
	0, -1, cmd_import, {
	{ "format", "NAME", "force a format (see --list-formats)" },
	{ "list-formats", NULL, "list the format names and exit" },
	{ "project", "NAME", "project for records that name none" },
	{ "path", "PATH", "endpoint path for every record" },
	{ "no-match", NULL, "do not auto-match new traces to tasks" },
	{ "threshold", "T", "auto-match threshold (default 0.6)" },
	{ "strict", NULL, "a bad record aborts its file, keeping nothing of it" },
	{ "rejects", "FILE", "append rejected records verbatim to FILE" },
	{ "quiet", NULL, "no progress line and no summary" },
	{ "json", NULL, "summary as JSON" },
	{ NULL, NULL, NULL } }, 1, 0 };

static const struct cmdspec c_match = {
	"match", "", "auto-match ungrouped traces to existing tasks", NULL,
	0, 0, cmd_match, {
	{ "threshold", "T", "similarity threshold in [0,1] (default 0.6)" },
	{ "dry-run", NULL, "report what would happen, change nothing" },
	{ "json", NULL, "report as JSON" },
	{ "quiet", NULL, "no progress line" },
	TIMING_OPT,
	{ NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_group = {
	"group", "", "batch grouping: match, then cluster the rest into new tasks",
	"Over the ungrouped traces that were not placed by hand: first match them\n"
	"to existing tasks, then partition the rest by project, model and path,\n"
	"cluster them by instruction similarity, infer a template per cluster and\n"
	"create a task for every cluster of at least --min-cluster-size traces.\n"
	"One transaction: all or nothing; Ctrl-C cancels and keeps nothing.\n"
	"Partitions are clustered on one worker thread per processor (at most\n"
	"four; TRACEGROUP_THREADS=N sets it); the result does not depend on it.",
	0, 0, cmd_group, {
	GROUP_OPTS,
	{ "dry-run", NULL, "report what would happen, change nothing" },
	{ "json", NULL, "report as JSON" },
	{ "quiet", NULL, "no progress line and no report" },
	TIMING_OPT,
	{ "top", "N", "templates listed in the report (default 10)" },
	{ NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_group_trace = {
	"group-trace", "TRACE", "force-group one trace (source id or #id)",
	"Match the trace to an existing task; failing that, look for ungrouped\n"
	"traces similar to it and create a task if together they reach\n"
	"--min-cluster-size; otherwise leave it and say why.",
	1, 1, cmd_group_trace, {
	GROUP_OPTS,
	{ "json", NULL, "report as JSON" },
	{ NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_split = {
	"split", "TASK", "re-cluster a task's traces at a stricter threshold",
	"The largest cluster keeps the task, other clusters become tasks, traces\n"
	"in no cluster are ungrouped.  Use --dry-run to preview.",
	1, 1, cmd_split, {
	GROUP_OPTS,
	{ "dry-run", NULL, "preview, change nothing" },
	{ "json", NULL, "report as JSON" },
	{ NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_assign = {
	"assign", "TRACE...", "move traces to a task, ungroup them, or make a new task",
	"Traces are source ids or #internal-ids.  Traces placed by hand are\n"
	"never moved by automatic grouping.",
	1, -1, cmd_assign, {
	{ "task", "ID", "move the traces into task ID" },
	{ "ungroup", NULL, "take the traces out of their task" },
	{ "new-task", NULL, "create a task whose template is inferred from them" },
	{ "name", "NAME", "name of the new task (with --new-task)" },
	{ NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_merge = {
	"merge", "INTO FROM...", "merge tasks FROM into task INTO",
	"Every trace of the FROM tasks moves to INTO, whose template is inferred\n"
	"again over all its traces; the FROM tasks are retired.",
	2, -1, cmd_merge, {
	{ "max-sample-size", "N", "members used to infer the template (default 100)" },
	{ NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_rename = {
	"rename", "TASK NAME", "rename a task", NULL, 2, 2, cmd_rename,
	{ { NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_undo = {
	"undo", "", "undo the last change (grouping, assign, merge, split, rename)",
	"The journal is in the database: undo works after a restart.",
	0, 0, cmd_undo, { { NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_redo = {
	"redo", "", "redo the last undone change", NULL, 0, 0, cmd_redo,
	{ { NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_tasks = {
	"tasks", "", "list tasks", NULL, 0, 0, cmd_tasks, {
	{ "project", "NAME", "only this project" },
	{ "model", "MODEL", "only this model" },
	{ "path", "PATH", "only this endpoint path" },
	{ "search", "TEXT", "name or template contains TEXT" },
	{ "sort", "KEY", "count (default), name, newest or id" },
	{ "limit", "N", "at most N tasks" },
	{ "json", NULL, "one JSON object per line" },
	{ NULL, NULL, NULL } }, 0, 1 };

static const struct cmdspec c_traces = {
	"traces", "", "list traces (all, of a task, or ungrouped)", NULL,
	0, 0, cmd_traces, {
	{ "task", "ID", "only the traces of task ID" },
	{ "ungrouped", NULL, "only traces in no task" },
	{ "project", "NAME", "only this project" },
	{ "model", "MODEL", "only this model" },
	{ "path", "PATH", "only this endpoint path" },
	{ "after", "ID", "start after internal id ID (paging)" },
	{ "limit", "N", "at most N traces (default 100; 0: all)" },
	{ "json", NULL, "one JSON object per line" },
	{ NULL, NULL, NULL } }, 0, 1 };

static const struct cmdspec c_show = {
	"show", "ID", "show one trace (source id or #id), or a task with --task", NULL,
	1, 1, cmd_show, {
	{ "task", NULL, "the argument is a task id" },
	{ "raw", NULL, "include the original record" },
	{ "json", NULL, "as JSON" },
	{ NULL, NULL, NULL } }, 0, 1 };

static const struct cmdspec c_stats = {
	"stats", "", "traces, tasks, auto-match rate, recent grouping runs", NULL,
	0, 0, cmd_stats, {
	{ "json", NULL, "as JSON" },
	{ NULL, NULL, NULL } }, 0, 1 };

static const struct cmdspec c_export = {
	"export", "", "write every trace with its task and variables",
	"--format jsonl writes one object per trace: id (the source id),\n"
	"internal_id, project, model, path, instructions, instructions_source,\n"
	"task_id (null when ungrouped), task_name, task_instructions (the\n"
	"template, or null), variables (the slot values, or null), assigned_by,\n"
	"created_at.",
	0, 0, cmd_export, {
	{ "format", "FMT", "jsonl (default)" },
	{ "output", "FILE", "write to FILE instead of standard output" },
	{ NULL, NULL, NULL } }, 0, 1 };

static const struct cmdspec c_history = {
	"history", "", "the journal of changes, newest first", NULL,
	0, 0, cmd_history, {
	{ "limit", "N", "at most N entries (default 20)" },
	{ "json", NULL, "one JSON object per line" },
	{ NULL, NULL, NULL } }, 0, 1 };

static const struct cmdspec c_score = {
	"score", "TEMPLATE TEXT", "how similar TEXT is to TEMPLATE (0 to 1)",
	"The number grouping compares with --threshold: 1 when TEXT fits the\n"
	"template exactly (every literal in order, each slot taking at least one\n"
	"character).  Slots are written {var_N}; a literal brace is doubled.\n"
	"See docs/SIMILARITY.md.",
	2, 2, cmd_score, {
	{ "json", NULL, "as JSON" },
	{ NULL, NULL, NULL } }, 0, 0 };

static const struct cmdspec c_tui = {
	"tui", "", "open the explorer", NULL, 0, 0, cmd_tui, {
	{ "script", "FILE", "read keys and :commands from FILE" },
	{ "no-display", NULL, "draw into a virtual screen (tests)" },
	{ "size", "COLSxROWS", "virtual screen size (default 100x30)" },
	{ "timing", "FILE", "with --script: write per-key redraw times (ms) to FILE" },
	{ "keys", NULL, "print the key table (Markdown) and exit" },
	{ NULL, NULL, NULL } }, 1, 0 };

const struct cmdspec *const cli_commands[] = {
	&c_import, &c_match, &c_group, &c_group_trace, &c_assign, &c_merge,
	&c_split, &c_rename, &c_undo, &c_redo, &c_tasks, &c_traces, &c_show,
	&c_stats, &c_export, &c_history, &c_score, &c_tui, NULL
};
