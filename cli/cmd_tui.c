/*
 * cmd_tui.c - `tracegroup tui`: open the explorer (tui/tui.h) on the
 * database, interactively or driven by a script on a virtual screen.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "tui/keys.h"
#include "tui/tui.h"

static int parse_size(const char *s, int *cols, int *rows)
{
	char x;

	return sscanf(s, "%d%c%d", cols, &x, rows) == 3 && (x == 'x' || x == 'X') &&
	       *cols >= 20 && *rows >= 6 && *cols <= 1000 && *rows <= 1000;
}

int cmd_tui(struct cli_env *env, struct args *a)
{
	struct tui_opts o = { 0 };
	const char *size = args_get(a, "size");
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	o.start_ms = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;

	o.db_path = env->db_path;
	o.script = args_get(a, "script");
	o.timing = args_get(a, "timing");
	o.no_display = args_has(a, "no-display");
	o.cols = 100;
	o.rows = 30;
	o.cancel = env->cancel;
	o.err = env->err;
	if (args_has(a, "keys")) {
		keys_print_markdown(env->out);
		return EXIT_OK;
	}
	if (size && !parse_size(size, &o.cols, &o.rows))
		return usage_error(env, a->cmd, "--size wants COLSxROWS, e.g. 100x30 "
		                   "(at least 20x6)");
	if (o.no_display && !o.script)
		return usage_error(env, a->cmd, "--no-display needs --script");
	if (o.timing && !o.script)
		return usage_error(env, a->cmd, "--timing needs --script");
	if (!o.no_display && (!isatty(0) || !isatty(1)))
		return cli_fail(env, "tui: standard input and output must be a terminal "
		            "(or use --script FILE --no-display)");
	if (!(o.store = cli_store(env)))
		return EXIT_FAIL;
	return tui_run(&o) == 0 ? EXIT_OK : EXIT_FAIL;
}
