/*
 * test_tui.c - the explorer's pieces without a terminal: the request table
 * and key map, the script reader, wrapping by display width, drawing into
 * a virtual screen and reading it back.
 */
#include "tests/testutil.h"

#include <locale.h>
#include <curses.h>

#include "tui/doc.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/sanitize.h"
#include "tui/screen.h"
#include "tui/script.h"

static void keys_are_unambiguous(void **state)
{
	(void)state;
	for (const struct request_info *a = tui_requests; a->name; a++)
		for (const struct request_info *b = a + 1; b->name; b++) {
			int ka[2] = { a->key, a->alt }, kb[2] = { b->key, b->alt };
			if (!(a->scope & b->scope))
				continue;
			for (int i = 0; i < 2; i++)
				for (int j = 0; j < 2; j++)
					if (ka[i] && ka[i] == kb[j])
						fail_msg("%s and %s share a key", a->name, b->name);
		}
}

static void every_request_has_help(void **state)
{
	int n = 0;

	(void)state;
	for (const struct request_info *r = tui_requests; r->name; r++, n++) {
		assert_true(r->help && *r->help);
		assert_true(r->keys && *r->keys);
		assert_int_equal(r->req, n + 1);
	}
	assert_int_equal(n, REQ_COUNT - 1);
}

static void lookup_by_scope_and_kind(void **state)
{
	(void)state;
	assert_int_equal(keys_lookup(SC_TASKS, 'j', 1), REQ_MOVE_DOWN);
	assert_int_equal(keys_lookup(SC_TASKS, KEY_DOWN, 0), REQ_MOVE_DOWN);
	/* U+0102 is the same number as KEY_DOWN but is a character. */
	assert_int_equal(keys_lookup(SC_TASKS, KEY_DOWN, 1), REQ_NONE);
	assert_int_equal(keys_lookup(SC_TASKS, '\r', 1), REQ_ENTER);
	assert_int_equal(keys_lookup(SC_TASKS, 'M', 1), REQ_MERGE);
	assert_int_equal(keys_lookup(SC_TRACES, 'M', 1), REQ_NONE);
	assert_int_equal(keys_lookup(SC_GROUP, '+', 1), REQ_THRESH_UP);
	assert_int_equal(keys_lookup(SC_TASKS, '+', 1), REQ_NONE);
	assert_int_equal(keys_lookup(SC_DETAIL, CTRL_('r'), 1), REQ_REDO);
}

static void markdown_table_lists_every_request(void **state)
{
	char *buf = NULL;
	size_t len = 0, lines = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	keys_print_markdown(f);
	fclose(f);
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	assert_int_equal(lines, (size_t)(REQ_COUNT - 1) + 2);
	assert_non_null(strstr(buf, "| `u` | everywhere | Undo"));
	free(buf);
}

static struct script *script_of(const char *text, char *err, size_t n)
{
	char *dir = tu_tempdir();
	const char *path = tu_path(dir, "s");
	FILE *f = fopen(path, "w");
	struct script *s;

	fputs(text, f);
	fclose(f);
	s = script_open(path, err, n);
	tu_rmrf(dir);
	free(dir);
	return s;
}

static void script_reads_keys_and_commands(void **state)
{
	char err[256];
	struct script *s = script_of("# comment\njk<Enter>\n:group --threshold 0.7\n"
	                             "<resize 80x24>\n<C-r><S-Down><wait>\n"
	                             ":save-display /tmp/x\n東\n", err, sizeof err);
	const struct script_event *e;
	const char *cmd = ":group --threshold 0.7";

	(void)state;
	assert_non_null(s);
	assert_int_equal(script_next(s)->key, 'j');
	assert_int_equal(script_next(s)->key, 'k');
	e = script_next(s);
	assert_true(e->is_char && e->key == '\n');
	for (const char *p = cmd; *p; p++)
		assert_int_equal(script_next(s)->key, *p);
	assert_int_equal(script_next(s)->key, '\n');      /* typed lines end in Enter */
	e = script_next(s);
	assert_int_equal(e->kind, EV_RESIZE);
	assert_int_equal(e->cols, 80);
	assert_int_equal(e->rows, 24);
	assert_int_equal(script_next(s)->key, CTRL_('r'));
	e = script_next(s);
	assert_true(!e->is_char && e->key == KEY_SF);
	assert_int_equal(script_next(s)->kind, EV_WAIT);
	e = script_next(s);
	assert_int_equal(e->kind, EV_SAVE);
	assert_string_equal(e->path, "/tmp/x");
	assert_int_equal(script_next(s)->key, 0x6771);      /* 東 */
	assert_null(script_next(s));
	script_free(s);
}

