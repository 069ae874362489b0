/*
 * prompt.h - the one-line prompt on the bottom row: ":" commands, "/"
 * search, a task name, a file path, or a y/n question.
 *
 * The callback gets the text typed (NULL when cancelled with Esc); the
 * prompt is closed before it runs, so it may open another.
 */
#ifndef TRACEGROUP_TUI_PROMPT_H
#define TRACEGROUP_TUI_PROMPT_H

struct app;

typedef void (*prompt_fn)(struct app *a, const char *text, void *arg);

struct prompt {
	char label[256];
	char buf[1024];               /* UTF-8 typed so far */
	size_t len;
	int confirm;                  /* one key: y answers "y", else cancel */
	prompt_fn done;
	void *arg;
};

void prompt_open(struct app *a, const char *label, const char *init,
                 prompt_fn done, void *arg);
void prompt_confirm(struct app *a, const char *question, prompt_fn done,
                    void *arg);
/* Feed a key (is_char: a character, else a KEY_* code); always consumes. */
void prompt_key(struct app *a, int key, int is_char);
void prompt_draw(struct app *a);
/* Close an open prompt as if Esc was pressed (its callback frees its arg). */
void prompt_cancel(struct app *a);

#endif
