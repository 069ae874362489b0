/*
 * app.c - the explorer's main loop: input (keys or script), the view
 * stack, global requests, the ":" prompt and the synchronous jobs.
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <wchar.h>

#include "cli/cli.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/job.h"
#include "tui/prompt.h"
#include "tui/sanitize.h"
#include "tui/screen.h"
#include "tui/script.h"

double app_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- views ---------------------------------------------------------------- */

void app_push(struct app *a, struct view *v)
{
	if (a->depth == VIEW_STACK) {
		app_error(a, "Too many views open");
		v->ops->free(v);
		return;
	}
	v->version = a->data_version;
	a->stack[a->depth++] = v;
}

void app_pop(struct app *a)
{
	struct view *v;

	if (a->depth <= 1)
		return;
	v = a->stack[--a->depth];
	if (v->ops->scope == SC_GROUP) {      /* nobody shows them any more */
		app_job_cancel(a, &a->preview);
		app_job_cancel(a, &a->sweep);
	}
	if (v->ops->scope == SC_STATS)
		app_job_cancel(a, &a->stats);
	v->ops->free(v);
}

struct view *app_top(struct app *a)
{
	return a->stack[a->depth - 1];
}

int app_body_rows(void)
{
	return LINES > 3 ? LINES - 3 : 1;
}

/* ---- messages -------------------------------------------------------------- */

static void vmsg(struct app *a, int error, const char *fmt, va_list ap)
{
	char buf[1024], *clean;

	vsnprintf(buf, sizeof buf, fmt, ap);
	clean = sanitize_str(buf, SAN_ONELINE);
	snprintf(a->msg, sizeof a->msg, "%s", clean);
	free(clean);
	a->msg_error = error;
}

void app_msg(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(a, 0, fmt, ap);
	va_end(ap);
}

void app_error(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(a, 1, fmt, ap);
	va_end(ap);
}

/* ---- data versions ---------------------------------------------------------- */

static void db_stamp(const char *path, long long out[4]);
static void db_sig(struct store *s, int64_t out[3]);

void app_changed(struct app *a)
{
	a->data_version++;
	db_stamp(a->db_path, a->db_stamp);
	db_sig(a->store, a->db_sig);
}

static int same_str(const char *x, const char *y)
{
	return x == y || (x && y && !strcmp(x, y));
}

static int same_filter(const struct trace_filter *x, const struct trace_filter *y)
{
	return x->project_id == y->project_id && same_str(x->model, y->model) &&
	       same_str(x->path, y->path);
}

static int filter_empty(const struct trace_filter *f)
{
	return !f->project_id && !f->model && !f->path;
}

static char *dup_or_null(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		abort();
	return d;
}

static void filter_set(struct trace_filter *dst, const struct trace_filter *src)
{
	free((char *)dst->model);
	free((char *)dst->path);
	*dst = *src;
	dst->model = dup_or_null(src->model);
	dst->path = dup_or_null(src->path);
}

/* Take in a finished count. */
static void counts_take(struct app *a)
{
	struct job *j = a->counts;

	if (!j || !job_finished(j))
		return;
	if (j->rc != OPS_CANCELLED) {
		a->counts_failed = j->rc != 0;
		a->ungrouped = j->n_all;
		a->groupable = j->n_groupable;
		a->ungrouped_filtered = j->n_filtered;
		a->counts_version = j->version;
		filter_set(&a->counts_filter, &j->traces);
	}
	job_free(j);
	a->counts = NULL;
}

/* Make sure the counts for `want` (NULL: any filter) are known or on
 * their way.  Never counts on the calling thread (a count over a large
 * table takes seconds) and starts the worker only after the frame is
 * drawn (app_kick). */
static void counts_want(struct app *a, const struct trace_filter *want)
{
	uint64_t now = a->data_version + 1;

	counts_take(a);
	if (a->counts_version == now &&
	    (!want || same_filter(want, &a->counts_filter)))
		return;
	if (a->counts && a->counts->version == now &&
	    (!want || same_filter(want, &a->counts->traces)))
		return;
	if (a->counts_pending && (!want || same_filter(want, &a->counts_next)))
		return;
	filter_set(&a->counts_next, want ? want : &a->counts_filter);
	a->counts_pending = 1;
}

