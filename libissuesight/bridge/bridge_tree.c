/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_tree: builds the offline engine's JSON tree: objects, arrays,
 * strings made valid UTF-8 and cut to a number of code points, numbers and
 * first sentences. Each builder does nothing after a failed allocation,
 * which it records in the engine state, so a writer checks once at the end.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"
#include "json_int.h"

static cJSON *attach(isg__bridge_gen *g, cJSON *parent, const char *key,
                     cJSON *item)
{
	int ok;

	if (!item) {
		g->oom = 1;
		return NULL;
	}
	if (!parent) {
		cJSON_Delete(item);
		return NULL;
	}
	ok = key ? cJSON_AddItemToObject(parent, key, item)
	         : cJSON_AddItemToArray(parent, item);
	if (!ok) {
		cJSON_Delete(item);
		g->oom = 1;
		return NULL;
	}
	return item;
}

cJSON *isg__bridge_tree_obj(isg__bridge_gen *g, cJSON *parent, const char *key)
{
	return parent ? attach(g, parent, key, cJSON_CreateObject()) : NULL;
}

cJSON *isg__bridge_tree_arr(isg__bridge_gen *g, cJSON *parent, const char *key)
{
	return parent ? attach(g, parent, key, cJSON_CreateArray()) : NULL;
}

char *isg__bridge_tree_utf8(const char *s, size_t len)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i = 0;
	int rc = isg__buf_grow(&b, len + len / 4 + 1);

	while (rc == ISG_OK && i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

		if (c == 0) {
			i++;
		} else if (c < 0x80) {
			rc = isg__buf_putc(&b, (char)c);
			i++;
		} else if (c >= 0xC2 && c <= 0xF4 && i + n <= len &&
		           isg__text_utf8_valid(s + i, n)) {
			rc = isg_buf_put(&b, s + i, n);
			i += n;
		} else {
			/* Latin-1: the byte is the code point. */
			rc = isg__buf_putc(&b, (char)(0xC0 | (c >> 6)));
			if (rc == ISG_OK)
				rc = isg__buf_putc(&b,
				                   (char)(0x80 | (c & 0x3F)));
			i++;
		}
	}
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return NULL;
	}
	return isg__buf_detach(&b);
}

/* A valid UTF-8 copy of `s`, cut at a character boundary to at most `max`
 * code points, the last of them an ellipsis when something was cut. */
static char *clean(const char *s, size_t max)
{
	char *u = isg__bridge_tree_utf8(s, strlen(s)), *cut;
	size_t cp = 0, i, at = 0;

	if (!u || !max)
		return u;
	for (i = 0; u[i]; i++) {
		if (((unsigned char)u[i] & 0xC0) == 0x80)
			continue;
		if (++cp == max)
			at = i; /* where the ellipsis goes if needed */
		if (cp > max)
			break;
	}
	if (cp <= max)
		return u;
	cut = isg__alloc_malloc(at + 4);
	if (cut) {
		memcpy(cut, u, at);
		memcpy(cut + at, "\xE2\x80\xA6", 4);
	}
	isg__alloc_free(u);
	return cut;
}

void isg__bridge_tree_str(isg__bridge_gen *g, cJSON *obj, const char *key,
                          const char *s, size_t max)
{
	char *u;

	if (!obj)
		return;
	if (!s) {
		attach(g, obj, key, cJSON_CreateNull());
		return;
	}
	u = clean(s, max);
	if (!u) {
		g->oom = 1;
		return;
	}
	attach(g, obj, key, cJSON_CreateString(u));
	isg__alloc_free(u);
}

void isg__bridge_tree_push(isg__bridge_gen *g, cJSON *arr, const char *s,
                           size_t max)
{
	isg__bridge_tree_str(g, arr, NULL, s, max);
}

void isg__bridge_tree_num(isg__bridge_gen *g, cJSON *obj, const char *key,
                          double v)
{
	if (obj)
		attach(g, obj, key, cJSON_CreateNumber(v));
}

void isg__bridge_tree_buf(isg__bridge_gen *g, cJSON *obj, const char *key,
                          isg_buf *b, int rc, size_t max)
{
	if (rc != ISG_OK)
		g->oom = 1;
	else
		isg__bridge_tree_str(g, obj, key, b->ptr ? b->ptr : "", max);
	isg__buf_clear(b);
}

int isg__bridge_tree_sentence(isg_buf *out, const char *s, size_t max)
{
	size_t n = 0;
	int rc = ISG_OK, space = 0;

	while (s && isspace((unsigned char)*s))
		s++;
	for (; s && *s && n < max && rc == ISG_OK; s++) {
		if (isspace((unsigned char)*s)) {
			space = 1;
			continue;
		}
		if (space)
			rc = isg__buf_putc(out, ' ');
		space = 0;
		if (rc == ISG_OK)
			rc = isg__buf_putc(out, *s);
		n++;
		if ((*s == '.' || *s == '!' || *s == '?') &&
		    (!s[1] || isspace((unsigned char)s[1])))
			break;
	}
	return rc;
}
