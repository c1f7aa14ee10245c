/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reader's memory tier: a chained hash map of shared entries with a
 * least-recently-used list, bounded in bytes. One mutex guards it; a hit
 * costs a lookup, a reference and a list move.
 */
#include <string.h>

#include "core_int.h"
#include "reader_int.h"

int isg__reader_mem_init(isg__rmem *m, long long max_bytes)
{
	memset(m, 0, sizeof(*m));
	m->nbuckets = 4096;
	m->buckets = isg__alloc_calloc(m->nbuckets, sizeof(*m->buckets));
	if (!m->buckets)
		return isg__error_oom("reader");
	m->max_bytes = max_bytes;
	pthread_mutex_init(&m->mu, NULL);
	return ISG_OK;
}

static void unlink_lru(isg__rmem *m, isg__rentry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		m->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		m->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(isg__rmem *m, isg__rentry *e)
{
	e->prev = NULL;
	e->next = m->head;
	if (m->head)
		m->head->prev = e;
	m->head = e;
	if (!m->tail)
		m->tail = e;
}

/* Unlinks the entry of `key` from its bucket; returns it (still
 * referenced by the map) or NULL. */
static isg__rentry *take(isg__rmem *m, const char *key, uint64_t h)
{
	isg__rentry **pp = &m->buckets[h % m->nbuckets], *e;

	for (; (e = *pp) != NULL; pp = &e->hnext) {
		if (e->hash == h && strcmp(e->key, key) == 0) {
			*pp = e->hnext;
			e->hnext = NULL;
			unlink_lru(m, e);
			m->bytes -= (long long)e->size;
			m->entries--;
			return e;
		}
	}
	return NULL;
}

isg__rentry *isg__reader_mem_get(isg__rmem *m, const char *key)
{
	uint64_t h = isg__reader_hash(key);
	isg__rentry *e;

	pthread_mutex_lock(&m->mu);
	for (e = m->buckets[h % m->nbuckets]; e; e = e->hnext)
		if (e->hash == h && strcmp(e->key, key) == 0)
			break;
	if (e) {
		isg__reader_entry_ref(e);
		if (m->head != e) {
			unlink_lru(m, e);
			push_front(m, e);
		}
	}
	pthread_mutex_unlock(&m->mu);
	return e;
}

uint64_t isg__reader_mem_epoch(isg__rmem *m)
{
	uint64_t v;

	pthread_mutex_lock(&m->mu);
	v = m->epoch;
	pthread_mutex_unlock(&m->mu);
	return v;
}

void isg__reader_mem_put(isg__rmem *m, isg__rentry *e, uint64_t epoch)
{
	isg__rentry *old = NULL, *evicted = NULL, *next;

	if ((long long)e->size > m->max_bytes / 4)
		return; /* one bridge never takes a quarter of the tier */
	pthread_mutex_lock(&m->mu);
	if (m->epoch != epoch)
		goto done; /* invalidated while it was being loaded */
	old = take(m, e->key, e->hash);
	isg__reader_entry_ref(e);
	e->hnext = m->buckets[e->hash % m->nbuckets];
	m->buckets[e->hash % m->nbuckets] = e;
	push_front(m, e);
	m->bytes += (long long)e->size;
	m->entries++;
	while (m->bytes > m->max_bytes && m->tail && m->tail != e) {
		isg__rentry *t = take(m, m->tail->key, m->tail->hash);

		t->next = evicted; /* unreferenced after the unlock */
		evicted = t;
	}
done:
	pthread_mutex_unlock(&m->mu);
	isg__reader_entry_unref(old);
	for (; evicted; evicted = next) {
		next = evicted->next;
		isg__reader_entry_unref(evicted);
	}
}

void isg__reader_mem_remove(isg__rmem *m, const char *key)
{
	isg__rentry *e;

	pthread_mutex_lock(&m->mu);
	m->epoch++;
	e = take(m, key, isg__reader_hash(key));
	pthread_mutex_unlock(&m->mu);
	isg__reader_entry_unref(e);
}

void isg__reader_mem_clear(isg__rmem *m)
{
	isg__rentry *list, *next;
	size_t i;

	pthread_mutex_lock(&m->mu);
	m->epoch++;
	list = m->head;
	m->head = m->tail = NULL;
	for (i = 0; i < m->nbuckets; i++)
		m->buckets[i] = NULL;
	m->bytes = m->entries = 0;
	pthread_mutex_unlock(&m->mu);
	for (; list; list = next) {
		next = list->next;
		isg__reader_entry_unref(list);
	}
}

void isg__reader_mem_usage(isg__rmem *m, long long *entries, long long *bytes)
{
	pthread_mutex_lock(&m->mu);
	*entries = m->entries;
	*bytes = m->bytes;
	pthread_mutex_unlock(&m->mu);
}

void isg__reader_mem_dispose(isg__rmem *m)
{
	if (!m->buckets)
		return;
	isg__reader_mem_clear(m);
	isg__alloc_free(m->buckets);
	m->buckets = NULL;
	pthread_mutex_destroy(&m->mu);
}
