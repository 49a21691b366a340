/* Connecting to PostgreSQL, running parameterized statements, reading results, translating
 * errors (by SQLSTATE) and re-making a lost connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "common/strbuf.h"
#include "common/util.h"

/* ---- parameters ---- */

static char *next_slot(lin_pg_args *a)
{
	return a->n < LIN_PG_MAX_PARAMS ? a->num[a->n] : NULL;
}

void lin_pg_text(lin_pg_args *a, const char *s)
{
	if (a->n < LIN_PG_MAX_PARAMS)
		a->v[a->n++] = s;
}

void lin_pg_int(lin_pg_args *a, int64_t v)
{
	char *slot = next_slot(a);
	if (!slot)
		return;
	snprintf(slot, sizeof a->num[0], "%lld", (long long)v);
	a->v[a->n++] = slot;
}

void lin_pg_id(lin_pg_args *a, int64_t v)
{
	if (v)
		lin_pg_int(a, v);
	else
		lin_pg_text(a, NULL);
}

void lin_pg_real(lin_pg_args *a, double v)
{
	char *slot = next_slot(a);
	if (!slot)
		return;
	snprintf(slot, sizeof a->num[0], "%.17g", v);
	a->v[a->n++] = slot;
}

char *lin_pg_id_array(const int64_t *ids, size_t n)
{
	lin_strbuf sb = LIN_STRBUF_INIT;
	int rc = lin_strbuf_putc(&sb, '{');
	for (size_t i = 0; i < n && !rc; i++)
		rc = lin_strbuf_printf(&sb, i ? ",%lld" : "%lld", (long long)ids[i]);
	if (!rc)
		rc = lin_strbuf_putc(&sb, '}');
	if (rc) {
		lin_strbuf_free(&sb);
		lin_error_oom();
		return NULL;
	}
	return lin_strbuf_detach(&sb);
}

/* ---- columns ---- */

