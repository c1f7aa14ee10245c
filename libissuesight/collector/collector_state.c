/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_state: the collector's shared state: the snapshot of its
 * counters that the metrics endpoint reads under the mutex (the HTTP thread
 * never touches the GitHub client or Redis), and the wall clock as ISO
 * 8601 text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector_int.h"
#include "core_int.h"
#include "json_int.h"
#include "stream_int.h"

#define MOD "collector"

/* The HTTP statuses the metrics count, in exposition order (0: no
 * response). */
const int isg__collector_statuses[ISG__COLLECTOR_NSTATUS] = {
	0, 200, 201, 304, 400, 401, 403, 404, 410, 422, 429, 500, 502, 503
};

void isg__collector_snapshot(isg_collector *c)
{
	isg_github_stats g = ISG_GITHUB_STATS_INIT;
	uint64_t by[ISG_GITHUB_EP_COUNT][ISG__COLLECTOR_NSTATUS];
	int e, s;

	if (isg_github_stats_get(&g, c->gh) != ISG_OK)
		return;
	for (e = 0; e < ISG_GITHUB_EP_COUNT; e++)
		for (s = 0; s < ISG__COLLECTOR_NSTATUS; s++)
			by[e][s] = isg_github_stats_count(
			        c->gh, e, isg__collector_statuses[s]);
	pthread_mutex_lock(&c->mu);
	c->m.gh = g;
	memcpy(c->m.by_status, by, sizeof(by));
	pthread_mutex_unlock(&c->mu);
}

void isg__collector_iso_now(char *out, size_t n)
{
	time_t t = (time_t)(isg__clock_wall_ms() / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
