/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo parse state: what the line parsers record: definitions with their
 * kind, parent and line, imports, and the stack of enclosing scopes.
 */
#include <string.h>

#include "repo_parse_int.h"

#define MODULE "repo"

int isg__repo_parse_add_def(pstate *s, const char *name, size_t n,
                            const char *kind, const char *parent,
                            unsigned int line)
{
	isg__parsed *o = s->out;
	isg__pdef *d;

	if (!n || n > 200)
		return ISG_OK;
	if (o->ndefs == o->cdefs) {
		size_t nc = o->cdefs ? o->cdefs * 2 : 16;
		isg__pdef *nd = isg__alloc_realloc(o->defs, nc * sizeof(*nd));

		if (!nd)
			return isg__error_oom(MODULE);
		o->defs = nd;
		o->cdefs = nc;
	}
	d = &o->defs[o->ndefs];
	d->name = isg__alloc_strndup(name, n);
	d->parent = isg__alloc_strdup(parent ? parent : "");
	if (!d->name || !d->parent) {
		isg__alloc_free(d->name);
		isg__alloc_free(d->parent);
		return isg__error_oom(MODULE);
	}
	d->kind = kind;
	d->line = line;
	o->ndefs++;
	return ISG_OK;
}

int isg__repo_parse_add_import(pstate *s, const char *name, size_t n)
{
	isg__parsed *o = s->out;
	char *copy;

	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t' ||
	             name[n - 1] == '\r'))
		n--;
	if (!n || n > 200 || o->nimports >= 512)
		return ISG_OK;
	if (o->nimports == o->cimports) {
		size_t nc = o->cimports ? o->cimports * 2 : 8;
		char **ni = isg__alloc_realloc(o->imports, nc * sizeof(*ni));

		if (!ni)
			return isg__error_oom(MODULE);
		o->imports = ni;
		o->cimports = nc;
	}
	copy = isg__alloc_strndup(name, n);
	if (!copy)
		return isg__error_oom(MODULE);
	o->imports[o->nimports++] = copy;
	return ISG_OK;
}

void isg__repo_parse_push_scope(pstate *s, const char *name, size_t n,
                                int indent, int is_class)
{
	scope *sc;

	if (s->nstack >= MAX_STACK)
		return;
	sc = &s->stack[s->nstack];
	sc->name[0] = '\0';
	if (s->nstack) {
		const char *up = s->stack[s->nstack - 1].name;
		size_t un = strlen(up);

		if (un + n + 2 <= sizeof(sc->name)) {
			memcpy(sc->name, up, un);
			sc->name[un] = '.';
			sc->name[un + 1] = '\0';
		}
	}
	sc->pending = s->braces ? 8 : 0;
	s->nstack++;
	{
		size_t off = strlen(sc->name);

		if (off + n >= sizeof(sc->name))
			n = sizeof(sc->name) - 1 - off;
		memcpy(sc->name + off, name, n);
		sc->name[off + n] = '\0';
	}
	sc->indent = indent;
	sc->is_class = is_class;
}

const char *isg__repo_parse_class_parent(const pstate *s, int depth)
{
	if (s->nstack && s->stack[s->nstack - 1].is_class &&
	    s->stack[s->nstack - 1].indent == depth)
		return s->stack[s->nstack - 1].name;
	return NULL;
}
