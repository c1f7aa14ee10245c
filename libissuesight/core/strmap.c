/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The string map: an open-addressing hash table from borrowed string keys
 * to long values, sized once for the number of keys it will hold.
 */
#include <string.h>

#include "core_int.h"

/* djb2: the keys are short words and paths. */
static size_t hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33u + (unsigned char)*s++;
	return h;
}

int isg__strmap_init(isg__strmap *m, size_t n)
{
	size_t cap = 64;

	while (cap < n * 2 + 1) {
		if (cap > SIZE_MAX / 4) {
			memset(m, 0, sizeof(*m));
			return isg__error_oom("core");
		}
		cap *= 2;
	}
	m->keys = isg__alloc_calloc(cap, sizeof(*m->keys));
	m->vals = isg__alloc_calloc(cap, sizeof(*m->vals));
	m->cap = cap;
	if (!m->keys || !m->vals) {
		isg__strmap_free(m);
		return isg__error_oom("core");
	}
	return ISG_OK;
}

void isg__strmap_free(isg__strmap *m)
{
	if (!m)
		return;
	isg__alloc_free(m->keys);
	isg__alloc_free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* Returns the slot of `key` (existing or where it would go). */
static size_t strmap_slot(const isg__strmap *m, const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

long isg__strmap_get(const isg__strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return -1;
	i = strmap_slot(m, key);
	return m->keys[i] ? m->vals[i] : -1;
}

void isg__strmap_put(isg__strmap *m, const char *key, long val)
{
	size_t i = strmap_slot(m, key);

	if (!m->keys[i]) {
		m->keys[i] = key;
		m->vals[i] = val;
	}
}
