/* Input sources that can be read twice. */
#include "src.h"

#include <errno.h>
#include <string.h>

#include "common/error.h"

static void set_name(lin_src *src, const char *path)
{
	const char *base = strrchr(path, '/');
	snprintf(src->name, sizeof src->name, "%s", base ? base + 1 : path);
}

static int measure(lin_src *src)
{
	long end;
	src->start = ftell(src->file);
	if (src->start < 0 || fseek(src->file, 0, SEEK_END) != 0)
		return -1;
	end = ftell(src->file);
	if (end < 0 || fseek(src->file, src->start, SEEK_SET) != 0)
		return -1;
	src->size = (uint64_t)(end - src->start);
	return 0;
}

int lin_src_open_path(lin_src *src, const char *path)
{
	memset(src, 0, sizeof *src);
	set_name(src, path);
	src->file = fopen(path, "rb");
	if (!src->file)
		return lin_error_set(LINEAGE_EIO, "cannot open \"%s\": %s; check the path and that "
				     "you may read the file", path, strerror(errno));
	src->own_file = 1;
	if (measure(src) != 0) {
		/* A named pipe or a device: read it like a stream (and close it at the end). */
		FILE *f = src->file;
		int rc = lin_src_open_file(src, f);
		set_name(src, path);
		src->owned_stream = f;
		return rc;
	}
	return 0;
}

int lin_src_open_file(lin_src *src, FILE *file)
{
	memset(src, 0, sizeof *src);
	snprintf(src->name, sizeof src->name, "stream");
	if (!file)
		return lin_error_set(LINEAGE_EINVALID, "no input stream given (FILE * is NULL)");
	src->file = file;
	if (measure(src) == 0)
		return 0;
	clearerr(file);
	src->size = 0;
	src->stream = 1;
	if (!(src->tee = tmpfile())) {
		src->file = NULL;
		return lin_error_set(LINEAGE_EIO, "cannot create a temporary file to read the input "
				     "twice: %s; set TMPDIR to a writable folder", strerror(errno));
	}
	return 0;
}

/* Read from a stream that cannot seek, keeping a copy unless it is read once. */
static size_t read_tee(lin_src *src, unsigned char *buf, size_t n, int *err)
{
	size_t got = fread(buf, 1, n, src->file);
	if (got < n && ferror(src->file)) {
		*err = lin_error_set(LINEAGE_EIO, "cannot read \"%s\": %s", src->name, strerror(errno));
		return 0;
	}
	if (got && src->tee && fwrite(buf, 1, got, src->tee) != got) {
		*err = lin_error_set(LINEAGE_EIO, "cannot write a temporary copy of the input: %s; "
				     "free some disk space", strerror(errno));
		return 0;
	}
	return got;
}

void lin_src_open_mem(lin_src *src, const void *data, size_t len)
{
	memset(src, 0, sizeof *src);
	snprintf(src->name, sizeof src->name, "memory");
	src->mem = data;
	src->mem_len = data ? len : 0;
	src->size = src->mem_len;
}

size_t lin_src_read(lin_src *src, void *buf, size_t n, int *err)
{
	size_t got;
	int dummy = 0;
	if (!err)
		err = &dummy;
	if (src->stream) {
		got = 0;
		if (src->head_pos < src->head_len) {
			got = src->head_len - src->head_pos < n ? src->head_len - src->head_pos : n;
			memcpy(buf, src->head + src->head_pos, got);
			src->head_pos += got;
		}
		if (got < n)
			got += read_tee(src, (unsigned char *)buf + got, n - got, err);
	} else if (src->file) {
		uint64_t left = src->size - src->consumed;
		if (n > left)
			n = (size_t)left;
		got = n ? fread(buf, 1, n, src->file) : 0;
		if (got < n && ferror(src->file))
			*err = lin_error_set(LINEAGE_EIO, "cannot read \"%s\": %s", src->name,
					     strerror(errno));
	} else {
		got = src->mem_len - src->mem_pos;
		if (got > n)
			got = n;
		if (got)
			memcpy(buf, src->mem + src->mem_pos, got);
		src->mem_pos += got;
	}
	src->consumed += got;
	return got;
}

uint64_t lin_src_estimate_records(const lin_src *src, uint64_t done, uint64_t consumed)
{
	if (!src->size || !consumed)
		return done;
	return (uint64_t)((double)done * (double)src->size / (double)consumed);
}

void lin_src_read_once(lin_src *src)
{
	if (src->tee)
		fclose(src->tee);
	src->tee = NULL;
}

int lin_src_rewind(lin_src *src)
{
	if (src->stream && !src->tee && src->consumed)
		return lin_error_set(LINEAGE_EUSAGE, "the input stream was read once and cannot be "
				     "read again");
	if (src->stream && src->tee) {
		char buf[65536];
		size_t n;
		int err = 0;
		if (src->consumed == 0 && src->head_len == 0)
			return 0; /* nothing read yet */
		/* Copy what the first pass did not read, then read the copy from now on. */
		src->head_pos = src->head_len;
		while ((n = read_tee(src, (unsigned char *)buf, sizeof buf, &err)) > 0)
			;
		if (err)
			return err;
		src->file = src->tee;
		src->own_file = 1;
		src->tee = NULL;
		src->stream = 0;
		rewind(src->file);
		if (measure(src) != 0)
			return lin_error_set(LINEAGE_EIO, "cannot seek the temporary copy of the input");
	}
	src->consumed = 0;
	if (!src->file) {
		src->mem_pos = 0;
		return 0;
	}
	if (fseek(src->file, src->start, SEEK_SET) != 0)
		return lin_error_set(LINEAGE_EIO, "cannot go back to the start of \"%s\": %s",
				     src->name, strerror(errno));
	return 0;
}

size_t lin_src_peek(lin_src *src, void *buf, size_t n)
{
	size_t got;
	int err = 0;
	if (src->stream) {
		/* Keep the first bytes aside; reads serve them first. */
		if (src->head_len == 0 && src->consumed == 0)
			src->head_len = read_tee(src, src->head, sizeof src->head, &err);
		got = src->head_len < n ? src->head_len : n;
		memcpy(buf, src->head, got);
		return err ? 0 : got;
	}
	if (lin_src_rewind(src) != 0)
		return 0;
	got = lin_src_read(src, buf, n, &err);
	lin_src_rewind(src);
	return err ? 0 : got;
}

void lin_src_close(lin_src *src)
{
	if (src->tee)
		fclose(src->tee);
	src->tee = NULL;
	if (src->owned_stream && src->owned_stream != src->file)
		fclose(src->owned_stream);
	if (src->file && (src->own_file || src->file == src->owned_stream))
		fclose(src->file);
	src->file = NULL;
	src->owned_stream = NULL;
}
