/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_project: a tracked project: its owner and name checked against
 * GitHub's rules and its row made or found in the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector_int.h"
#include "core_int.h"
#include "json_int.h"

#define MOD "collector"

int isg__collector_check_name(const char *v, const char *what)
{
	size_t i, n;

	if (!v || !*v)
		return isg__error_set(ISG_EINVALID, MOD, "%s is required",
		                      what);
	n = strlen(v);
	if (n > 100)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "%s '%.40s...' is longer than 100 bytes",
		                      what, v);
	for (i = 0; i < n; i++) {
		char ch = v[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		      ch == '.'))
			return isg__error_set(
			        ISG_EINVALID, MOD,
			        "%s '%.100s' has a character GitHub does not allow",
			        what, v);
	}
	if (strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "%s '%s' is not a name", what, v);
	return ISG_OK;
}

int isg__collector_project(char out[ISG_STORE_ID_SIZE], isg_collector *c,
                           const char *owner, const char *repo)
{
	isg_repository *r = NULL;
	isg_buf raw = ISG_BUF_INIT;
	isg_store_project p;
	char full[210];
	int rc, attempt;

	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	for (attempt = 0; attempt < 2; attempt++) {
		rc = isg_github_get_repository(&r, c->gh, owner, repo, &raw);
		if (rc != ISG_OK)
			goto done;
		if (r)
			break;
		/* 304: GitHub's copy did not change since we stored it. */
		rc = isg_store_project_find(out, c->store, full);
		if (rc != ISG_ENOTFOUND)
			goto done;
		/* Our ETag came from another database: ask again without
		 * it. */
		isg_github_cache_clear(c->gh);
	}
	if (!r) {
		rc = isg__error_set(ISG_EUPSTREAM, MOD,
		                    "GitHub keeps answering 304 for %s", full);
		goto done;
	}
	p = (isg_store_project)ISG_STORE_PROJECT_INIT;
	p.gh_repo_id = r->id;
	p.owner = r->owner_login ? r->owner_login : owner;
	p.name = r->name ? r->name : repo;
	p.full_name = r->full_name;
	p.default_branch = r->default_branch;
	p.description = r->description;
	p.language = r->language;
	p.raw_json = raw.ptr;
	if (p.gh_repo_id <= 0) {
		rc = isg__error_set(ISG_EUPSTREAM, MOD,
		                    "GitHub's repository %s has no id", full);
		goto done;
	}
	rc = isg_store_project_upsert(out, c->store, &p);
done:
	isg_issue_repository_free(r);
	isg_buf_dispose(&raw);
	return rc;
}
