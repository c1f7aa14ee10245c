/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The arena: many small allocations (strings, arrays, records) taken from
 * large blocks and released together, for objects built once and freed as
 * a whole (an index, a catalog, a bridge).
 */
#include <stdint.h>
#include <string.h>

#include "core_int.h"

/* Blocks are at least this large; a bigger request gets a block of its
 * own size. */
#define ARENA_BLOCK 65536u
#define ARENA_ALIGN 16u

struct isg__arena_block {
	struct isg__arena_block *next;
	size_t used, cap;
	/* Aligned for any object stored in the block. */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

/* Returns `size` bytes from the current block (its start rounded up to
 * `align`), or from a new block; NULL when the allocation fails. */
static void *arena_take(isg__arena *a, size_t size, size_t align)
{
	struct isg__arena_block *b = a->head;
	size_t at = 0, cap;

	if (b) {
		at = (b->used + align - 1) & ~(align - 1);
		if (at <= b->cap && b->cap - at >= size) {
			b->used = at + size;
			return b->data + at;
		}
	}
	cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
	if (cap > SIZE_MAX - sizeof(*b))
		return NULL;
	b = isg__alloc_malloc(sizeof(*b) + cap);
	if (!b)
		return NULL;
	b->next = a->head;
	b->cap = cap;
	b->used = size;
	a->head = b;
	return b->data;
}

void *isg__arena_alloc(isg__arena *a, size_t size)
{
	void *p = arena_take(a, size ? size : 1, ARENA_ALIGN);

	if (p)
		memset(p, 0, size);
	return p;
}

void *isg__arena_array(isg__arena *a, size_t n, size_t size)
{
	size_t total;

	if (!isg__alloc_mul_ok(n ? n : 1, size, &total))
		return NULL;
	return isg__arena_alloc(a, total);
}

char *isg__arena_strndup(isg__arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = arena_take(a, n + 1, 1);
	if (!p)
		return NULL;
	if (n && s)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *isg__arena_strdup(isg__arena *a, const char *s)
{
	return isg__arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

void isg__arena_free(isg__arena *a)
{
	struct isg__arena_block *b = a ? a->head : NULL;

	while (b) {
		struct isg__arena_block *next = b->next;

		isg__alloc_free(b);
		b = next;
	}
	if (a)
		a->head = NULL;
}
