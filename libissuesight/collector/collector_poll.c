/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_poll: polling of tracked projects. Each round leases the due
 * projects one by one from the store (so that all collectors together poll
 * a project at most once per interval), syncs each since the `since` kept
 * in PostgreSQL, records the new listing state there, and shares the GitHub
 * client's ETags through Redis so that an unchanged project costs only
 * 304s whichever collector polls it next.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collector_int.h"
#include "core_int.h"

#define MOD "collector"

/* Polls one leased project and records its new listing state.
 *
 * The `since` of a listing lags one poll behind: after a poll that saw
 * changes it becomes the start of the poll before (sync_since_next), so
 * that a busy project is listed over about two intervals, and a quiet
 * project keeps sending the same URLs, which GitHub answers with 304s that
 * cost no rate limit. */
static int poll_project(isg_collector *c, const isg_store_lease *l,
                        isg_collector_round *round)
{
	isg_collector_sync_options so = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
	isg_collector_sync_stats st;
	char start[64], owner[128], repo[128];
	const char *slash = strchr(l->full_name, '/');
	const char *since = l->sync_since[0] ? l->sync_since : NULL;
	const char *new_since, *new_next;
	int rc, changed;

	if (!slash || slash - l->full_name >= (long)sizeof(owner) ||
	    strlen(slash + 1) >= sizeof(repo))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "tracked project '%s' is not owner/repo",
		                      l->full_name);
	snprintf(owner, sizeof(owner), "%.*s", (int)(slash - l->full_name),
	         l->full_name);
	snprintf(repo, sizeof(repo), "%s", slash + 1);
	/* ETags saved by whichever collector polled last, valid only for
	 * the sync state PostgreSQL holds (a Redis failure only costs
	 * requests). Those `issuesight sync` saved in the store come first,
	 * so that a poll after it sends the same conditional requests. */
	if (l->last_synced_at[0] &&
	    isg__collector_resume_load_etags(c, l->project_id,
	                                     l->last_synced_at) != ISG_OK)
		isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
		               "cannot load the stored ETags of %s: %s",
		               l->full_name, isg_error_last()->message);
	if (l->last_synced_at[0] &&
	    isg__collector_etags_load(c, owner, repo, l->last_synced_at) !=
	            ISG_OK)
		isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
		               "cannot load the ETags of %s: %s", l->full_name,
		               isg_error_last()->message);
	isg__collector_iso_now(start, sizeof(start));
	so.since = since;
	so.push_contexts = 1;
	rc = isg_collector_sync(&st, c, owner, repo, &so);
	if (rc != ISG_OK)
		return rc;
	round->projects_polled++;
	round->contexts += st.contexts;
	changed = st.issues > 0 || st.comments > 0;
	new_since = l->sync_since_next[0] ? l->sync_since_next : since;
	new_next = changed ? start : NULL;
	rc = isg_store_project_record_sync(c->store, l->project_id, start,
	                                   new_since, new_next);
	if (rc != ISG_OK)
		return rc;
	rc = isg_store_project_release(c->store, l->project_id, c->name, NULL);
	if (rc != ISG_OK)
		return rc;
	if (isg__collector_etags_save(c, owner, repo, l->gh_repo_id, start,
	                              new_since) != ISG_OK)
		isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
		               "cannot save the ETags of %s: %s", l->full_name,
		               isg_error_last()->message);
	{
		isg_log_field f[1] = { { "project", l->full_name } };

		isg__log_write(
		        ISG_LOG_INFO, MOD, f, 1,
		        "polled %s: %lld issues, %lld comments, %lld contexts, %lld requests (%lld not modified)",
		        l->full_name, st.issues, st.comments, st.contexts,
		        st.requests, st.not_modified);
	}
	return ISG_OK;
}

/* Polls every due tracked project once. */
int isg__collector_poll_all(isg_collector *c, isg_collector_round *round)
{
	char seen[64][ISG_STORE_ID_SIZE];
	size_t nseen = 0, i;
	int rc = ISG_OK;

	while (!c->stop && nseen < ISG__ARRAY_SIZE(seen)) {
		isg_store_lease l;

		rc = isg_store_project_claim_due(
		        &l, c->store, c->name, c->lease_s, c->poll_interval_s);
		if (rc == ISG_ENOTFOUND) {
			rc = ISG_OK;
			break;
		}
		if (rc != ISG_OK)
			break;
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], l.project_id) == 0)
				break;
		/* A project that failed in this round is due again at
		 * once: leave it to the next round. */
		if (i < nseen) {
			isg_store_project_release(c->store, l.project_id,
			                          c->name, NULL);
			break;
		}
		memcpy(seen[nseen++], l.project_id, ISG_STORE_ID_SIZE);
		rc = poll_project(c, &l, round);
		if (rc != ISG_OK) {
			isg_log_field f[1] = { { "project", l.full_name } };
			int code = rc;

			isg__log_write(ISG_LOG_ERROR, MOD, f, 1,
			               "poll of %s failed: %s", l.full_name,
			               isg_error_last()->message);
			/* A failed project keeps its lease, which makes it
			 * due again when the lease expires: a back-off of
			 * lease_s instead of a retry by every collector at
			 * once. A stopping collector hands it back. */
			if (rc == ISG_ECANCELLED)
				isg_store_project_release(
				        c->store, l.project_id, c->name, NULL);
			pthread_mutex_lock(&c->mu);
			c->m.poll_errors++;
			pthread_mutex_unlock(&c->mu);
			rc = code;
			if (rc == ISG_ECANCELLED || rc == ISG_EUNAVAILABLE)
				break;
			rc = ISG_OK; /* one project's failure is not fatal */
		}
		pthread_mutex_lock(&c->mu);
		c->m.polls++;
		pthread_mutex_unlock(&c->mu);
	}
	if (c->stop && rc == ISG_OK)
		rc = isg__error_set(ISG_ECANCELLED, MOD,
		                    "the collector is stopping");
	return rc;
}
