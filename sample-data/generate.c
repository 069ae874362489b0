/*
 * generate.c - writes tracegroup's sample corpus and its ground truth.
 *
 * A standalone C11 program (libc only) that invents recorded LLM calls: the
 * prompt templates ("tasks") of a few made-up products, the values filled
 * into them (names, ids, dates, pasted documents, code diffs, JSON), and a few
 * one-off calls that belong to no task.  It writes them in the dump formats
 * tracegroup imports, plus `truth.tsv` (the intended task of every trace) and
 * `truth-templates.tsv` (one line per task).
 *
 * Everything is drawn from one seeded splitmix64 stream, so the same
 * arguments always give byte-identical files.  Documents come from a small
 * vocabulary and sentence generator written here, never from stored texts.
 *
 *   generate [--seed N] [--traces N] [--out DIR] [--format all|native]
 *
 * Out-of-memory policy: print a message and exit(1); this is a batch tool.
 */
#define _POSIX_C_SOURCE 200809L  /* gmtime_r */

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <sys/stat.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_SLOTS 6

/* ------------------------------------------------------------------------ */
/* Small helpers: fatal errors, allocation, the PRNG.                        */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("generate: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xrealloc(NULL, n), s, n);
}

static uint64_t rng_state;

/* splitmix64: tiny, fast, and good enough for made-up text. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rng_below(uint32_t n)
{
	return n ? (uint32_t)((rng_next() >> 32) * n >> 32) : 0;
}

static int rng_range(int lo, int hi)
{
	return lo + (int)rng_below((uint32_t)(hi - lo + 1));
}

static int rng_pct(unsigned pct)
{
	return rng_below(100) < pct;
}

#define PICK(arr) ((arr)[rng_below(NELEM(arr))])

/* ------------------------------------------------------------------------ */
/* Growable byte buffer and JSON escaping.                                   */

struct buf {
	char *p;       /* bytes, NUL-terminated when len < cap */
	size_t len;    /* bytes used */
	size_t cap;    /* bytes allocated */
};

static void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	while (b->len + extra + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->p = xrealloc(b->p, b->cap);
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* Append s as a quoted JSON string.  UTF-8 passes through unchanged. */
static void buf_json(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	buf_reserve(b, n + 2);
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7] = { '\\', 0, 0, 0, 0, 0, 0 };
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\t': esc[1] = 't'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		buf_add(b, esc, elen);
	}
	buf_add(b, s + run, n - run);
	buf_putc(b, '"');
}

static void buf_json_s(struct buf *b, const char *s)
{
	buf_json(b, s, strlen(s));
}

/* Append "key": "value" with a leading comma unless first. */
static void json_field(struct buf *b, const char *key, const char *val, int first)
{
	if (!first)
		buf_puts(b, ", ");
	buf_json_s(b, key);
	buf_puts(b, ": ");
	if (val)
		buf_json_s(b, val);
	else
		buf_puts(b, "null");
}

/* Append a truth-file field: tab, newline and backslash escaped. */
static void buf_tsv(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\t')
			buf_puts(b, "\\t");
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '\\')
			buf_puts(b, "\\\\");
		else if (*s == '\r')
			buf_puts(b, "\\r");
		else
			buf_putc(b, *s);
	}
}

/* ------------------------------------------------------------------------ */
/* Vocabulary.  All of it written for this generator.                        */

static const char *const first_names[] = {
	"Alice", "Bob", "Chloé", "Dmitri", "Elif", "François", "Greta", "Hamid",
	"Inès", "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya",
	"Quentin", "Rosa", "Søren", "Tomás", "Uma", "Valentina", "Wei", "Ximena",
	"Yusuf", "Zoë", "Aiko", "Björn", "Camille", "Diego", "Emeka", "Fatima",
	"Gustavo", "Hana", "Ivan", "Jürgen", "Keiko", "Luis", "Mónica", "Noah",
};

static const char *const last_names[] = {
	"Martin", "Dupont", "Müller", "García", "Nakamura", "O'Brien", "Kowalski",
	"Nguyen", "Okafor", "Rossi", "Svensson", "Yılmaz", "Fernández", "Haddad",
	"Petrov", "Silva", "Andersen", "Lefèvre", "Schmidt", "Costa", "Ivanova",
	"Kim", "Moreau", "Novák", "Brennan", "da Souza", "van Dijk", "Łukasik",
};

/* Whole names in scripts where "first last" does not apply. */
static const char *const whole_names[] = {
	"李娜", "王伟", "田中 美咲", "佐藤 健", "김민준", "Αλέξανδρος Παππάς",
	"Анна Смирнова", "José María Núñez", "Zoë Ångström-Ølberg",
};

static const char *const companies[] = {
	"Northwind Outfitters", "Bluefin Analytics", "Copperleaf Bank",
	"Helios Solar", "Kestrel Freight", "Lumen Health", "Maple & Finch",
	"Orbit Telecom", "Pinecrest Insurance", "Quarry Labs", "Riverstone Hotels",
	"Saffron Foods", "Tidewater Utilities", "Umbra Games", "Vega Mobility",
	"Café Lumière", "Zephyr Airlines",
};

static const char *const plans[] = {
	"Starter", "Pro", "Pro Annual", "Team", "Business Plus", "Enterprise",
	"Family", "Student", "Premium (legacy)",
};

static const char *const features[] = {
	"shared calendars", "offline mode", "two-factor sign-in",
	"custom report templates", "the mobile barcode scanner",
	"scheduled exports to S3", "priority phone support", "team audit logs",
	"automatic backups every hour", "the Slack integration",
	"dark mode for the dashboard", "bulk invoice download",
};

static const char *const languages[] = {
	"English", "French", "German", "Spanish", "Italian", "Portuguese",
	"Japanese", "Korean", "Simplified Chinese", "Dutch", "Polish", "Turkish",
};

static const char *const tones[] = {
	"warm but professional", "firm", "apologetic", "cheerful", "neutral",
	"very formal", "friendly and brief", "reassuring, not defensive",
};

static const char *const audiences[] = {
	"end users", "internal support staff", "enterprise administrators",
	"developers who use the public API", "the sales team",
	"customers on the free plan",
};

static const char *const products[] = {
	"trailpack", "ledgerly", "quokka-cli", "harbor", "fernweh", "pulsar-db",
	"tinkerbox", "waypoint", "mosaic-ui", "nimbus-sync",
};

static const char *const nouns[] = {
	"account", "invoice", "delivery", "warehouse", "customer", "order",
	"report", "dashboard", "subscription", "refund", "parcel", "schedule",
	"contract", "policy", "server", "database", "release", "feature",
	"budget", "forecast", "meeting", "supplier", "ticket", "backlog",
	"migration", "sensor", "battery", "firmware", "route", "driver",
	"payment", "discount", "catalogue", "inventory", "audit", "license",
	"tenant", "region", "cluster", "pipeline", "export", "template",
	"checklist", "deadline", "estimate", "shipment", "carrier", "label",
	"screen", "setting", "profile", "password", "session", "webhook",
};

static const char *const verbs[] = {
	"updates", "delays", "confirms", "blocks", "replaces", "reviews",
	"approves", "cancels", "merges", "tracks", "exports", "reduces",
	"doubles", "flags", "checks", "moves", "splits", "renews", "covers",
	"includes", "requires", "restores", "archives", "syncs", "rejects",
};

static const char *const adjectives[] = {
	"monthly", "late", "new", "damaged", "regional", "quarterly", "urgent",
	"duplicate", "missing", "annual", "shared", "legacy", "secure", "manual",
	"automatic", "partial", "final", "draft", "overdue", "internal",
	"external", "cheaper", "faster", "critical", "optional", "temporary",
};

static const char *const preps[] = {
	"for", "with", "after", "before", "during", "without", "under", "across",
	"behind", "near",
};

static const char *const adverbs[] = {
	"quickly", "again", "finally", "still", "already", "rarely", "usually",
	"suddenly", "carefully", "twice",
};

static const char *const emoji[] = {
	"🙂", "😡", "🎉", "👍", "🙏", "📦", "🚚", "💳", "😅", "🔥",
};

static const char *const cities[] = {
	"Lyon", "São Paulo", "Kraków", "Osaka", "Nairobi", "Montréal", "Zürich",
	"Reykjavík", "Chennai", "Seattle", "Córdoba", "Tromsø",
};

static const char *const ident_parts[] = {
	"total", "order", "item", "buf", "count", "user", "cache", "retry",
	"parse", "token", "price", "ship", "queue", "lock", "index", "row",
};

/* ------------------------------------------------------------------------ */
/* Text generators: the building blocks of values and messages.             */

static void gen_full_name(struct buf *b);

/* The verb without its final "s": "updates" -> "update". */
static void put_imperative(struct buf *b, const char *verb, int capital)
{
	size_t n = strlen(verb) - 1;

	buf_add(b, verb, n);
	if (capital)
		b->p[b->len - n] = (char)(b->p[b->len - n] - 'a' + 'A');
}

