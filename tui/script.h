/*
 * script.h - scripted input for the explorer (`tui --script FILE`).
 *
 * One line per step:  keys and <Names> (`jjk`, `<Enter>`, `<C-r>`,
 * `<S-Down>`, `<PgDn>`, `<Esc>`, `<lt>` for '<'); a line starting with ':'
 * or '/' is typed and followed by Enter (`:group --threshold 0.7`,
 * `/Greet`); `<resize 80x24>` resizes the screen; `<wait>` waits for the
 * background jobs (every step already waits for them: the next event is
 * taken only when the explorer is idle).  `:save-display FILE` is run
 * at once, even while a prompt is open, so a test can see the prompt.
 * Blank lines and lines starting
 * with "# " are ignored.
 */
#ifndef TRACEGROUP_TUI_SCRIPT_H
#define TRACEGROUP_TUI_SCRIPT_H

#include <stddef.h>

enum script_kind { EV_KEY, EV_RESIZE, EV_WAIT, EV_SAVE };

struct script_event {
	enum script_kind kind;
	int key;                      /* a character or a KEY_* code */
	int is_char;
	int cols, rows;               /* EV_RESIZE */
	int line;                     /* line of the script */
	char *path;                   /* EV_SAVE: the file (owned by the script) */
};

struct script;

/* Read and parse a script.  NULL on error, with the reason in err. */
struct script *script_open(const char *path, char *err, size_t errlen);
void script_free(struct script *s);
/* The next event without taking it; NULL at the end. */
const struct script_event *script_peek(const struct script *s);
/* Take the next event; NULL at the end. */
const struct script_event *script_next(struct script *s);
/* Name of a key for timing logs. */
void script_key_name(int key, int is_char, char *buf, size_t n);

#endif
