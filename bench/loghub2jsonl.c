/*
 * loghub2jsonl.c - turn a Loghub-2k structured CSV into native traces.
 *
 *   loghub2jsonl DS CSV OUT.jsonl TRUTH.tsv
 *
 * Reads DS_2k.log_structured_corrected.csv (RFC 4180: quoted fields may hold
 * commas, doubled quotes and newlines; CRLF or LF line ends) and writes one
 * native JSONL record per row:
 *
 *   {"id":"DS-LineId","project":"loghub-DS","model":"log","path":"/log",
 *    "instructions":Content}
 *
 * and a ground-truth file in the layout of sample-data/truth.tsv: a header,
 * then "source_id TAB file TAB task TAB template" per row, where the task is
 * the row's EventTemplate (rows with the same EventTemplate string belong
 * together) and tab, newline and backslash are written \t, \n, \\.
 * Exit status: 0 done, 1 unreadable or malformed input, 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define MAX_FIELDS 64

struct field_buf {
	char *s;        /* fields, each NUL-terminated, back to back */
	size_t n, cap;
	size_t start[MAX_FIELDS];
	int nf;
};

static void put(struct field_buf *b, char c)
{
	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 1024;
		b->s = realloc(b->s, b->cap);
		if (!b->s) {
			fputs("loghub2jsonl: out of memory\n", stderr);
			exit(1);
		}
	}
	b->s[b->n++] = c;
}

static void end_field(struct field_buf *b)
{
	put(b, '\0');
	b->nf++;
	if (b->nf < MAX_FIELDS)
		b->start[b->nf] = b->n;
}

/*
 * Read one CSV record into b.  Returns 1 when a record was read, 0 at end of
 * file, -1 on a quote left open at end of file.
 */
static int read_record(FILE *f, struct field_buf *b)
{
	int c, quoted = 0, at_start = 1, any = 0;
	b->n = 0;
	b->nf = 0;
	b->start[0] = 0;
	while ((c = getc(f)) != EOF) {
		any = 1;
		if (quoted) {
			if (c != '"') {
				put(b, (char)c);
				continue;
			}
			c = getc(f);
			if (c == '"') {
				put(b, '"');
				continue;
			}
			quoted = 0;
			if (c == EOF)
				break;
		}
		if (c == '"' && at_start) {
			quoted = 1;
			at_start = 0;
		} else if (c == ',') {
			end_field(b);
			at_start = 1;
		} else if (c == '\n') {
			break;
		} else if (c == '\r') {
			int d = getc(f);
			if (d == '\n')
				break;
			if (d != EOF)
				ungetc(d, f);
			put(b, '\r');
			at_start = 0;
		} else {
			put(b, (char)c);
			at_start = 0;
		}
	}
	if (quoted)
		return -1;
	if (!any)
		return 0;
	end_field(b);
	return 1;
}

static const char *field(const struct field_buf *b, int i)
{
	return i >= 0 && i < b->nf && i < MAX_FIELDS ? b->s + b->start[i] : NULL;
}

static int column(const struct field_buf *b, const char *name)
{
	int i;
	for (i = 0; i < b->nf && i < MAX_FIELDS; i++)
		if (!strcmp(field(b, i), name))
			return i;
	return -1;
}

static void put_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\\')
			fputs("\\\\", out);
		else
			putc(*s, out);
	}
}

static int write_trace(FILE *out, const char *ds, const char *line_id,
                       const char *content)
{
	cJSON *o = cJSON_CreateObject();
	char id[256], project[256], *text;
	snprintf(id, sizeof id, "%s-%s", ds, line_id);
	snprintf(project, sizeof project, "loghub-%s", ds);
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "project", project);
	cJSON_AddStringToObject(o, "model", "log");
	cJSON_AddStringToObject(o, "path", "/log");
	cJSON_AddStringToObject(o, "instructions", content);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		return -1;
	fputs(text, out);
	putc('\n', out);
	free(text);
	return 0;
}

static int convert(const char *ds, FILE *in, FILE *out, FILE *truth,
                   const char *out_name)
{
	struct field_buf b = {0};
	int rc, ci, ti, li;
	long rows = 0;
	if (read_record(in, &b) != 1)
		return -1;
	li = column(&b, "LineId");
	ci = column(&b, "Content");
	ti = column(&b, "EventTemplate");
	if (li < 0 || ci < 0 || ti < 0) {
		fputs("loghub2jsonl: header lacks LineId, Content or EventTemplate\n",
		      stderr);
		free(b.s);
		return -1;
	}
	fputs("source_id\tfile\ttask\ttemplate\n", truth);
	while ((rc = read_record(in, &b)) == 1) {
		const char *line_id = field(&b, li), *content = field(&b, ci),
		           *tmpl = field(&b, ti);
		if (b.nf == 1 && !*field(&b, 0))
			continue;                       /* blank line */
		if (!line_id || !content || !tmpl) {
			fprintf(stderr, "loghub2jsonl: row %ld has %d fields\n",
			        rows + 1, b.nf);
			free(b.s);
			return -1;
		}
		if (write_trace(out, ds, line_id, content) != 0) {
			free(b.s);
			return -1;
		}
		fprintf(truth, "%s-%s\t%s\t", ds, line_id, out_name);
		put_escaped(truth, tmpl);
		putc('\t', truth);
		put_escaped(truth, tmpl);
		putc('\n', truth);
		rows++;
	}
	free(b.s);
	if (rc < 0) {
		fputs("loghub2jsonl: unterminated quoted field\n", stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	FILE *in, *out, *truth;
	const char *base;
	int rc;
	if (argc != 5) {
		fputs("usage: loghub2jsonl DS CSV OUT.jsonl TRUTH.tsv\n", stderr);
		return 2;
	}
	in = fopen(argv[2], "r");
	out = fopen(argv[3], "w");
	truth = fopen(argv[4], "w");
	if (!in || !out || !truth) {
		perror("loghub2jsonl");
		return 1;
	}
	base = strrchr(argv[3], '/');
	base = base ? base + 1 : argv[3];
	rc = convert(argv[1], in, out, truth, base);
	fclose(in);
	if (fclose(out) != 0 || fclose(truth) != 0)
		rc = -1;
	return rc ? 1 : 0;
}
