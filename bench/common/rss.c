#include "lbench.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

/* A "Name:   1234 kB" line of /proc/self/status, in KiB; -1 when absent. */
static long proc_status_kib(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	long value = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			if (sscanf(line + len + 1, "%ld", &value) != 1)
				value = -1;
			break;
		}
	}
	fclose(f);
	return value;
}

long lbench_peak_rss_kib(void)
{
	/* VmHWM honours lbench_reset_peak_rss(); ru_maxrss is the fallback. */
	long hwm = proc_status_kib("VmHWM");
	struct rusage ru;
	if (hwm >= 0)
		return hwm;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss;
}

long lbench_current_rss_kib(void)
{
	return proc_status_kib("VmRSS");
}

int lbench_reset_peak_rss(void)
{
	/* Writing 5 to clear_refs resets VmHWM (Linux 4.0 and later). */
	FILE *f = fopen("/proc/self/clear_refs", "w");
	int rc;
	if (!f)
		return -1;
	rc = fputs("5", f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}
