/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector: the service side of the collector, its driver. It makes and
 * frees the handle, consumes submitted issues from is:tasks
 * (collector_task.c), polls tracked projects under a store lease so that
 * one collector polls a project at a time (collector_poll.c) and keeps a
 * heartbeat key in Redis. Leaves first, the other files are
 * collector_state.c, collector_project.c, collector_etags.c,
 * collector_sync.c, then collector_poll.c, collector_task.c, and the
 * public calls of collector_track.c and collector_metrics.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector_int.h"
#include "core_int.h"
#include "json_int.h"
#include "redis_int.h"
#include "stream_int.h"

#define MOD "collector"
#define HEARTBEAT_EVERY_MS 5000
#define HEARTBEAT_TTL_S 30
#define LAG_EVERY_MS 2000
#define POLL_CHECK_S 10

static int copy_opt(char *dst, size_t n, const char *v, const char *def,
                    const char *what)
{
	const char *s = v && *v ? v : def;

	if (strlen(s) >= n)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "option %s '%.40s...' is too long", what,
		                      s);
	memcpy(dst, s, strlen(s) + 1);
	return ISG_OK;
}

int isg_collector_options_from_config(isg_collector_options *o,
                                      const isg_config *cfg)
{
	long long v;

	if (!o || !cfg)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options and cfg are required");
	o->labels = isg_config_get(cfg, "COLLECTOR_LABELS");
	if (!o->labels)
		o->labels = "";
	if (isg_config_get_int(&v, cfg, "COLLECTOR_POLL_INTERVAL_S") == ISG_OK)
		o->poll_interval_s = (int)v;
	if (isg_config_get_int(&v, cfg, "COLLECTOR_CLAIM_IDLE_MS") == ISG_OK)
		o->claim_idle_ms = v;
	if (isg_config_get_int(&v, cfg, "COLLECTOR_MAX_DELIVERIES") == ISG_OK)
		o->max_deliveries = (int)v;
	return ISG_OK;
}

int isg_collector_new(isg_collector **out, const isg_collector_options *o)
{
	isg_collector *c = NULL;
	char host[128], def_name[200];
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!o || o->version != ISG_COLLECTOR_OPTIONS_VERSION)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "collector options of version %d are required",
		        ISG_COLLECTOR_OPTIONS_VERSION);
	if (!o->store || !o->github)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options store and github are required");
	if (o->poll_interval_s < 0 || o->claim_idle_ms < 0 ||
	    o->max_deliveries < 0 || o->lease_s < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "negative option (poll_interval_s %d, claim_idle_ms %lld, max_deliveries %d, lease_s %d)",
		        o->poll_interval_s, o->claim_idle_ms, o->max_deliveries,
		        o->lease_s);
	c = isg__alloc_calloc(1, sizeof(*c));
	if (!c)
		return isg__error_oom(MOD);
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		isg__alloc_free(c);
		return isg__error_set(ISG_ERROR, MOD, "cannot create a mutex");
	}
	c->store = o->store;
	c->gh = o->github;
	c->stream = o->stream;
	c->m.lag = c->m.pending = -1;
	c->m.gh.version = ISG_GITHUB_STATS_VERSION;
	c->m.gh.rate_remaining = -1;
	c->poll_interval_s = o->poll_interval_s ? o->poll_interval_s : 300;
	c->claim_idle_ms = o->claim_idle_ms ? o->claim_idle_ms : 60000;
	c->max_deliveries = o->max_deliveries ? o->max_deliveries : 5;
	c->block_ms = o->block_ms ? o->block_ms : 1000;
	c->lease_s = o->lease_s ? o->lease_s : 900;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(def_name, sizeof(def_name), "%s:%ld", host, (long)getpid());
	rc = copy_opt(c->name, sizeof(c->name), o->name, def_name, "name");
	if (rc == ISG_OK)
		rc = copy_opt(c->group, sizeof(c->group), o->group,
		              "collectors", "group");
	if (rc != ISG_OK)
		goto done;
	c->labels = isg__alloc_strdup(o->labels ? o->labels
	                                        : ISG_COLLECTOR_DEFAULT_LABELS);
	if (!c->labels) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	if (c->stream) {
		isg_stream_consumer_options co =
		        ISG_STREAM_CONSUMER_OPTIONS_INIT;

		co.stream = ISG_STREAM_TASKS;
		co.group = c->group;
		co.consumer = c->name;
		co.block_ms = c->block_ms;
		co.claim_idle_ms = c->claim_idle_ms;
		co.max_deliveries = c->max_deliveries;
		rc = isg_stream_consumer_new(&c->consumer, c->stream, &co);
	}
done:
	if (rc != ISG_OK)
		isg_collector_free(c);
	else
		*out = c;
	return rc;
}