void app_kick(struct app *a)
{
	if (!a->counts_pending)
		return;
	a->counts_pending = 0;
	app_job_cancel(a, &a->counts);
	a->counts = job_start_counts(a->db_path, &a->counts_next,
	                             a->data_version + 1);
}

void app_counts(struct app *a, int64_t *all, int64_t *groupable)
{
	int fresh;

	counts_want(a, NULL);
	fresh = a->counts_version == a->data_version + 1;
	if (all)
		*all = fresh ? a->ungrouped : -1;
	if (groupable)
		*groupable = fresh ? a->groupable : -1;
}

int64_t app_ungrouped_matching(struct app *a, const struct trace_filter *f)
{
	counts_want(a, f);
	if (a->counts_version != a->data_version + 1 ||
	    !same_filter(f, &a->counts_filter))
		return -1;
	return filter_empty(f) ? a->ungrouped : a->ungrouped_filtered;
}

void app_count_str(struct app *a, int64_t n, char *buf, size_t len)
{
	if (n >= 0)
		snprintf(buf, len, "%lld", (long long)n);
	else
		snprintf(buf, len, "%s", a->counts || a->counts_pending ? "…" : "?");
}

/* ---- changes made by other processes ------------------------------------------ */

/* The database file and its WAL as seen now (size and modification time). */
static void db_stamp(const char *path, long long out[4])
{
	char wal[4096];
	struct stat st;

	memset(out, 0, 4 * sizeof *out);
	if (!path)
		return;
	if (stat(path, &st) == 0)
		out[0] = (long long)st.st_size,
		out[1] = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (stat(wal, &st) == 0)
		out[2] = (long long)st.st_size,
		out[3] = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static int last_trace(void *ctx, const struct trace_row *r)
{
	*(int64_t *)ctx = r->id;
	return 1;
}

/* Three indexed look-ups: the newest trace, what undo and redo would act
 * on.  An import, a grouping, a move, a rename, an undo: one of them moves. */
static void db_sig(struct store *s, int64_t out[3])
{
	struct trace_filter all = { 0, 0, NULL, NULL };

	out[0] = out[1] = out[2] = 0;
	store_traces_page_desc(s, &all, 0, 1, 0, last_trace, &out[0]);
	store_journal_next(s, 0, &out[1]);
	store_journal_next(s, 1, &out[2]);
}

/* Another process changed the database since we last looked: reload.
 * Our own changes are followed by app_changed, which looks again. */
static int outside_change(struct app *a)
{
	long long now[4];
	int64_t sig[3];

	if (!a->db_path)
		return 0;
	db_stamp(a->db_path, now);
	if (!memcmp(now, a->db_stamp, sizeof now))
		return 0;
	memcpy(a->db_stamp, now, sizeof now);
	db_sig(a->store, sig);
	if (!memcmp(sig, a->db_sig, sizeof sig))
		return 0;                       /* our workers, or no real change */
	memcpy(a->db_sig, sig, sizeof sig);
	a->data_version++;
	return 1;
}

void app_sync(struct app *a)
{
	for (int i = 0; i < a->depth; i++) {
		struct view *v = a->stack[i];
		if (v->version != a->data_version && v->ops->reload) {
			v->ops->reload(v, a);
		}
		v->version = a->data_version;
	}
}

/* ---- background jobs --------------------------------------------------------- */

static void bury(struct app *a, struct job *j)
{
	job_cancel(j);
	if (a->ngrave == (int)(sizeof a->grave / sizeof *a->grave)) {
		job_free(a->grave[0]);             /* wait for the oldest */
		memmove(a->grave, a->grave + 1, sizeof a->grave - sizeof *a->grave);
		a->ngrave--;
	}
	a->grave[a->ngrave++] = j;
}

void app_job_replace(struct app *a, struct job **slot, int kind)
{
	if (*slot)
		bury(a, *slot);
	*slot = job_start((enum job_kind)kind, a->db_path, &a->params);
	if (!*slot)
		app_error(a, "Cannot start a background job");
}

void app_job_cancel(struct app *a, struct job **slot)
{
	if (*slot)
		bury(a, *slot);
	*slot = NULL;
}

/* Join the cancelled jobs that are done; 1 when something finished. */
static int reap(struct app *a)
{
	int changed = 0;

	for (int i = 0; i < a->ngrave; i++)
		if (job_finished(a->grave[i])) {
			job_free(a->grave[i]);
			a->grave[i--] = a->grave[--a->ngrave];
		}
	return changed;
}

int app_busy(struct app *a)
{
	return a->ngrave > 0 || (a->preview && !job_finished(a->preview)) ||
	       (a->sweep && !job_finished(a->sweep)) ||
	       (a->stats && !job_finished(a->stats)) ||
	       (a->tasks && !job_finished(a->tasks)) ||
	       (a->values && !job_finished(a->values)) ||
	       (a->counts && !job_finished(a->counts));
}

/* ---- drawing -------------------------------------------------------------------- */

static void draw_status(struct app *a, struct view *v)
{
	char buf[512] = "";
	int y = LINES - 2;

	if (v->ops->status)
		v->ops->status(v, a, buf, sizeof buf);
	draw_fmt(y, 0, COLS, STY_STATUS, "[%s] %s%s", v->ops->name, buf,
	         app_busy(a) ? "  (working in the background…)" : "");
}

/* Bytes of s that fit in cols columns, cut after a space when one is
 * in the second half. */
static size_t fit(const char *s, int cols)
{
	mbstate_t st;
	size_t at = 0, space = 0, len = strlen(s);
	int w = 0;

	memset(&st, 0, sizeof st);
	while (at < len) {
		wchar_t c;
		size_t k = mbrtowc(&c, s + at, len - at, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			break;
		if (w + draw_wcwidth(c) > cols)
			return space > at / 2 ? space : at;
		w += draw_wcwidth(c);
		at += k;
		if (c == ' ')
			space = at;
	}
	return at;
}

/* The message line; a message too long for it takes the status bar's
 * line too (until the next key). */
static void draw_message(struct app *a)
{
	int sty = a->msg_error ? STY_ERROR : STY_NORMAL;
	size_t cut;
	char *head;

	if (draw_width(a->msg) <= COLS) {
		draw_cell(LINES - 1, 0, COLS, a->msg, sty, 0);
		return;
	}
	cut = fit(a->msg, COLS);
	if (!(head = strndup(a->msg, cut)))
		abort();
	draw_cell(LINES - 2, 0, COLS, head, sty, 0);
	draw_cell(LINES - 1, 0, COLS, a->msg + cut, sty, 0);
	free(head);
}

void app_draw(struct app *a)
{
	struct view *v;

	app_sync(a);
	v = app_top(a);
	erase();
	if (LINES < 6 || COLS < 30) {
		draw_text(0, 0, COLS, "Terminal too small", STY_ERROR);
		refresh();
		return;
	}
	draw_cell(0, 0, COLS, v->title, STY_TITLE, 0);
	v->ops->draw(v, a, 1, app_body_rows());
	draw_status(a, v);
	if (a->prompt) {
		curs_set(1);
		prompt_draw(a);
	} else {
		curs_set(0);
		draw_message(a);
	}
	refresh();
}

/* ---- synchronous jobs ---------------------------------------------------------- */

/* Esc or Ctrl-C waiting in the input (or next in the script) cancels. */
static void poll_cancel(struct app *a)
{
	if (a->script) {
		const struct script_event *e = script_peek(a->script);
		if (e && e->kind == EV_KEY && e->is_char &&
		    (e->key == 27 || e->key == CTRL_('c'))) {
			script_next(a->script);
			*a->cancel = 1;
		}
		return;
	}
	for (;;) {
		wint_t wc;
		int rc;
		nodelay(stdscr, TRUE);
		rc = get_wch(&wc);
		nodelay(stdscr, FALSE);
		if (rc == ERR)
			break;
		if (rc == OK && (wc == 27 || wc == CTRL_('c')))
			*a->cancel = 1;
	}
}

void app_progress(struct app *a, const char *what, uint64_t done,
                  uint64_t total)
{
	double now = app_now_ms();
	int y = LINES - 1, w;
	char label[200], *clean;

	poll_cancel(a);
	if (now - a->job_last_draw < 50 && done != total)
		return;
	a->job_last_draw = now;
	clean = sanitize_str(what, SAN_ONELINE);
	if (total)
		snprintf(label, sizeof label, " %3.0f%% %.60s  (Esc: cancel)",
		         100.0 * (double)done / (double)total, clean);
	else
		snprintf(label, sizeof label, " %llu %.60s  (Esc: cancel)",
		         (unsigned long long)done, clean);
	free(clean);
	w = COLS / 3;
	if (w < 10)
		w = 10;
	move(y, 0);
	addch('[');
	for (int i = 0; i < w; i++) {
		int full = total ? (int)((double)done * w / (double)total) : 0;
		cchar_t cc;
		wchar_t s[2] = { i < full ? 0x2588 : 0x2591, 0 };
		setcchar(&cc, s, draw_attr(STY_BAR), 0, NULL);
		add_wch(&cc);
	}
	addch(']');
	draw_cell(y, w + 2, COLS - w - 2, label, STY_NORMAL, 0);
	snprintf(a->job_what, sizeof a->job_what, "%s", label);
	refresh();
}

static void ops_progress_cb(void *ctx, const char *what, uint64_t done,
                            uint64_t total)
{
	app_progress(ctx, what, done, total);
}

void app_ops_ctx(struct app *a, struct ops_ctx *c, const char *what)
{
	memset(c, 0, sizeof *c);
	c->store = a->store;
	c->cancel = a->cancel;
	c->progress = ops_progress_cb;
	c->progress_ctx = a;
	*a->cancel = 0;
	a->in_job = 1;
	a->job_last_draw = 0;
	app_progress(a, what, 0, 0);
}

int app_job_end(struct app *a, struct ops_ctx *c, int rc, const char *what)
{
	a->in_job = 0;
	*a->cancel = 0;
	app_changed(a);
	if (rc == OPS_CANCELLED)
		app_error(a, "%s cancelled; nothing was changed", what);
	else if (rc != 0)
		app_error(a, "%s failed: %s", what, c->err);
	return rc;
}

/* ---- the ":" prompt ---------------------------------------------------------------- */

/* Split a command line like a shell would (quotes and backslashes). */
static int split_args(const char *line, char *buf, char **argv, int max)
{
	int argc = 0;
	char *o = buf;

	while (*line) {
		char q = 0;
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			break;
		if (argc == max - 1)
			return -1;
		argv[argc++] = o;
		while (*line && (q || (*line != ' ' && *line != '\t'))) {
			if (!q && (*line == '"' || *line == '\''))
				q = *line++;
			else if (q && *line == q)
				q = 0, line++;
			else if (*line == '\\' && line[1] && q != '\'')
				*o++ = line[1], line += 2;
			else
				*o++ = *line++;
		}
		*o++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

static void cli_progress_cb(void *ctx, const char *what, unsigned long long done,
                            unsigned long long total)
{
	app_progress(ctx, what, done, total);
}

/* Run a CLI command with its output captured; show it. */
static void run_cli(struct app *a, int argc, char **argv, const char *line)
{
	char *out = NULL, *err = NULL;
	size_t out_n = 0, err_n = 0;
	FILE *fo = open_memstream(&out, &out_n), *fe = open_memstream(&err, &err_n);
	struct cli_env env;
	int rc;

	if (!fo || !fe)
		abort();
	memset(&env, 0, sizeof env);
	env.db_path = a->db_path;
	env.store = a->store;
	env.out = fo;
	env.err = fe;
	env.in_tui = 1;
	env.cancel = a->cancel;
	env.progress = cli_progress_cb;
	env.progress_ctx = a;
	*a->cancel = 0;
	a->in_job = 1;
	a->job_last_draw = 0;
	rc = cli_exec(&env, argc, argv);
	a->in_job = 0;
	*a->cancel = 0;
	fclose(fo);
	fclose(fe);
	app_changed(a);
	{
		size_t n = out_n + err_n;
		char *all = malloc(n + 1);
		const char *nl;
		if (!all)
			abort();
		memcpy(all, out, out_n);
		memcpy(all + out_n, err, err_n);
		all[n] = '\0';
		while (n && all[n - 1] == '\n')
			all[--n] = '\0';
		nl = strchr(all, '\n');
		if (!n)
			app_msg(a, ":%s: %s", line, rc == 0 ? "done" : "failed");
		else if (!nl && rc == 0)
			app_msg(a, "%s", all);
		else if (!nl)
			app_error(a, "%s", all);
		else
			app_pager(a, line, all);
		if (nl && rc != 0)
			app_error(a, ":%s failed (exit %d)", line, rc);
		free(all);
	}
	free(out);
	free(err);
}

void app_command(struct app *a, const char *line)
{
	size_t len = strlen(line);
	char *buf = malloc(len + 1);
	char *argv[64];
	int argc = split_args(line, buf, argv, 64);

	if (argc < 0)
		app_error(a, "Too many arguments");
	else if (argc == 0)
		;
	else if (!strcmp(argv[0], "save-display") && argc == 2) {
		app_draw(a);
		if (screen_save(argv[1]) != 0)
			app_error(a, "Cannot write %s", argv[1]);
	} else if (!strcmp(argv[0], "q") || !strcmp(argv[0], "quit")) {
		a->quit = 1;
	} else if (!strcmp(argv[0], "help")) {
		app_push(a, view_help_new(a));
	} else if (!strcmp(argv[0], "tui")) {
		app_error(a, "Already in the explorer");
	} else {
		run_cli(a, argc, argv, line);
	}
	free(buf);
}

void app_pager(struct app *a, const char *title, const char *text)
{
	app_push(a, view_pager_new(a, title, text));
}

/* ---- global requests ----------------------------------------------------------------- */

static void on_command(struct app *a, const char *text, void *arg)
{
	(void)arg;
	if (text)
		app_command(a, text);
}

static void do_search(struct app *a, int dir)
{
	struct view *v = app_top(a);

	if (!a->search[0]) {
		app_error(a, "No search yet: press /");
		return;
	}
	if (!v->ops->search) {
		app_error(a, "This view cannot be searched");
		return;
	}
	switch (v->ops->search(v, a, a->search, dir)) {
	case 1:
		app_msg(a, "/%s", a->search);
		break;
	case 0:
		app_error(a, "Not found: %s", a->search);
		break;
	default:
		app_msg(a, "Not found yet: %s (%s searches further)", a->search,
		        dir > 0 ? "n" : "N");
	}
}

static void on_search(struct app *a, const char *text, void *arg)
{
	(void)arg;
	if (!text || !*text)
		return;
	snprintf(a->search, sizeof a->search, "%s", text);
	do_search(a, 1);
}

static void on_import(struct app *a, const char *text, void *arg)
{
	char *argv[] = { "import", (char *)text, NULL };
	char line[1100];

	(void)arg;
	if (!text || !*text)
		return;
	snprintf(line, sizeof line, "import %s", text);
	run_cli(a, 2, argv, line);
}

static void undo(struct app *a, int redo)
{
	struct ops_ctx c;
	char *summary = NULL;
	int rc;

	app_ops_ctx(a, &c, redo ? "redo" : "undo");
	rc = ops_undo(&c, redo, &summary);
	if (app_job_end(a, &c, rc, redo ? "Redo" : "Undo") == 0) {
		long long n = 0;
		int at = 0;
		/* ops says "undid #12: what"; say it the explorer's way. */
		if (summary && sscanf(summary, "%*s #%lld: %n", &n, &at) == 1 && at)
			app_msg(a, "%s change %lld: %s  (%s)", redo ? "Redone:" : "Undone:",
			        n, summary + at, redo ? "u undoes it" : "C-r redoes it");
		else if (summary)
			app_msg(a, "%s %s", redo ? "Redone:" : "Undone:", summary);
		else
			app_msg(a, "Nothing to %s", redo ? "redo" : "undo");
	}
	free(summary);
}

static void match_all(struct app *a)
{
	struct ops_ctx c;
	struct group_report r;
	int rc;

	memset(&r, 0, sizeof r);
	app_ops_ctx(a, &c, "auto-match");
	rc = ops_match(&c, a->params.similarity_threshold, 0, &r);
	if (app_job_end(a, &c, rc, "Auto-match") == 0)
		app_msg(a, "Auto-match: %llu of %llu ungrouped traces matched to "
		        "tasks (threshold %.2f)", (unsigned long long)r.matched,
		        (unsigned long long)r.considered, a->params.similarity_threshold);
	group_report_clear(&r);
}

static void app_request(struct app *a, enum request r)
{
	switch (r) {
	case REQ_BACK:
		if (a->depth > 1)
			app_pop(a);
		else
			a->quit = 1;
		break;
	case REQ_CANCEL:
		if (a->depth > 1)
			app_pop(a);
		a->msg[0] = '\0';
		break;
	case REQ_QUIT:
		a->quit = 1;
		break;
	case REQ_HELP:
		app_push(a, view_help_new(a));
		break;
	case REQ_PROMPT:
		prompt_open(a, ":", NULL, on_command, NULL);
		break;
	case REQ_SEARCH:
		prompt_open(a, "/", NULL, on_search, NULL);
		break;
	case REQ_SEARCH_NEXT:
		do_search(a, 1);
		break;
	case REQ_SEARCH_PREV:
		do_search(a, -1);
		break;
	case REQ_REFRESH:
		app_changed(a);
		clearok(curscr, TRUE);
		break;
	case REQ_UNDO:
		undo(a, 0);
		break;
	case REQ_REDO:
		undo(a, 1);
		break;
	case REQ_IMPORT:
		prompt_open(a, "Import file: ", NULL, on_import, NULL);
		break;
	case REQ_VIEW_GROUP:
		app_push(a, view_group_new(a));
		break;
	case REQ_VIEW_STATS:
		app_push(a, view_stats_new(a));
		break;
	case REQ_MATCH_ALL:
		match_all(a);
		break;
	default:
		app_error(a, "Not available in this view (? for help)");
	}
}

static void handle_key(struct app *a, int key, int is_char)
{
	struct view *v = app_top(a);
	enum request r;

	if (a->prompt) {
		prompt_key(a, key, is_char);
		return;
	}
	if (!is_char && key == KEY_RESIZE)
		return;
	if (v->ops->key && v->ops->key(v, a, key, is_char))
		return;
	r = keys_lookup(v->ops->scope, key, is_char);
	if (r == REQ_NONE) {
		char name[32];
		script_key_name(key, is_char, name, sizeof name);
		app_error(a, "Unknown key %s (? for help)", name);
		return;
	}
	if (r != REQ_CANCEL)
		a->msg[0] = '\0', a->msg_error = 0;
	if (v->ops->request && v->ops->request(v, a, r))
		return;
	app_request(a, r);
}

/* A finished background read is taken in by the next draw: do it before
 * a key acts on the old rows. */
static int settle(struct app *a)
{
	struct job *tasks = a->tasks, *values = a->values;

	if ((tasks && job_finished(tasks)) || (values && job_finished(values))) {
		app_draw(a);
		/* 1 when taken in (a view not on top leaves it for later) */
		return a->tasks != tasks || a->values != values;
	}
	return 0;
}

/* ---- main loop ----------------------------------------------------------------------- */

static void log_timing(struct app *a, const struct script_event *e, double ms)
{
	char name[32];

	if (!a->timing)
		return;
	if (e->kind == EV_RESIZE)
		snprintf(name, sizeof name, "<resize %dx%d>", e->cols, e->rows);
	else if (e->kind == EV_WAIT)
		snprintf(name, sizeof name, "<wait>");
	else if (e->kind == EV_SAVE)
		snprintf(name, sizeof name, ":save-display");
	else
		script_key_name(e->key, e->is_char, name, sizeof name);
	fprintf(a->timing, "key\t%d\t%s\t%.3f\n", e->line, name, ms);
}

/* Scripted: take the next event when idle.  0 when the script is over. */
static int script_step(struct app *a)
{
	const struct script_event *e;
	double t0;

	/* Idle: no job running, none finished and not taken in, nothing
	 * waiting to start, no change by another process to show. */
	for (;;) {
		app_kick(a);
		while (app_busy(a) && !*a->cancel) {
			reap(a);
			napms(2);
		}
		if (*a->cancel) {             /* SIGINT or SIGTERM: stop */
			a->quit = 1;
			return 0;
		}
		if (outside_change(a))
			app_draw(a);              /* reloads, maybe starting jobs */
		else if (!settle(a) && !a->counts_pending)
			break;
	}
	if (!(e = script_next(a->script)))
		return 0;
	t0 = app_now_ms();
	if (e->kind == EV_RESIZE) {
		screen_resize(e->cols, e->rows);
	} else if (e->kind == EV_KEY) {
		handle_key(a, e->key, e->is_char);
	} else if (e->kind == EV_SAVE) {
		app_draw(a);
		if (screen_save(e->path) != 0)
			app_error(a, "Cannot write %s", e->path);
		return 1;
	}
	if (!a->quit)
		app_draw(a);
	log_timing(a, e, app_now_ms() - t0);
	return 1;
}

static void interactive_step(struct app *a)
{
	wint_t wc;
	int rc, busy;

	app_kick(a);
	busy = app_busy(a);
	/* Wake up now and then: background jobs report progress, another
	 * process may change the database. */
	timeout(busy ? 100 : 1000);
	rc = get_wch(&wc);
	reap(a);
	if (rc == ERR) {
		if (outside_change(a) || busy || app_busy(a))
			app_draw(a);
		return;
	}
	settle(a);
	handle_key(a, (int)wc, rc == OK);
	if (!a->quit)
		app_draw(a);
}

static void app_free(struct app *a)
{
	while (a->prompt)
		prompt_cancel(a);
	while (a->depth > 0) {
		struct view *v = a->stack[--a->depth];
		v->ops->free(v);
	}
	app_job_cancel(a, &a->preview);
	app_job_cancel(a, &a->sweep);
	app_job_cancel(a, &a->stats);
	app_job_cancel(a, &a->tasks);
	app_job_cancel(a, &a->values);
	app_job_cancel(a, &a->counts);
	free((char *)a->counts_filter.model);
	free((char *)a->counts_filter.path);
	free((char *)a->counts_next.model);
	free((char *)a->counts_next.path);
	while (a->ngrave > 0)
		job_free(a->grave[--a->ngrave]);
	script_free(a->script);
	if (a->timing)
		fclose(a->timing);
}

int tui_run(const struct tui_opts *o)
{
	static volatile sig_atomic_t own_cancel;
	struct group_params dflt = GROUP_PARAMS_DEFAULT;
	struct app a;
	char err[512];
	double t0 = o->start_ms > 0 ? o->start_ms : app_now_ms();
	int rc = 0;

	memset(&a, 0, sizeof a);
	setlocale(LC_ALL, "");
	a.store = o->store;
	a.db_path = o->db_path;
	a.cancel = o->cancel ? o->cancel : &own_cancel;
	a.params = dflt;
	a.no_display = o->no_display;
	if (o->script && !(a.script = script_open(o->script, err, sizeof err))) {
		fprintf(o->err, "tracegroup: tui: %s\n", err);
		return 1;
	}
	if (o->timing && !(a.timing = fopen(o->timing, "w"))) {
		fprintf(o->err, "tracegroup: tui: cannot write %s\n", o->timing);
		app_free(&a);
		return 1;
	}
	if (screen_open(o->no_display, o->cols, o->rows, err, sizeof err) != 0) {
		fprintf(o->err, "tracegroup: tui: %s\n", err);
		app_free(&a);
		return 1;
	}
	db_stamp(a.db_path, a.db_stamp);
	db_sig(a.store, a.db_sig);
	app_push(&a, view_tasks_new(&a));
	app_msg(&a, "?: help  Enter: open  /: search  b: grouping  q: quit");
	app_draw(&a);
	if (a.timing)
		fprintf(a.timing, "first-screen\t0\t-\t%.3f\n", app_now_ms() - t0);
	while (!a.quit) {
		/* SIGINT or SIGTERM between jobs (in a job it cancels the job
		 * first): leave, restoring the terminal. */
		if (*a.cancel)
			break;
		if (a.script) {
			if (script_step(&a))
				continue;
			if (a.no_display)
				break;
			script_free(a.script);
			a.script = NULL;
		}
		interactive_step(&a);
	}
	screen_close();
	app_free(&a);
	return rc;
}
