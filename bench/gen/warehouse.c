/* The synthetic warehouse generator (see warehouse.h for the shape). */
#include "warehouse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

static const char *const kind_names[] = {"system", "database", "schema",   "table",
					 "view",   "column",   "job",      "pipeline",
					 "dashboard", "report", "topic",   "file",
					 "folder"};
enum { K_SYSTEM, K_DATABASE, K_SCHEMA, K_TABLE, K_VIEW, K_COLUMN, K_JOB, K_PIPELINE,
       K_DASHBOARD, K_REPORT, K_TOPIC, K_FILE, K_FOLDER };

static const char *const layer_names[] = {"none", "source", "raw", "staging", "intermediate",
					  "mart", "report", "dashboard"};
static const char *const ttype_names[] = {"copy",   "transform", "join",        "aggregate",
					  "select", "query",     "reverse_etl", "incremental"};
enum { T_COPY, T_TRANSFORM, T_JOIN, T_AGGREGATE, T_SELECT, T_QUERY, T_REVERSE, T_INCREMENTAL };

static const char *const domains[] = {"sales",   "finance", "marketing", "product",
				      "support", "logistics", "hr",      "growth",
				      "risk",    "inventory", "billing", "web"};
#define N_DOMAINS (sizeof domains / sizeof domains[0])

static const char *const entities[] = {
	"orders",    "customers", "payments", "invoices",  "products", "sessions",  "events",
	"accounts",  "contacts",  "leads",    "tickets",   "shipments", "returns",  "refunds",
	"campaigns", "clicks",    "visits",   "employees", "payroll",  "budgets",   "ledger",
	"stock",     "suppliers", "carts",    "reviews",   "plans",    "subscriptions",
	"devices",   "regions",   "stores",   "prices",    "discounts", "claims",   "policies",
	"transfers", "balances",  "users",    "signups",   "churn",    "forecasts"};
#define N_ENTITIES (sizeof entities / sizeof entities[0])

/* At least 41 distinct names, so that any 40 consecutive ones are unique in a table. */
static const char *const column_names[] = {
	"id",          "customer_id", "order_id",   "product_id", "account_id",  "created_at",
	"updated_at",  "amount",      "currency",   "quantity",   "price",       "discount",
	"tax",         "status",      "channel",    "region",     "country",     "city",
	"email",       "phone",       "name",       "first_name", "last_name",   "segment",
	"plan",        "revenue",     "cost",       "margin",     "is_active",   "is_deleted",
	"event_type",  "event_time",  "session_id", "device",     "browser",     "utm_source",
	"utm_campaign", "score",      "rank",       "category",   "sku",         "warehouse_id",
	"shipped_at",  "delivered_at", "due_date",  "paid_at",    "balance",     "owner_id"};
#define N_COLUMN_NAMES (sizeof column_names / sizeof column_names[0])

#define N_DATA_TYPES 10

/* Source systems: name, database, and the kind of their "tables". */
static const struct {
	const char *system, *database;
	int kind;
} sources[] = {{"pg_shop", "shop", K_TABLE},   {"mysql_crm", "crm", K_TABLE},
	       {"salesforce", "org", K_TABLE}, {"kafka", "events", K_TOPIC},
	       {"s3_landing", "exports", K_FILE}};
#define N_SOURCES (sizeof sources / sizeof sources[0])
#define SCHEMAS_PER_SOURCE 4

/* A table (or dashboard) while generating. Columns are the assets right after it. */
typedef struct table {
	int32_t asset;
	int32_t job;      /* -1 for sources and dashboards */
	uint16_t ncols;
	uint8_t layer;
	uint8_t source;   /* source tables: index into sources[] */
} table;

/* A Zipf picker over a pool of tables: rank r has weight 1/(r+1)^s, ranks shuffled. */
typedef struct zipf {
	double *cdf;
	uint32_t *perm; /* rank -> table index */
	size_t n;
} zipf;

typedef struct gen {
	lbench_warehouse *wh;
	lbench_rng rng;
	size_t asset_cap, edge_cap, keys_cap;
	table *tables;
	size_t ntables, tables_cap;
	/* upstream lists of derived tables: up[up_off[t] .. up_off[t+1]) */
	uint32_t *up;
	size_t nup, up_cap;
	size_t *up_off;
	int oom;
} gen;

