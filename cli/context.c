/* The command context: opening the database, and one-line error messages. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Print "lineage: error: " and the message on one line (newlines become spaces). */
static void print_error_line(const cli_ctx *ctx, const char *msg, const char *suffix)
{
	fprintf(stderr, "%slineage: error:%s ", ctx->err_color ? "\033[1;31m" : "",
		ctx->err_color ? "\033[0m" : "");
	for (const char *p = msg; *p; p++)
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, stderr);
	fprintf(stderr, "%s\n", suffix ? suffix : "");
}

int cli_status(void)
{
	return lineage_error_last()->code == LINEAGE_ENOTFOUND ? CLI_EXIT_NOTFOUND
							       : CLI_EXIT_ERROR;
}

/* The last segment of a dotted key: what `lineage search` finds it by. */
static const char *last_word(const char *key)
{
	const char *dot = strrchr(key, '.');
	return dot && dot[1] ? dot + 1 : key;
}

const char *cli_db_shown(const char *path)
{
	static char buf[2048];
	const char *scheme = strstr(path, "://"), *at, *colon, *pw;
	size_t n = 0;
	if (!scheme || (strncmp(path, "postgres://", 11) && strncmp(path, "postgresql://", 13)))
		return path;
	/* postgresql://user:PASSWORD@host/... */
	at = strchr(scheme + 3, '@');
	colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	if (colon)
		n = (size_t)snprintf(buf, sizeof buf, "%.*s:***%s", (int)(colon - path), path, at);
	else
		n = (size_t)snprintf(buf, sizeof buf, "%s", path);
	/* ...?password=PASSWORD&... */
	if (n + 4 < sizeof buf && (pw = strstr(buf, "password=")) && (pw == buf || pw[-1] == '?' || pw[-1] == '&')) {
		char *value = (char *)pw + 9, *end = strchr(value, '&');
		memmove(value + 3, end ? end : value + strlen(value), strlen(end ? end : "") + 1);
		memcpy(value, "***", 3);
	}
	return buf;
}

/* The library's advice (a lineage_hint) in the words of this tool: its commands and options,
 * where the library's message names C functions and constants. */
static void advice(const cli_ctx *ctx, const lineage_error *e, char *buf, size_t cap)
{
	const char *arg = e->hint_arg, *db = cli_db_shown(ctx->db_path);
	switch (e->hint) {
	case LINEAGE_HINT_FIND_ASSET: snprintf(buf, cap, "check the spelling (keys are case-sensitive) or find it with 'lineage search %.200s'", last_word(arg)); break;
	case LINEAGE_HINT_DECLARE_ASSET_KIND: snprintf(buf, cap, "declare it first with 'lineage kind add %.200s'", arg); break;
	case LINEAGE_HINT_DECLARE_EDGE_KIND: snprintf(buf, cap, "use --kind update, or declare the kind with 'lineage kind add --edge --self-loops %.200s'", arg); break;
	case LINEAGE_HINT_REMOVE_CASCADE: snprintf(buf, cap, "remove them first, or add --cascade to remove it with everything it contains"); break;
	case LINEAGE_HINT_OPEN_WRITABLE: snprintf(buf, cap, "run 'lineage --db %.300s init' once with write access to the file and its folder", db); break;
	case LINEAGE_HINT_OPEN_READONLY: snprintf(buf, cap, "make the file and its folder writable"); break;
	case LINEAGE_HINT_OPEN_CREATE: snprintf(buf, cap, "check --db, or create it with 'lineage --db %.300s init'", db); break;
	case LINEAGE_HINT_BATCH_IDS: snprintf(buf, cap, "take batch ids from 'lineage changes' or 'lineage history KEY'"); break;
	case LINEAGE_HINT_CREATE_MISSING: snprintf(buf, cap, "add it with 'lineage asset add %.200s --kind K', or pass --create-missing", arg); break;
	default: snprintf(buf, cap, "%s", ""); break;
	}
}

const char *cli_error_words(const cli_ctx *ctx, char *buf, size_t cap)
{
	const lineage_error *e = lineage_error_last();
	char fix[700];
	advice(ctx, e, fix, sizeof fix);
	if (!e->code)
		snprintf(buf, cap, "the operation failed for an unknown reason");
	else if (*fix)
		snprintf(buf, cap, "%s: %s", e->problem, fix);
	else
		snprintf(buf, cap, "%s", e->message);
	return buf;
}

int cli_fail(cli_ctx *ctx)
{
	char msg[1800];
	print_error_line(ctx, cli_error_words(ctx, msg, sizeof msg), NULL);
	return cli_status();
}

int cli_error(cli_ctx *ctx, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_error_line(ctx, msg, NULL);
	return CLI_EXIT_ERROR;
}

int cli_usage(cli_ctx *ctx, const char *fmt, ...)
{
	char msg[1024], hint[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ctx->command)
		snprintf(hint, sizeof hint, " (usage: lineage %s %s; see 'lineage %s --help')",
			 ctx->command, ctx->synopsis ? ctx->synopsis : "", ctx->command);
	else
		snprintf(hint, sizeof hint, " (see 'lineage --help')");
	print_error_line(ctx, msg, hint);
	return CLI_EXIT_USAGE;
}

lineage_db *cli_db(cli_ctx *ctx, int create)
{
	lineage_open_options opts;
	if (ctx->db)
		return ctx->db;
	lineage_open_options_init(&opts, LINEAGE_OPEN_OPTIONS_VERSION);
	opts.actor = ctx->actor;
	if (!create)
		opts.flags |= LINEAGE_OPEN_NOCREATE;
	if (lineage_db_open(&ctx->db, ctx->db_path, &opts)) {
		ctx->db = NULL;
		if (!create && lineage_error_last()->code == LINEAGE_ENOTFOUND)
			cli_error(ctx,
				  "no lineage database at '%.400s': create it with 'lineage --db "
				  "%.400s init', or set --db or $LINEAGE_DB to an existing one",
				  cli_db_shown(ctx->db_path), cli_db_shown(ctx->db_path));
		else
			cli_fail(ctx);
		return NULL;
	}
	return ctx->db;
}
