/*
 * import.h - turn trace dump files into trace records.
 *
 * The importers read JSON / JSONL / gzip files written by the tools analysts
 * use (OpenAI, Anthropic, OTLP spans, Langfuse, LangSmith, Helicone, our own
 * native shape), detect the format per file, and hand each trace to a
 * callback as a `struct trace_record`.  They stream: memory stays bounded
 * whatever the file size.  They know nothing of SQLite or the screen.
 *
 * Ownership: every string in a record handed to a callback belongs to the
 * importer and is valid only during the callback; copy what you keep.
 *
 * Containers: JSONL, a JSON array, one object, concatenated objects, an
 * object wrapping the list under "data", "traces", "observations",
 * "requests", "resourceSpans" (or "runs", "spans"), and gzip of any of
 * these.  Lists are streamed element by element; only one record is held in
 * memory at a time (IMPORT_MAX_RECORD bytes at most).
 *
 * Formats (names for --format, see import_format_names) and source keys:
 *   native                 "native:<id>"
 *   openai-chat            "openai:<response id | metadata.trace_id>"
 *   openai-responses       "openai:<response id | metadata.trace_id>"
 *   openai-batch-input     "openai-batch:<custom_id>:<hash of the line>",
 *                          join_key = custom_id
 *   openai-batch-output    RECORD_OUTPUT, "openai-batch-out:<batch_req id>",
 *                          join_key = custom_id, model = the response's
 *   openai-finetune        {messages:[...]}, last assistant turn = output
 *   anthropic-messages     "anthropic:<msg id>"
 *   anthropic-batch-input  "anthropic-batch:<custom_id>:<hash>"
 *   anthropic-batch-output RECORD_OUTPUT, join_key = custom_id
 *   otlp                   OTLP/JSON spans, "otlp:<span id>"
 *   openinference-spans    one flat span per line, "otlp:<span id>"
 *   langfuse               GENERATION observations, "langfuse:<id>"
 *   langsmith              runs with run_type "llm", "langsmith:<id>"
 *   helicone               export rows, "helicone:<request_id>"
 *   swe-agent              one record per assistant turn,
 *                          "swe-agent:<hash of the file>:<turn>"
 * Without an id the key is "<family>:h<FNV-1a 64 of the raw record>".
 *
 * Text: every extracted text field is valid UTF-8 (invalid bytes become
 * U+FFFD); `raw` keeps the original bytes.  A NUL character (raw, or the
 * escape \u0000, at which cJSON would cut a string) becomes U+FFFD and the
 * record is kept.  Other control characters are kept as they are: the
 * display layer neutralises them.
 */
#ifndef TRACEGROUP_IMPORT_H
#define TRACEGROUP_IMPORT_H

#include <stddef.h>
#include <stdint.h>

/* Where the instructions of a record came from. */
enum instr_source {
	INSTR_NONE = 0,     /* no instructions and no user message */
	INSTR_FIELD,        /* instructions / system / developer messages */
	INSTR_FIRST_USER    /* none of those: only a first user message exists */
};

/* What a record contributes. */
enum record_kind {
	RECORD_TRACE = 0,   /* one LLM call */
	RECORD_OUTPUT       /* only the output of a call made elsewhere
	                       (OpenAI / Anthropic batch result lines), to be
	                       joined to its request by `join_key` */
};

struct trace_record {
	enum record_kind kind;
	const char *format;        /* detected format name, e.g. "openai-batch-input" */
	const char *source_key;    /* stable idempotency key, never NULL:
	                              format family + source id, or a content hash */
	const char *source_id;     /* id as written in the source, or NULL */
	const char *join_key;      /* batch custom_id for request/result joining, or NULL */
	const char *project;       /* NULL: use the importer default */
	const char *path;          /* endpoint path, NULL if unknown */
	const char *model;         /* NULL if unknown */
	const char *instructions;  /* instructions / system+developer messages
	                              joined by a blank line; NULL if none */
	const char *first_user;    /* text of the first user message, or NULL */
	const char *input_json;    /* input messages as a JSON array of
	                              {"role":..,"content":..} (content a string), or NULL */
	const char *output;        /* output text, or NULL */
	const char *created_at;    /* ISO-8601 UTC, YYYY-MM-DDTHH:MM:SS[.fff]Z, or NULL */
	const char *metadata_json; /* JSON object of extra facts worth keeping, notably
	                              declared prompt keys: "prompt_name",
	                              "prompt_version", "prompt_id", "prompt_template";
	                              or NULL */
	const char *raw;           /* the original record, verbatim bytes */
	size_t raw_len;
	uint64_t line;             /* 1-based line of the record's start in the file */
	uint64_t index;            /* 0-based record index within the file */
};

