/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vector: a growable array of pointers (the vector owns the array, not
 * the items).
 */
#include <string.h>

#include "core_int.h"

int isg__vector_push(isg__vector *v, void *item)
{
	if (v->len == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 16, bytes;
		void **n;

		if (!isg__alloc_mul_ok(nc, sizeof(*n), &bytes))
			return isg__error_oom("core");
		n = isg__alloc_realloc(v->items, bytes);
		if (!n)
			return isg__error_oom("core");
		v->items = n;
		v->cap = nc;
	}
	v->items[v->len++] = item;
	return ISG_OK;
}

void isg__vector_free(isg__vector *v)
{
	if (!v)
		return;
	isg__alloc_free(v->items);
	memset(v, 0, sizeof(*v));
}
