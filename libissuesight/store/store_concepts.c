/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The concept catalog in PostgreSQL: concepts by slug, parent -> child
 * links without self-loops or cycles, a cycle-safe subtree read with WITH
 * RECURSIVE, and the project / bridge concept links.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "store_int.h"

#define MOD "store"

static int slug_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 100 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '-' && s[i + 1] == '-')
			return 0;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-'))
			return 0;
	}
	return 1;
}

static int check_slug(const char *slug)
{
	if (!slug)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "concept slug is required");
	if (!slug_valid(slug))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "concept slug '%.100s' is not lower-case words of a-z0-9 joined by '-'",
		        slug);
	return ISG_OK;
}

int isg_store_concept_upsert(char out[ISG_STORE_ID_SIZE], isg_store *st,
                             const char *slug, const char *name,
                             const char *description)
{
	const char *params[3];
	PGresult *r = NULL;
	int rc;

	if (out)
		out[0] = '\0';
	if (!st || !name || !name[0])
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_store_concept_upsert: NULL store or empty name");
	if ((rc = check_slug(slug)) != ISG_OK)
		return rc;
	params[0] = slug;
	params[1] = name;
	params[2] = description ? description : "";
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "upsert concept",
	        "INSERT INTO concepts (slug, name, description) VALUES ($1, $2, $3) ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, updated_at = now() RETURNING id",
	        3, params);
	if (rc == ISG_OK && out)
		rc = isg__store_copy(out, ISG_STORE_ID_SIZE, r, 0, 0);
	PQclear(r);
	return rc;
}

typedef struct link_ctx {
	const char *params[2];
} link_ctx;

static int link_tx(isg__store_conn *c, void *payload)
{
	link_ctx *l = payload;
	PGresult *r = NULL;
	int rc, i;

	/* Both rows locked in slug order: concurrent links cannot each miss
	 * the other's edge and close a cycle together, nor deadlock. */
	rc = isg__store_q(
	        &r, c, "link concepts: lock",
	        "SELECT slug FROM concepts WHERE slug IN ($1, $2) ORDER BY slug FOR UPDATE",
	        2, l->params);
	if (rc == ISG_OK && PQntuples(r) < 2)
		for (i = 0; i < 2; i++) {
			int j, seen = 0;
			for (j = 0; j < PQntuples(r); j++)
				seen |= strcmp(PQgetvalue(r, j, 0),
				               l->params[i]) == 0;
			if (!seen) {
				rc = isg__error_set(ISG_ENOTFOUND, MOD,
				                    "no concept '%s'",
				                    l->params[i]);
				break;
			}
		}
	PQclear(r);
	r = NULL;
	if (rc != ISG_OK)
		return rc;
	/* A cycle would appear if the parent is already below the child. */
	rc = isg__store_q(
	        &r, c, "link concepts: cycle check",
	        "WITH RECURSIVE below(id, path) AS ( SELECT id, ARRAY[id] FROM concepts WHERE slug = $2 UNION ALL SELECT r.child_id, b.path || r.child_id FROM below b JOIN concept_relationships r ON r.parent_id = b.id WHERE NOT r.child_id = ANY(b.path)) SELECT 1 FROM below b JOIN concepts p ON p.id = b.id WHERE p.slug = $1 LIMIT 1",
	        2, l->params);
	if (rc == ISG_OK && PQntuples(r) > 0)
		rc = isg__error_set(
		        ISG_EINVALID, MOD,
		        "linking '%s' -> '%s' would make a cycle ('%s' is already below '%s')",
		        l->params[0], l->params[1], l->params[0], l->params[1]);
	PQclear(r);
	if (rc != ISG_OK)
		return rc;
	return isg__store_q(
	        NULL, c, "link concepts",
	        "INSERT INTO concept_relationships (parent_id, child_id) SELECT p.id, c.id FROM concepts p, concepts c WHERE p.slug = $1 AND c.slug = $2 ON CONFLICT DO NOTHING",
	        2, l->params);
}

