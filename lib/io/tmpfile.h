/* Internal: the temporary file an export writes beside its target, renamed over it at the end. */
#ifndef LIN_IO_TMPFILE_H
#define LIN_IO_TMPFILE_H

#include <stdio.h>

#include "common/strbuf.h"

/*
 * Create "<path>.tmp.XXXXXX", open for writing and locked for as long as it stays open, so
 * that lin_tmpfile_sweep() of another export never takes it for a leftover. *tmp_path gets
 * its name. Returns 0 or EIO/ENOMEM with a message naming `path`.
 */
int lin_tmpfile_create(FILE **out, lin_strbuf *tmp_path, const char *path);

/*
 * Remove what killed exports to `path` left behind: regular files of this user named exactly
 * "<path>.tmp." and six letters or digits (mkstemp's names) that no open export holds
 * locked. Best effort: what cannot be removed stays, silently.
 */
void lin_tmpfile_sweep(const char *path);

#endif
