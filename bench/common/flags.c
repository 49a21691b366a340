#include "lbench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *type_hint(lbench_flag_type type)
{
	switch (type) {
	case LBENCH_FLAG_INT:
		return " N";
	case LBENCH_FLAG_DOUBLE:
		return " X";
	case LBENCH_FLAG_STRING:
		return " TEXT";
	default:
		return "";
	}
}

void lbench_flags_usage(const char *prog, const lbench_flag *flags, size_t n,
			const char *summary)
{
	printf("usage: %s [options]\n", prog);
	if (summary)
		printf("%s\n", summary);
	printf("\noptions:\n");
	for (size_t i = 0; i < n; i++) {
		char left[64];
		snprintf(left, sizeof left, "--%s%s", flags[i].name, type_hint(flags[i].type));
		printf("  %-24s %s\n", left, flags[i].help);
	}
	printf("  %-24s %s\n", "--help", "show this help");
}

static int set_value(const char *prog, const lbench_flag *f, const char *value)
{
	char *end = NULL;
	errno = 0;
	switch (f->type) {
	case LBENCH_FLAG_INT: {
		long long v = strtoll(value, &end, 10);
		if (errno || end == value || *end) {
			fprintf(stderr, "%s: --%s needs an integer, not '%s'\n", prog, f->name,
				value);
			return -1;
		}
		*(long long *)f->ptr = v;
		return 0;
	}
	case LBENCH_FLAG_DOUBLE: {
		double v = strtod(value, &end);
		if (errno || end == value || *end) {
			fprintf(stderr, "%s: --%s needs a number, not '%s'\n", prog, f->name,
				value);
			return -1;
		}
		*(double *)f->ptr = v;
		return 0;
	}
	case LBENCH_FLAG_STRING:
		*(const char **)f->ptr = value;
		return 0;
	default:
		fprintf(stderr, "%s: --%s takes no value\n", prog, f->name);
		return -1;
	}
}

int lbench_flags_parse(int argc, char **argv, const lbench_flag *flags, size_t n,
		       const char *summary)
{
	const char *prog = argc > 0 && argv[0] ? argv[0] : "bench";
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq, *name;
		const lbench_flag *f = NULL;
		size_t len;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			lbench_flags_usage(prog, flags, n, summary);
			return 1;
		}
		if (strncmp(arg, "--", 2) != 0 || !arg[2]) {
			fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", prog, arg);
			return -1;
		}
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		for (size_t k = 0; k < n; k++) {
			if (strlen(flags[k].name) == len && strncmp(flags[k].name, name, len) == 0) {
				f = &flags[k];
				break;
			}
		}
		if (!f) {
			fprintf(stderr, "%s: unknown option '%s' (see --help)\n", prog, arg);
			return -1;
		}
		if (f->type == LBENCH_FLAG_BOOL) {
			if (eq) {
				fprintf(stderr, "%s: --%s takes no value\n", prog, f->name);
				return -1;
			}
			*(int *)f->ptr = 1;
			continue;
		}
		if (eq) {
			if (set_value(prog, f, eq + 1) != 0)
				return -1;
		} else if (i + 1 < argc) {
			if (set_value(prog, f, argv[++i]) != 0)
				return -1;
		} else {
			fprintf(stderr, "%s: --%s needs a value\n", prog, f->name);
			return -1;
		}
	}
	return 0;
}
