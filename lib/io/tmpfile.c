/*
 * Temporary export files: created locked, and the unlocked ones that killed exports left
 * behind removed. flock() locks belong to an open file, not to a process as fcntl() locks do,
 * so two exports in one process see each other's locks as well; the lock goes away with the
 * process, however it ends.
 */
#define _DEFAULT_SOURCE /* flock */
#include "tmpfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"

#define SUFFIX ".tmp."
#define RANDOM_LEN 6 /* mkstemp's XXXXXX */
#define ATTEMPTS 8

static int same_file(const char *name, int fd)
{
	struct stat a, b;
	return lstat(name, &a) == 0 && fstat(fd, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

int lin_tmpfile_create(FILE **out, lin_strbuf *tmp_path, const char *path)
{
	int err = 0;
	*out = NULL;
	for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
		int fd;
		lin_strbuf_reset(tmp_path);
		if (lin_strbuf_printf(tmp_path, "%s" SUFFIX "XXXXXX", path))
			return LINEAGE_ENOMEM;
		if ((fd = mkstemp(tmp_path->data)) < 0) {
			err = errno;
			break;
		}
		/* A sweep may have taken it for a leftover before it was locked: take another.
		 * A file system without flock() still gets its export, unprotected. */
		if ((flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) ||
		    !same_file(tmp_path->data, fd)) {
			close(fd);
			err = EEXIST;
			continue;
		}
		if ((*out = fdopen(fd, "wb")) != NULL)
			return 0;
		err = errno;
		close(fd);
		unlink(tmp_path->data);
		break;
	}
	return lin_error_set(LINEAGE_EIO, "cannot create \"%s\": %s; check the folder and its permissions",
			     path, strerror(err));
}

/* "<base>.tmp." and exactly six ASCII letters or digits. */
static int is_leftover_name(const char *name, const char *base, size_t base_len)
{
	const char *r = name + base_len + strlen(SUFFIX);
	if (strncmp(name, base, base_len) || strncmp(name + base_len, SUFFIX, strlen(SUFFIX)))
		return 0;
	for (int i = 0; i < RANDOM_LEN; i++) {
		char c = r[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return r[RANDOM_LEN] == '\0';
}

static void remove_if_unused(const char *name)
{
	struct stat st;
	/* Not through a symbolic link, never blocked by a FIFO. */
	int fd = open(name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0 && same_file(name, fd))
		unlink(name);
	close(fd);
}

void lin_tmpfile_sweep(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t base_len = strlen(base);
	lin_strbuf dir = LIN_STRBUF_INIT, name = LIN_STRBUF_INIT;
	struct dirent *ent;
	DIR *d;
	if (!base_len)
		return;
	if (slash ? lin_strbuf_append(&dir, path, slash == path ? 1 : (size_t)(slash - path))
		  : lin_strbuf_puts(&dir, "."))
		return;
	if ((d = opendir(dir.data)) != NULL) {
		while ((ent = readdir(d)) != NULL) {
			if (!is_leftover_name(ent->d_name, base, base_len))
				continue;
			lin_strbuf_reset(&name);
			if (lin_strbuf_printf(&name, "%s/%s", dir.data, ent->d_name))
				break;
			remove_if_unused(name.data);
		}
		closedir(d);
	}
	lin_strbuf_free(&dir);
	lin_strbuf_free(&name);
}