int64_t lin_pg_i64(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

double lin_pg_f64(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtod(PQgetvalue(res, row, col), NULL);
}

const char *lin_pg_cstr(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

int lin_pg_str(const PGresult *res, int row, int col, const char **dst)
{
	if (PQgetisnull(res, row, col)) {
		*dst = NULL;
		return 0;
	}
	*dst = lin_strndup(PQgetvalue(res, row, col), (size_t)PQgetlength(res, row, col));
	return *dst ? 0 : LINEAGE_ENOMEM;
}

/* ---- errors ---- */

/* The server's or libpq's message, on one line. */
static void message_of(lin_pg *p, const PGresult *res, char *buf, size_t size)
{
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	size_t n;
	if (!msg)
		msg = p->conn ? PQerrorMessage(p->conn) : "no connection";
	snprintf(buf, size, "%s", msg && *msg ? msg : "no message");
	for (n = strlen(buf); n && (buf[n - 1] == '\n' || buf[n - 1] == ' '); n--)
		buf[n - 1] = '\0';
	for (char *c = buf; *c; c++)
		if (*c == '\n')
			*c = ' ';
}

int lin_pg_error(lin_pg *p, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	char msg[512];
	message_of(p, res, msg, sizeof msg);
	if (!p->conn || PQstatus(p->conn) == CONNECTION_BAD ||
	    (state && (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3)))) {
		int was = p->in_write;
		p->in_write = 0;
		p->tx_lost |= was;
		lin_pg_keys_reset(p);
		lin_pg_bulk_end(p);
		return lin_error_set(LINEAGE_EIO, "%s: the connection to the PostgreSQL server was lost (%s)%s: check that the server is running; the next call connects again",
				     what, msg, was ? "; the open transaction was rolled back and nothing of it was written" : "");
	}
	if (!state)
		return lin_error_set(LINEAGE_ERROR, "%s: PostgreSQL error (%s)", what, msg);
	if (!strcmp(state, "55P03") || !strcmp(state, "40001") || !strcmp(state, "40P01") ||
	    !strcmp(state, "57014"))
		return lin_error_set(LINEAGE_EBUSY, "%s: another connection holds the store's lock (%s): retry later, or raise busy_timeout_ms", what, msg);
	if (!strcmp(state, "25006") || !strcmp(state, "42501"))
		return (p->flags & LINEAGE_OPEN_READONLY)
			? lin_error_hint(LINEAGE_EREADONLY, LINEAGE_HINT_OPEN_WRITABLE, NULL, "%s: the store was opened read-only (%s)", what, msg)
			: lin_error_set(LINEAGE_EREADONLY, "%s: the store cannot be written (%s): connect with a role that has INSERT, UPDATE and DELETE on the tables of schema \"%s\" and USAGE on its sequences", what, msg, p->schema);
	if (!strcmp(state, "53100"))
		return lin_error_set(LINEAGE_EFULL, "%s: the PostgreSQL server's disk is full (%s): free space on the server and retry; nothing was written", what, msg);
	if (!strcmp(state, "53200"))
		return lin_error_set(LINEAGE_ENOMEM, "%s: the PostgreSQL server is out of memory (%s)", what, msg);
	if (!strncmp(state, "23", 2))
		return lin_error_set(LINEAGE_ECONFLICT, "%s: the change contradicts stored data (%s)", what, msg);
	if (!strncmp(state, "54", 2))
		return lin_error_set(LINEAGE_ELIMIT, "%s: a value is too large for PostgreSQL (%s): shorten it", what, msg);
	if (!strncmp(state, "22", 2))
		return lin_error_set(LINEAGE_EINVALID, "%s: PostgreSQL refused a value (%s)", what, msg);
	if (!strcmp(state, "42P01") || !strcmp(state, "42703"))
		return lin_error_set(LINEAGE_ENOTDB, "%s: the store's tables in schema \"%s\" are missing or changed (%s): restore the schema from a backup", what, p->schema, msg);
	if (!strncmp(state, "53", 2) || !strncmp(state, "58", 2) || !strncmp(state, "XX", 2))
		return lin_error_set(LINEAGE_EIO, "%s: the PostgreSQL server failed (%s, SQLSTATE %s): check its log", what, msg, state);
	return lin_error_set(LINEAGE_ERROR, "%s: PostgreSQL error %s (%s)", what, state, msg);
}

/* ---- running statements ---- */

static int result_ok(const PGresult *res)
{
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

static void count_written(lin_pg *p, const PGresult *res)
{
	const char *n = PQcmdTuples((PGresult *)res);
	const char *status = PQcmdStatus((PGresult *)res);
	if (n && *n && status && strncmp(status, "SELECT", 6))
		p->changes += strtoll(n, NULL, 10);
}

/* Send what a bulk write kept that statement `which` may read (pg_bulk.c). */
static int settle_for(lin_pg *p, int which)
{
	int rc = 0;
	if (lin_pg_stmt_sees_assets(which))
		rc = lin_pg_assets_settle(p);
	if (!rc && p->bulk && lin_pg_stmt_sees_changes(which))
		rc = lin_pg_changes_settle(p);
	if (!rc && p->bulk && lin_pg_stmt_sees_edges(which))
		rc = lin_pg_edges_settle(p);
	return rc;
}

static PGresult *send_once(lin_pg *p, int which, const char *sql, const lin_pg_args *a, int multi)
{
	int n = a ? a->n : 0;
	const char *const *v = a ? a->v : NULL;
	char name[16];
	if (multi)
		return PQexec(p->conn, sql);
	if (which < 0)
		return PQexecParams(p->conn, sql, n, NULL, v, NULL, NULL, 0);
	snprintf(name, sizeof name, "lin%d", which);
	if (!p->prepared[which]) {
		PGresult *res = PQprepare(p->conn, name, sql, n, NULL);
		if (!result_ok(res))
			return res;
		PQclear(res);
		p->prepared[which] = 1;
	}
	return PQexecPrepared(p->conn, name, n, v, NULL, NULL, 0);
}

static int execute(lin_pg *p, int which, const char *sql, const lin_pg_args *a, int multi,
		   PGresult **out, const char *what)
{
	PGresult *res;
	int rc;
	if (out)
		*out = NULL;
	if (a && a->n >= LIN_PG_MAX_PARAMS)
		return lin_error_set(LINEAGE_ELIMIT, "%s: too many statement parameters", what);
	if (p->tx_lost) /* a new connection would run the rest of it outside any transaction */
		return lin_error_set(LINEAGE_EIO, "%s: the connection to the PostgreSQL server was lost during the transaction, which was rolled back: roll back and begin again", what);
	if (PQstatus(p->conn) == CONNECTION_BAD && !p->in_write && (rc = lin_pg_reconnect(p)))
		return rc;
	if (p->bulk && (rc = settle_for(p, which)))
		return rc;
	res = send_once(p, which, sql, a, multi);
	if (!result_ok(res) && PQstatus(p->conn) == CONNECTION_BAD && !p->in_write &&
	    PQtransactionStatus(p->conn) != PQTRANS_INTRANS) {
		/* Lost between two calls (a server restart, an idle timeout): the statement ran
		 * outside any transaction, so running it again on a new connection is safe. */
		PQclear(res);
		if ((rc = lin_pg_reconnect(p)))
			return rc;
		res = send_once(p, which, sql, a, multi);
	}
	if (!result_ok(res)) {
		rc = lin_pg_error(p, res, what);
		PQclear(res);
		return rc;
	}
	count_written(p, res);
	if (out)
		*out = res;
	else
		PQclear(res);
	return 0;
}

int lin_pg_run(lin_pg *p, int which, const char *sql, const lin_pg_args *a, PGresult **out,
	       const char *what)
{
	return execute(p, which, sql, a, 0, out, what);
}

int lin_pg_exec(lin_pg *p, int which, const char *sql, const lin_pg_args *a, const char *what)
{
	return execute(p, which, sql, a, 0, NULL, what);
}

int lin_pg_simple(lin_pg *p, const char *sql, const char *what)
{
	return execute(p, PG_ONCE, sql, NULL, 1, NULL, what);
}

int lin_pg_each(lin_pg *p, int which, const char *sql, const lin_pg_args *a, lin_pg_row_cb row,
		void *payload, const char *what)
{
	PGresult *res = NULL;
	int rc = execute(p, which, sql, a, 0, &res, what);
	for (int i = 0, n = rc ? 0 : PQntuples(res); i < n && !rc; i++)
		rc = row(res, i, payload);
	PQclear(res);
	return rc;
}

/* Read and drop what is left of a streamed query (a callback stopped it). */
static void drain(lin_pg *p)
{
	PGresult *res;
	while ((res = PQgetResult(p->conn)))
		PQclear(res);
}

int lin_pg_prepare_read(lin_pg *p, int which, const char *what)
{
	int rc;
	if (p->tx_lost)
		return lin_error_set(LINEAGE_EIO, "%s: the connection to the PostgreSQL server was lost during the transaction, which was rolled back: roll back and begin again", what);
	if (PQstatus(p->conn) == CONNECTION_BAD && !p->in_write && (rc = lin_pg_reconnect(p)))
		return rc;
	return p->bulk ? settle_for(p, which) : 0;
}

int lin_pg_stream(lin_pg *p, int which, const char *sql, const lin_pg_args *a, lin_pg_row_cb row,
		  void *payload, const char *what)
{
	PGresult *res;
	int rc, sent;
	char name[16];
	if ((rc = lin_pg_prepare_read(p, which, what)))
		return rc;
	if (which >= 0 && !p->prepared[which]) {
		/* prepare it (and so check it) the ordinary way, then stream */
		snprintf(name, sizeof name, "lin%d", which);
		res = PQprepare(p->conn, name, sql, a ? a->n : 0, NULL);
		if (!result_ok(res)) {
			rc = lin_pg_error(p, res, what);
			PQclear(res);
			return rc;
		}
		PQclear(res);
		p->prepared[which] = 1;
	}
	snprintf(name, sizeof name, "lin%d", which);
	sent = which >= 0 ? PQsendQueryPrepared(p->conn, name, a ? a->n : 0, a ? a->v : NULL, NULL, NULL, 0)
			  : PQsendQueryParams(p->conn, sql, a ? a->n : 0, NULL, a ? a->v : NULL, NULL, NULL, 0);
	if (!sent || !PQsetSingleRowMode(p->conn)) {
		drain(p);
		return lin_pg_error(p, NULL, what);
	}
	while ((res = PQgetResult(p->conn))) {
		ExecStatusType s = PQresultStatus(res);
		if (s == PGRES_SINGLE_TUPLE) {
			if (!rc)
				rc = row(res, 0, payload);
		} else if (s != PGRES_TUPLES_OK && !rc) {
			rc = lin_pg_error(p, res, what);
		}
		PQclear(res);
	}
	return rc;
}

int lin_pg_one_row(lin_pg *p, int which, const char *sql, const lin_pg_args *a, int64_t **outs,
		   int n, const char *what)
{
	PGresult *res = NULL;
	int rc = execute(p, which, sql, a, 0, &res, what);
	if (rc)
		return rc;
	for (int i = 0; i < n; i++)
		if (outs[i])
			*outs[i] = PQntuples(res) > 0 && i < PQnfields(res) ? lin_pg_i64(res, 0, i) : 0;
	PQclear(res);
	return 0;
}

/* ---- the connection ---- */

static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* "relation already exists, skipping" and the like: not for the user */
}

int lin_pg_session_setup(lin_pg *p)
{
	lin_pg_args a = {0};
	char timeout[32], *quoted;
	int rc;
	p->probed = 0; /* notifications sent while there was no connection are lost: ask */
	PQsetNoticeProcessor(p->conn, ignore_notice, NULL);
	memset(p->prepared, 0, sizeof p->prepared);
	/* lock_timeout 0 means "wait forever" in PostgreSQL, "do not wait" in the options */
	snprintf(timeout, sizeof timeout, "%dms", p->busy_timeout_ms > 0 ? p->busy_timeout_ms : 1);
	if (!(quoted = PQescapeIdentifier(p->conn, p->schema, strlen(p->schema))))
		return lin_error_oom();
	lin_pg_text(&a, quoted);
	lin_pg_text(&a, timeout);
	lin_pg_text(&a, p->flags & LINEAGE_OPEN_READONLY ? "on" : "off");
	{
		int64_t standby = 0, *outs[1] = {&standby};
		rc = lin_pg_one_row(p, PG_ONCE, "SELECT pg_is_in_recovery()::int,"
				    " set_config('search_path', $1, false),"
				    " set_config('lock_timeout', $2, false),"
				    " set_config('default_transaction_read_only', $3, false),"
				    " set_config('client_min_messages', 'warning', false)",
				    &a, outs, 1, "setting up the session");
		PQfreemem(quoted);
		if (rc)
			return rc;
		/* A hot standby refuses LISTEN: its hosts learn of commits from the probe alone
		 * (each query reads the highest replayed seq). */
		if ((p->standby = standby != 0))
			return 0;
	}
	/* A channel name is an identifier (not a value): made from the validated schema. */
	if (!(quoted = PQescapeIdentifier(p->conn, p->channel, strlen(p->channel))))
		return lin_error_oom();
	{
		lin_strbuf sb = LIN_STRBUF_INIT;
		rc = lin_strbuf_printf(&sb, "LISTEN %s", quoted);
		PQfreemem(quoted);
		if (rc) {
			lin_strbuf_free(&sb);
			return lin_error_oom();
		}
		rc = lin_pg_simple(p, sb.data, "listening for other hosts' commits");
		lin_strbuf_free(&sb);
	}
	return rc;
}

int lin_pg_reconnect(lin_pg *p)
{
	char msg[512];
	PQreset(p->conn);
	if (PQstatus(p->conn) != CONNECTION_OK) {
		message_of(p, NULL, msg, sizeof msg);
		return lin_error_set(LINEAGE_EIO, "cannot reach the PostgreSQL server again (%s): check that it is running; the next call tries again", msg);
	}
	p->in_write = 0;
	return lin_pg_session_setup(p);
}

int lin_pg_drain_notifies(lin_pg *p)
{
	PGnotify *n;
	if (!PQconsumeInput(p->conn))
		return -1; /* a lost connection is found by the next statement */
	while ((n = PQnotifies(p->conn))) {
		/* the payload is the committing transaction's last seq (lin_pg_commit) */
		char *end = NULL;
		long long seq = strtoll(n->extra, &end, 10);
		if (end != n->extra && !*end && seq > p->known_seq)
			p->known_seq = seq;
		PQfreemem(n);
	}
	return 0;
}

/* ---- transactions ---- */

int lin_pg_begin(lin_store *st)
{
	lin_pg *p = LIN_PG(st);
	lin_pg_args a = {0};
	int rc;
	p->tx_lost = 0; /* the caller knows none is open */
	if ((rc = lin_pg_simple(p, "BEGIN", "starting a transaction")))
		return rc;
	p->in_write = 1;
	lin_pg_keys_reset(p);
	lin_pg_text(&a, p->lock_key);
	if ((rc = lin_pg_exec(p, PG_WRITE_LOCK, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
			      &a, "waiting for the store's write lock"))) {
		lin_pg_rollback(st);
		return rc;
	}
	if (p->bulk_next) {
		int on;
		p->bulk_next = 0;
		if ((rc = lin_pg_edges_bulk(st, 0, &on))) {
			lin_pg_rollback(st);
			return rc;
		}
	}
	return 0;
}

/*
 * Statistics for the planner after a large write: a table loaded by COPY has none until
 * autovacuum's next round, and meanwhile the plan kept for the change feed ("seq > $1")
 * scans and sorts the whole table (every refresh of every host took milliseconds instead of
 * a tenth of one); the seq column's correlation is what it needs. Best effort,
 * after the commit (the write lock is released): a role that does not own the tables gets a
 * warning from the server, and nothing changes.
 */
#define ANALYZE_AFTER 10000

void lin_pg_analyze(lin_pg *p)
{
	lin_error_saved saved;
	lin_error_save(&saved);
	(void)lin_pg_simple(p, "ANALYZE changes (seq)", "gathering statistics");
	lin_error_restore(&saved);
}

int lin_pg_commit(lin_store *st)
{
	lin_pg *p = LIN_PG(st);
	lin_pg_args a = {0};
	PGresult *res = NULL;
	int rc, analyze;
	if (PQtransactionStatus(p->conn) == PQTRANS_INERROR) {
		lin_pg_rollback(st);
		return lin_error_set(LINEAGE_ERROR, "committing: a statement of the transaction failed, so it was rolled back; nothing of it was written");
	}
	if ((rc = lin_pg_assets_settle(p)) || (rc = lin_pg_changes_settle(p)) ||
	    (rc = lin_pg_edges_settle(p)))
		return rc; /* the transaction is rolled back */
	/* Wake the hosts that wait (LISTEN): the payload is the last seq, delivered on commit. */
	lin_pg_text(&a, p->channel);
	if ((rc = lin_pg_exec(p, PG_NOTIFY, "SELECT pg_notify($1, (SELECT coalesce(max(seq), 0) FROM changes)::text)",
			      &a, "announcing the commit")))
		goto fail;
	if ((rc = execute(p, PG_ONCE, "COMMIT", NULL, 1, &res, "committing")))
		goto fail;
	/* A transaction that failed on the server answers COMMIT with ROLLBACK. */
	if (strcmp(PQcmdStatus(res), "COMMIT")) {
		PQclear(res);
		p->in_write = 0;
		return lin_error_set(LINEAGE_ERROR, "committing: the server rolled the transaction back; nothing of it was written");
	}
	PQclear(res);
	p->in_write = 0;
	lin_pg_keys_reset(p);
	analyze = lin_pg_bulk_kept(p) >= ANALYZE_AFTER;
	lin_pg_bulk_end(p);
	if (analyze)
		lin_pg_analyze(p);
	return 0;
fail:
	if (PQtransactionStatus(p->conn) == PQTRANS_INERROR)
		lin_pg_rollback(st);
	return rc;
}

int lin_pg_rollback(lin_store *st)
{
	lin_pg *p = LIN_PG(st);
	p->in_write = 0;
	p->tx_lost = 0;
	lin_pg_keys_reset(p);
	lin_pg_bulk_end(p); /* what it kept goes with the transaction */
	if (PQstatus(p->conn) == CONNECTION_BAD || PQtransactionStatus(p->conn) == PQTRANS_IDLE)
		return 0; /* the server ended it already */
	return lin_pg_simple(p, "ROLLBACK", "rolling back");
}

int lin_pg_savepoint(lin_store *st)
{
	return lin_pg_simple(LIN_PG(st), "SAVEPOINT lin_call", "starting a savepoint");
}

int lin_pg_release(lin_store *st)
{
	return lin_pg_simple(LIN_PG(st), "RELEASE SAVEPOINT lin_call", "releasing a savepoint");
}

int lin_pg_rollback_savepoint(lin_store *st)
{
	lin_pg *p = LIN_PG(st);
	PGTransactionStatusType t = PQtransactionStatus(p->conn);
	if (t != PQTRANS_INTRANS && t != PQTRANS_INERROR)
		return 0;
	lin_pg_keys_reset(p); /* the savepoint may have added assets */
	lin_pg_ahead_clear(p); /* or changed edges */
	return lin_pg_simple(p, "ROLLBACK TO SAVEPOINT lin_call; RELEASE SAVEPOINT lin_call",
			     "rolling back a savepoint");
}

int lin_pg_in_transaction(lin_store *st)
{
	lin_pg *p = LIN_PG(st);
	PGTransactionStatusType t = PQtransactionStatus(p->conn);
	if (p->tx_lost) {
		p->tx_lost = 0; /* the caller learns it is gone: the next call may connect again */
		return 0;
	}
	if (t == PQTRANS_INERROR) {
		/* A failed statement outside a savepoint ends a PostgreSQL transaction (SQLite
		 * keeps it): roll it back so that the caller sees it gone, as it is. */
		lin_pg_rollback(st);
		return 0;
	}
	return t == PQTRANS_INTRANS || t == PQTRANS_ACTIVE;
}

int lin_pg_reference_checks(lin_store *st, int on)
{
	/* References stay checked (pg_refs.c: once per statement). Off means an import
	 * is about to begin its transaction: it writes in bulk from its first row. */
	LIN_PG(st)->bulk_next = !on;
	return 0;
}

int64_t lin_pg_total_changes(lin_store *st)
{
	return LIN_PG(st)->changes;
}

int lin_pg_schema_version(lin_store *st)
{
	(void)st;
	return LINEAGE_SCHEMA_VERSION; /* lin_pg_schema_setup brought it there */
}
