/* SPDX-License-Identifier: Apache-2.0 */
/*
 * github_stats: the request counters of a client: each answer counted by
 * endpoint and status, read and reset through the public stats calls.
 */
#include <string.h>

#include "core_int.h"
#include "github_int.h"

#define MOD "github"

void isg__github_count_status(isg_github *gh, int endpoint, int status)
{
	size_t i;

	for (i = 0; i < gh->ncounts; i++) {
		if (gh->counts[i].endpoint == endpoint &&
		    gh->counts[i].status == status) {
			gh->counts[i].n++;
			return;
		}
	}
	if (gh->ncounts < ISG__GITHUB_MAX_COUNTS) {
		gh->counts[gh->ncounts].endpoint = endpoint;
		gh->counts[gh->ncounts].status = status;
		gh->counts[gh->ncounts].n = 1;
		gh->ncounts++;
	}
}

int isg_github_stats_get(isg_github_stats *out, const isg_github *gh)
{
	if (!out || !gh)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "stats_get: NULL argument");
	if (out->version != ISG_GITHUB_STATS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "stats_get: version %u is not %d",
		                      out->version, ISG_GITHUB_STATS_VERSION);
	*out = gh->stats;
	return ISG_OK;
}

uint64_t isg_github_stats_count(const isg_github *gh, int endpoint,
                                int http_status)
{
	uint64_t n = 0;
	size_t i;

	if (!gh || endpoint < -1 || endpoint >= ISG_GITHUB_EP_COUNT)
		return 0;
	for (i = 0; i < gh->ncounts; i++) {
		const isg__github_count *c = &gh->counts[i];

		if ((endpoint == -1 || c->endpoint == endpoint) &&
		    (http_status == -1 || c->status == http_status))
			n += c->n;
	}
	return n;
}

void isg_github_stats_reset(isg_github *gh)
{
	isg_github_stats keep;

	if (!gh)
		return;
	keep = gh->stats;
	memset(&gh->stats, 0, sizeof(gh->stats));
	gh->stats.version = ISG_GITHUB_STATS_VERSION;
	gh->stats.rate_limit = keep.rate_limit;
	gh->stats.rate_remaining = keep.rate_remaining;
	gh->stats.rate_used = keep.rate_used;
	gh->stats.rate_reset = keep.rate_reset;
	memcpy(gh->stats.rate_resource, keep.rate_resource,
	       sizeof(keep.rate_resource));
	gh->ncounts = 0;
}