void isg_collector_free(isg_collector *c)
{
	if (!c)
		return;
	isg_stream_consumer_free(c->consumer);
	isg__alloc_free(c->labels);
	pthread_mutex_destroy(&c->mu);
	isg__alloc_free(c);
}

void isg_collector_stop(isg_collector *c)
{
	if (c)
		c->stop = 1;
}

int isg_collector_stopping(const isg_collector *c)
{
	return c && c->stop;
}

int isg_collector_heartbeat(isg_collector *c, int ttl_s)
{
	char key[400], val[300], ttl[16];
	const char *argv[5];
	redisReply *rep = NULL;
	int rc;

	if (!c || ttl_s <= 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "a collector and a positive ttl are required (ttl %d)",
		        ttl_s);
	if (!c->stream)
		return isg__error_set(
		        ISG_ESTATE, MOD,
		        "this collector has no stream (REDIS_URL)");
	snprintf(key, sizeof(key), "%scollector:heartbeat:%s",
	         isg__stream_prefix(c->stream), c->name);
	snprintf(val, sizeof(val), "{\"at_ms\":%lld,\"pid\":%ld}",
	         (long long)isg__clock_wall_ms(), (long)getpid());
	snprintf(ttl, sizeof(ttl), "%d", ttl_s);
	argv[0] = "SET";
	argv[1] = key;
	argv[2] = val;
	argv[3] = "EX";
	argv[4] = ttl;
	rc = isg__redis_command(&rep, isg__stream_redis(c->stream), 5, argv,
	                        NULL, 1, 0);
	if (rep)
		freeReplyObject(rep);
	return rc;
}

static void refresh_lag(isg_collector *c)
{
	isg_stream_group_info gi;

	if (isg_stream_group_info_get(&gi, c->stream, ISG_STREAM_TASKS,
	                              c->group) != ISG_OK)
		return;
	pthread_mutex_lock(&c->mu);
	c->m.lag = gi.lag >= 0 ? gi.lag : gi.pending;
	c->m.pending = gi.pending;
	pthread_mutex_unlock(&c->mu);
}

int isg_collector_run_once(isg_collector_round *out, isg_collector *c)
{
	isg_collector_round round;
	isg_stream_poll_stats ps;
	isg__collector_task_ctx t;
	int64_t now = isg__clock_now_ms();
	int rc;

	memset(&round, 0, sizeof(round));
	if (out)
		*out = round;
	if (!c)
		return isg__error_set(ISG_EINVALID, MOD, "collector is NULL");
	if (!c->stream || !c->consumer)
		return isg__error_set(ISG_ESTATE, MOD,
		                      "run_once needs a stream (REDIS_URL)");
	if (c->stop)
		return isg__error_set(ISG_ECANCELLED, MOD,
		                      "the collector is stopping");
	if (now - c->last_heartbeat_ms >= HEARTBEAT_EVERY_MS) {
		rc = isg_collector_heartbeat(c, HEARTBEAT_TTL_S);
		if (rc != ISG_OK)
			goto done;
		c->last_heartbeat_ms = now;
	}
	t.c = c;
	t.round = &round;
	rc = isg_stream_consumer_poll(&ps, c->consumer,
	                              isg__collector_task_handle, &t);
	round.tasks_done = ps.acked;
	round.tasks_failed = ps.failed;
	round.tasks_dead = ps.dead;
	pthread_mutex_lock(&c->mu);
	c->m.tasks_done += ps.acked;
	c->m.tasks_failed += ps.failed;
	c->m.tasks_dead += ps.dead;
	pthread_mutex_unlock(&c->mu);
	if (rc != ISG_OK)
		goto done;
	now = isg__clock_now_ms();
	/* The store decides what is due (isg_store_project_claim_due()), so
	 * asking often is cheap and lets any collector pick up a project as
	 * soon as it is due. */
	if (c->last_poll_ms == 0 ||
	    now - c->last_poll_ms >= (c->poll_interval_s < POLL_CHECK_S
	                                      ? c->poll_interval_s
	                                      : POLL_CHECK_S) *
	                                     1000LL) {
		c->last_poll_ms = now;
		rc = isg__collector_poll_all(c, &round);
		if (rc != ISG_OK)
			goto done;
	}
	if (now - c->last_lag_ms >= LAG_EVERY_MS) {
		refresh_lag(c);
		c->last_lag_ms = now;
	}
done:
	isg__collector_snapshot(c);
	pthread_mutex_lock(&c->mu);
	c->m.last_round_ms = isg__clock_now_ms();
	c->m.last_round_rc = rc == ISG_ECANCELLED ? ISG_OK : rc;
	pthread_mutex_unlock(&c->mu);
	if (out)
		*out = round;
	return rc;
}