const char *lbench_wh_kind_name(unsigned kind)
{
	return kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "unknown";
}

const char *lbench_wh_layer_name(unsigned layer)
{
	return layer < LBENCH_LAYER_COUNT ? layer_names[layer] : "unknown";
}

const char *lbench_wh_ttype_name(unsigned ttype)
{
	return ttype < sizeof ttype_names / sizeof ttype_names[0] ? ttype_names[ttype] : "copy";
}

const char *lbench_wh_edge_kind_name(unsigned kind)
{
	return kind == 1 ? "incremental" : "flow";
}

const char *lbench_wh_key(const lbench_warehouse *wh, size_t i)
{
	return wh->keys + wh->assets[i].key_off;
}

void lbench_wh_params_init(lbench_wh_params *p)
{
	p->assets = LBENCH_WH_FULL_ASSETS;
	p->edges_per_asset = 3.0;
	p->seed = 42;
}

static void *grow(void *ptr, size_t *cap, size_t need, size_t elem, int *oom)
{
	size_t c = *cap ? *cap : 1024;
	void *p;
	if (need <= *cap)
		return ptr;
	while (c < need)
		c *= 2;
	p = realloc(ptr, c * elem);
	if (!p) {
		*oom = 1;
		return NULL;
	}
	*cap = c;
	return p;
}

/* Add an asset whose key is parent's key + "." + name (or name alone). Returns its index. */
static int32_t add_asset(gen *g, int32_t parent, const char *name, int kind, int layer,
			 int domain)
{
	lbench_warehouse *wh = g->wh;
	const char *pkey = parent >= 0 ? lbench_wh_key(wh, (size_t)parent) : NULL;
	size_t plen = pkey ? strlen(pkey) : 0, nlen = strlen(name);
	size_t need = wh->keys_len + plen + 1 + nlen + 1;
	lbench_wh_asset *a;
	void *p;
	if (g->oom)
		return -1;
	p = grow(wh->keys, &g->keys_cap, need, 1, &g->oom);
	if (!p)
		return -1;
	wh->keys = p;
	pkey = parent >= 0 ? lbench_wh_key(wh, (size_t)parent) : NULL; /* keys may have moved */
	p = grow(wh->assets, &g->asset_cap, wh->asset_count + 1, sizeof *wh->assets, &g->oom);
	if (!p)
		return -1;
	wh->assets = p;
	a = &wh->assets[wh->asset_count];
	a->key_off = (uint32_t)wh->keys_len;
	a->parent = parent;
	a->kind = (uint8_t)kind;
	a->layer = (uint8_t)layer;
	a->domain = (uint8_t)domain;
	a->data_type = 0;
	if (pkey) {
		memcpy(wh->keys + wh->keys_len, pkey, plen);
		wh->keys[wh->keys_len + plen] = '.';
		memcpy(wh->keys + wh->keys_len + plen + 1, name, nlen + 1);
		wh->keys_len += plen + 1 + nlen + 1;
	} else {
		memcpy(wh->keys + wh->keys_len, name, nlen + 1);
		wh->keys_len += nlen + 1;
	}
	return (int32_t)wh->asset_count++;
}

static void add_edge(gen *g, uint32_t src, uint32_t dst, int32_t job, int kind, int ttype,
		     int is_column)
{
	lbench_warehouse *wh = g->wh;
	lbench_wh_edge *e;
	double r = lbench_rng_unit(&g->rng);
	void *p = grow(wh->edges, &g->edge_cap, wh->edge_count + 1, sizeof *wh->edges, &g->oom);
	if (!p)
		return;
	wh->edges = p;
	e = &wh->edges[wh->edge_count++];
	e->source = src;
	e->target = dst;
	e->job = job;
	e->kind = (uint8_t)kind;
	e->ttype = (uint8_t)ttype;
	e->is_column = (uint8_t)is_column;
	/* Table edges are mostly declared by people; column edges mostly inferred by scanners. */
	if (r < (is_column ? 0.15 : 0.45)) {
		e->lsource = LINEAGE_SOURCE_MANUAL;
		e->confidence = 1.0f;
	} else if (r < (is_column ? 0.20 : 0.65)) {
		e->lsource = LINEAGE_SOURCE_APPROVED;
		e->confidence = 1.0f;
	} else {
		double u = lbench_rng_unit(&g->rng);
		e->lsource = LINEAGE_SOURCE_INFERRED;
		e->confidence = (float)(is_column ? 0.3 + 0.7 * sqrt(u) : 0.6 + 0.4 * u);
		/* Round to two decimals, as a scanner's score would be. */
		e->confidence = (float)(floor(e->confidence * 100.0 + 0.5) / 100.0);
	}
	if (is_column)
		wh->column_edge_count++;
	else
		wh->table_edge_count++;
}

