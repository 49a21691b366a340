/*
 * liblineage: opening a database, transactions, the change feed hook, backup and stats.
 */
#ifndef LINEAGE_DB_H
#define LINEAGE_DB_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LINEAGE_OPEN_OPTIONS_VERSION 3

/** Flags for lineage_open_options.flags. */
#define LINEAGE_OPEN_READONLY 0x1u  /**< never write; fails with EREADONLY on writes */
#define LINEAGE_OPEN_NOCREATE 0x2u  /**< fail with ENOTFOUND when the file does not exist */

/** How lineage_db_open behaves. Fill with lineage_open_options_init(). */
typedef struct lineage_open_options {
	unsigned int version;   /**< LINEAGE_OPEN_OPTIONS_VERSION */
	unsigned int flags;     /**< LINEAGE_OPEN_* */
	int busy_timeout_ms;    /**< wait this long for another writer's lock; default 5000 */
	int64_t cache_size_kib; /**< SQLite page cache; default 65536 (64 MiB) */
	const char *actor;      /**< recorded in the audit trail; default "system" */
	/* Version 2: */
	/** A store in PostgreSQL (a libpq URI as the path) lives in this schema of the database:
	 *  1..48 lower-case letters, digits and underscores. NULL (the default) for "lineage".
	 *  Ignored for SQLite files. */
	const char *pg_schema;
	/* Version 3: */
	/** How long a query may go on trusting what this handle last learnt of other hosts'
	 *  commits. 0 (the default): every query first asks the store whether anything changed,
	 *  so it sees every commit made before it began, by any host (in PostgreSQL that is one
	 *  round trip per query). N > 0, for query-heavy hosts of a PostgreSQL store: a query
	 *  asks only when N ms have passed since the last time it asked; meanwhile the other
	 *  hosts' commits are learnt without a round trip, from their notifications (LISTEN)
	 *  as soon as they arrive. A commit is then seen at the latest by the queries that
	 *  begin N ms after it, usually at once. This handle's own writes and the queries inside
	 *  its transactions are always exact. Ignored by SQLite stores, whose check is local. */
	int max_staleness_ms;
} lineage_open_options;

/** Fill `opts` with the defaults. A caller built for an older version (1: without pg_schema;
 *  2: without max_staleness_ms) passes that version.
 *  @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_open_options_init(lineage_open_options *opts, unsigned int version);

/**
 * Open (and create, unless LINEAGE_OPEN_NOCREATE) a lineage database.
 *
 * @param out  receives the handle; free it with lineage_db_close()
 * @param path a file path, ":memory:" for a private in-memory database, or a libpq URI
 *             (postgresql://... or postgres://...) for a store in PostgreSQL, in the schema
 *             opts->pg_schema ("lineage" by default), created on first open (docs/postgres.md)
 * @param opts NULL for defaults
 * @return 0; ENOTDB when the file is not a liblineage (or SQLite) database; EVERSION when a
 *         newer liblineage wrote it; EREADONLY when it must be created or upgraded but cannot
 *         be written; ENOTFOUND with NOCREATE; EIO; EINVALID.
 * A database written by an older schema version is upgraded in place, in one transaction.
 * The database uses WAL journaling with synchronous=NORMAL: a commit survives a crash of
 * the process; the last commits before a power loss may be lost, never the file's integrity.
 * In PostgreSQL, ENOTDB also means a schema holding another application's tables, EIO a
 * server that cannot be reached or refuses the login (within a 10 s connect timeout unless
 * the URI sets connect_timeout), EINVALID a URI libpq does not accept; a commit is durable as
 * the server is configured. Commits made by other handles, processes or hosts are seen by
 * this handle's next query (within opts->max_staleness_ms when it is set).
 */
LINEAGE_EXTERN int lineage_db_open(lineage_db **out, const char *path,
				   const lineage_open_options *opts);

/** Close the handle and release everything it owns. NULL is a no-op. */
LINEAGE_EXTERN void lineage_db_close(lineage_db *db);

/** The path the handle was opened with. Borrowed, valid until close. */
LINEAGE_EXTERN const char *lineage_db_path(const lineage_db *db);

/** Schema version of the open database (LINEAGE_SCHEMA_VERSION after opening). */
LINEAGE_EXTERN int lineage_db_schema_version(const lineage_db *db);

/** Set the actor recorded in the audit trail for later changes. NULL means "system". */
LINEAGE_EXTERN int lineage_db_set_actor(lineage_db *db, const char *actor);

/**
 * Start a transaction: every change until lineage_db_commit() is one batch in the audit
 * trail, written all at once or not at all. Without one, each call is its own transaction.
 * @param label describes the batch in the audit trail (may be NULL)
 * @return 0; EUSAGE when a transaction is already open; EBUSY.
 */
LINEAGE_EXTERN int lineage_db_begin(lineage_db *db, const char *label);

/** Commit the open transaction. @return 0; EUSAGE when none is open; EFULL; EIO; EBUSY. */
LINEAGE_EXTERN int lineage_db_commit(lineage_db *db);

