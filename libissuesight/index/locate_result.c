/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate result: the accessors of an isg_locate_result (NULL-safe and
 * range-checked) and its JSON form.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"

void isg_locate_result_free(isg_locate_result *result)
{
	if (!result)
		return;
	isg__arena_free(&result->arena);
	isg__alloc_free(result);
}

static const isg__lentry *entry(const isg_locate_result *r, int list, size_t i)
{
	if (!r || (list != ISG_LOCATE_CHANGE && list != ISG_LOCATE_READ) ||
	    i >= r->n[list])
		return NULL;
	return &r->list[list][i];
}

size_t isg_locate_result_count(const isg_locate_result *result, int list)
{
	if (!result || (list != ISG_LOCATE_CHANGE && list != ISG_LOCATE_READ))
		return 0;
	return result->n[list];
}

const char *isg_locate_result_path(const isg_locate_result *result, int list,
                                   size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->path : NULL;
}

double isg_locate_result_score(const isg_locate_result *result, int list,
                               size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->score : 0.0;
}

const char *isg_locate_result_role(const isg_locate_result *result, int list,
                                   size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->role : NULL;
}

size_t isg_locate_result_reason_count(const isg_locate_result *result, int list,
                                      size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->nreasons : 0;
}

const char *isg_locate_result_reason(const isg_locate_result *result, int list,
                                     size_t i, size_t j)
{
	const isg__lentry *e = entry(result, list, i);

	return e && j < e->nreasons ? e->reasons[j].text : NULL;
}

size_t isg_locate_result_symbol_count(const isg_locate_result *result, int list,
                                      size_t i)
{
	const isg__lentry *e = entry(result, list, i);

	return e ? e->nsyms : 0;
}

const char *isg_locate_result_symbol_name(const isg_locate_result *result,
                                          int list, size_t i, size_t j)
{
	const isg__lentry *e = entry(result, list, i);

	return e && j < e->nsyms ? e->syms[j].name : NULL;
}

unsigned int isg_locate_result_symbol_line(const isg_locate_result *result,
                                           int list, size_t i, size_t j)
{
	const isg__lentry *e = entry(result, list, i);

	return e && j < e->nsyms ? e->syms[j].line : 0;
}

int isg_locate_result_symbol_mentioned(const isg_locate_result *result,
                                       int list, size_t i, size_t j)
{
	const isg__lentry *e = entry(result, list, i);

	return e && j < e->nsyms ? e->syms[j].mentioned : 0;
}

size_t isg_locate_result_mention_count(const isg_locate_result *result)
{
	return result ? result->nmentions : 0;
}

const char *isg_locate_result_mention(const isg_locate_result *result, size_t i)
{
	return result && i < result->nmentions ? result->mentions[i] : NULL;
}

int isg_locate_result_json(isg_buf *out, const isg_locate_result *result)
{
	isg_buf b = ISG_BUF_INIT;
	size_t i, j;
	int rc;

	if (!out || !result)
		return isg__error_set(ISG_EINVALID, MODULE,
		                      "isg_locate_result_json: NULL argument");
	rc = isg__buf_puts(&b, "{\"files\": [");
	for (i = 0; rc == ISG_OK && i < result->n[ISG_LOCATE_CHANGE]; i++) {
		const isg__lentry *e = &result->list[ISG_LOCATE_CHANGE][i];

		rc = isg__buf_puts(&b, i ? ", {\"path\": " : "{\"path\": ");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, e->path,
			                              strlen(e->path));
		if (rc == ISG_OK)
			rc = isg__buf_printf(
			        &b, ", \"score\": %.4f, \"reasons\": [",
			        e->score);
		for (j = 0; rc == ISG_OK && j < e->nreasons; j++) {
			if (j)
				rc = isg__buf_puts(&b, ", ");
			if (rc == ISG_OK)
				rc = isg__buf_put_json_string(
				        &b, e->reasons[j].text,
				        strlen(e->reasons[j].text));
		}
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, "], \"symbols\": [");
		for (j = 0; rc == ISG_OK && j < e->nsyms; j++) {
			rc = isg__buf_puts(&b,
			                   j ? ", {\"name\": " : "{\"name\": ");
			if (rc == ISG_OK)
				rc = isg__buf_put_json_string(
				        &b, e->syms[j].name,
				        strlen(e->syms[j].name));
			if (rc == ISG_OK)
				rc = isg__buf_printf(&b, ", \"line\": %u}",
				                     e->syms[j].line);
		}
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, "]}");
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(&b, "], \"definitions\": [");
	for (i = 0; rc == ISG_OK && i < result->ndefs; i++) {
		const isg__ldef *d = &result->defs[i];

		rc = isg__buf_puts(&b, i ? ", {\"name\": " : "{\"name\": ");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, d->name,
			                              strlen(d->name));
		if (rc == ISG_OK)
			rc = isg__buf_puts(&b, ", \"path\": ");
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, d->path,
			                              strlen(d->path));
		if (rc == ISG_OK)
			rc = isg__buf_printf(
			        &b,
			        ", \"kind\": \"%s\", \"line\": %u, \"score\": %.4f}",
			        d->kind, d->line, d->score);
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(&b, "]}");
	if (rc == ISG_OK)
		rc = isg_buf_set(out, b.ptr, b.size);
	isg_buf_dispose(&b);
	return rc == ISG_OK ? ISG_OK : isg__error_oom(MODULE);
}
