/* SPDX-License-Identifier: Apache-2.0 */
/*
 * locate entry: adds a reason (a weighted sentence) or a symbol to a ranked
 * file, keeping the strongest few of each.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locate_int.h"

#define MODULE "locate"

void isg__locate_entry_reason(isg__lctx *c, isg__lentry *e, double w,
                              const char *fmt, ...)
{
	char tmp[400];
	size_t i, slot = e->nreasons;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	for (i = 0; i < e->nreasons; i++)
		if (strcmp(e->reasons[i].text, tmp) == 0)
			return;
	if (slot >= ISG__ARRAY_SIZE(e->reasons)) {
		/* Full: replace the weakest when this one is stronger. */
		size_t weakest = 0;

		for (i = 1; i < e->nreasons; i++)
			if (e->reasons[i].weight < e->reasons[weakest].weight)
				weakest = i;
		if (e->reasons[weakest].weight >= w)
			return;
		slot = weakest;
	} else {
		e->nreasons++;
	}
	e->reasons[slot].weight = w;
	e->reasons[slot].text = isg__arena_strdup(&c->res->arena, tmp);
	if (!e->reasons[slot].text) {
		c->oom = 1;
		e->reasons[slot].text = "";
	}
}

void isg__locate_entry_symbol(isg__lctx *c, isg__lentry *e, const char *name,
                              unsigned int line)
{
	size_t i;

	for (i = 0; i < e->nsyms; i++)
		if (e->syms[i].line == line &&
		    strcmp(e->syms[i].name, name) == 0)
			return;
	if (e->nsyms >= ISG__ARRAY_SIZE(e->syms))
		return;
	e->syms[e->nsyms].name = isg__arena_strdup(&c->res->arena, name);
	e->syms[e->nsyms].line = line;
	e->syms[e->nsyms].mentioned = isg__strmap_get(&c->idents, name) >= 0;
	if (!e->syms[e->nsyms].name)
		c->oom = 1;
	else
		e->nsyms++;
}