int isg_store_concept_link(isg_store *st, const char *parent_slug,
                           const char *child_slug)
{
	link_ctx l;
	int rc;

	if (!st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_concept_link: NULL store");
	if ((rc = check_slug(parent_slug)) != ISG_OK ||
	    (rc = check_slug(child_slug)) != ISG_OK)
		return rc;
	if (strcmp(parent_slug, child_slug) == 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "concept '%s' cannot be its own child",
		                      parent_slug);
	l.params[0] = parent_slug;
	l.params[1] = child_slug;
	return isg__store_tx(st, ISG__STORE_RETRY, "link concepts", link_tx,
	                     &l);
}

int isg_store_concept_tree(isg_buf *out, isg_store *st, const char *root_slug,
                           int max_depth)
{
	char depth[16];
	const char *params[2];
	PGresult *r = NULL;
	int rc;

	if (!out || !st)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_store_concept_tree: NULL argument");
	if ((rc = check_slug(root_slug)) != ISG_OK)
		return rc;
	snprintf(depth, sizeof(depth), "%d", max_depth <= 0 ? 32 : max_depth);
	params[0] = root_slug;
	params[1] = depth;
	/* `path` holds the slugs from the root: it orders the rows depth
	 * first and stops a walk that comes back to a concept on its path
	 * (a cycle), whatever the data holds. */
	rc = isg__store_exec(
	        &r, st, ISG__STORE_RETRY, "read concept tree",
	        "WITH RECURSIVE t(id, slug, name, description, parent, depth, path) AS ( SELECT id, slug, name, description, NULL::text, 0, ARRAY[slug] FROM concepts WHERE slug = $1 UNION ALL SELECT c.id, c.slug, c.name, c.description, t.slug, t.depth + 1, t.path || c.slug FROM t JOIN concept_relationships r ON r.parent_id = t.id JOIN concepts c ON c.id = r.child_id WHERE t.depth < $2::int AND NOT c.slug = ANY(t.path)) SELECT count(*), coalesce(json_agg(json_build_object('slug', slug, 'name', name, 'description', description, 'parent', parent, 'depth', depth) ORDER BY path), '[]')::text FROM t",
	        2, params);
	if (rc == ISG_OK && strcmp(PQgetvalue(r, 0, 0), "0") == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "no concept '%s'",
		                    root_slug);
	else if (rc == ISG_OK)
		rc = isg_buf_set(out, PQgetvalue(r, 0, 1),
		                 (size_t)PQgetlength(r, 0, 1));
	PQclear(r);
	return rc;
}

/* Shared by the two concept links: `sql` inserts or updates the pair for
 * ($1 owner uuid, $2 slug, $3 weight) and returns a row when it did. */
static int concept_set(isg_store *st, const char *what, const char *sql,
                       const char *owner_id, const char *owner_name,
                       const char *slug, double weight)
{
	char w[32];
	const char *params[3];
	PGresult *r = NULL;
	int rc;

	if (!st)
		return isg__error_set(ISG_EINVALID, MOD, "%s: NULL store",
		                      what);
	if ((rc = isg__store_require_id(owner_id, owner_name)) != ISG_OK ||
	    (rc = check_slug(slug)) != ISG_OK)
		return rc;
	if (!(weight >= 0.0 && weight <= 1.0))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "%s: weight %g is not in [0, 1]", what,
		                      weight);
	snprintf(w, sizeof(w), "%.6f", weight);
	params[0] = owner_id;
	params[1] = slug;
	params[2] = w;
	rc = isg__store_exec(&r, st, ISG__STORE_RETRY, what, sql, 3, params);
	if (rc == ISG_OK && PQntuples(r) == 0)
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "%s: no concept '%s'",
		                    what, slug);
	else if (rc == ISG_EINVALID &&
	         strstr(isg_error_last()->message, "foreign key"))
		rc = isg__error_set(ISG_ENOTFOUND, MOD, "%s: no %s %s", what,
		                    owner_name, owner_id);
	PQclear(r);
	return rc;
}

int isg_store_project_concept_set(isg_store *st, const char *project_id,
                                  const char *slug, double confidence)
{
	return concept_set(
	        st, "set project concept",
	        "INSERT INTO project_concepts (project_id, concept_id, confidence) SELECT $1::uuid, id, $3::real FROM concepts WHERE slug = $2 ON CONFLICT (project_id, concept_id) DO UPDATE SET confidence = EXCLUDED.confidence RETURNING 1",
	        project_id, "project", slug, confidence);
}

int isg_store_content_concept_set(isg_store *st, const char *content_id,
                                  const char *slug, double relevance)
{
	return concept_set(
	        st, "set content concept",
	        "INSERT INTO tutorial_concepts (content_id, concept_id, relevance) SELECT $1::uuid, id, $3::real FROM concepts WHERE slug = $2 ON CONFLICT (content_id, concept_id) DO UPDATE SET relevance = EXCLUDED.relevance RETURNING 1",
	        content_id, "content", slug, relevance);
}
