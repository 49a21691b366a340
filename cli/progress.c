/*
 * A progress line on stderr for long operations (backup, import, scan, export). It draws only
 * when stderr is a terminal, at most ten times a second, so that logs and pipes stay clean.
 * Ctrl-C during the operation asks the library to cancel, which leaves the database as it
 * was; a second Ctrl-C kills the process as usual.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t interrupted;
static struct sigaction saved_sigint;
static int handler_installed;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
	/* The next Ctrl-C terminates: the default action is back. */
	signal(SIGINT, SIG_DFL);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cli_progress_init(cli_progress *p)
{
	struct sigaction sa;
	memset(p, 0, sizeof *p);
	p->enabled = isatty(STDERR_FILENO);
	p->last_ms = -1000;
	interrupted = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	if (!handler_installed && sigaction(SIGINT, &sa, &saved_sigint) == 0)
		handler_installed = 1;
}

static void draw(cli_progress *p, const char *stage, uint64_t done, uint64_t total)
{
	char bar[31];
	if (total > 0) {
		uint64_t shown = done > total ? total : done;
		size_t fill = (size_t)(shown * 30 / total);
		memset(bar, '#', fill);
		memset(bar + fill, '.', 30 - fill);
		bar[30] = '\0';
		fprintf(stderr, "\r%s [%s] %llu/%llu (%u%%)\033[K", stage, bar,
			(unsigned long long)done, (unsigned long long)total,
			(unsigned)(shown * 100 / total));
	} else {
		fprintf(stderr, "\r%s %llu\033[K", stage, (unsigned long long)done);
	}
	fflush(stderr);
	p->drawn = 1;
}

int cli_progress_cb(const char *stage, uint64_t done, uint64_t total, void *payload)
{
	cli_progress *p = payload;
	if (interrupted)
		return 1;
	if (!p || !p->enabled)
		return 0;
	if (!stage)
		stage = "working";
	int64_t now = now_ms();
	int new_stage = strncmp(p->stage, stage, sizeof p->stage - 1) != 0;
	int finished = total > 0 && done >= total;
	if (!new_stage && !finished && now - p->last_ms < 100)
		return 0;
	if (new_stage)
		snprintf(p->stage, sizeof p->stage, "%s", stage);
	p->last_ms = now;
	draw(p, p->stage, done, total);
	return 0;
}

void cli_progress_finish(cli_progress *p)
{
	if (p->enabled && p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->drawn = 0;
	}
	if (handler_installed) {
		sigaction(SIGINT, &saved_sigint, NULL);
		handler_installed = 0;
	}
}
