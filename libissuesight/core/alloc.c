/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alloc: every allocation of the library goes through the installed hooks,
 * so that tests can fail the k-th allocation and check that each caller
 * returns ISG_ENOMEM without leaking. cJSON is routed through them too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core_int.h"
#include "issuesight/global.h"

static void *default_malloc(size_t size, void *payload)
{
	(void)payload;
	return malloc(size);
}

static void *default_realloc(void *ptr, size_t size, void *payload)
{
	(void)payload;
	return realloc(ptr, size);
}

static void default_free(void *ptr, void *payload)
{
	(void)payload;
	free(ptr);
}

static isg_allocator allocator = { ISG_ALLOCATOR_VERSION, default_malloc,
	                           default_realloc, default_free, NULL };

/* Failed allocations on this thread, so that a parser that cannot tell an
 * allocation failure from bad input (cJSON) can be asked afterwards. */
static _Thread_local unsigned long alloc_failures;

unsigned long isg__alloc_failures(void)
{
	return alloc_failures;
}

void *isg__alloc_malloc(size_t size)
{
	void *p = allocator.malloc_fn(size ? size : 1, allocator.payload);

	if (!p)
		alloc_failures++;
	return p;
}

void *isg__alloc_calloc(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (!isg__alloc_mul_ok(n, size, &total))
		return NULL;
	p = isg__alloc_malloc(total);
	if (p)
		memset(p, 0, total ? total : 1);
	return p;
}

void *isg__alloc_realloc(void *ptr, size_t size)
{
	void *p = allocator.realloc_fn(ptr, size ? size : 1, allocator.payload);

	if (!p)
		alloc_failures++;
	return p;
}

void isg__alloc_free(void *ptr)
{
	if (ptr)
		allocator.free_fn(ptr, allocator.payload);
}

char *isg__alloc_strndup(const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	if (n == SIZE_MAX)
		return NULL;
	p = isg__alloc_malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *isg__alloc_strdup(const char *s)
{
	return s ? isg__alloc_strndup(s, strlen(s)) : NULL;
}

int isg__alloc_mul_ok(size_t a, size_t b, size_t *out)
{
	if (b != 0 && a > SIZE_MAX / b)
		return 0;
	*out = a * b;
	return 1;
}

/* cJSON's hooks carry no payload, hence these trampolines. */
static void *json_malloc(size_t size)
{
	return isg__alloc_malloc(size);
}

static void json_free(void *ptr)
{
	isg__alloc_free(ptr);
}

void isg__alloc_install_json_hooks(void)
{
	cJSON_Hooks hooks = { json_malloc, json_free };

	cJSON_InitHooks(&hooks);
}

int isg_global_set_allocator(const isg_allocator *a)
{
	if (!a) {
		allocator.malloc_fn = default_malloc;
		allocator.realloc_fn = default_realloc;
		allocator.free_fn = default_free;
		allocator.payload = NULL;
	} else {
		if (a->version > ISG_ALLOCATOR_VERSION)
			return isg__error_set(
			        ISG_EINVALID, "global",
			        "isg_allocator.version %u is newer than this library's %d",
			        a->version, ISG_ALLOCATOR_VERSION);
		if (!a->malloc_fn || !a->realloc_fn || !a->free_fn)
			return isg__error_set(
			        ISG_EINVALID, "global",
			        "isg_global_set_allocator: every function pointer must be set");
		allocator = *a;
	}
	isg__alloc_install_json_hooks();
	return ISG_OK;
}

/* The 0.1 name, exported until 0.3. */
int isg_set_allocator(const isg_allocator *a)
{
	return isg_global_set_allocator(a);
}
