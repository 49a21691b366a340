/* Whole-table reads by binary COPY (the engine's build): the server sends each row as one
 * message and numbers as they are stored, so the client makes no result object per row and
 * parses no digits; single-row mode spent two thirds of a 1M-asset build doing both. */
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "common/strbuf.h"

#define MAX_FIELDS 16
static const char SIGNATURE[11] = "PGCOPY\n\377\r\n";

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const unsigned char *b)
{
	return (uint64_t)be32(b) << 32 | be32(b + 4);
}

int64_t lin_pg_field_i64(const lin_pg_field *f)
{
	const unsigned char *b = (const unsigned char *)f->data;
	if (!b)
		return 0;
	if (f->len == 8)
		return (int64_t)be64(b);
	if (f->len == 4)
		return (int32_t)be32(b);
	return f->len == 2 ? (int16_t)(b[0] << 8 | b[1]) : 0;
}

double lin_pg_field_f64(const lin_pg_field *f)
{
	const unsigned char *b = (const unsigned char *)f->data;
	if (b && f->len == 8) {
		uint64_t u = be64(b);
		double d;
		memcpy(&d, &u, sizeof d);
		return d;
	}
	if (b && f->len == 4) {
		uint32_t u = be32(b);
		float x;
		memcpy(&x, &u, sizeof x);
		return x;
	}
	return 0;
}

typedef struct reader {
	int header_done, ended;
	char *row;       /* the message copied, one byte longer: every text field NUL-ended */
	size_t row_cap;
	lin_pg_field f[MAX_FIELDS];
} reader;

static int malformed(void)
{
	return lin_error_set(LINEAGE_EIO, "the PostgreSQL server sent a row this liblineage cannot read (binary COPY): check that the server is PostgreSQL 9.5 or later and report it");
}

/* One CopyData message: the header, a row (to cb) or the trailer. */
static int read_message(reader *r, const unsigned char *m, size_t n, lin_pg_fields_cb cb,
			void *payload)
{
	size_t off = 0, at[MAX_FIELDS];
	int nf;
	if (!r->header_done) {
		if (n < 19 || memcmp(m, SIGNATURE, sizeof SIGNATURE))
			return malformed();
		off = 19 + (size_t)be32(m + 15); /* the header extension is skipped */
		if (off > n)
			return malformed();
		r->header_done = 1;
		if (off == n)
			return 0;
	}
	if (n - off < 2)
		return malformed();
	nf = (int16_t)(m[off] << 8 | m[off + 1]);
	off += 2;
	if (nf == -1) {
		r->ended = 1;
		return 0;
	}
	if (nf < 0 || nf > MAX_FIELDS || r->ended)
		return malformed();
	for (int i = 0; i < nf; i++) {
		int32_t len;
		if (n - off < 4)
			return malformed();
		len = (int32_t)be32(m + off);
		off += 4;
		if (len < -1 || (len > 0 && (size_t)len > n - off))
			return malformed();
		at[i] = off;
		r->f[i].len = len;
		off += len > 0 ? (size_t)len : 0;
	}
	if (n + 1 > r->row_cap) {
		size_t cap = r->row_cap ? r->row_cap : 256;
		char *grown;
		while (cap < n + 1)
			cap *= 2;
		if (!(grown = realloc(r->row, cap)))
			return lin_error_oom();
		r->row = grown;
		r->row_cap = cap;
	}
	memcpy(r->row, m, n);
	for (int i = 0; i < nf; i++) {
		/* the byte after a field is the next one's length (read above) or the slack byte */
		r->f[i].data = r->f[i].len < 0 ? NULL : r->row + at[i];
		if (r->f[i].len >= 0)
			r->row[at[i] + (size_t)r->f[i].len] = '\0';
	}
	return cb(r->f, nf, payload);
}

int lin_pg_copy_out(lin_pg *p, int which, const char *select, lin_pg_fields_cb cb, void *payload,
		    const char *what)
{
	lin_strbuf sql = LIN_STRBUF_INIT;
	reader r;
	PGresult *res;
	char *buf = NULL;
	int rc, n;
	if ((rc = lin_pg_prepare_read(p, which, what)))
		return rc;
	if (lin_strbuf_printf(&sql, "COPY (%s) TO STDOUT (FORMAT binary)", select))
		return lin_error_oom();
	res = PQexec(p->conn, sql.data);
	lin_strbuf_free(&sql);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		rc = lin_pg_error(p, res, what);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	memset(&r, 0, sizeof r);
	/* every message is read, also after an error, so the connection is ready again */
	while ((n = PQgetCopyData(p->conn, &buf, 0)) > 0) {
		if (!rc)
			rc = read_message(&r, (const unsigned char *)buf, (size_t)n, cb, payload);
		PQfreemem(buf);
	}
	free(r.row);
	while ((res = PQgetResult(p->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !rc)
			rc = lin_pg_error(p, res, what);
		PQclear(res);
	}
	if (n == -2 && !rc)
		rc = lin_pg_error(p, NULL, what);
	if (!rc && !r.ended)
		rc = malformed();
	return rc;
}
