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

int cli_fail(cli_ctx *ctx)
{
	const lineage_error *e = lineage_error_last();
	print_error_line(ctx, e->code ? e->message : "the operation failed for an unknown reason",
			 NULL);
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
				  ctx->db_path, ctx->db_path);
		else
			cli_fail(ctx);
		return NULL;
	}
	return ctx->db;
}