/* One random draw for a say() directive; 0 if `c` is not one. */
static int say_word(struct buf *b, char c)
{
	switch (c) {
	case 'a': buf_puts(b, PICK(adjectives)); break;
	case 'n': buf_puts(b, PICK(nouns)); break;
	case 'v': buf_puts(b, PICK(verbs)); break;
	case 'i': put_imperative(b, PICK(verbs), 0); break;
	case 'I': put_imperative(b, PICK(verbs), 1); break;
	case 'p': buf_puts(b, PICK(preps)); break;
	case 'd': buf_puts(b, PICK(adverbs)); break;
	case 'c': buf_puts(b, PICK(cities)); break;
	case 'f': buf_puts(b, PICK(first_names)); break;
	case 'N': gen_full_name(b); break;
	case 'e': buf_puts(b, PICK(emoji)); break;
	case 'l': buf_puts(b, PICK(languages)); break;
	case 'k': buf_puts(b, PICK(companies)); break;
	case 'x': buf_puts(b, PICK(ident_parts)); break;
	case 'P': buf_puts(b, PICK(plans)); break;
	default: return 0;
	}
	return 1;
}

/*
 * Append `fmt` with its directives filled in, drawing from the PRNG strictly
 * left to right (C leaves the order of argument evaluation open, so a
 * printf with two PICKs would differ between compilers):
 *   %a adjective  %n noun  %v verb ("updates")  %i / %I imperative ("update")
 *   %p preposition  %d adverb  %c city  %f first name  %N full name
 *   %e emoji  %l language  %k company  %x identifier part  %P plan
 *   %s string argument  %r random int in [lo, hi] (two int arguments),
 *   "%0Wr" zero-padded to W digits  %% a percent sign
 */
static void say(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	const char *lit = fmt;

	va_start(ap, fmt);
	for (const char *s = fmt; *s; ) {
		int width = 0;

		if (*s != '%') {
			s++;
			continue;
		}
		buf_add(b, lit, (size_t)(s - lit));
		s++;
		if (*s == '0')
			width = s[1] - '0', s += 2;
		if (*s == 's') {
			buf_puts(b, va_arg(ap, const char *));
		} else if (*s == 'r') {
			int lo = va_arg(ap, int), hi = va_arg(ap, int);

			buf_printf(b, "%0*d", width, rng_range(lo, hi));
		} else if (!say_word(b, *s)) {
			buf_putc(b, *s);
		}
		lit = ++s;
	}
	buf_add(b, lit, strlen(lit));
	va_end(ap);
}

static void gen_full_name(struct buf *b)
{
	if (rng_pct(12))
		buf_puts(b, PICK(whole_names));
	else
		say(b, "%f %s", PICK(last_names));
}

static void gen_statement(struct buf *b)
{
	static const char *const tails[] = {
		"", " %p the %a %n", " %d %p %r %ns", ", so the %n in %c %v the %n",
	};

	say(b, "The %a %n %v the %n", 0);
	say(b, PICK(tails), 2, 90);
	buf_putc(b, '.');
}

/* One sentence of made-up business prose, in one of a few shapes. */
static void gen_sentence(struct buf *b)
{
	static const char *const shapes[] = {
		"%I the %a %n before %r May.", "%I the %a %n before %r June.",
		"Our %n in %c is %a again.", "Is the %n %n still %a?",
		"%f says the %n %v every week.", "%f says the %n %v the backlog.",
	};
	unsigned k = rng_below(12);

	if (k < NELEM(shapes))
		say(b, shapes[k], 1, 28);
	else
		gen_statement(b);
}

static void gen_sentences(struct buf *b, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		gen_sentence(b);
	}
}

/* A size drawn between 1 KB and 20 KB, weighted towards the small end. */
static size_t doc_size(void)
{
	size_t base = (size_t)1024 << rng_below(5);    /* 1, 2, 4, 8, 16 KB */
	size_t size = base + rng_below((uint32_t)base);

	return size > 20480 ? 20480 : size;
}

static void gen_paragraphs(struct buf *b, size_t until)
{
	while (b->len < until) {
		gen_sentences(b, rng_range(3, 7));
		buf_puts(b, "\n\n");
	}
	b->len -= 2;
	b->p[b->len] = '\0';
}

/* Retrieved knowledge-base passages, as a RAG pipeline pastes them. */
static void gen_retrieved_docs(struct buf *b)
{
	size_t until = b->len + doc_size();
	int n = 1;

	while (b->len < until) {
		const char *noun = PICK(nouns);

		buf_printf(b, "[%d] kb/%s-", n++, noun);
		say(b, "%a.md (score 0.%02r)\n# How the %a ", 40, 99);
		buf_printf(b, "%s works\n", noun);
		gen_paragraphs(b, b->len + 400 + rng_below(1600));
		buf_puts(b, "\n\n");
	}
	b->len -= 2;
	b->p[b->len] = '\0';
}

/* A support chat transcript. */
static void gen_conversation(struct buf *b)
{
	size_t until = b->len + doc_size();
	int minute = rng_range(0, 50);
	int hour = rng_range(8, 19);

	while (b->len < until) {
		int cust = (minute & 1) == 0;

		buf_printf(b, "[%02d:%02d] %s: ", hour + minute / 60, minute % 60,
		           cust ? "Customer" : "Agent");
		if (cust && rng_pct(20))
			say(b, "%e ");
		gen_sentences(b, rng_range(1, 4));
		buf_putc(b, '\n');
		minute++;
	}
	b->len--;
	b->p[b->len] = '\0';
}

static void gen_ident(struct buf *b)
{
	say(b, "%x_%x");
}

static void gen_code_line(struct buf *b, char sign)
{
	static const char *const shapes[] = {
		"int %x_%x = %r;", "if (%x_%x < 0)\n%s\t\treturn -1;",
		"%x_%x = %x_%x(%x_%x, \"%%s\\n\");", "free(%x_%x);",
	};
	char signs[2] = { sign, '\0' };
	unsigned k = rng_below(5);

	buf_putc(b, sign);
	buf_puts(b, rng_pct(50) ? "\t" : "    ");
	if (k == 0) {
		say(b, shapes[0], 0, 64);
	} else if (k == 1) {
		say(b, shapes[1], signs);
	} else if (k < 4) {
		say(b, shapes[k]);
	} else {
		buf_puts(b, "/* ");
		gen_sentence(b);
		buf_puts(b, " */");
	}
	buf_putc(b, '\n');
}

/* A unified diff of made-up C code, `size` bytes or a little more. */
static void gen_diff_sized(struct buf *b, size_t size)
{
	size_t until = b->len + size;

	while (b->len < until) {
		const char *dir = rng_pct(50) ? "src" : "lib";
		const char *file = PICK(ident_parts);
		int line = rng_range(10, 900);

		buf_printf(b, "diff --git a/%s/%s.c b/%s/%s.c\n", dir, file, dir, file);
		buf_printf(b, "--- a/%s/%s.c\n+++ b/%s/%s.c\n", dir, file, dir, file);
		for (int h = rng_range(1, 3); h > 0; h--) {
			buf_printf(b, "@@ -%d,7 +%d,8 @@ static int ", line, line);
			gen_ident(b);
			buf_puts(b, "(void)\n");
			for (int i = rng_range(4, 12); i > 0; i--)
				gen_code_line(b, "  -+"[rng_below(4)]);
			line += rng_range(20, 120);
		}
	}
	b->len--;
	b->p[b->len] = '\0';
}

static void gen_invoice_text(struct buf *b, size_t until)
{
	int n = 0;

	say(b, "INVOICE INV-%05r\nFrom: %k\nBill to: %N, %c\n", 1, 99999);
	say(b, "Due: 2025-%02r-", 1, 12);
	say(b, "%02r\n\n", 1, 28);
	while (b->len < until) {
		buf_printf(b, "%3d  ", ++n);
		say(b, "%a %n x%r\t", 1, 9);
		say(b, "%r.", 1, 900);
		say(b, "%02r EUR\n", 0, 99);
		if (rng_pct(10)) {
			gen_sentence(b);
			buf_putc(b, '\n');
		}
	}
	say(b, "TOTAL\t%r.", 100, 90000);
	say(b, "%02r EUR", 0, 99);
}

static void gen_invoice_json(struct buf *b, size_t until)
{
	struct buf d = { 0 };
	int n = 0;

	buf_puts(b, "{\n  \"vendor\": ");
	buf_json_s(b, PICK(companies));
	say(b, ",\n  \"number\": \"INV-%05r\",\n  \"lines\": [\n", 1, 99999);
	while (b->len < until) {
		buf_reset(&d);
		buf_puts(b, n++ ? ",\n" : "");
		buf_printf(b, "    {\"sku\": \"%c", 'A' + rng_below(26));
		buf_printf(b, "%c-", 'A' + rng_below(26));
		say(b, "%04r\", \"qty\": ", 0, 9999);
		say(b, "%r, \"unit_price\": ", 1, 40);
		say(b, "%r.", 1, 500);
		say(b, "%02r, \"note\": ", 0, 99);
		gen_sentence(&d);
		buf_json(b, d.p, d.len);
		buf_putc(b, '}');
	}
	say(b, "\n  ],\n  \"currency\": \"EUR\",\n  \"due\": \"2025-%02r-", 1, 12);
	say(b, "%02r\"\n}", 1, 28);
	free(d.p);
}

