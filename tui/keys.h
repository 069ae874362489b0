/*
 * keys.h - every request of the explorer, in one X-macro table.
 *
 * A row names the request, the views it applies to, its default key, an
 * alternative key (0: none), how the help screen spells the keys, and the
 * help text.  The request enum, the key map, the `?` screen and the key
 * table of docs/TUI.md are all generated from this table, so they cannot
 * drift apart.
 */
#ifndef TRACEGROUP_TUI_KEYS_H
#define TRACEGROUP_TUI_KEYS_H

#include <curses.h>

/* Views a request applies to (bit set). */
enum {
	SC_TASKS = 1, SC_TRACES = 2, SC_DETAIL = 4, SC_GROUP = 8,
	SC_STATS = 16, SC_PAGER = 32, SC_PICKER = 64,
	SC_LIST = SC_TASKS | SC_TRACES,
	SC_ALL = 127
};

#define CTRL_(c) ((c) & 0x1f)

#define TUI_REQUESTS(REQ_) \
	REQ_(MOVE_DOWN,   SC_ALL,    'j',  KEY_DOWN,  "j Down",     "Move cursor (or scroll) one line down") \
	REQ_(MOVE_UP,     SC_ALL,    'k',  KEY_UP,    "k Up",       "Move cursor (or scroll) one line up") \
	REQ_(PAGE_DOWN,   SC_ALL,    KEY_NPAGE, CTRL_('f'), "PgDn C-f", "Move one screen down") \
	REQ_(PAGE_UP,     SC_ALL,    KEY_PPAGE, CTRL_('b'), "PgUp C-b", "Move one screen up") \
	REQ_(MOVE_FIRST,  SC_ALL,    'g',  KEY_HOME,  "g Home",     "Go to the first line") \
	REQ_(MOVE_LAST,   SC_ALL,    'G',  KEY_END,   "G End",      "Go to the last line") \
	REQ_(ENTER,       SC_ALL,    '\n', KEY_ENTER, "Enter",      "Open the selected task or trace") \
	REQ_(BACK,        SC_ALL,    'q',  0,         "q",          "Close this view (go back)") \
	REQ_(QUIT,        SC_ALL,    'Q',  0,         "Q",          "Quit the explorer") \
	REQ_(HELP,        SC_ALL,    '?',  KEY_F(1),  "? F1",       "Show this help") \
	REQ_(PROMPT,      SC_ALL,    ':',  0,         ":",          "Run a command (the CLI's: :group --threshold 0.7)") \
	REQ_(SEARCH,      SC_ALL,    '/',  0,         "/",          "Search forward") \
	REQ_(SEARCH_NEXT, SC_ALL,    'n',  0,         "n",          "Next search match") \
	REQ_(SEARCH_PREV, SC_ALL,    'N',  0,         "N",          "Previous search match") \
	REQ_(REFRESH,     SC_ALL,    CTRL_('l'), 0,   "C-l",        "Reload data and redraw") \
	REQ_(UNDO,        SC_ALL,    'u',  0,         "u",          "Undo the last change (persists across restarts)") \
	REQ_(REDO,        SC_ALL,    CTRL_('r'), 0,   "C-r",        "Redo the last undone change") \
	REQ_(IMPORT,      SC_ALL,    'i',  0,         "i",          "Import a file (asks for its path)") \
	REQ_(VIEW_GROUP,  SC_ALL,    'b',  0,         "b",          "Open the batch grouping panel") \
	REQ_(VIEW_STATS,  SC_ALL,    'S',  0,         "S",          "Open the statistics view") \
	REQ_(MATCH_ALL,   SC_ALL,    'A',  0,         "A",          "Auto-match all ungrouped traces to tasks") \
	REQ_(MARK,        SC_LIST,   ' ',  0,         "Space",      "Mark or unmark the line under the cursor") \
	REQ_(MARK_RANGE,  SC_LIST,   'V',  0,         "V",          "Start a range mark; press again to mark the range") \
	REQ_(MARK_DOWN,   SC_LIST,   KEY_SF, 'J',     "S-Down J",   "Mark the line and move down") \
	REQ_(MARK_UP,     SC_LIST,   KEY_SR, 'K',     "S-Up K",     "Mark the line and move up") \
	REQ_(MARK_CLEAR,  SC_LIST,   'c',  0,         "c",          "Clear all marks") \
	REQ_(SORT,        SC_TASKS,  'o',  0,         "o",          "Sort tasks by count, name, newest") \
	REQ_(FILTER_PROJECT, SC_TASKS, 'p', 0,        "p",          "Filter tasks by project (cycles)") \
	REQ_(FILTER_MODEL, SC_TASKS, 'l',  0,         "l",          "Filter tasks by model (cycles)") \
	REQ_(FILTER_PATH, SC_TASKS,  'e',  0,         "e",          "Filter tasks by endpoint path (cycles)") \
	REQ_(FILTER_CLEAR, SC_TASKS, '0',  0,         "0",          "Clear the task filters") \
	REQ_(MERGE,       SC_TASKS,  'M',  0,         "M",          "Merge the marked tasks into the task under the cursor") \
	REQ_(SPLIT,       SC_TASKS | SC_TRACES, 's', 0, "s",        "Split a task (preview, then confirm)") \
	REQ_(RENAME,      SC_TASKS | SC_TRACES, 'r', 0, "r",        "Rename a task") \
	REQ_(MOVE_TO,     SC_TRACES | SC_DETAIL, 'm', 0, "m",       "Move marked traces (or this one) to a task") \
	REQ_(UNGROUP,     SC_TRACES | SC_DETAIL, 'd', 0, "d",       "Ungroup marked traces (or this one)") \
	REQ_(NEW_TASK,    SC_TRACES, 't',  0,         "t",          "Create a task from the marked traces") \
	REQ_(FORCE_GROUP, SC_TRACES | SC_DETAIL, 'F', 0, "F",       "Force-group the trace under the cursor") \
	REQ_(TOGGLE_RAW,  SC_DETAIL, 'R',  0,         "R",          "Show or hide the original record") \
	REQ_(THRESH_UP,   SC_GROUP,  '+',  '=',       "+",          "Raise similarity_threshold by 0.05") \
	REQ_(THRESH_DOWN, SC_GROUP,  '-',  0,         "-",          "Lower similarity_threshold by 0.05") \
	REQ_(MINC_UP,     SC_GROUP,  ']',  0,         "]",          "Raise min_cluster_size") \
	REQ_(MINC_DOWN,   SC_GROUP,  '[',  0,         "[",          "Lower min_cluster_size") \
	REQ_(SAMPLE_UP,   SC_GROUP,  '}',  0,         "}",          "Raise max_sample_size (x2)") \
	REQ_(SAMPLE_DOWN, SC_GROUP,  '{',  0,         "{",          "Lower max_sample_size (/2)") \
	REQ_(SWEEP,       SC_GROUP,  'w',  0,         "w",          "Recompute the threshold sweep chart") \
	REQ_(APPLY,       SC_GROUP,  'a',  0,         "a",          "Apply batch grouping with these parameters") \
	REQ_(CANCEL,      SC_ALL,    27,   CTRL_('c'), "Esc C-c",   "Cancel the running job, prompt or view")

enum request {
	REQ_NONE = 0,
#define REQ_ENUM_(id, sc, k1, k2, names, help) REQ_##id,
	TUI_REQUESTS(REQ_ENUM_)
#undef REQ_ENUM_
	REQ_COUNT
};

struct request_info {
	enum request req;
	const char *name;          /* "MOVE_DOWN" */
	int scope, key, alt;
	const char *keys, *help;
};

/* The table (REQ_COUNT - 1 rows, in order). */
extern const struct request_info tui_requests[];
/* The request a key makes in a view of scope `scope`, or REQ_NONE.
 * is_char: `key` is a character (get_wch OK), else a KEY_* code. */
enum request keys_lookup(int scope, int key, int is_char);
/* Print the key table as Markdown (docs/TUI.md). */
void keys_print_markdown(FILE *f);

#endif
