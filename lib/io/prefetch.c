/* The reading side of a one-pass import, on a second thread (prefetch.h). */
#include "prefetch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/error.h"

#define BATCH_ROWS 256
#define BATCH_BYTES (1u << 20)
#define BATCHES 4 /* in flight: the one being written, the ones read ahead */
#define SIZING_ROWS 4096

typedef struct batch {
	lin_fetched rows[BATCH_ROWS];
	size_t n;
	lin_arena arena;   /* the rows' copies */
	uint64_t consumed; /* input bytes read when the batch was closed */
	int end;           /* the last batch: reading stopped with `rc` */
	int rc;
	char *message;     /* rc's message (in the arena) */
} batch;

struct lin_prefetch {
	lin_reader *r;
	lin_vctx *v;
	uint64_t read;     /* rows read by the thread */
	pthread_t thread;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	/* the ring: batches[head] .. batches[head + count - 1] are filled, in order; the
	 * caller reads batches[head] and gives it back when done, the thread fills the next
	 * free one. Guarded by mu. */
	size_t head, count;
	atomic_int stop;
	batch batches[BATCHES];
	/* the caller's side */
	batch *cur;
	size_t pos;
	uint64_t consumed;
};

static const char *copy_str(lin_arena *a, const char *s, size_t len, int *oom)
{
	char *p;
	if (!s)
		return NULL;
	if (!(p = lin_arena_strndup(a, s, len)))
		*oom = 1;
	return p;
}

#define COPY(a, s, oom) copy_str(a, s, (s) ? strlen(s) : 0, oom)

/*
 * Copy the record's values. A reader that keeps them side by side in one buffer (CSV) has
 * them copied in one piece; others value by value. Names that are the reader's header stay
 * where they are (the reader outlives the thread).
 */
static int copy_fields(lin_arena *a, const lin_reader *r, const lin_raw *raw, lin_field *out)
{
	const char *lo = NULL, *hi = NULL;
	size_t bytes = 0;
	char *block = NULL;
	int oom = 0;
	for (size_t i = 0; i < raw->nfields; i++) {
		const lin_field *in = &raw->fields[i];
		if (!in->value)
			continue;
		if (!lo || in->value < lo)
			lo = in->value;
		if (!hi || in->value + in->len + 1 > hi)
			hi = in->value + in->len + 1;
		bytes += in->len + 1;
	}
	if (lo && (size_t)(hi - lo) <= 2 * bytes && !(block = lin_arena_strndup(a, lo, (size_t)(hi - lo))))
		return lin_error_oom();
	for (size_t i = 0; i < raw->nfields; i++) {
		const lin_field *in = &raw->fields[i];
		out[i] = *in;
		if (!(i < r->header_count && in->name == r->header[i]))
			out[i].name = COPY(a, in->name, &oom);
		if (in->value) /* by length: a value may hold a NUL */
			out[i].value = block ? block + (in->value - lo) : copy_str(a, in->value, in->len, &oom);
	}
	return oom ? lin_error_oom() : 0;
}

/* Copy what the validation made of `raw` into the batch: the record, the row, the verdict. */
static int keep(batch *b, const lin_reader *r, const lin_raw *raw, const lin_row *row,
		int invalid, lin_vctx *v)
{
	lin_fetched *f = &b->rows[b->n];
	lin_arena *a = &b->arena;
	int oom = 0, rc;
	f->raw = *raw;
	f->raw.fields = raw->nfields ? lin_arena_alloc(a, raw->nfields * sizeof *raw->fields) : NULL;
	if (raw->nfields && !f->raw.fields)
		return lin_error_oom();
	if ((rc = copy_fields(a, r, raw, f->raw.fields)) != 0)
		return rc;
	f->raw.problem = COPY(a, raw->problem, &oom);
	f->raw.problem_column = COPY(a, raw->problem_column, &oom);
	f->raw.warning = COPY(a, raw->warning, &oom);
	/* most of the row's values are the record's own: they point at their copies */
	f->row = *row;
	for (size_t i = 0; i < raw->nfields; i++) {
		int c = raw->fields[i].col;
		if (c >= 0 && c < LIN_COL_COUNT && row->v[c] && row->v[c] == raw->fields[i].value)
			f->row.v[c] = f->raw.fields[i].value;
	}
	for (int c = 0; c < LIN_COL_COUNT; c++)
		if (f->row.v[c] == row->v[c])
			f->row.v[c] = COPY(a, row->v[c], &oom);
	if (row->tag_count) {
		const char **tags = lin_arena_alloc(a, row->tag_count * sizeof *tags);
		if (!tags)
			return lin_error_oom();
		for (size_t i = 0; i < row->tag_count; i++)
			tags[i] = COPY(a, row->tags[i], &oom);
		f->row.tags = tags;
	}
	f->row.properties = (char *)COPY(a, row->properties, &oom);
	f->invalid = invalid;
	f->duplicate = v->duplicate;
	f->errors = invalid && v->msgs.data ? COPY(a, v->msgs.data, &oom) : NULL;
	if (oom)
		return lin_error_oom();
	b->n++;
	return 0;
}