/* An invoice pasted as pretty JSON, or as plain OCR text. */
static void gen_invoice(struct buf *b)
{
	size_t until = b->len + doc_size();

	if (rng_pct(50))
		gen_invoice_text(b, until);
	else
		gen_invoice_json(b, until);
}

/* A news-style article for keyword extraction. */
static void gen_article(struct buf *b)
{
	say(b, "%c, %r ", 1, 28);
	buf_puts(b, rng_pct(50) ? "March 2025 — " : "April 2025 — ");
	gen_paragraphs(b, b->len + doc_size() / 2);
}

/* ------------------------------------------------------------------------ */
/* Slot values.                                                               */

enum vkind {
	V_NAME, V_ORDER_ID, V_DATE, V_PLAN, V_FEATURE, V_LANG, V_TRANSLATE_TEXT,
	V_DOCS, V_QUESTION, V_FILENAME, V_INVOICE, V_COUNT, V_CONVO, V_PRODUCT,
	V_VERSION, V_AUDIENCE, V_DIFF, V_TONE, V_WORDS, V_COMPANY, V_EMAIL,
	V_TITLE, V_ARTICLE, V_CITY, V_TOPIC
};

/* Text for translation: it quotes words of the template on purpose
 * ("text", "from", "to", "Keep") so that a naive aligner is tempted. */
static void gen_translate_text(struct buf *b)
{
	static const char *const lines[] = {
		"Please keep the text short: we ship from %c to %c on Mondays.",
		"Text from %c to %c costs nothing, keep your receipt.",
		"Keep names as they are and send the text from %c to %c before noon.",
		"The parcel went from %c to %c; the tracking text is wrong.",
		"From %c to %c the trip takes two days, keep that in mind 🚚",
	};

	say(b, PICK(lines));
	if (rng_pct(40)) {
		buf_putc(b, ' ');
		gen_sentence(b);
	}
}

static void gen_question(struct buf *b)
{
	static const char *const q[] = {
		"How do I %s the %a %n", "Why does the %a %n take so long after %s",
		"Can I %s a %n without the %a %n",
		"What happens to my %n if the %n is %a",
	};
	static const char *const acts[] = {
		"export", "cancel", "renew", "split", "transfer", "archive", "reset",
	};
	const char *shape = PICK(q);

	say(b, shape, PICK(acts));
	if (rng_pct(15))
		say(b, " in %c");
	buf_putc(b, '?');
}

static void gen_email(struct buf *b)
{
	say(b, "Hi %f,\n\n");
	gen_paragraphs(b, b->len + 200 + rng_below(1200));
	say(b, "\n\nRegards,\n%N");
}

static void gen_date(struct buf *b)
{
	if (rng_pct(60)) {
		say(b, "2025-%02r-", 3, 12);
		say(b, "%02r", 1, 28);
	} else {
		say(b, "%r ", 1, 28);
		buf_puts(b, rng_pct(50) ? "May" : "June");
	}
}

static void gen_value(struct buf *b, enum vkind k)
{
	switch (k) {
	case V_NAME: gen_full_name(b); break;
	case V_ORDER_ID:
		buf_puts(b, rng_pct(70) ? "ORD-" : "WEB-");
		say(b, "%06r", 1000, 999999);
		break;
	case V_DATE: gen_date(b); break;
	case V_PLAN: say(b, "%P"); break;
	case V_FEATURE: buf_puts(b, PICK(features)); break;
	case V_LANG: say(b, "%l"); break;
	case V_TRANSLATE_TEXT: gen_translate_text(b); break;
	case V_DOCS: gen_retrieved_docs(b); break;
	case V_QUESTION: gen_question(b); break;
	case V_FILENAME: say(b, "scan_%04r_%n.pdf", 1, 9999); break;
	case V_INVOICE: gen_invoice(b); break;
	case V_COUNT: say(b, "%r", 3, 7); break;
	case V_CONVO: gen_conversation(b); break;
	case V_PRODUCT: buf_puts(b, PICK(products)); break;
	case V_VERSION:
		say(b, "%r.", 0, 4);
		say(b, "%r.", 0, 19);
		say(b, "%r", 0, 9);
		break;
	case V_AUDIENCE: buf_puts(b, PICK(audiences)); break;
	case V_DIFF: gen_diff_sized(b, doc_size()); break;
	case V_TONE: buf_puts(b, PICK(tones)); break;
	case V_WORDS: say(b, "%r0", 8, 25); break;
	case V_COMPANY: say(b, "%k"); break;
	case V_EMAIL: gen_email(b); break;
	case V_TITLE: say(b, "%a %n %v in %c"); break;
	case V_ARTICLE: gen_article(b); break;
	case V_CITY: say(b, "%c"); break;
	case V_TOPIC: say(b, "the %a %n"); break;
	}
}

/* ------------------------------------------------------------------------ */
/* Tasks: the prompt templates the corpus is built from.                     */

/* What the user message of a task's traces holds. */
enum ukind {
	U_REVIEW,     /* a product review */
	U_TICKET,     /* a customer e-mail to support */
	U_DIFF,       /* a code diff to review */
	U_SQLQ,       /* an analyst's question */
	U_INTENT,     /* a short chat message */
	U_GO,         /* a short go-ahead: the template carries the values */
	U_TEMPLATE    /* no instructions: the first user message is the template */
};

/* What the recorded output looks like. */
enum okind {
	O_SENTIMENT, O_TRIAGE, O_REVIEW, O_SQL, O_INTENT, O_PROSE, O_INVOICE,
	O_BULLETS, O_KEYWORDS
};

#define P_CHAT "/v1/chat/completions"
#define P_RESP "/v1/responses"
#define P_MSG  "/v1/messages"

/* Projects.  Files of formats with no project field hold only DEFAULT_PROJECT. */
#define DEFAULT_PROJECT "default"

struct task_spec {
	const char *name;                /* slug, unique per template */
	const char *project;
	const char *model;
	const char *path;
	const char *tmpl;                /* tracegroup syntax: {var_N}, {{, }} */
	enum vkind slots[MAX_SLOTS];     /* kind of value for var_0, var_1, ... */
	int n_slots;
	enum ukind user;
	enum okind out;
	unsigned weight;                 /* per mille of all traces at 5,000 */
};

static const char tmpl_review[] =
	"You label product reviews for an online furniture shop.\n"
	"Read the review in the user message and reply with a JSON object that "
	"matches this schema:\n"
	"{{\"type\": \"object\", \"properties\": {{\"sentiment\": {{\"enum\": "
	"[\"positive\", \"negative\", \"neutral\"]}}, \"topics\": {{\"type\": "
	"\"array\", \"items\": {{\"type\": \"string\"}}}}}}, \"required\": "
	"[\"sentiment\"]}}\n"
	"Topics are short nouns such as delivery, price, quality, assembly or "
	"support. Do not add any text outside the JSON object.";

static const char tmpl_triage[] =
	"You are the triage assistant for the customer support desk of "
	"Northwind Outfitters.\n"
	"Read the customer's message and decide which queue handles it.\n\n"
	"Queue\tHandles\n"
	"billing\tcharges, refunds, invoices, payment methods\n"
	"shipping\tdelivery dates, tracking, lost or damaged parcels\n"
	"returns\treturn labels, exchanges, warranty claims\n"
	"account\tsign-in problems, addresses, privacy requests\n"
	"other\teverything else\n\n"
	"Reply with JSON only: {{\"queue\": \"<queue>\", \"priority\": "
	"\"low|normal|high\", \"summary\": \"<one sentence>\"}}.\n"
	"Use high priority when the customer mentions a safety issue, a legal "
	"threat or a charge above 500 EUR. Never promise a refund: the billing "
	"team decides.";

static const char tmpl_code_review[] =
	"You are a senior reviewer for a C code base. Each request holds one "
	"unified diff.\n"
	"Comment only on real problems: memory safety, error handling, "
	"concurrency, off-by-one errors, missing tests.\n"
	"For each problem give the file, the line and one sentence of advice. "
	"If the diff is fine, reply \"LGTM\".\n"
	"The editor shows {{WINDOW}} lines around each hunk; never quote more "
	"than that, and never rewrite the patch yourself.";