static int zipf_init(zipf *z, size_t n, double s, lbench_rng *rng)
{
	double total = 0;
	z->n = n;
	z->cdf = malloc(n * sizeof *z->cdf);
	z->perm = malloc(n * sizeof *z->perm);
	if (!z->cdf || !z->perm)
		return -1;
	for (size_t r = 0; r < n; r++) {
		total += 1.0 / pow((double)(r + 1), s);
		z->cdf[r] = total;
		z->perm[r] = (uint32_t)r;
	}
	for (size_t r = 0; r < n; r++)
		z->cdf[r] /= total;
	for (size_t r = n; r > 1; r--) { /* Fisher-Yates: hubs anywhere in the pool */
		size_t j = lbench_rng_below(rng, r);
		uint32_t t = z->perm[r - 1];
		z->perm[r - 1] = z->perm[j];
		z->perm[j] = t;
	}
	return 0;
}

static size_t zipf_pick(const zipf *z, lbench_rng *rng)
{
	double u = lbench_rng_unit(rng);
	size_t lo = 0, hi = z->n - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return z->perm[lo];
}

static void zipf_free(zipf *z)
{
	free(z->cdf);
	free(z->perm);
}

/* Pareto-distributed count >= 1 (heavy tail), at most cap. */
static size_t pareto_count(lbench_rng *rng, double alpha, size_t cap)
{
	double u = 1.0 - lbench_rng_unit(rng); /* (0, 1] */
	double k = floor(pow(u, -1.0 / alpha));
	if (k < 1)
		k = 1;
	return k > (double)cap ? cap : (size_t)k;
}

static size_t uniform_between(lbench_rng *rng, size_t lo, size_t hi)
{
	return lo + (size_t)lbench_rng_below(rng, hi - lo + 1);
}

/* Add a table with `ncols` columns under `parent`, and its job under `pipeline` (>= 0). */
static size_t add_table(gen *g, int32_t parent, const char *name, int kind, int layer,
			int domain, size_t ncols, int32_t pipeline, int source)
{
	table *t;
	size_t start = lbench_rng_below(&g->rng, N_COLUMN_NAMES);
	void *p = grow(g->tables, &g->tables_cap, g->ntables + 1, sizeof *g->tables, &g->oom);
	if (!p)
		return 0;
	g->tables = p;
	t = &g->tables[g->ntables];
	t->asset = add_asset(g, parent, name, kind, layer, domain);
	t->ncols = (uint16_t)ncols;
	t->layer = (uint8_t)layer;
	t->source = (uint8_t)source;
	t->job = -1;
	for (size_t c = 0; c < ncols && !g->oom; c++) {
		/* Copies (raw) keep their source's column names: same start offset. */
		int32_t col = add_asset(g, t->asset, column_names[(start + c) % N_COLUMN_NAMES],
					K_COLUMN, layer, domain);
		if (col >= 0)
			g->wh->assets[col].data_type =
				(uint8_t)((start + c * 7) % N_DATA_TYPES);
	}
	if (pipeline >= 0 && !g->oom) {
		char job[160];
		snprintf(job, sizeof job, "build_%s", name);
		t->job = add_asset(g, pipeline, job, K_JOB, LBENCH_LAYER_NONE, domain);
		g->wh->job_count++;
	}
	if (kind == K_DASHBOARD)
		g->wh->dashboard_count++;
	else {
		g->wh->table_count++;
		g->wh->column_count += ncols;
	}
	return g->ntables++;
}