/** Roll back the open transaction: the database is as it was before begin. */
LINEAGE_EXTERN int lineage_db_rollback(lineage_db *db);

/** Non-zero while a transaction is open on this handle. */
LINEAGE_EXTERN int lineage_db_in_transaction(const lineage_db *db);

/** Id of the current batch (the open transaction's, or the last single call's); 0 if none. */
LINEAGE_EXTERN int64_t lineage_db_batch_id(const lineage_db *db);

/**
 * Called after each commit made through this handle, with the change sequence numbers it
 * wrote (first..last inclusive). It runs on the committing thread, after the data is
 * durable; it must not call back into the same handle. Changes made by other handles or
 * processes are found with lineage_changes_since().
 */
typedef void (*lineage_commit_cb)(lineage_db *db, int64_t first_seq, int64_t last_seq,
				  void *payload);

/** Install (or with NULL remove) the commit callback. */
LINEAGE_EXTERN int lineage_db_on_commit(lineage_db *db, lineage_commit_cb cb, void *payload);

/**
 * Copy the database to `dest_path` while it stays in use (SQLite online backup). The copy is
 * a consistent snapshot. `progress` (may be NULL) counts pages.
 * @return 0; EIO or EREADONLY when the destination cannot be written; ECANCELLED; EUSAGE
 *         while a transaction is open on `db` (the copy holds committed data only).
 * A failed or cancelled backup leaves `dest_path` as it was (never a partial copy).
 */
LINEAGE_EXTERN int lineage_db_backup(lineage_db *db, const char *dest_path,
				     lineage_progress_cb progress, void *payload);

/* ---- Copying a whole store (lineage copy) ---- */

#define LINEAGE_COPY_OPTIONS_VERSION 1

/** How lineage_db_copy behaves. Fill with lineage_copy_options_init(). */
typedef struct lineage_copy_options {
	unsigned int version;         /**< LINEAGE_COPY_OPTIONS_VERSION */
	const char *src_pg_schema;    /**< schema of a PostgreSQL source; NULL for "lineage" */
	const char *dest_pg_schema;   /**< schema of a PostgreSQL destination; NULL for "lineage" */
	int busy_timeout_ms;          /**< wait this long for the destination's write lock; 5000 */
	/** Called with stage "copy" and rows done / rows in all (may be NULL); non-zero cancels. */
	lineage_progress_cb progress;
	void *payload;                /**< passed to progress */
} lineage_copy_options;

/** Fill `opts` with the defaults. @return 0, or EINVALID for an unknown version. */
LINEAGE_EXTERN int lineage_copy_options_init(lineage_copy_options *opts, unsigned int version);

/**
 * Copy a whole store — assets, edges, edge and asset kinds, batches and the audit trail —
 * from `src` to `dest`, each a file path or a libpq URI (postgresql://...): SQLite to
 * PostgreSQL, back, or to the same kind. Ids, change seqs and batch ids are kept, so history,
 * revert and the change feed carry on on the copy. The source is read in one consistent
 * snapshot while others may write to it; rows are streamed (memory stays bounded) and
 * written through the destination's bulk path in one transaction.
 * @param opts NULL for defaults
 * @return 0; EEXISTS when `dest` already holds assets, edges or changes (copy only into a new
 *         file or an empty store); ENOTFOUND when `src` does not exist; ECANCELLED;
 *         EINVALID when src and dest are the same store; the errors of lineage_db_open.
 * A failed or cancelled copy leaves `dest` as it was: a file it created is removed; a
 * PostgreSQL schema it created stays, as an empty store.
 */
LINEAGE_EXTERN int lineage_db_copy(const char *src, const char *dest,
				   const lineage_copy_options *opts);

/**
 * Counts for a metrics endpoint, as a JSON object: {"assets": N, "edges": N,
 * "assets_by_kind": {...}, "edges_by_kind": {...}, "edges_by_source": {"inferred": N, ...},
 * "edges_by_status": {...}, "changes": N, "last_seq": N, "database_bytes": N,
 * "schema_version": N}. Release with lineage_free().
 */
LINEAGE_EXTERN int lineage_db_stats_json(char **out, lineage_db *db);

/**
 * Declare how an edge kind behaves. Kinds that were never declared allow cycles and refuse
 * self-loops. Built in: "flow" (the default kind), "update" and "incremental" (which allow
 * self-loops: a statement that rewrites a table from itself).
 * @param allows_self_loop an edge of this kind may go from an asset to itself
 * @param allows_cycles    edges of this kind may close a cycle (checked by bulk import)
 */
LINEAGE_EXTERN int lineage_edge_kind_define(lineage_db *db, const char *kind,
					    int allows_self_loop, int allows_cycles);

/**
 * Look up an edge kind's rules (defaults for undeclared kinds).
 * @return 0; EINVALID for a bad kind string.
 */
LINEAGE_EXTERN int lineage_edge_kind_rules(lineage_db *db, const char *kind,
					   int *allows_self_loop, int *allows_cycles);

#ifdef __cplusplus
}
#endif
#endif
