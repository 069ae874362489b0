/*
 * screen.h - the curses screen: a real terminal, or a virtual one.
 *
 * The virtual screen (tests, benchmarks) is a curses screen writing to
 * /dev/null and reading from /dev/null, with TERM pinned to xterm-256color
 * and the size set by resizeterm(); screen_save() writes what it holds as
 * UTF-8 text, one line per row, trailing blanks trimmed.
 */
#ifndef TRACEGROUP_TUI_SCREEN_H
#define TRACEGROUP_TUI_SCREEN_H

#include <stddef.h>

/* 0 on success; -1 with the reason in err. */
int screen_open(int virtual_screen, int cols, int rows, char *err,
                size_t errlen);
void screen_close(void);
/* Resize the (virtual) screen. */
void screen_resize(int cols, int rows);
/* Write the screen as text to path; 0 or -1 (errno set). */
int screen_save(const char *path);

#endif
