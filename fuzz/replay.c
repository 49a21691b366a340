/*
 * Replays inputs through a fuzz target's entry point without libFuzzer, so the committed
 * corpora (fuzz/corpus/<target>) run in every build, with gcc and under the ASan build too:
 *     replay_<target> FILE_OR_FOLDER...
 * Folders are read recursively. A crash or sanitizer report fails the run; the input being
 * replayed is named on stderr first, so the failure says which one.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replayed;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;
	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (size == cap) {
			uint8_t *more = realloc(data, cap = cap ? cap * 2 : 65536);
			if (!more) {
				free(data);
				fclose(f);
				return -1;
			}
			data = more;
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	fclose(f);
	fprintf(stderr, "replaying %s\n", path);
	/* an exact-size copy, so ASan sees a read past the end of the input */
	{
		uint8_t *exact = malloc(size ? size : 1);
		if (!exact) {
			free(data);
			return -1;
		}
		memcpy(exact, data, size);
		free(data);
		LLVMFuzzerTestOneInput(exact, size);
		free(exact);
	}
	replayed++;
	return 0;
}

static int replay(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *e;
	int rc = 0;
	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	dir = opendir(path);
	if (!dir) {
		perror(path);
		return -1;
	}
	while (rc == 0 && (e = readdir(dir)) != NULL) {
		char child[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof child, "%s/%s", path, e->d_name);
		rc = replay(child);
	}
	closedir(dir);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE_OR_FOLDER...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (replay(argv[i]) != 0)
			return 1;
	if (replayed == 0) {
		fprintf(stderr, "no input to replay\n");
		return 1;
	}
	printf("%zu inputs replayed\n", replayed);
	return 0;
}
