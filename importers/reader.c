/*
 * reader.c - plain / gzip / stdin byte source over zlib's gz* functions.
 */
#include "importers/reader.h"
#include "importers/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct reader {
	gzFile gz;
	uint64_t size;
	int is_stdin;
	char err[256];
};

struct reader *reader_open(const char *file, char *err, size_t errlen)
{
	int is_stdin = strcmp(file, "-") == 0;
	int fd = is_stdin ? dup(STDIN_FILENO) : open(file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", file);
		close(fd);
		return NULL;
	}
	gzFile gz = gzdopen(fd, "rb");
	if (!gz) {
		snprintf(err, errlen, "%s: cannot open for reading", file);
		close(fd);
		return NULL;
	}
	gzbuffer(gz, 1u << 17);
	struct reader *r = text_xmalloc(sizeof *r);
	memset(r, 0, sizeof *r);
	r->gz = gz;
	r->is_stdin = is_stdin;
	r->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	return r;
}

long reader_read(struct reader *r, char *buf, size_t n)
{
	if (n > (1u << 30))
		n = 1u << 30;
	int got = gzread(r->gz, buf, (unsigned)n);
	int code = 0;
	const char *msg = gzerror(r->gz, &code);
	if (got > 0 || (got == 0 && code == Z_OK))
		return got;
	if (got == 0 && code != Z_BUF_ERROR)
		return 0;
	snprintf(r->err, sizeof r->err, "%s",
	         code == Z_ERRNO ? strerror(errno) :
	         code == Z_BUF_ERROR ? "gzip data truncated (unexpected end of file)" :
	         msg ? msg : "read error");
	return -1;
}

const char *reader_error(const struct reader *r)
{
	return r->err[0] ? r->err : "read error";
}

uint64_t reader_offset(const struct reader *r)
{
	long off = (long)gzoffset(r->gz);
	return off > 0 ? (uint64_t)off : 0;
}

uint64_t reader_size(const struct reader *r)
{
	return r->size;
}

int reader_is_gzip(const struct reader *r)
{
	return !gzdirect(r->gz);
}

void reader_close(struct reader *r)
{
	if (!r)
		return;
	gzclose(r->gz);
	free(r);
}