/* After the first rows, the map of the file's edge identities gets room for as many as
 * the file's size suggests: doubling later would hold two tables at once, while the
 * writer's page cache is full. */
static int size_identities(lin_prefetch *p)
{
	const lin_src *src = p->r->src;
	uint64_t expected = lin_src_estimate_records(src, p->read, src->consumed);
	return lin_seen_reserve(&p->v->edges, (size_t)(expected + expected / 20));
}

/* Read and validate rows into `b` until it is full or the input ends. */
static void fill(lin_prefetch *p, batch *b)
{
	int rc = 0;
	lin_arena_reset(&b->arena);
	b->n = 0;
	b->end = 0;
	b->message = NULL;
	while (b->n < BATCH_ROWS && b->arena.used_total < BATCH_BYTES && !atomic_load(&p->stop)) {
		const lin_raw *raw;
		lin_row row;
		int vr;
		if ((rc = lin_reader_next(p->r, &raw)) != 0)
			break;
		if ((vr = lin_validate(p->v, raw, &row)) < 0) {
			rc = vr;
			break;
		}
		if ((rc = keep(b, p->r, raw, &row, vr > 0, p->v)) != 0)
			break;
		if (++p->read == SIZING_ROWS && (rc = size_identities(p)) != 0)
			break;
	}
	b->consumed = p->r->src->consumed;
	if (rc != 0 || atomic_load(&p->stop)) {
		b->end = 1;
		b->rc = rc ? rc : LINEAGE_ITEROVER;
		if (rc != LINEAGE_ITEROVER)
			b->message = lin_arena_strndup(&b->arena, lin_error_plain(),
						       strlen(lin_error_plain()));
	}
}

static void *run(void *arg)
{
	lin_prefetch *p = arg;
	for (;;) {
		batch *b;
		pthread_mutex_lock(&p->mu);
		while (p->count == BATCHES && !atomic_load(&p->stop))
			pthread_cond_wait(&p->changed, &p->mu);
		if (atomic_load(&p->stop)) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		b = &p->batches[(p->head + p->count) % BATCHES];
		pthread_mutex_unlock(&p->mu);
		fill(p, b); /* a free batch: the caller does not look at it */
		pthread_mutex_lock(&p->mu);
		p->count++;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->mu);
		if (b->end)
			return NULL;
	}
}

int lin_prefetch_start(lin_prefetch **out, lin_reader *r, lin_vctx *v)
{
	lin_prefetch *p = calloc(1, sizeof *p);
	*out = NULL;
	if (!p)
		return lin_error_oom();
	p->r = r;
	p->v = v;
	atomic_init(&p->stop, 0);
	for (int i = 0; i < BATCHES; i++)
		lin_arena_init(&p->batches[i].arena, 0);
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p);
		return lin_error_oom();
	}
	if (pthread_cond_init(&p->changed, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		free(p);
		return lin_error_oom();
	}
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		lin_prefetch_free(p);
		return lin_error_set(LINEAGE_ENOMEM, "cannot start the import's reading thread");
	}
	p->started = 1;
	*out = p;
	return 0;
}

int lin_prefetch_next(lin_prefetch *p, const lin_fetched **out)
{
	for (;;) {
		batch *b = p->cur;
		if (b && p->pos < b->n) {
			*out = &b->rows[p->pos++];
			return 0;
		}
		if (b && b->end) {
			if (b->rc == LINEAGE_ITEROVER)
				return LINEAGE_ITEROVER;
			return lin_error_set(b->rc, "%s", b->message ? b->message : "out of memory");
		}
		pthread_mutex_lock(&p->mu);
		if (b) { /* done with it: the thread may fill it again */
			p->head = (p->head + 1) % BATCHES;
			p->count--;
			pthread_cond_broadcast(&p->changed);
		}
		while (p->count == 0)
			pthread_cond_wait(&p->changed, &p->mu);
		p->cur = &p->batches[p->head];
		pthread_mutex_unlock(&p->mu);
		p->pos = 0;
		p->consumed = p->cur->consumed;
	}
}

size_t lin_prefetch_rest(const lin_prefetch *p, const lin_fetched **rows)
{
	*rows = p->cur ? &p->cur->rows[p->pos] : NULL;
	return p->cur ? p->cur->n - p->pos : 0;
}

uint64_t lin_prefetch_consumed(const lin_prefetch *p)
{
	return p->consumed;
}

void lin_prefetch_free(lin_prefetch *p)
{
	if (!p)
		return;
	if (p->started) {
		pthread_mutex_lock(&p->mu);
		atomic_store(&p->stop, 1);
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->thread, NULL);
	}
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->mu);
	for (int i = 0; i < BATCHES; i++)
		lin_arena_free(&p->batches[i].arena);
	free(p);
}
