/* API tokens for the service: token create (printed once), token list, token revoke. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"

#define DAY_MS 86400000LL

static int token_create(cli_ctx *ctx, int argc, char **argv)
{
	const char *user = NULL, *role = NULL, *expires = NULL;
	const cli_option options[] = {
		{"user", CLI_VALUE, "NAME", "who the token is for (recorded as the actor of its changes)", &user},
		{"role", CLI_VALUE, "ROLE", "viewer, editor, steward or admin", &role},
		{"expires", CLI_VALUE, "DAYS", "the token stops working after DAYS days (default: never)", &expires},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"token create", "--user NAME --role ROLE [--expires DAYS]",
		"Create an API token for the lineage service; it is printed once",
		"Roles: viewer reads; editor also writes assets, manual edges and imports; steward\n"
		"also approves and rejects; admin also reverts, backs up and manages tokens.\n"
		"Only a hash of the token is stored: copy it now, it cannot be shown again.\n"
		"example: lineage token create --user ada --role editor --expires 90",
		options, 0, 0};
	cli_args args;
	char *token = NULL;
	int64_t days = 0, id = 0;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc)
		goto done;
	if (!user || !role) {
		rc = cli_usage(ctx, "%s is required", !user ? "--user NAME" : "--role ROLE");
		goto done;
	}
	if (!lineage_token_role_rank(role)) {
		rc = cli_usage(ctx, "--role \"%s\" is not a role: use viewer, editor, steward or admin", role);
		goto done;
	}
	if (expires && (rc = cli_parse_int(ctx, "--expires", expires, 1, 36500, &days)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_token_create(&token, &id, db, user, role,
				 days ? (int64_t)time(NULL) * 1000 + days * DAY_MS : 0)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		printf("{\"id\":%lld,\"user\":", (long long)id);
		cli_json_string(stdout, user);
		printf(",\"role\":\"%s\",\"token\":\"%s\"}\n", role, token);
	} else {
		printf("%s\n", token);
		fprintf(stderr, "token %lld for %s (%s", (long long)id, user, role);
		if (days)
			fprintf(stderr, ", expires in %lld days", (long long)days);
		fprintf(stderr, "): copy it now, it will not be shown again\n");
	}
done:
	if (token) {
		memset(token, 0, strlen(token));
		lineage_free(token);
	}
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int token_list(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_spec spec = {
		"token list", "[--json]", "The API tokens: who, which role, when made, used, revoked",
		"Never shows a token itself (only its id: revoke with 'lineage token revoke ID').\n"
		"--json gives {\"tokens\": [{\"id\", \"user\", \"role\", \"created_by\", \"created_at\",\n"
		"\"expires_at\", \"revoked_at\", \"last_used_at\", \"state\"}]}.\n"
		"example: lineage token list",
		NULL, 0, 0};
	static const char *const names[] = {"id", "user", "role", "state", "created_at",
					    "expires_at", "last_used_at", "revoked_at"};
	static const char *const headers[] = {"ID", "USER", "ROLE", "STATE", "CREATED",
					      "EXPIRES", "LAST USED", "REVOKED"};
	cli_args args;
	cli_table *table = NULL;
	char *json = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args), rows = 0;
	if (rc)
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_token_list_json(&json, db)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json) {
		cli_print_json(json);
		json = NULL;
		goto done;
	}
	if (!(table = cli_table_new(8, headers))) {
		rc = cli_error(ctx, "out of memory");
		goto done;
	}
	for (const char *p = strstr(json, "{\"id\":"); p; rows++) {
		const char *next = strstr(p + 1, "{\"id\":"), *end = next ? next : p + strlen(p);
		char bufs[8][320];
		const char *cells[8];
		for (int i = 0; i < 8; i++) {
			cells[i] = cli_json_field(p, end, names[i], bufs[i], sizeof bufs[i]);
			if (i >= 4 && cells[i] && strlen(bufs[i]) > 16)
				bufs[i][16] = '\0'; /* "2026-12-05T02:16" */
		}
		if (cli_table_add(table, cells)) {
			rc = cli_error(ctx, "out of memory");
			goto done;
		}
		p = next;
	}
	if (rows)
		cli_table_print(ctx, table, stdout);
	else
		printf("no tokens (create one with 'lineage token create --user NAME --role ROLE')\n");
done:
	cli_table_free(table);
	lineage_free(json);
	cli_args_free(&args);
	return CLI_RC(rc);
}

static int token_revoke(cli_ctx *ctx, int argc, char **argv)
{
	const cli_spec spec = {
		"token revoke", "ID", "Revoke an API token: it stops working at once",
		"Find the ID in 'lineage token list'.\nexample: lineage token revoke 3",
		NULL, 1, 1};
	cli_args args;
	int64_t id;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (rc = cli_parse_int(ctx, "ID", args.pos[0], 1, INT64_MAX, &id)))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (lineage_token_revoke(db, id)) {
		rc = cli_fail(ctx);
		goto done;
	}
	if (ctx->json)
		printf("{\"revoked\":%lld}\n", (long long)id);
	else
		printf("revoked token %lld\n", (long long)id);
done:
	cli_args_free(&args);
	return CLI_RC(rc);
}

int cli_cmd_token(cli_ctx *ctx, int argc, char **argv)
{
	static const cli_command subs[] = {
		{"create", token_create, "create a token for a user and role (printed once)"},
		{"list", token_list, "the tokens, never their secret"},
		{"revoke", token_revoke, "revoke a token by its id"},
		{NULL, NULL, NULL}};
	return cli_run_group(ctx, "token", subs, argc, argv);
}
