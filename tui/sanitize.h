/*
 * sanitize.h - the one gate untrusted text passes on its way to a terminal.
 *
 * Prompts, outputs, names and error messages come from systems we do not
 * control.  Before any of it is drawn (explorer screen, headless dump, CLI
 * text output) it goes through sanitize(): invalid UTF-8 becomes U+FFFD; C0
 * controls (ESC, CR, BS, ...) and DEL become their visible Unicode control
 * pictures (ESC shows as U+241B); C1 controls, bidirectional overrides and
 * isolates, and line/paragraph separators become U+FFFD.  Nothing that could
 * move the cursor, change colours, set the clipboard or reorder text
 * survives.  The raw text stays untouched in the database.
 */
#ifndef TRACEGROUP_SANITIZE_H
#define TRACEGROUP_SANITIZE_H

#include <stddef.h>

enum sanitize_flags {
	SAN_ONELINE = 0,        /* newline and tab become a space */
	SAN_MULTILINE = 1,      /* newline kept, tab expanded to spaces */
	SAN_FOLD = 2            /* with SAN_ONELINE: a run of spaces, tabs and
	                         * newlines shows as one space, leading and
	                         * trailing ones as none (a list's preview) */
};

/* Sanitised copy of s[0..len) (caller frees); never NULL (aborts on OOM). */
char *sanitize(const char *s, size_t len, int flags);
/* Same, of a C string; NULL gives "". */
char *sanitize_str(const char *s, int flags);

/* Decode one UTF-8 sequence at s (n bytes available): the code point, or
 * -1 when invalid; *used gets the bytes consumed (>= 1). */
long utf8_decode(const unsigned char *s, size_t n, size_t *used);

#endif