static void script_rejects_unknown_names(void **state)
{
	char err[256] = "";

	(void)state;
	assert_null(script_of("j\n<Bogus>\n", err, sizeof err));
	assert_non_null(strstr(err, ":2:"));
	assert_null(script_of("<resize 3x2>\n", err, sizeof err));
}

static void doc_wraps_by_display_width(void **state)
{
	struct doc d;

	(void)state;
	doc_init(&d);
	doc_add(&d, "東京東京東京\nab", STY_NORMAL);  /* 12 columns, then 2 */
	doc_layout(&d, 5);
	/* Two CJK characters (4 columns) fit in 5; the third would not. */
	assert_int_equal(d.nrows, 4);
	assert_int_equal(d.rows[1], 2);
	assert_int_equal(d.rows[2], 4);
	assert_int_equal(d.rows[3], 7);
	doc_layout(&d, 20);
	assert_int_equal(d.nrows, 2);
	doc_free(&d);
}

static void doc_untrusted_text_is_sanitised(void **state)
{
	struct doc d;

	(void)state;
	doc_init(&d);
	doc_add_untrusted(&d, "a\x1b[2Jb\rc\xff", STY_NORMAL);
	assert_int_equal(d.n, 9);        /* a ␛ [ 2 J b ␍ c � */
	for (size_t i = 0; i < d.n; i++) {
		assert_true(d.ch[i] != 0x1b && d.ch[i] != '\r');
		assert_true(d.ch[i] >= 0x20);
	}
	assert_int_equal(d.ch[1], 0x241B);
	/* Invalid UTF-8 is U+FFFD (it once became U+23FF, a picture of -1). */
	assert_int_equal(d.ch[d.n - 1], 0xFFFD);
	doc_free(&d);
}

/* A list's preview folds whitespace runs; controls still show as pictures,
 * and multi-line text keeps its newlines whatever the flag says. */
static void fold_whitespace_for_previews(void **state)
{
	char *s;

	(void)state;
	s = sanitize_str("\n  Extract {{x}}:\n\n\t- one \r two  \n", SAN_ONELINE | SAN_FOLD);
	assert_string_equal(s, "Extract {{x}}: - one \xe2\x90\x8d two");
	free(s);
	s = sanitize_str(" \n\t ", SAN_ONELINE | SAN_FOLD);
	assert_string_equal(s, "");
	free(s);
	s = sanitize_str("a \n b", SAN_ONELINE);
	assert_string_equal(s, "a   b");
	free(s);
	s = sanitize_str("a \n b", SAN_MULTILINE | SAN_FOLD);
	assert_string_equal(s, "a \n b");
	free(s);
}

static void virtual_screen_round_trip(void **state)
{
	char err[256], line[256];
	char *dir = tu_tempdir();
	const char *path = tu_path(dir, "dump");
	FILE *f;
	int x;

	(void)state;
	assert_int_equal(screen_open(1, 30, 6, err, sizeof err), 0);
	assert_int_equal(COLS, 30);
	assert_int_equal(LINES, 6);
	draw_cell(0, 0, 8, "東京x", STY_NORMAL, 0);      /* 5 columns + 3 pad */
	draw_text(0, 8, 10, "|after", STY_NORMAL);
	x = draw_untrusted(1, 0, 30, "e\x1b]52;c;QQ==\x07z", STY_NORMAL);
	assert_int_equal(x, 14);
	/* A wide character that does not fit is not drawn half. */
	assert_int_equal(draw_text(2, 0, 3, "東京", STY_NORMAL), 2);
	assert_int_equal(screen_save(path), 0);
	screen_close();
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "東京x   |after\n");
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "e␛]52;c;QQ==␇z\n");
	fclose(f);
	tu_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_are_unambiguous),
		cmocka_unit_test(every_request_has_help),
		cmocka_unit_test(lookup_by_scope_and_kind),
		cmocka_unit_test(markdown_table_lists_every_request),
		cmocka_unit_test(script_reads_keys_and_commands),
		cmocka_unit_test(script_rejects_unknown_names),
		cmocka_unit_test(doc_wraps_by_display_width),
		cmocka_unit_test(doc_untrusted_text_is_sanitised),
		cmocka_unit_test(fold_whitespace_for_previews),
		cmocka_unit_test(virtual_screen_round_trip),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
