#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

static void remove_tmpdir(void)
{
	char cmd[300];
	if (tmpdir[0] && !getenv("LINEAGE_KEEP_TMP")) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
}

const char *tu_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/lineage-test-XXXXXX", base ? base : "/tmp");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

const char *tu_path(const char *name)
{
	static char bufs[8][512];
	static int next;
	char *buf = bufs[next++ % 8];
	snprintf(buf, sizeof bufs[0], "%s/%s", tu_tmpdir(), name);
	return buf;
}

const char *tu_server_uri_or_exit(const char *var)
{
	const char *uri = getenv(var), *require = getenv("LINEAGE_TEST_REQUIRE_SERVERS");
	if (uri && *uri)
		return uri;
	if (require && !strcmp(require, "1")) {
		fprintf(stderr, "%s is not set but LINEAGE_TEST_REQUIRE_SERVERS=1: start the servers with scripts/servers.sh\n", var);
		exit(EXIT_FAILURE);
	}
	fprintf(stderr, "skipped: %s is not set (source scripts/servers.sh; servers_start)\n", var);
	exit(EXIT_SUCCESS);
}

int tu_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)size + 1);
		if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[size] = '\0';
			if (len)
				*len = (size_t)size;
		}
	}
	fclose(f);
	return buf;
}