/* A record that could not be imported. */
struct import_reject {
	const char *file;
	uint64_t line;             /* 1-based line where the record starts (0: unknown) */
	uint64_t index;            /* 0-based record / array element index */
	const char *reason;        /* one line, human readable */
	const char *raw;           /* the record's bytes verbatim (may be truncated
	                              to raw_len for huge records) */
	size_t raw_len;
};

/* Callbacks.  `on_record` returns 0 to go on, non-zero to stop the import
 * (the import then returns IMPORT_STOPPED).  All may be NULL except on_record. */
struct import_sink {
	void *ctx;
	int  (*on_record)(void *ctx, const struct trace_record *rec);
	void (*on_reject)(void *ctx, const struct import_reject *rej);
	/* bytes_done / bytes_total of the (compressed) file; total 0 if unknown */
	void (*on_progress)(void *ctx, uint64_t bytes_done, uint64_t bytes_total,
	                    uint64_t records);
};

struct import_opts {
	const char *format;        /* force a format by name, NULL: detect */
	const char *project;       /* default project when the source has none */
	const char *path;          /* overrides / fills the endpoint path */
	int strict;                /* any bad record aborts the file */
};

enum import_status {
	IMPORT_OK = 0,
	IMPORT_FAILED = -1,        /* the file could not be read / format unknown */
	IMPORT_STOPPED = -2,       /* on_record asked to stop */
	IMPORT_STRICT_ABORT = -3   /* strict mode and a bad record was found */
};

/*
 * Import one file (plain or gzip, detected by magic bytes; "-" is stdin).
 * Calls sink->on_record for every trace and sink->on_reject for every bad
 * record, in file order.  Returns an import_status; on IMPORT_FAILED writes a
 * one-line reason into err.  `*n_records` / `*n_rejects` receive the counts.
 */
int import_file(const char *file, const struct import_opts *opts,
                const struct import_sink *sink, uint64_t *n_records,
                uint64_t *n_rejects, char *err, size_t errlen);

/* NULL-terminated list of format names accepted by --format. */
const char *const *import_format_names(void);

/* ---- additions: limits, statistics, the extended entry point ------------ */

/* Largest single record accepted by default (bytes of its JSON text). */
#define IMPORT_MAX_RECORD ((size_t)256 << 20)

struct import_limits {
	size_t max_record;         /* 0: IMPORT_MAX_RECORD */
	size_t read_chunk;         /* read size and initial buffer; 0: 1 MB */
};

struct import_stats {
	uint64_t records;          /* records handed to on_record */
	uint64_t rejects;          /* bad records reported to on_reject */
	uint64_t skipped;          /* well-formed records that are not LLM calls
	                              (LangSmith chain runs, non-LLM spans,
	                              Langfuse SPAN / EVENT observations) */
	uint64_t bytes;            /* bytes of the stored file read */
	size_t buffer_high_water;  /* largest read buffer held (memory bound) */
	int gzip;                  /* the file was gzip-compressed */
};

/*
 * import_file with explicit limits (NULL: defaults) and statistics (may be
 * NULL).  import_file(...) is import_file_ex(..., NULL, &st, ...).
 */
int import_file_ex(const char *file, const struct import_opts *opts,
                   const struct import_sink *sink,
                   const struct import_limits *limits,
                   struct import_stats *stats, char *err, size_t errlen);

#endif
