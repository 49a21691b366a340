/* lineage copy SRC DEST: a whole store from one database to another (SQLite <-> PostgreSQL). */
#include <stdio.h>
#include <string.h>

#include "commands.h"

/* `where` for the output, a password in a URI (user:PASSWORD@ or password=...) as "***". */
static void shown(char *out, size_t size, const char *where)
{
	const char *scheme = strstr(where, "://"), *at, *colon, *pw;
	snprintf(out, size, "%s", where);
	if (!scheme)
		return;
	at = strchr(scheme + 3, '@');
	colon = strchr(scheme + 3, ':');
	if (at && colon && colon < at && !memchr(scheme + 3, '/', (size_t)(at - scheme - 3)))
		snprintf(out, size, "%.*s***%s", (int)(colon + 1 - where), where, at);
	if ((pw = strstr(out, "password=")) != NULL) {
		char rest[1024];
		const char *end = strchr(pw, '&');
		snprintf(rest, sizeof rest, "%s", end ? end : "");
		snprintf((char *)pw + 9, size - (size_t)(pw + 9 - out), "***%s", rest);
	}
}

int cli_cmd_copy(cli_ctx *ctx, int argc, char **argv)
{
	const char *src_schema = NULL, *dest_schema = NULL;
	const cli_option options[] = {
		{"src-schema", CLI_VALUE, "S", "schema of a PostgreSQL source (default lineage)", &src_schema},
		{"dest-schema", CLI_VALUE, "S", "schema of a PostgreSQL destination (default lineage)",
		 &dest_schema},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"copy", "SRC DEST [options]",
		"Copy a whole store, audit trail and batches included, into an empty one",
		"SRC and DEST are SQLite files or postgresql:// URIs: move a store from one machine\n"
		"to PostgreSQL, or back. DEST must be new or empty; ids and change numbers are kept,\n"
		"so history and revert work on the copy. A failed or interrupted copy leaves DEST\n"
		"as it was. The global --db is not used.\n"
		"example: lineage copy warehouse.db 'postgresql:///lineage?host=/run/postgresql'",
		options, 2, 2};
	lineage_copy_options opts;
	cli_args args;
	cli_progress progress;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	lineage_copy_options_init(&opts, LINEAGE_COPY_OPTIONS_VERSION);
	opts.src_pg_schema = src_schema;
	opts.dest_pg_schema = dest_schema;
	opts.progress = cli_progress_cb;
	opts.payload = &progress;
	cli_progress_init(&progress);
	rc = lineage_db_copy(args.pos[0], args.pos[1], &opts);
	cli_progress_finish(&progress);
	if (rc) {
		rc = cli_fail(ctx);
		goto done;
	}
	char src[1024], dest[1024];
	shown(src, sizeof src, args.pos[0]);
	shown(dest, sizeof dest, args.pos[1]);
	if (ctx->json) {
		printf("{\"source\":");
		cli_json_string(stdout, src);
		printf(",\"dest\":");
		cli_json_string(stdout, dest);
		printf("}\n");
	} else {
		printf("copied %s to %s\n", src, dest);
	}
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}
