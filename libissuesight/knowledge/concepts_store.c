/* SPDX-License-Identifier: Apache-2.0 */
/*
 * concepts_store: writing the catalog and a project's concepts to the
 * PostgreSQL archive through the store module's API. No SQL lives here:
 * the store owns the schema.
 */
#include <string.h>

#include "concepts_int.h"
#include "core_int.h"
#include "issuesight/store.h"

#define MOD "concepts"

int isg_concepts_store_load(size_t *out, isg_store *store,
                            const isg_concepts *cat)
{
	size_t i, k, n = 0;
	int rc = ISG_OK;

	if (out)
		*out = 0;
	if (!store || !cat)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "store_load: NULL store or catalog");
	/* All concepts first, so that every link finds both ends. */
	for (i = 0; i < cat->n; i++) {
		const isg_concept *c = &cat->items[i];

		rc = isg_store_concept_upsert(NULL, store, c->slug, c->name,
		                              c->description);
		if (rc != ISG_OK)
			goto done;
		n++;
	}
	for (i = 0; i < cat->n; i++)
		for (k = 0; k < cat->items[i].nparents; k++) {
			rc = isg_store_concept_link(store,
			                            cat->items[i].parents[k],
			                            cat->items[i].slug);
			if (rc != ISG_OK)
				goto done;
		}
done:
	if (rc != ISG_OK)
		isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
		               "loading concept '%s' failed: %s",
		               cat->items[i < cat->n ? i : cat->n - 1].slug,
		               isg_error_last()->message);
	if (out)
		*out = n;
	return rc;
}

int isg_concepts_store_project(size_t *out, isg_store *store,
                               const char *project_id,
                               const isg_concepts_matches *m)
{
	size_t i, n = 0;
	int rc = ISG_OK;

	if (out)
		*out = 0;
	if (!store || !project_id || !m)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "store_project: NULL argument");
	for (i = 0; i < m->n; i++) {
		rc = isg_store_project_concept_set(store, project_id,
		                                   m->items[i].entry->slug,
		                                   m->items[i].confidence);
		if (rc != ISG_OK)
			goto done;
		n++;
	}
done:
	if (out)
		*out = n;
	return rc;
}