/* Record `t`'s upstream tables (deduplicated). */
static void add_upstreams(gen *g, const size_t *ups, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= ups[j] == ups[i];
		if (dup)
			continue;
		void *p = grow(g->up, &g->up_cap, g->nup + 1, sizeof *g->up, &g->oom);
		if (!p)
			return;
		g->up = p;
		g->up[g->nup++] = (uint32_t)ups[i];
	}
}

typedef struct layer_range {
	size_t first, count; /* indices into g->tables */
} layer_range;

static int32_t container(gen *g, int32_t parent, const char *name, int kind)
{
	return add_asset(g, parent, name, kind, LBENCH_LAYER_NONE, 0);
}

/* Column edges of derived table t from its upstream tables, `mu` inputs per column on
 * average (raw copies map columns one to one). */
static void column_edges(gen *g, size_t t, double mu)
{
	const table *d = &g->tables[t];
	const uint32_t *ups = g->up + g->up_off[t];
	size_t nups = g->up_off[t + 1] - g->up_off[t];
	uint32_t cand[64];
	size_t ncand = 0, total_cols = 0;
	double q = mu > 1 ? (mu - 1) / mu : 0;
	int ttype = d->layer == LBENCH_LAYER_RAW ? T_COPY
		    : d->layer == LBENCH_LAYER_STAGING ? T_TRANSFORM
		    : d->layer == LBENCH_LAYER_INTERMEDIATE ? T_JOIN
		    : d->layer == LBENCH_LAYER_MART ? T_AGGREGATE
						    : T_SELECT;
	if (d->ncols == 0)
		return;
	for (size_t i = 0; i < nups && ncand < 64; i++) {
		const table *u = &g->tables[ups[i]];
		if (u->ncols && ups[i] != t) {
			cand[ncand++] = ups[i];
			total_cols += u->ncols;
		}
	}
	if (!ncand)
		return;
	if (d->layer == LBENCH_LAYER_RAW) {
		const table *u = &g->tables[cand[0]];
		for (size_t c = 0; c < d->ncols && c < u->ncols; c++)
			add_edge(g, (uint32_t)(u->asset + 1 + (int32_t)c),
				 (uint32_t)(d->asset + 1 + (int32_t)c), d->job, 0, T_COPY, 1);
		return;
	}
	for (size_t c = 0; c < d->ncols && !g->oom; c++) {
		uint32_t picked[24];
		size_t m = 1, cap = total_cols < 24 ? total_cols : 24;
		while (m < cap && lbench_rng_unit(&g->rng) < q)
			m++;
		for (size_t k = 0, tries = 0; k < m && tries < 4 * m; tries++) {
			const table *u = &g->tables[cand[lbench_rng_below(&g->rng, ncand)]];
			uint32_t col = (uint32_t)(u->asset + 1 +
						  (int32_t)lbench_rng_below(&g->rng, u->ncols));
			int dup = 0;
			for (size_t j = 0; j < k; j++)
				dup |= picked[j] == col;
			if (dup)
				continue;
			picked[k++] = col;
			add_edge(g, col, (uint32_t)(d->asset + 1 + (int32_t)c), d->job, 0, ttype,
				 1);
		}
	}
}

/* Walk upstream from table t at random until a source table: the one a reverse-ETL flow
 * writes back to closes a cycle. Returns a table index, or (size_t)-1. */
static size_t random_source_upstream(gen *g, size_t t)
{
	for (int steps = 0; steps < 10000; steps++) {
		size_t n;
		if (g->tables[t].layer == LBENCH_LAYER_SOURCE)
			return g->tables[t].source < 3 ? t : (size_t)-1; /* tables only */
		n = g->up_off[t + 1] - g->up_off[t];
		if (!n)
			return (size_t)-1;
		t = g->up[g->up_off[t] + lbench_rng_below(&g->rng, n)];
	}
	return (size_t)-1;
}

