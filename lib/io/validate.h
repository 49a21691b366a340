/*
 * Internal: the validation engine. Turns raw records into typed rows and checks them:
 * schema (required fields, allowed values, lengths, key syntax, UTF-8) and rules across rows
 * (duplicate and conflicting rows, remembered as compact identities). Every problem becomes
 * a sentence for a person: the row, the column, the value, what is wrong and how to fix it.
 */
#ifndef LIN_IO_VALIDATE_H
#define LIN_IO_VALIDATE_H

#include "common/strbuf.h"
#include "idmap.h"
#include "seen.h"
#include "report.h"
#include "schema.h"

typedef struct lin_arena_block lin_arena_block;

typedef struct lin_kind_rule {
	char *kind;
	int self_loop;
	int cycles;
} lin_kind_rule;

typedef struct lin_vctx {
	lineage_db *db;              /* for edge kind rules; may be NULL */
	lineage_import_report *rep;
	int pass;                    /* 1: validate and remember; 2: check again before writing */
	int record;                  /* add errors to the report (pass 1, and writer errors) */
	lin_seen assets;             /* asset keys of the file */
	lin_seen edges;              /* edge identities of the file */
	lin_strbuf msgs;             /* the errors of the current row (for a rejects file) */
	size_t row_errors;
	int duplicate;               /* pass 1: the row repeats an identical earlier row */
	int trusted;                 /* pass 2: the row was valid in pass 1, so the checks of
				      * its keys and names are not made again */
	lin_arena_block *arena;      /* strings of the current row */
	const char **tags;
	size_t cap_tags;
	lin_kind_rule kinds[32];     /* the kinds' rules met so far */
	size_t nkinds;
	lin_kind_rule *declared;     /* every kind of the store, when read ahead (db NULL) */
	size_t ndeclared;
} lin_vctx;

int lin_vctx_init(lin_vctx *v, lineage_db *db, lineage_import_report *rep);
void lin_vctx_free(lin_vctx *v);

/* Validate a raw record into `row`. Returns 0 when valid, 1 when invalid (the errors are in
 * v->msgs and, when v->record, in the report), or a negative error (ENOMEM). */
int lin_validate(lin_vctx *v, const lin_raw *raw, lin_row *row);

/* Add an error (warning: a warning) for `row`: "Row N, column "c": <message>." */
int lin_verror(lin_vctx *v, int warning, uint64_t row, const char *column, const char *value,
	       const char *fmt, ...) LIN_PRINTF(6, 7);

/* Read the rules of every kind of `db` now, for a context with no database (one that
 * validates on another thread than the one writing). */
int lin_vctx_read_kinds(lin_vctx *v, lineage_db *db);
/* An edge kind's rules (cached; built-in defaults without a database). */
int lin_vctx_kind_rules(lin_vctx *v, const char *kind, int *self_loop, int *cycles);

/* Identity of an asset key / of an edge. */
lin_id lin_asset_id(const char *key);
lin_id lin_edge_id(const char *source, const char *target, const char *kind, const char *job);

#endif