static const char tmpl_sql[] =
	"You write PostgreSQL for the analytics warehouse of a subscription "
	"business.\n"
	"Tables:\n"
	"  customers(id, name, country, created_at)\n"
	"  subscriptions(id, customer_id, plan, status, started_at, cancelled_at)\n"
	"  invoices(id, subscription_id, amount_cents, currency, issued_at, paid_at)\n"
	"  events(id, customer_id, kind, occurred_at, properties jsonb)\n"
	"Use only these tables, qualify every column, prefer CTEs to nested "
	"subqueries and never write to the database.\n"
	"Answer with one SQL statement in a ```sql block, then one sentence "
	"that explains it.";

static const char tmpl_intent[] =
	"Classify the user's message into exactly one intent: search_docs, "
	"ask_pricing, report_bug, request_feature, talk_to_human, small_talk. "
	"Reply with the intent name only, in lower case.";

static const char tmpl_translate[] =
	"Translate the following text from {var_0} to {var_1}. Keep names and "
	"numbers as they are.\n\nText: {var_2}";

static const char tmpl_invoice[] =
	"Extract the invoice fields from the document below and return JSON "
	"matching this schema: {{\"type\": \"object\", \"properties\": "
	"{{\"vendor\": {{\"type\": \"string\"}}, \"total\": {{\"type\": "
	"\"number\"}}, \"due_date\": {{\"type\": \"string\"}}}}}}\n\n"
	"Document ({var_0}):\n{var_1}";

static const struct task_spec base_tasks[] = {
	{ "review-sentiment", DEFAULT_PROJECT, "gpt-4o-mini", P_CHAT,
	  tmpl_review, { 0 }, 0, U_REVIEW, O_SENTIMENT, 170 },
	{ "ticket-triage", "acme-support", "gpt-4o-mini", P_CHAT,
	  tmpl_triage, { 0 }, 0, U_TICKET, O_TRIAGE, 150 },
	{ "sql-analyst", DEFAULT_PROJECT, "gpt-4.1", P_RESP,
	  tmpl_sql, { 0 }, 0, U_SQLQ, O_SQL, 110 },
	{ "code-review", DEFAULT_PROJECT, "claude-sonnet-4-5", P_MSG,
	  tmpl_code_review, { 0 }, 0, U_DIFF, O_REVIEW, 90 },
	{ "intent-router", "docs-rag", "gpt-4o", P_CHAT,
	  tmpl_intent, { 0 }, 0, U_INTENT, O_INTENT, 80 },
	{ "order-shipped", "acme-support", "gpt-4o-mini", P_CHAT,
	  "Greet {var_0} and tell them that their order {var_1} has shipped. "
	  "It should arrive by {var_2}. Keep it under 60 words.",
	  { V_NAME, V_ORDER_ID, V_DATE }, 3, U_GO, O_PROSE, 50 },
	{ "ticket-triage", "acme-support", "gpt-4.1", P_CHAT,
	  tmpl_triage, { 0 }, 0, U_TICKET, O_TRIAGE, 45 },
	{ "renewal-reminder", DEFAULT_PROJECT, "gpt-4o", P_CHAT,
	  "{var_0} is on the {var_1} plan, which renews on {var_2}. Write a "
	  "short, friendly reminder and mention one feature they have not "
	  "tried yet: {var_3}.",
	  { V_NAME, V_PLAN, V_DATE, V_FEATURE }, 4, U_GO, O_PROSE, 40 },
	{ "translate", DEFAULT_PROJECT, "gpt-4o-mini", P_CHAT, tmpl_translate,
	  { V_LANG, V_LANG, V_TRANSLATE_TEXT }, 3, U_GO, O_PROSE, 35 },
	{ "rag-answer", DEFAULT_PROJECT, "gpt-4.1", P_RESP,
	  "Answer the question using only the documents below. If the answer "
	  "is not in them, say so.\n\nDocuments:\n{var_0}\n\nQuestion: "
	  "{var_1}\nAnswer in {var_2}.",
	  { V_DOCS, V_QUESTION, V_LANG }, 3, U_GO, O_PROSE, 35 },
	{ "invoice-extract", "docs-rag", "gpt-4o", P_CHAT, tmpl_invoice,
	  { V_FILENAME, V_INVOICE }, 2, U_GO, O_INVOICE, 30 },
	{ "summarize-chat", DEFAULT_PROJECT, "claude-sonnet-4-5", P_MSG,
	  "Summarize this support conversation for {var_0} in {var_1} bullet "
	  "points. Flag any promise the agent made.\n\n<conversation>\n"
	  "{var_2}\n</conversation>",
	  { V_NAME, V_COUNT, V_CONVO }, 3, U_GO, O_BULLETS, 30 },
	{ "email-rewrite", "acme-support", "gpt-4o-mini", P_CHAT,
	  "Rewrite the email below in a {var_0} tone, keep it under {var_1} "
	  "words and sign it as {var_2} from {var_3}.\n\n---\n{var_4}\n---",
	  { V_TONE, V_WORDS, V_NAME, V_COMPANY, V_EMAIL }, 5, U_GO, O_PROSE, 30 },
	{ "translate", "docs-rag", "gpt-4o-mini", P_CHAT, tmpl_translate,
	  { V_LANG, V_LANG, V_TRANSLATE_TEXT }, 3, U_GO, O_PROSE, 25 },
	{ "release-notes", "dev-tools", "claude-sonnet-4-5", P_MSG,
	  "Write release notes for {var_0} version {var_1}. Audience: {var_2}.\n"
	  "Group the changes under Added, Changed and Fixed.\n\nDiff:\n{var_3}",
	  { V_PRODUCT, V_VERSION, V_AUDIENCE, V_DIFF }, 4, U_GO, O_BULLETS, 20 },
	{ "keyword-extract", "dev-tools", "gpt-4o-mini", P_CHAT,
	  "List five keywords for the article titled \"{var_0}\". Return them "
	  "comma-separated.\n\n{var_1}",
	  { V_TITLE, V_ARTICLE }, 2, U_TEMPLATE, O_KEYWORDS, 20 },
};

#define ONE_OFF_PER_MILLE 40

/* Extra projects and models used by the tasks added for large corpora. */
static const char *const more_projects[] = {
	DEFAULT_PROJECT, "acme-support", "docs-rag", "dev-tools", "growth",
	"billing-ops", "search", "mobile-app", "data-platform", "legal-review",
	"hr-helpdesk", "sales-assist",
};

static const char *const more_models[] = {
	"gpt-4o-mini", "gpt-4.1", "gpt-4o", "gpt-4.1-mini", "claude-sonnet-4-5",
	"claude-haiku-4-5",
};

struct task {
	char *name;                      /* slug */
	const char *project;
	const char *model;
	const char *path;
	char *tmpl;                      /* rendered template */
	enum vkind slots[MAX_SLOTS];
	int n_slots;
	enum ukind user;
	enum okind out;
	double weight;                   /* relative share of traces */
	char *key;                       /* name@model@project */
	uint64_t n_traces;               /* traces to generate / generated */
};

static struct task *tasks;
static size_t n_tasks;

static struct task *task_add(void)
{
	tasks = xrealloc(tasks, (n_tasks + 1) * sizeof(*tasks));
	memset(&tasks[n_tasks], 0, sizeof(*tasks));
	return &tasks[n_tasks++];
}

static void task_set_key(struct task *t)
{
	struct buf k = { 0 };

	buf_printf(&k, "%s@%s@%s", t->name, t->model, t->project);
	t->key = k.p;
}

static void add_base_tasks(void)
{
	for (size_t i = 0; i < NELEM(base_tasks); i++) {
		const struct task_spec *s = &base_tasks[i];
		struct task *t = task_add();

		t->name = xstrdup(s->name);
		t->project = s->project;
		t->model = s->model;
		t->path = s->path;
		t->tmpl = xstrdup(s->tmpl);
		memcpy(t->slots, s->slots, sizeof(t->slots));
		t->n_slots = s->n_slots;
		t->user = s->user;
		t->out = s->out;
		t->weight = s->weight;
		task_set_key(t);
	}
}

static const char *path_for_model(const char *model)
{
	if (strncmp(model, "claude", 6) == 0)
		return P_MSG;
	return rng_pct(70) ? P_CHAT : P_RESP;
}

/* Literal prose for a generated template: never contains a brace. */
static void gen_rules(struct buf *b, int n)
{
	static const char *const openers[] = {
		"Always", "Never", "Only", "Politely", "Briefly", "Carefully",
	};

	for (int i = 0; i < n; i++) {
		buf_putc(b, ' ');
		if (rng_pct(50)) {
			gen_sentence(b);
			continue;
		}
		say(b, "%s %i the %a %n %p %n.", PICK(openers));
	}
}

