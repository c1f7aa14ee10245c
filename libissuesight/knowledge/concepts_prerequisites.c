/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_prerequisites: the concepts a newcomer should know before a
 * match list's concepts: their ancestors in the catalog, with the
 * confidence they inherit, ordered from the most general.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"

#define MOD "concepts"

typedef struct prereq {
	size_t ci;
	double conf;
	const isg_concept_match *direct; /* NULL for an ancestor */
	size_t via;                      /* child it was reached from */
} prereq;

static const isg_concepts *sort_cat;

static int cmp_prereq(const void *a, const void *b)
{
	const prereq *x = a, *y = b;
	const isg_concept *cx = &sort_cat->items[x->ci];
	const isg_concept *cy = &sort_cat->items[y->ci];

	if (cx->level != cy->level)
		return cx->level - cy->level;
	if (cx->depth != cy->depth)
		return cx->depth - cy->depth;
	if (x->conf != y->conf)
		return x->conf > y->conf ? -1 : 1;
	return strcmp(cx->slug, cy->slug);
}

static int cmp_prereq_conf(const void *a, const void *b)
{
	const prereq *x = a, *y = b;

	if (x->conf != y->conf)
		return x->conf > y->conf ? -1 : 1;
	return x->ci < y->ci ? -1 : (x->ci > y->ci);
}

/* Propagates confidence upwards (x 0.8 per level) until nothing
 * improves; the catalog's depth bounds the rounds. */
static void propagate(const isg_concepts *cat, prereq *p)
{
	size_t i, k, round;
	int changed = 1;

	for (round = 0; changed && round < cat->n; round++) {
		changed = 0;
		for (i = 0; i < cat->n; i++) {
			double c = p[i].conf * 0.8;

			if (p[i].conf <= 0)
				continue;
			for (k = 0; k < cat->items[i].nparents; k++) {
				size_t pi =
				        cat->parent_idx[cat->parent_off[i] + k];

				if (!p[pi].direct && c > p[pi].conf + 1e-12) {
					p[pi].conf = c;
					p[pi].via = i;
					changed = 1;
				}
			}
		}
	}
}

/* Fills `mt` from prerequisite `q`, copying its evidence (or writing
 * "parent of '<child>'") into the result's arena. */
static int fill_match(isg_concepts_matches *res, const isg_concepts *cat,
                      const prereq *q, isg_concept_match *mt)
{
	const char **ev;
	size_t k, ne = q->direct ? q->direct->nevidence : 1;

	ev = isg__arena_alloc(&res->arena, (ne + 1) * sizeof(*ev));
	if (!ev)
		return isg__error_oom(MOD);
	if (q->direct) {
		for (k = 0; k < ne; k++)
			ev[k] = q->direct->evidence[k];
	} else {
		isg_buf b = ISG_BUF_INIT;

		if (isg__buf_printf(&b, "parent of '%s'",
		                    cat->items[q->via].slug) != ISG_OK)
			return isg__error_oom(MOD);
		ev[0] = isg__arena_strndup(&res->arena, b.ptr, b.size);
		isg_buf_dispose(&b);
		if (!ev[0])
			return isg__error_oom(MOD);
	}
	/* Direct evidence strings are copied: the result must not borrow
	 * from `in`, which may be freed first. */
	for (k = 0; q->direct && k < ne; k++) {
		ev[k] = isg__arena_strndup(&res->arena, ev[k], strlen(ev[k]));
		if (!ev[k])
			return isg__error_oom(MOD);
	}
	mt->entry = &cat->items[q->ci];
	mt->confidence = q->conf;
	mt->evidence = ev;
	mt->nevidence = ne;
	return ISG_OK;
}

int isg_concepts_prerequisites(isg_concepts_matches **out,
                               const isg_concepts_matches *in, size_t max)
{
	const isg_concepts *cat;
	isg_concepts_matches *res = NULL;
	prereq *p = NULL;
	size_t i, n = 0;
	int rc = ISG_OK;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!in)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "prerequisites: NULL matches");
	cat = in->cat;
	p = isg__alloc_calloc(cat->n + 1, sizeof(*p));
	res = isg__alloc_calloc(1, sizeof(*res));
	if (!p || !res) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < cat->n; i++)
		p[i].ci = i;
	for (i = 0; i < in->n; i++) {
		size_t ci = (size_t)(in->items[i].entry - cat->items);

		p[ci].conf = in->items[i].confidence;
		p[ci].direct = &in->items[i];
	}
	propagate(cat, p);
	for (i = 0; i < cat->n; i++)
		if (p[i].conf > 0)
			p[n++] = p[i];
	qsort(p, n, sizeof(*p), cmp_prereq_conf);
	if (max && n > max)
		n = max;
	sort_cat = cat;
	qsort(p, n, sizeof(*p), cmp_prereq);
	sort_cat = NULL;
	res->cat = cat;
	res->items =
	        isg__arena_alloc(&res->arena, (n + 1) * sizeof(*res->items));
	if (!res->items) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	for (i = 0; i < n; i++) {
		rc = fill_match(res, cat, &p[i], &res->items[i]);
		if (rc != ISG_OK)
			goto done;
	}
	res->n = n;
	*out = res;
	res = NULL;
done:
	isg__alloc_free(p);
	isg_concepts_matches_free(res);
	return rc;
}