static int generate(gen *g, const lbench_wh_params *p)
{
	lbench_warehouse *wh = g->wh;
	/* Per table: itself, 22.5 columns on average, most have a job; dashboards are few. */
	size_t T = (size_t)((double)p->assets / 23.45);
	size_t n_src = T * 15 / 100, n_stg = T * 20 / 100, n_int = T * 25 / 100;
	size_t n_mart = T * 15 / 100, n_rpt = T * 10 / 100, n_dash = T * 8 / 100;
	int32_t src_schemas[N_SOURCES][SCHEMAS_PER_SOURCE], raw_schemas[N_SOURCES];
	int32_t stg_schemas[N_DOMAINS], int_schemas[N_DOMAINS], mart_schemas[N_DOMAINS];
	int32_t rpt_schemas[N_DOMAINS], folders[N_DOMAINS];
	int32_t pipelines[LBENCH_LAYER_COUNT][N_DOMAINS];
	layer_range L[LBENCH_LAYER_COUNT];
	zipf z_raw = {0}, z_stg = {0}, z_int = {0}, z_mart = {0}, z_rpt = {0};
	size_t ups[64], col_budget_cols = 0, fixed_edges = 0;
	double mu, target_edges = p->edges_per_asset * (double)p->assets;
	char name[160];
	int rc = -1;

	if (n_src < 2)
		n_src = 2;
	if (n_stg < 2)
		n_stg = 2;
	if (n_int < 2)
		n_int = 2;
	if (n_mart < 2)
		n_mart = 2;
	if (n_rpt < 1)
		n_rpt = 1;
	if (n_dash < 1)
		n_dash = 1;

	/* Containers. */
	{
		int32_t wh_sys = -1, raw_db, an_db, rpt_db, bi, af;
		for (size_t s = 0; s < N_SOURCES; s++) {
			int32_t sys = container(g, -1, sources[s].system, K_SYSTEM);
			int32_t db = container(g, sys, sources[s].database, K_DATABASE);
			for (size_t k = 0; k < SCHEMAS_PER_SOURCE; k++)
				src_schemas[s][k] =
					container(g, db, domains[(s * 3 + k) % N_DOMAINS], K_SCHEMA);
		}
		wh_sys = container(g, -1, "snowflake", K_SYSTEM);
		raw_db = container(g, wh_sys, "raw", K_DATABASE);
		an_db = container(g, wh_sys, "analytics", K_DATABASE);
		rpt_db = container(g, wh_sys, "reporting", K_DATABASE);
		for (size_t s = 0; s < N_SOURCES; s++)
			raw_schemas[s] = container(g, raw_db, sources[s].system, K_SCHEMA);
		for (size_t d = 0; d < N_DOMAINS; d++) {
			snprintf(name, sizeof name, "staging_%s", domains[d]);
			stg_schemas[d] = container(g, an_db, name, K_SCHEMA);
			snprintf(name, sizeof name, "int_%s", domains[d]);
			int_schemas[d] = container(g, an_db, name, K_SCHEMA);
			snprintf(name, sizeof name, "marts_%s", domains[d]);
			mart_schemas[d] = container(g, an_db, name, K_SCHEMA);
			snprintf(name, sizeof name, "rpt_%s", domains[d]);
			rpt_schemas[d] = container(g, rpt_db, name, K_SCHEMA);
		}
		bi = container(g, -1, "looker", K_SYSTEM);
		for (size_t d = 0; d < N_DOMAINS; d++)
			folders[d] = container(g, bi, domains[d], K_FOLDER);
		af = container(g, -1, "airflow", K_SYSTEM);
		for (int l = 0; l < LBENCH_LAYER_COUNT; l++)
			for (size_t d = 0; d < N_DOMAINS; d++) {
				pipelines[l][d] = -1;
				if (l < LBENCH_LAYER_RAW || l > LBENCH_LAYER_REPORT)
					continue;
				snprintf(name, sizeof name, "%s_%s", layer_names[l], domains[d]);
				pipelines[l][d] = container(g, af, name, K_PIPELINE);
			}
	}
	if (g->oom)
		goto done;

	/* Tables, layer by layer: sources, then their raw copies, then the derived layers. */
	L[LBENCH_LAYER_SOURCE].first = g->ntables;
	for (size_t i = 0; i < n_src && !g->oom; i++) {
		size_t s = lbench_rng_below(&g->rng, N_SOURCES), k = i % SCHEMAS_PER_SOURCE;
		int d = (int)((s * 3 + k) % N_DOMAINS);
		snprintf(name, sizeof name, "%s_%zu", entities[lbench_rng_below(&g->rng, N_ENTITIES)],
			 i);
		add_table(g, src_schemas[s][k], name, sources[s].kind, LBENCH_LAYER_SOURCE, d,
			  uniform_between(&g->rng, 5, 40), -1, (int)s);
	}
	L[LBENCH_LAYER_SOURCE].count = n_src;
	L[LBENCH_LAYER_RAW].first = g->ntables;
	for (size_t i = 0; i < n_src && !g->oom; i++) {
		const table *s = &g->tables[L[LBENCH_LAYER_SOURCE].first + i];
		const lbench_wh_asset *a = &wh->assets[s->asset];
		const char *sname = strrchr(lbench_wh_key(wh, (size_t)s->asset), '.') + 1;
		snprintf(name, sizeof name, "%s", sname);
		add_table(g, raw_schemas[s->source], name, K_TABLE, LBENCH_LAYER_RAW, a->domain,
			  s->ncols, pipelines[LBENCH_LAYER_RAW][a->domain], 0);
		/* Same column names as the source: copy its start offset. */
		for (size_t c = 0; c < s->ncols; c++) {
			size_t from = (size_t)s->asset + 1 + c;
			size_t to = (size_t)g->tables[g->ntables - 1].asset + 1 + c;
			wh->assets[to].data_type = wh->assets[from].data_type;
		}
	}
	L[LBENCH_LAYER_RAW].count = n_src;
	{
		static const struct {
			int layer;
			const char *prefix;
		} derived[] = {{LBENCH_LAYER_STAGING, "stg"},
			       {LBENCH_LAYER_INTERMEDIATE, "int"},
			       {LBENCH_LAYER_MART, "fct"},
			       {LBENCH_LAYER_REPORT, "rpt"},
			       {LBENCH_LAYER_DASHBOARD, "dash"}};
		size_t counts[] = {n_stg, n_int, n_mart, n_rpt, n_dash};
		for (size_t k = 0; k < 5; k++) {
			int layer = derived[k].layer;
			L[layer].first = g->ntables;
			L[layer].count = counts[k];
			for (size_t i = 0; i < counts[k] && !g->oom; i++) {
				int d = (int)lbench_rng_below(&g->rng, N_DOMAINS);
				const char *ent = entities[lbench_rng_below(&g->rng, N_ENTITIES)];
				const char *prefix = derived[k].prefix;
				int32_t parent;
				int kind = K_TABLE;
				size_t ncols = uniform_between(&g->rng, 5, 40);
				if (layer == LBENCH_LAYER_MART && i % 3 == 0)
					prefix = "dim";
				snprintf(name, sizeof name, "%s_%s_%zu", prefix, ent, i);
				switch (layer) {
				case LBENCH_LAYER_STAGING:
					parent = stg_schemas[d];
					kind = i % 4 == 0 ? K_VIEW : K_TABLE;
					break;
				case LBENCH_LAYER_INTERMEDIATE:
					parent = int_schemas[d];
					break;
				case LBENCH_LAYER_MART:
					parent = mart_schemas[d];
					break;
				case LBENCH_LAYER_REPORT:
					parent = rpt_schemas[d];
					kind = K_REPORT;
					ncols = uniform_between(&g->rng, 5, 20);
					break;
				default:
					parent = folders[d];
					kind = K_DASHBOARD;
					ncols = 0;
					break;
				}
				add_table(g, parent, name, kind, layer, d, ncols, pipelines[layer][d],
					  0);
			}
		}
	}
	if (g->oom)
		goto done;

	/* Table-level upstreams, with heavy-tailed popularity and fan-in. */
	g->up_off = calloc(g->ntables + 1, sizeof *g->up_off);
	if (!g->up_off || zipf_init(&z_raw, L[LBENCH_LAYER_RAW].count, 1.0, &g->rng) ||
	    zipf_init(&z_stg, L[LBENCH_LAYER_STAGING].count, 1.1, &g->rng) ||
	    zipf_init(&z_int, L[LBENCH_LAYER_INTERMEDIATE].count, 1.1, &g->rng) ||
	    zipf_init(&z_mart, L[LBENCH_LAYER_MART].count, 1.2, &g->rng) ||
	    zipf_init(&z_rpt, L[LBENCH_LAYER_REPORT].count, 1.2, &g->rng))
		goto done;
	for (size_t t = 0; t < g->ntables && !g->oom; t++) {
		const table *d = &g->tables[t];
		size_t n = 0, k, rel = 0;
		g->up_off[t] = g->nup;
		switch (d->layer) {
		case LBENCH_LAYER_RAW:
			ups[n++] = L[LBENCH_LAYER_SOURCE].first + (t - L[LBENCH_LAYER_RAW].first);
			break;
		case LBENCH_LAYER_STAGING:
			rel = t - L[LBENCH_LAYER_STAGING].first;
			ups[n++] = L[LBENCH_LAYER_RAW].first + rel % L[LBENCH_LAYER_RAW].count;
			if (lbench_rng_unit(&g->rng) < 0.2) /* joins with lookup tables */
				for (k = uniform_between(&g->rng, 1, 2); k > 0; k--)
					ups[n++] = L[LBENCH_LAYER_RAW].first +
						   zipf_pick(&z_raw, &g->rng);
			break;
		case LBENCH_LAYER_INTERMEDIATE:
			rel = t - L[LBENCH_LAYER_INTERMEDIATE].first;
			for (k = pareto_count(&g->rng, 1.7, 40); k > 0; k--) {
				if (rel > 0 && lbench_rng_unit(&g->rng) < 0.35) /* chains */
					ups[n++] = L[LBENCH_LAYER_INTERMEDIATE].first +
						   (size_t)((double)rel *
							    pow(lbench_rng_unit(&g->rng), 3));
				else
					ups[n++] = L[LBENCH_LAYER_STAGING].first +
						   zipf_pick(&z_stg, &g->rng);
			}
			break;
		case LBENCH_LAYER_MART:
			for (k = 1 + pareto_count(&g->rng, 1.7, 40); k > 0; k--)
				ups[n++] = lbench_rng_unit(&g->rng) < 0.7
						   ? L[LBENCH_LAYER_INTERMEDIATE].first +
							     zipf_pick(&z_int, &g->rng)
						   : L[LBENCH_LAYER_STAGING].first +
							     zipf_pick(&z_stg, &g->rng);
			break;
		case LBENCH_LAYER_REPORT:
			for (k = pareto_count(&g->rng, 2.0, 10); k > 0; k--)
				ups[n++] = L[LBENCH_LAYER_MART].first + zipf_pick(&z_mart, &g->rng);
			break;
		case LBENCH_LAYER_DASHBOARD:
			for (k = pareto_count(&g->rng, 1.5, 25); k > 0; k--)
				ups[n++] = lbench_rng_unit(&g->rng) < 0.8
						   ? L[LBENCH_LAYER_MART].first +
							     zipf_pick(&z_mart, &g->rng)
						   : L[LBENCH_LAYER_REPORT].first +
							     zipf_pick(&z_rpt, &g->rng);
			break;
		default:
			break;
		}
		add_upstreams(g, ups, n);
	}
	g->up_off[g->ntables] = g->nup;
	if (g->oom)
		goto done;

	/* Consumers per table, for the record (the hubs). */
	{
		uint32_t *consumers = calloc(g->ntables, sizeof *consumers);
		if (!consumers)
			goto done;
		for (size_t i = 0; i < g->nup; i++)
			if (++consumers[g->up[i]] > wh->max_consumers)
				wh->max_consumers = consumers[g->up[i]];
		free(consumers);
	}

	/* How many inputs per derived column meet the edge target. */
	fixed_edges = g->nup;
	for (size_t t = 0; t < g->ntables; t++) {
		const table *d = &g->tables[t];
		if (d->layer == LBENCH_LAYER_RAW)
			fixed_edges += d->ncols;
		else if (d->layer > LBENCH_LAYER_RAW)
			col_budget_cols += d->ncols;
	}
	mu = col_budget_cols ? (target_edges - (double)fixed_edges) / (double)col_budget_cols : 1;
	if (mu < 1)
		mu = 1;

	/* Edges: each derived table's table edges, then its column edges. */
	for (size_t t = 0; t < g->ntables && !g->oom; t++) {
		const table *d = &g->tables[t];
		int ttype = d->layer == LBENCH_LAYER_DASHBOARD ? T_QUERY
			    : d->layer == LBENCH_LAYER_RAW     ? T_COPY
			    : d->layer == LBENCH_LAYER_MART    ? T_AGGREGATE
							       : T_TRANSFORM;
		for (size_t i = g->up_off[t]; i < g->up_off[t + 1]; i++)
			add_edge(g, (uint32_t)g->tables[g->up[i]].asset, (uint32_t)d->asset, d->job,
				 0, ttype, 0);
		column_edges(g, t, mu);
	}

	/* Reverse ETL: a few marts written back to a source table they come from (cycles),
	 * and a few incremental marts that read themselves (self-loops). */
	{
		size_t n_rev = L[LBENCH_LAYER_MART].count / 500 + 1;
		size_t n_self = L[LBENCH_LAYER_MART].count / 100 + 1;
		int32_t rev_pipeline = container(g, wh->assets[pipelines[LBENCH_LAYER_MART][0]].parent,
						 "reverse_etl", K_PIPELINE);
		for (size_t i = 0; i < n_rev && !g->oom; i++) {
			size_t m = 0, s = (size_t)-1;
			int32_t job;
			for (int tries = 0; tries < 20 && s == (size_t)-1; tries++) {
				m = L[LBENCH_LAYER_MART].first + zipf_pick(&z_mart, &g->rng);
				s = random_source_upstream(g, m);
			}
			if (s == (size_t)-1)
				continue;
			snprintf(name, sizeof name, "sync_%zu", i);
			job = add_asset(g, rev_pipeline, name, K_JOB, LBENCH_LAYER_NONE, 0);
			wh->job_count++;
			add_edge(g, (uint32_t)g->tables[m].asset, (uint32_t)g->tables[s].asset, job, 0,
				 T_REVERSE, 0);
			wh->cycle_edge_count++;
			for (size_t c = 0; c < g->tables[m].ncols && c < g->tables[s].ncols; c++)
				add_edge(g, (uint32_t)(g->tables[m].asset + 1 + (int32_t)c),
					 (uint32_t)(g->tables[s].asset + 1 + (int32_t)c), job, 0,
					 T_REVERSE, 1);
		}
		for (size_t i = 0; i < n_self && !g->oom; i++) {
			const table *m = &g->tables[L[LBENCH_LAYER_MART].first +
						    lbench_rng_below(&g->rng, L[LBENCH_LAYER_MART].count)];
			int dup = 0;
			for (size_t e = wh->edge_count; e-- > 0 && wh->edges[e].kind == 1;)
				dup |= wh->edges[e].source == (uint32_t)m->asset;
			if (dup)
				continue;
			add_edge(g, (uint32_t)m->asset, (uint32_t)m->asset, m->job, 1, T_INCREMENTAL,
				 0);
			wh->self_loop_count++;
		}
	}
	rc = g->oom ? -1 : 0;
done:
	zipf_free(&z_raw);
	zipf_free(&z_stg);
	zipf_free(&z_int);
	zipf_free(&z_mart);
	zipf_free(&z_rpt);
	return rc;
}

int lbench_warehouse_generate(lbench_warehouse **out, const lbench_wh_params *p)
{
	lbench_wh_params defaults;
	gen g;
	int rc;
	*out = NULL;
	if (!p) {
		lbench_wh_params_init(&defaults);
		p = &defaults;
	}
	if (p->assets < 100 || p->assets > 50000000u)
		return -1;
	memset(&g, 0, sizeof g);
	g.wh = calloc(1, sizeof *g.wh);
	if (!g.wh)
		return -1;
	lbench_rng_seed(&g.rng, p->seed);
	rc = generate(&g, p);
	free(g.tables);
	free(g.up);
	free(g.up_off);
	if (rc != 0) {
		lbench_warehouse_free(g.wh);
		return -1;
	}
	*out = g.wh;
	return 0;
}

void lbench_warehouse_free(lbench_warehouse *wh)
{
	if (!wh)
		return;
	free(wh->assets);
	free(wh->keys);
	free(wh->edges);
	free(wh);
}