/* One generated task of a random kind (see README: "larger corpora"). */
static void add_generated_task(size_t n)
{
	static const enum ukind fixed_users[] = { U_TICKET, U_REVIEW, U_SQLQ, U_INTENT };
	static const enum vkind docs[] = { V_DOCS, V_CONVO, V_INVOICE, V_DIFF, V_EMAIL };
	struct task *t = task_add();
	struct buf b = { 0 }, name = { 0 };
	unsigned kind = rng_below(100);
	const char *noun = PICK(nouns);

	t->project = PICK(more_projects);
	t->model = PICK(more_models);
	t->path = path_for_model(t->model);
	t->out = O_PROSE;
	t->user = U_GO;
	if (kind < 50) {
		say(&b, "You are the %a %s assistant of %k.", noun);
		gen_rules(&b, rng_range(3, 6));
		say(&b, " Reply in %l.");
		t->user = fixed_users[rng_below(NELEM(fixed_users))];
		buf_printf(&name, "%s-assistant-%zu", noun, n);
	} else if (kind < 75) {
		say(&b, "Write a %a %s note for {var_0} about {var_1}, due {var_2}.",
		    noun);
		gen_rules(&b, rng_range(3, 5));
		t->slots[0] = V_NAME, t->slots[1] = V_TOPIC, t->slots[2] = V_DATE;
		t->n_slots = 3;
		buf_printf(&name, "%s-note-%zu", noun, n);
	} else if (kind < 85) {
		say(&b, "{var_0} asked about the %a %s.", noun);
		gen_rules(&b, rng_range(3, 5));
		buf_puts(&b, " Answer in {var_1}.");
		t->slots[0] = V_NAME, t->slots[1] = V_LANG;
		t->n_slots = 2;
		buf_printf(&name, "%s-answer-%zu", noun, n);
	} else {
		say(&b, "Use the %a %s below.", noun);
		gen_rules(&b, rng_range(2, 4));
		buf_printf(&b, "\n\n%s:\n{var_0}\n\nQuestion: {var_1}", noun);
		t->slots[0] = docs[rng_below(NELEM(docs))], t->slots[1] = V_QUESTION;
		t->n_slots = 2;
		t->out = O_BULLETS;
		buf_printf(&name, "%s-doc-qa-%zu", noun, n);
	}
	t->tmpl = b.p;
	t->name = name.p;
	task_set_key(t);
}

/* Own square root: the build links no libm. */
static double sqrt_newton(double x)
{
	double r = x > 1 ? x : 1;

	for (int i = 0; i < 60; i++)
		r = 0.5 * (r + x / r);
	return r;
}

/*
 * Tasks for a corpus of n traces: the 16 base tasks, plus generated ones
 * as the corpus grows (about 24 at 10k, 85 at 100k, 280 at 1M) taking a
 * growing share of the traces with a long-tailed (Zipf) size spread.
 */
static void build_tasks(uint64_t n)
{
	double scale = sqrt_newton((double)n / 5000.0);
	size_t extra = 0, i;
	double share = 0, base_w = 0, harm = 0;

	add_base_tasks();
	for (i = 0; i < n_tasks; i++)
		base_w += tasks[i].weight;
	if (scale > 1.0) {
		extra = (size_t)(20.0 * (scale - 1.0) + 0.5);
		share = 0.4 * (1.0 - 1.0 / scale);
	}
	for (i = 0; i < extra; i++) {
		add_generated_task(i + 1);
		harm += 1.0 / (double)(i + 2);
	}
	for (i = 0; i < extra; i++) {
		struct task *t = &tasks[NELEM(base_tasks) + i];

		t->weight = base_w * share / (1.0 - share) / harm / (double)(i + 2);
	}
}

/* Split `m` traces over the tasks in proportion to their weights. */
static void assign_counts(uint64_t m)
{
	double total = 0;
	uint64_t given = 0;

	for (size_t i = 0; i < n_tasks; i++)
		total += tasks[i].weight;
	for (size_t i = 0; i < n_tasks; i++) {
		tasks[i].n_traces = (uint64_t)((double)m * tasks[i].weight / total);
		given += tasks[i].n_traces;
	}
	for (size_t i = 0; given < m; i = (i + 1) % n_tasks, given++)
		tasks[i].n_traces++;
}

/* ------------------------------------------------------------------------ */
/* Templates: check them, render a trace's prompt from one.                  */

