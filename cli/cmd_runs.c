/* `lineage ingest` and `lineage runs`: OpenLineage events recorded with their run states. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static void format_duration(char *buf, size_t size, int64_t ms)
{
	if (ms < 0)
		snprintf(buf, size, "-");
	else if (ms < 60000)
		snprintf(buf, size, "%.1fs", ms / 1000.0);
	else if (ms < 3600000)
		snprintf(buf, size, "%lldm%02llds", (long long)(ms / 60000), (long long)(ms / 1000 % 60));
	else
		snprintf(buf, size, "%lldh%02lldm", (long long)(ms / 3600000), (long long)(ms / 60000 % 60));
}

static void format_when(char *buf, size_t size, int64_t ms)
{
	if (ms < 0)
		snprintf(buf, size, "-");
	else
		cli_format_time(buf, size, ms);
}

static cli_style state_style(const char *state)
{
	if (!state)
		return CLI_DIM;
	if (!strcmp(state, "completed"))
		return CLI_GREEN;
	if (!strcmp(state, "running"))
		return CLI_YELLOW;
	return CLI_RED; /* failed, aborted */
}

static int print_runs(cli_ctx *ctx, const char *job, const lineage_run_list *list)
{
	static const char *const headers[] = {"RUN ID", "STATE", "STARTED (UTC)", "ENDED (UTC)", "DURATION"};
	size_t n = lineage_run_list_count(list);
	const char *status = lineage_run_list_job_status(list);
	cli_table *t;
	printf("%s: %s\n", job, status ? status : "no run state recorded");
	if (!n)
		return CLI_EXIT_OK;
	if (!(t = cli_table_new(5, headers)))
		return cli_error(ctx, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const lineage_run *r = lineage_run_list_get(list, i);
		char started[32], ended[32], duration[32];
		format_when(started, sizeof started, r->started_at_ms);
		format_when(ended, sizeof ended, r->ended_at_ms);
		format_duration(duration, sizeof duration, r->duration_ms);
		const char *cells[] = {r->run_id, r->state ? r->state : "-", started, ended, duration};
		const cli_style styles[] = {CLI_RESET, state_style(r->state), CLI_DIM, CLI_DIM, CLI_RESET};
		if (cli_table_add_styled(t, cells, styles)) {
			cli_table_free(t);
			return cli_error(ctx, "out of memory");
		}
	}
	cli_table_print(ctx, t, stdout);
	cli_table_free(t);
	return CLI_EXIT_OK;
}

int cli_cmd_runs(cli_ctx *ctx, int argc, char **argv)
{
	const char *limit_s = NULL;
	const cli_option options[] = {
		{"limit", CLI_VALUE, "N", "at most N runs, newest first (default 100)", &limit_s},
		{NULL, CLI_FLAG, NULL, NULL, NULL}};
	const cli_spec spec = {
		"runs", "JOB [options]",
		"Show a job's state and its runs, newest first, from the OpenLineage events received",
		"JOB is the job asset's key, <namespace>/<name> as OpenLineage names it.\n"
		"example: lineage runs airflow/etl.load_orders --limit 10",
		options, 1, 1};
	cli_args args;
	lineage_run_list *list = NULL;
	char *json = NULL;
	int64_t limit = 0;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	if (rc || (limit_s && (rc = cli_parse_int(ctx, "--limit", limit_s, 1, 10000, &limit))))
		goto done;
	lineage_db *db = cli_db(ctx, 0);
	if (!db) {
		rc = CLI_EXIT_ERROR;
		goto done;
	}
	if (ctx->json) {
		if (lineage_job_runs_json(&json, db, args.pos[0], (size_t)limit)) {
			rc = cli_fail(ctx);
			goto done;
		}
		cli_print_json(json);
		rc = CLI_EXIT_OK;
		goto done;
	}
	if (lineage_job_runs(&list, db, args.pos[0], (size_t)limit)) {
		rc = cli_fail(ctx);
		goto done;
	}
	rc = print_runs(ctx, args.pos[0], list);
done:
	lineage_run_list_free(list);
	cli_args_free(&args);
	return CLI_RC(rc);
}

/* One line of JSON Lines into the ingester; a refused event is reported and skipped. */
static int ingest_line(cli_ctx *ctx, lineage_ol_ingest *ing, const char *path, size_t line,
		       const char *text, size_t len, size_t *ok, size_t *refused)
{
	int rc;
	while (len && (text[len - 1] == '\r' || text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (!len)
		return 0;
	rc = lineage_ol_ingest_event(NULL, ing, text, len);
	if (!rc) {
		(*ok)++;
		return 0;
	}
	if (rc != LINEAGE_EINVALID && rc != LINEAGE_EPARSE && rc != LINEAGE_ELIMIT)
		return cli_fail(ctx);
	(*refused)++;
	char why[1800];
	fprintf(stderr, "%s:%zu: event refused: %s\n", path, line, cli_error_words(ctx, why, sizeof why));
	return 0;
}

int cli_cmd_ingest(cli_ctx *ctx, int argc, char **argv)
{
	const cli_spec spec = {
		"ingest", "FILE|- [options]",
		"Record OpenLineage events (JSON Lines: one event per line) with their run states",
		"Each event is read as the OpenLineage server would receive it: lineage as inferred\n"
		"edges and the runs of its job (see `lineage runs`). A refused event is reported\n"
		"with its line and skipped; the others are recorded, all in one transaction.\n"
		"example: lineage ingest events.jsonl && lineage runs airflow/etl.load_orders",
		NULL, 1, 1};
	cli_args args;
	lineage_ol_ingest *ing = NULL;
	cli_progress progress;
	char *line = NULL;
	size_t cap = 0, n = 0, ok = 0, refused = 0;
	ssize_t got;
	FILE *f = NULL;
	int rc = cli_parse(ctx, &spec, argc, argv, &args);
	cli_progress_init(&progress);
	if (rc)
		goto done;
	f = strcmp(args.pos[0], "-") ? fopen(args.pos[0], "rb") : stdin;
	if (!f) {
		rc = cli_error(ctx, "cannot read '%.400s': check the path", args.pos[0]);
		goto done;
	}
	lineage_db *db = cli_db(ctx, 0);
	if (!db || lineage_ol_ingest_new(&ing, db, NULL) || lineage_db_begin(db, "lineage ingest")) {
		rc = db ? cli_fail(ctx) : CLI_EXIT_ERROR;
		goto done;
	}
	while (!rc && (got = getline(&line, &cap, f)) >= 0) {
		rc = ingest_line(ctx, ing, args.pos[0], ++n, line, (size_t)got, &ok, &refused);
		if (!rc && n % 1000 == 0 && cli_progress_cb("ingest", n, 0, &progress))
			rc = cli_error(ctx, "cancelled: nothing was recorded");
	}
	if (rc) {
		lineage_db_rollback(db);
		goto done;
	}
	if (lineage_db_commit(db)) {
		rc = cli_fail(ctx);
		goto done;
	}
	cli_progress_finish(&progress);
	if (ctx->json)
		printf("{\"events\":%zu,\"refused\":%zu}\n", ok, refused);
	else
		printf("%zu events recorded, %zu refused\n", ok, refused);
	rc = refused ? CLI_EXIT_ERROR : CLI_EXIT_OK;
done:
	cli_progress_finish(&progress);
	if (f && f != stdin)
		fclose(f);
	free(line);
	lineage_ol_ingest_free(ing);
	cli_args_free(&args);
	return CLI_RC(rc);
}
