/*
 * reader.h - the byte source of one import: a plain or gzip file, or stdin.
 *
 * gzip is recognised by its magic bytes (zlib reads plain files through
 * unchanged), so "x.json" and "x.json.gz" behave alike.  Progress is counted
 * in bytes of the file as stored, i.e. compressed bytes for gzip.
 */
#ifndef TRACEGROUP_IMPORT_READER_H
#define TRACEGROUP_IMPORT_READER_H

#include <stddef.h>
#include <stdint.h>

struct reader;

/* Open `file` ("-" is stdin).  NULL on error, with a reason in err. */
struct reader *reader_open(const char *file, char *err, size_t errlen);
/* Read up to n bytes.  Returns the count, 0 at the end, -1 on error (see
 * reader_error).  A truncated gzip stream reads as data and then an error. */
long reader_read(struct reader *r, char *buf, size_t n);
const char *reader_error(const struct reader *r);
/* Bytes of the stored file consumed so far, and its size (0: unknown). */
uint64_t reader_offset(const struct reader *r);
uint64_t reader_size(const struct reader *r);
int reader_is_gzip(const struct reader *r);
/* Closing is a no-op on NULL. */
void reader_close(struct reader *r);

#endif
