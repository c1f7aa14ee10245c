/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_track: the public calls that act on one project: tracking it
 * (the project row, then a first poll at the next round) and polling the
 * due projects on demand.
 */
#include <stdio.h>
#include <string.h>

#include "collector_int.h"
#include "core_int.h"

#define MOD "collector"

int isg_collector_track(char out[ISG_STORE_ID_SIZE], isg_collector *c,
                        const char *owner, const char *repo, int tracked)
{
	char id[ISG_STORE_ID_SIZE], full[210];
	int rc;

	if (out)
		out[0] = '\0';
	if (!c)
		return isg__error_set(ISG_EINVALID, MOD, "collector is NULL");
	if ((rc = isg__collector_check_name(owner, "owner")) != ISG_OK ||
	    (rc = isg__collector_check_name(repo, "repo")) != ISG_OK)
		return rc;
	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	rc = isg_store_project_find(id, c->store, full);
	if (rc == ISG_ENOTFOUND && tracked)
		rc = isg__collector_project(id, c, owner, repo);
	if (rc != ISG_OK)
		return rc;
	rc = isg_store_project_set_tracked(c->store, id, tracked ? 1 : 0);
	if (rc == ISG_OK && out)
		memcpy(out, id, ISG_STORE_ID_SIZE);
	isg__collector_snapshot(c);
	return rc;
}

int isg_collector_poll(isg_collector_round *out, isg_collector *c)
{
	isg_collector_round round;
	int rc;

	memset(&round, 0, sizeof(round));
	if (out)
		*out = round;
	if (!c)
		return isg__error_set(ISG_EINVALID, MOD, "collector is NULL");
	if (!c->stream)
		return isg__error_set(ISG_ESTATE, MOD,
		                      "polling needs a stream (REDIS_URL)");
	rc = isg__collector_poll_all(c, &round);
	isg__collector_snapshot(c);
	if (out)
		*out = round;
	return rc;
}