/* Slot number of "{var_N}" at s, or -1; *len gets its length. */
static int slot_at(const char *s, size_t *len)
{
	int n = 0;
	const char *p = s + 5;

	if (strncmp(s, "{var_", 5) != 0 || *p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		n = n * 10 + (*p++ - '0');
	if (*p != '}')
		return -1;
	*len = (size_t)(p + 1 - s);
	return n;
}

/* A template must be well formed, number its slots 0, 1, ... in order, never
 * put two slots side by side, and have as many slots as value kinds. */
static void check_template(const struct task *t)
{
	const char *s = t->tmpl;
	int next = 0, prev_slot = 0;
	size_t len;

	while (*s) {
		int n = slot_at(s, &len);

		if (n >= 0) {
			if (n != next || prev_slot)
				die("task %s: bad slot order", t->key);
			next++, s += len, prev_slot = 1;
			continue;
		}
		if ((*s == '{' || *s == '}') && s[1] != *s)
			die("task %s: lone brace in template", t->key);
		s += (*s == '{' || *s == '}') ? 2 : 1;
		prev_slot = 0;
	}
	if (next != t->n_slots)
		die("task %s: %d slots, %d value kinds", t->key, next, t->n_slots);
}

static void render(const char *tmpl, struct buf *const *vals, struct buf *out)
{
	const char *s = tmpl, *lit = tmpl;
	size_t len;

	while (*s) {
		int n = slot_at(s, &len);

		if (n < 0 && *s != '{' && *s != '}') {
			s++;
			continue;
		}
		buf_add(out, lit, (size_t)(s - lit));
		if (n >= 0) {
			buf_add(out, vals[n]->p, vals[n]->len);
			s += len;
		} else {
			buf_putc(out, *s);
			s += 2;
		}
		lit = s;
	}
	buf_add(out, lit, (size_t)(s - lit));
}

/* ------------------------------------------------------------------------ */
/* User messages, outputs and one-off prompts.                               */

static void gen_user(struct buf *b, enum ukind k, uint64_t idx)
{
	static const char *const openers[] = {
		"I bought the %a %n last week.", "Ordered a %a %n for my office.",
		"The %a %n arrived today.", "Second %a %n from this shop.",
	};
	static const char *const go[] = {
		"Go ahead.", "Please draft it.", "Write it now, thanks.", "Ok, do it.",
		"Generate the reply.", "Continue.",
	};

	switch (k) {
	case U_REVIEW:
		say(b, PICK(openers));
		buf_putc(b, ' ');
		gen_sentences(b, rng_range(1, 4));
		if (rng_pct(25))
			say(b, " %e");
		break;
	case U_TICKET:
		say(b, "Hello,\n\nabout my order ORD-%06r: ", 1000, 999999);
		gen_sentences(b, rng_range(2, 5));
		buf_puts(b, "\n\nThanks,\n");
		gen_full_name(b);
		break;
	case U_DIFF:
		gen_diff_sized(b, 500 + rng_below(5500));
		break;
	case U_SQLQ:
		buf_puts(b, rng_pct(50) ? "Monthly revenue" : "Weekly churn");
		say(b, " per country for customers on the %P plan who signed up "
		    "after 2024-%02r-", 1, 12);
		say(b, "%02r", 1, 28);
		if (rng_pct(50))
			say(b, ", excluding %c", 0, 0);
		if (rng_pct(50))
			say(b, ", split by %n", 0, 0);
		buf_putc(b, '.');
		break;
	case U_INTENT:
		if (rng_pct(50))
			gen_question(b);
		else
			gen_sentence(b);
		break;
	case U_GO:
	case U_TEMPLATE:
		/* The reference keeps the messages of content-hashed formats unique. */
		buf_printf(b, "%s (ref %" PRIu64 ")", PICK(go), 100000 + idx);
		break;
	}
}

static void gen_output(struct buf *b, enum okind k)
{
	static const char *const sentiments[] = { "positive", "negative", "neutral" };
	static const char *const topics[] = {
		"delivery", "price", "quality", "assembly", "support",
	};
	static const char *const queues[] = {
		"billing", "shipping", "returns", "account", "other",
	};
	static const char *const prio[] = { "low", "normal", "high" };
	static const char *const intents[] = {
		"search_docs", "ask_pricing", "report_bug", "request_feature",
		"talk_to_human", "small_talk",
	};
	struct buf s = { 0 };

	switch (k) {
	case O_SENTIMENT:
		buf_printf(b, "{\"sentiment\": \"%s\", ", PICK(sentiments));
		buf_printf(b, "\"topics\": [\"%s\", ", PICK(topics));
		buf_printf(b, "\"%s\"]}", PICK(topics));
		break;
	case O_TRIAGE:
		gen_sentence(&s);
		buf_printf(b, "{\"queue\": \"%s\", ", PICK(queues));
		buf_printf(b, "\"priority\": \"%s\", \"summary\": ", PICK(prio));
		buf_json(b, s.p, s.len);
		buf_putc(b, '}');
		break;
	case O_REVIEW:
		if (rng_pct(25)) {
			buf_puts(b, "LGTM");
			break;
		}
		for (int i = rng_range(1, 3); i > 0; i--) {
			say(b, "src/%x.c:%r: ", 10, 900);
			gen_sentence(b);
			buf_putc(b, '\n');
		}
		b->p[--b->len] = '\0';
		break;
	case O_SQL:
		buf_printf(b, "```sql\nWITH paid AS (\n  SELECT i.subscription_id, "
		           "sum(i.amount_cents) AS cents\n  FROM invoices i\n  WHERE "
		           "i.paid_at >= date '2025-%02d-01'\n  GROUP BY 1\n)\nSELECT "
		           "c.country, sum(p.cents) / 100.0\nFROM paid p\nJOIN "
		           "subscriptions s ON s.id = p.subscription_id\nJOIN customers "
		           "c ON c.id = s.customer_id\nGROUP BY 1;\n```\n",
		           rng_range(1, 12));
		gen_sentence(b);
		break;
	case O_INTENT:
		buf_puts(b, PICK(intents));
		break;
	case O_PROSE:
		gen_sentences(b, rng_range(1, 3));
		break;
	case O_INVOICE:
		buf_puts(b, "{\"vendor\": ");
		buf_json_s(b, PICK(companies));
		say(b, ", \"total\": %r.", 100, 90000);
		say(b, "%02r, \"due_date\": \"2025-", 0, 99);
		say(b, "%02r-", 1, 12);
		say(b, "%02r\"}", 1, 28);
		break;
	case O_BULLETS:
		for (int i = rng_range(2, 5); i > 0; i--) {
			buf_puts(b, "- ");
			gen_sentence(b);
			buf_puts(b, i > 1 ? "\n" : "");
		}
		break;
	case O_KEYWORDS:
		for (int i = 0; i < 5; i++)
			buf_printf(b, "%s%s", i ? ", " : "", PICK(nouns));
		break;
	}
	free(s.p);
}

/* Instructions that belong to no task: free prose with no fixed frame, as
 * people write when they try something once.  (A fixed opening such as
 * "Debug session N. Explain ..." would be a template, and grouping those
 * would be right.) */
static void gen_one_off(struct buf *b)
{
	switch (rng_below(3)) {
	case 0:
		gen_sentences(b, rng_range(2, 5));
		break;
	case 1:
		gen_question(b);
		buf_putc(b, ' ');
		gen_sentences(b, rng_range(1, 3));
		break;
	default:
		gen_sentence(b);
		buf_putc(b, '\n');
		for (int i = rng_range(3, 8); i > 0; i--) {
			buf_puts(b, "  ");
			gen_ident(b);
			say(b, " (%x.c:%r)\n", 1, 999);
		}
		break;
	}
}

/* ------------------------------------------------------------------------ */
/* Output files.                                                              */

enum fmt { F_NATIVE, F_BATCH, F_CHAT, F_ANTHROPIC, F_RESPONSES, F_OTLP, N_FMT };

struct fmt_file {
	const char *name;        /* file name as written */
	int gzip;                /* committed gzip-compressed (name + ".gz") */
	FILE *fp;
	uint64_t n;              /* records written */
};

static struct fmt_file files[N_FMT] = {
	[F_NATIVE] = { "native.jsonl", 1, NULL, 0 },
	[F_BATCH] = { "openai-batch-input.jsonl", 0, NULL, 0 },
	[F_CHAT] = { "openai-chat-requests.json", 0, NULL, 0 },
	[F_ANTHROPIC] = { "anthropic-messages.jsonl", 1, NULL, 0 },
	[F_RESPONSES] = { "openai-responses.jsonl", 1, NULL, 0 },
	[F_OTLP] = { "otlp-genai.json", 1, NULL, 0 },
};

/* One generated LLM call. */
struct trace {
	uint64_t idx;            /* 0-based position in the corpus */
	const struct task *task; /* NULL for a one-off */
	const char *project, *model, *path;
	int has_instr;           /* 0: the prompt is the first user message */
	struct buf instr, user, output;
	char id[80];             /* source id as written in the file */
	uint64_t hash;           /* per-trace randomness that does not touch the
	                            content stream: ids, format, timestamps */
	int64_t created;         /* unix seconds */
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A UUID-shaped id whose last 8 hex digits are the trace index, so ids are
 * unique by construction. */
static void uuid_for(char *out, size_t n, const char *prefix, const struct trace *t)
{
	uint64_t h = t->hash, g = mix64(h);

	snprintf(out, n, "%s%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32 "-%04" PRIx32
	         "-%04" PRIx32 "%08" PRIx32, prefix, (uint32_t)(h >> 32),
	         (uint32_t)(h >> 16) & 0xffff, (uint32_t)h & 0xfff,
	         0x8000 | ((uint32_t)(g >> 48) & 0x3fff), (uint32_t)g & 0xffff,
	         (uint32_t)t->idx);
}

static void iso_time(char *out, size_t n, int64_t secs)
{
	time_t tt = (time_t)secs;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static struct buf rec;       /* the record being written */
static struct buf inner;     /* JSON nested in a JSON string (OTLP) */

static void write_native(const struct trace *t, FILE *fp)
{
	char ts[32];

	iso_time(ts, sizeof(ts), t->created);
	buf_reset(&rec);
	buf_putc(&rec, '{');
	json_field(&rec, "id", t->id, 1);
	json_field(&rec, "project", t->project, 0);
	json_field(&rec, "path", t->path, 0);
	json_field(&rec, "model", t->model, 0);
	json_field(&rec, "instructions", t->has_instr ? t->instr.p : NULL, 0);
	buf_puts(&rec, ", \"input\": [{\"role\": \"user\", \"content\": ");
	buf_json(&rec, t->user.p, t->user.len);
	buf_puts(&rec, "}]");
	json_field(&rec, "output", t->output.p, 0);
	json_field(&rec, "created_at", ts, 0);
	buf_puts(&rec, ", \"metadata\": {}}\n");
	fwrite(rec.p, 1, rec.len, fp);
}

/* Chat messages: system (or developer) then user; content sometimes as parts. */
static void chat_messages(struct buf *b, const struct trace *t, int vary)
{
	buf_puts(b, "[{\"role\": ");
	buf_puts(b, vary && (t->hash & 0x300) == 0 ? "\"developer\"" : "\"system\"");
	buf_puts(b, ", \"content\": ");
	buf_json(b, t->instr.p, t->instr.len);
	buf_puts(b, "}, {\"role\": \"user\", \"content\": ");
	if (vary && (t->hash & 0xc00) == 0) {
		buf_puts(b, "[{\"type\": \"text\", \"text\": ");
		buf_json(b, t->user.p, t->user.len);
		buf_puts(b, "}]}]");
		return;
	}
	buf_json(b, t->user.p, t->user.len);
	buf_puts(b, "}]");
}

static void write_batch(const struct trace *t, FILE *fp)
{
	buf_reset(&rec);
	buf_puts(&rec, "{");
	json_field(&rec, "custom_id", t->id, 1);
	json_field(&rec, "method", "POST", 0);
	json_field(&rec, "url", t->path, 0);
	buf_puts(&rec, ", \"body\": {");
	json_field(&rec, "model", t->model, 1);
	if (strcmp(t->path, P_RESP) == 0) {
		json_field(&rec, "instructions", t->instr.p, 0);
		buf_puts(&rec, ", \"input\": ");
		buf_json(&rec, t->user.p, t->user.len);
	} else {
		buf_puts(&rec, ", \"temperature\": 0.2, \"messages\": ");
		chat_messages(&rec, t, 0);
	}
	buf_puts(&rec, "}}\n");
	fwrite(rec.p, 1, rec.len, fp);
}

static void write_chat(const struct trace *t, FILE *fp, uint64_t n_before)
{
	buf_reset(&rec);
	buf_puts(&rec, n_before ? ",\n" : "[\n");
	buf_puts(&rec, "{");
	json_field(&rec, "model", t->model, 1);
	buf_puts(&rec, ", \"messages\": ");
	chat_messages(&rec, t, 1);
	buf_printf(&rec, ", \"temperature\": 0.%d, \"max_completion_tokens\": 800",
	           (int)((t->hash >> 20) % 8));
	buf_puts(&rec, ", \"metadata\": {");
	json_field(&rec, "trace_id", t->id, 1);
	json_field(&rec, "project", t->project, 0);
	buf_puts(&rec, "}}");
	fwrite(rec.p, 1, rec.len, fp);
}

static void write_anthropic(const struct trace *t, FILE *fp)
{
	buf_reset(&rec);
	buf_puts(&rec, "{");
	json_field(&rec, "id", t->id, 1);      /* the logger's request id */
	json_field(&rec, "model", t->model, 0);
	buf_puts(&rec, ", \"max_tokens\": 1024, \"system\": ");
	if ((t->hash & 0x3000) == 0) {
		buf_puts(&rec, "[{\"type\": \"text\", \"text\": ");
		buf_json(&rec, t->instr.p, t->instr.len);
		buf_puts(&rec, ", \"cache_control\": {\"type\": \"ephemeral\"}}]");
	} else {
		buf_json(&rec, t->instr.p, t->instr.len);
	}
	buf_puts(&rec, ", \"messages\": [{\"role\": \"user\", \"content\": ");
	buf_json(&rec, t->user.p, t->user.len);
	buf_puts(&rec, "}], \"metadata\": {");
	json_field(&rec, "user_id", t->id, 1);
	buf_puts(&rec, "}}\n");
	fwrite(rec.p, 1, rec.len, fp);
}

static void write_responses(const struct trace *t, FILE *fp)
{
	buf_reset(&rec);
	buf_puts(&rec, "{");
	json_field(&rec, "model", t->model, 1);
	json_field(&rec, "instructions", t->instr.p, 0);
	buf_puts(&rec, ", \"input\": ");
	if ((t->hash & 0xc000) == 0) {
		buf_puts(&rec, "[{\"type\": \"message\", \"role\": \"user\", "
		         "\"content\": [{\"type\": \"input_text\", \"text\": ");
		buf_json(&rec, t->user.p, t->user.len);
		buf_puts(&rec, "}]}]");
	} else {
		buf_json(&rec, t->user.p, t->user.len);
	}
	buf_puts(&rec, ", \"store\": true, \"metadata\": {");
	json_field(&rec, "trace_id", t->id, 1);
	json_field(&rec, "project", t->project, 0);
	buf_puts(&rec, "}}\n");
	fwrite(rec.p, 1, rec.len, fp);
}

/* OTLP spans wait in one buffer per project until the file is closed. */
struct otlp_project {
	const char *project;
	struct buf spans;
	uint64_t n;
};

static struct otlp_project otlp[NELEM(more_projects)];
static size_t n_otlp;

static struct otlp_project *otlp_for(const char *project)
{
	for (size_t i = 0; i < n_otlp; i++)
		if (strcmp(otlp[i].project, project) == 0)
			return &otlp[i];
	if (n_otlp == NELEM(otlp))
		die("too many OTLP projects");
	otlp[n_otlp].project = project;
	return &otlp[n_otlp++];
}

static void otlp_attr(struct buf *b, const char *key, const char *kind,
                      const char *val, size_t len)
{
	buf_puts(b, ", {\"key\": ");
	buf_json_s(b, key);
	buf_printf(b, ", \"value\": {\"%s\": ", kind);
	buf_json(b, val, len);
	buf_puts(b, "}}");
}

static void otlp_attr_s(struct buf *b, const char *key, const char *val)
{
	otlp_attr(b, key, "stringValue", val, strlen(val));
}

/* gen_ai.*.messages value: [{"role": R, "parts": [{"type": "text", "content": C}]}] */
static void otlp_messages(const char *role, const struct buf *text, int finish)
{
	buf_reset(&inner);
	buf_printf(&inner, "[{\"role\": \"%s\", \"parts\": [{\"type\": \"text\", "
	           "\"content\": ", role);
	buf_json(&inner, text->p, text->len);
	buf_puts(&inner, finish ? "}], \"finish_reason\": \"stop\"}]" : "}]}]");
}

static void add_otlp(const struct trace *t)
{
	struct otlp_project *op = otlp_for(t->project);
	struct buf *b = &op->spans;
	char num[32];
	int64_t ns0 = t->created * 1000000000LL, ns1;

	ns1 = ns0 + 300000000LL + (int64_t)(t->hash % 4000000000ULL);
	buf_puts(b, op->n++ ? ",\n" : "\n");
	buf_printf(b, "{\"traceId\": \"%016" PRIx64 "%016" PRIx64 "\", ",
	           mix64(t->hash ^ 0x5bd1e995), t->hash);
	buf_printf(b, "\"spanId\": \"%s\", \"parentSpanId\": \"\", ", t->id);
	buf_printf(b, "\"name\": \"chat %s\", \"kind\": 3, ", t->model);
	buf_printf(b, "\"startTimeUnixNano\": \"%" PRId64 "\", "
	           "\"endTimeUnixNano\": \"%" PRId64 "\", \"attributes\": [",
	           ns0, ns1);
	buf_puts(b, "{\"key\": \"gen_ai.operation.name\", \"value\": "
	         "{\"stringValue\": \"chat\"}}");
	otlp_attr_s(b, "gen_ai.provider.name",
	            strncmp(t->model, "claude", 6) ? "openai" : "anthropic");
	otlp_attr_s(b, "gen_ai.request.model", t->model);
	otlp_attr_s(b, "server.address", "api.openai.com");
	otlp_attr_s(b, "url.full", "https://api.openai.com/v1/chat/completions");
	buf_reset(&inner);
	buf_puts(&inner, "[{\"type\": \"text\", \"content\": ");
	buf_json(&inner, t->instr.p, t->instr.len);
	buf_puts(&inner, "}]");
	otlp_attr(b, "gen_ai.system_instructions", "stringValue", inner.p, inner.len);
	otlp_messages("user", &t->user, 0);
	otlp_attr(b, "gen_ai.input.messages", "stringValue", inner.p, inner.len);
	otlp_messages("assistant", &t->output, 1);
	otlp_attr(b, "gen_ai.output.messages", "stringValue", inner.p, inner.len);
	snprintf(num, sizeof(num), "%zu", t->instr.len / 4 + t->user.len / 4 + 3);
	otlp_attr(b, "gen_ai.usage.input_tokens", "intValue", num, strlen(num));
	snprintf(num, sizeof(num), "%zu", t->output.len / 4 + 1);
	otlp_attr(b, "gen_ai.usage.output_tokens", "intValue", num, strlen(num));
	buf_puts(b, "], \"status\": {\"code\": 1}}");
}

static void write_otlp_file(FILE *fp)
{
	fputs("{\"resourceSpans\": [", fp);
	for (size_t i = 0; i < n_otlp; i++) {
		struct buf r = { 0 };

		buf_puts(&r, i ? ",\n" : "\n");
		buf_puts(&r, "{\"resource\": {\"attributes\": [");
		buf_puts(&r, "{\"key\": \"service.name\", \"value\": {\"stringValue\": ");
		buf_json_s(&r, otlp[i].project);
		buf_puts(&r, "}}");
		otlp_attr_s(&r, "openinference.project.name", otlp[i].project);
		otlp_attr_s(&r, "deployment.environment.name", "production");
		buf_puts(&r, "]},\n\"scopeSpans\": [{\"scope\": {\"name\": "
		         "\"opentelemetry.instrumentation.openai_v2\", \"version\": "
		         "\"2.1b0\"}, \"spans\": [");
		fwrite(r.p, 1, r.len, fp);
		fwrite(otlp[i].spans.p, 1, otlp[i].spans.len, fp);
		fputs("\n]}]}", fp);
		free(r.p);
		free(otlp[i].spans.p);
	}
	fputs("\n]}\n", fp);
}

/* ------------------------------------------------------------------------ */
/* The corpus.                                                                */

struct options {
	uint64_t seed;
	uint64_t traces;
	const char *out;
	int native_only;
};

/* Formats a trace may be written in: those with no project field only carry
 * DEFAULT_PROJECT, each format only its own endpoint. */
static unsigned allowed_formats(const struct trace *t)
{
	unsigned m = 1u << F_NATIVE;
	int claude = strncmp(t->model, "claude", 6) == 0;

	if (!t->has_instr)
		return m;
	if (strcmp(t->project, DEFAULT_PROJECT) == 0) {
		if (strcmp(t->path, P_CHAT) == 0)
			m |= 1u << F_BATCH | 1u << F_CHAT;
		else if (strcmp(t->path, P_RESP) == 0)
			m |= 1u << F_BATCH | 1u << F_RESPONSES;
		else
			m |= 1u << F_ANTHROPIC;
	} else if (strcmp(t->path, P_CHAT) == 0 && !claude) {
		m |= 1u << F_OTLP;
	}
	return m;
}

/* About a third native, the rest spread evenly over the other formats. */
static enum fmt choose_format(const struct trace *t, const struct options *o)
{
	unsigned m = allowed_formats(t), n = 0, pick;
	uint64_t h = mix64(t->hash ^ 0xf00d);

	if (o->native_only || m == 1u << F_NATIVE || h % 100 < 35)
		return F_NATIVE;
	m &= ~(1u << F_NATIVE);
	for (unsigned f = 0; f < N_FMT; f++)
		n += (m >> f) & 1;
	pick = (unsigned)((h >> 8) % n);
	for (unsigned f = 0; f < N_FMT; f++)
		if ((m >> f & 1) && pick-- == 0)
			return (enum fmt)f;
	return F_NATIVE;
}

static void set_source_id(struct trace *t, enum fmt f)
{
	switch (f) {
	case F_NATIVE: uuid_for(t->id, sizeof(t->id), "", t); break;
	case F_BATCH:
		snprintf(t->id, sizeof(t->id), "request-%07" PRIu64, t->idx);
		break;
	case F_CHAT: uuid_for(t->id, sizeof(t->id), "chat-", t); break;
	case F_ANTHROPIC: uuid_for(t->id, sizeof(t->id), "trace-", t); break;
	case F_RESPONSES: uuid_for(t->id, sizeof(t->id), "resp-", t); break;
	case F_OTLP:
		snprintf(t->id, sizeof(t->id), "%08" PRIx32 "%08" PRIx32,
		         (uint32_t)(t->hash >> 32), (uint32_t)t->idx);
		break;
	case N_FMT: break;
	}
}

/* Task index per trace (-1: one-off), in a shuffled order. */
static int32_t *trace_order(uint64_t n)
{
	int32_t *order = xrealloc(NULL, (n ? n : 1) * sizeof(*order));
	uint64_t k = 0;

	for (size_t i = 0; i < n_tasks; i++)
		for (uint64_t j = 0; j < tasks[i].n_traces; j++)
			order[k++] = (int32_t)i;
	while (k < n)
		order[k++] = -1;
	for (uint64_t i = n; i > 1; i--) {
		uint64_t j = rng_next() % i;
		int32_t tmp = order[i - 1];

		order[i - 1] = order[j];
		order[j] = tmp;
	}
	return order;
}

/* Fill a trace's content: prompt, user message, output. */
static void make_trace(struct trace *t, const struct task *task,
                       struct buf *vals)
{
	struct buf *slot[MAX_SLOTS];

	buf_reset(&t->instr);
	buf_reset(&t->user);
	buf_reset(&t->output);
	t->task = task;
	t->has_instr = 1;
	if (!task) {
		const struct task *like = &tasks[rng_below((uint32_t)n_tasks)];

		t->project = like->project;
		t->model = like->model;
		t->path = like->path;
		gen_one_off(&t->instr);
		gen_user(&t->user, U_GO, t->idx);
		gen_output(&t->output, O_PROSE);
		return;
	}
	t->project = task->project;
	t->model = task->model;
	t->path = task->path;
	for (int i = 0; i < task->n_slots; i++) {
		slot[i] = &vals[i];
		buf_reset(&vals[i]);
		gen_value(&vals[i], task->slots[i]);
	}
	if (task->user == U_TEMPLATE) {
		t->has_instr = 0;
		render(task->tmpl, slot, &t->user);
	} else {
		render(task->tmpl, slot, &t->instr);
		gen_user(&t->user, task->user, t->idx);
	}
	gen_output(&t->output, task->out);
}

static FILE *open_out(const struct options *o, const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", o->out, name);
	fp = fopen(path, "w");
	if (!fp)
		die("cannot write %s", path);
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	return fp;
}

static void close_out(FILE *fp, const char *name)
{
	if (ferror(fp) | fclose(fp))
		die("write error on %s", name);
}

static const char *committed_name(enum fmt f, const struct options *o)
{
	static char name[N_FMT][64];

	snprintf(name[f], sizeof(name[f]), "%s%s", files[f].name,
	         files[f].gzip && !o->native_only ? ".gz" : "");
	return name[f];
}

static void write_trace(const struct trace *t, enum fmt f)
{
	FILE *fp = files[f].fp;

	switch (f) {
	case F_NATIVE: write_native(t, fp); break;
	case F_BATCH: write_batch(t, fp); break;
	case F_CHAT: write_chat(t, fp, files[f].n); break;
	case F_ANTHROPIC: write_anthropic(t, fp); break;
	case F_RESPONSES: write_responses(t, fp); break;
	case F_OTLP: add_otlp(t); break;
	case N_FMT: break;
	}
	files[f].n++;
}

static void write_truth_line(struct buf *b, const struct trace *t, const char *file)
{
	buf_reset(b);
	buf_printf(b, "%s\t%s\t", t->id, file);
	if (t->task) {
		buf_puts(b, t->task->key);
		buf_putc(b, '\t');
		buf_tsv(b, t->task->tmpl);
	} else {
		buf_putc(b, '\t');
	}
	buf_putc(b, '\n');
}

static void write_truth_templates(const struct options *o)
{
	FILE *fp = open_out(o, "truth-templates.tsv");
	struct buf b = { 0 };

	fputs("task\tproject\tmodel\tpath\ttemplate\tn_traces\n", fp);
	for (size_t i = 0; i < n_tasks; i++) {
		if (!tasks[i].n_traces)
			continue;
		buf_reset(&b);
		buf_printf(&b, "%s\t%s\t%s\t%s\t", tasks[i].key, tasks[i].project,
		           tasks[i].model, tasks[i].path);
		buf_tsv(&b, tasks[i].tmpl);
		buf_printf(&b, "\t%" PRIu64 "\n", tasks[i].n_traces);
		fwrite(b.p, 1, b.len, fp);
	}
	free(b.p);
	close_out(fp, "truth-templates.tsv");
}

static void open_files(const struct options *o)
{
	for (int f = 0; f < N_FMT; f++)
		if (f == F_NATIVE || !o->native_only)
			files[f].fp = open_out(o, files[f].name);
}

static void close_files(const struct options *o)
{
	for (int f = 0; f < N_FMT; f++) {
		if (!files[f].fp)
			continue;
		if (f == F_CHAT)
			fputs(files[f].n ? "\n]\n" : "[]\n", files[f].fp);
		if (f == F_OTLP)
			write_otlp_file(files[f].fp);
		close_out(files[f].fp, files[f].name);
		fprintf(stderr, "%-28s %8" PRIu64 " traces\n", files[f].name, files[f].n);
	}
	if (o->native_only)
		return;
	fprintf(stderr, "now compress:");
	for (int f = 0; f < N_FMT; f++)
		if (files[f].gzip)
			fprintf(stderr, " %s/%s", o->out, files[f].name);
	fprintf(stderr, "\n  (gzip -n -f FILES)\n");
}

static void generate(const struct options *o)
{
	uint64_t n_one_off = o->traces * ONE_OFF_PER_MILLE / 1000;
	int32_t *order;
	struct trace t = { 0 };
	struct buf vals[MAX_SLOTS] = { { 0 } }, line = { 0 };
	const int64_t start = 1740787200;    /* 2025-03-01T00:00:00Z */
	FILE *truth;

	if (mkdir(o->out, 0777) != 0 && errno != EEXIST)
		die("cannot create %s", o->out);
	rng_state = o->seed;
	build_tasks(o->traces);
	for (size_t i = 0; i < n_tasks; i++)
		check_template(&tasks[i]);
	assign_counts(o->traces - n_one_off);
	order = trace_order(o->traces);
	open_files(o);
	truth = open_out(o, "truth.tsv");
	fputs("source_id\tfile\ttask\ttemplate\n", truth);
	for (uint64_t i = 0; i < o->traces; i++) {
		enum fmt f;

		t.idx = i;
		t.hash = mix64(o->seed * 0x9e3779b97f4a7c15ULL + i + 1);
		t.created = start + (int64_t)(i * 61 * 86400 / o->traces)
		            + (int64_t)(t.hash % 60);
		make_trace(&t, order[i] >= 0 ? &tasks[order[i]] : NULL, vals);
		f = choose_format(&t, o);
		set_source_id(&t, f);
		write_trace(&t, f);
		write_truth_line(&line, &t, committed_name(f, o));
		fwrite(line.p, 1, line.len, truth);
	}
	close_out(truth, "truth.tsv");
	close_files(o);
	write_truth_templates(o);
	fprintf(stderr, "%" PRIu64 " traces, %zu tasks, %" PRIu64 " one-offs\n",
	        o->traces, n_tasks, n_one_off);
	for (int i = 0; i < MAX_SLOTS; i++)
		free(vals[i].p);
	free(t.instr.p), free(t.user.p), free(t.output.p), free(line.p);
	free(order);
}

static uint64_t parse_u64(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (!*s || *end)
		die("%s: not a number: %s", what, s);
	return (uint64_t)v;
}

static void usage(FILE *fp)
{
	fputs("usage: generate [--seed N] [--traces N] [--out DIR] "
	      "[--format all|native]\n"
	      "Writes a sample trace corpus and its ground truth into DIR "
	      "(default sample-data).\n", fp);
}

int main(int argc, char **argv)
{
	struct options o = { 20250301, 5000, "sample-data", 0 };

	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (!v) {
			usage(stderr);
			return 2;
		}
		if (strcmp(a, "--seed") == 0)
			o.seed = parse_u64(v, "--seed");
		else if (strcmp(a, "--traces") == 0)
			o.traces = parse_u64(v, "--traces");
		else if (strcmp(a, "--out") == 0)
			o.out = v;
		else if (strcmp(a, "--format") == 0 && strcmp(v, "native") == 0)
			o.native_only = 1;
		else if (strcmp(a, "--format") == 0 && strcmp(v, "all") == 0)
			o.native_only = 0;
		else {
			usage(stderr);
			return 2;
		}
	}
	if (o.traces > INT32_MAX)
		die("--traces: at most %d", INT32_MAX);
	generate(&o);
	return 0;
}
