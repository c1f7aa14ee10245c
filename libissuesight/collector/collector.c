/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector: the service side of the collector. It consumes submitted
 * issues from is:tasks, polls tracked projects under a store lease so that
 * one collector polls a project at a time, keeps a heartbeat key in Redis,
 * and keeps a snapshot of its counters for the metrics endpoint, which
 * another thread reads.
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

const int isg__collector_statuses[ISG__COLLECTOR_NSTATUS] = {
	0, 200, 201, 304, 400, 401, 403, 404, 410, 422, 429, 500, 502, 503
};

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
		return isg__error_set(ISG_EINVALID, MOD,
		                      "collector options of version %d are "
		                      "required",
		                      ISG_COLLECTOR_OPTIONS_VERSION);
	if (!o->store || !o->github)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options store and github are required");
	if (o->poll_interval_s < 0 || o->claim_idle_ms < 0 ||
	    o->max_deliveries < 0 || o->lease_s < 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "negative option (poll_interval_s %d, "
		                      "claim_idle_ms %lld, max_deliveries %d, "
		                      "lease_s %d)",
		                      o->poll_interval_s, o->claim_idle_ms,
		                      o->max_deliveries, o->lease_s);
	c = isg__calloc(1, sizeof(*c));
	if (!c)
		return isg__error_oom(MOD);
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		isg__free(c);
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
	c->labels = isg__strdup(o->labels ? o->labels
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
	isg__free(c->labels);
	pthread_mutex_destroy(&c->mu);
	isg__free(c);
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

int isg_collector_heartbeat(isg_collector *c, int ttl_s)
{
	char key[400], val[300], ttl[16];
	const char *argv[5];
	redisReply *rep = NULL;
	int rc;

	if (!c || ttl_s <= 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "a collector and a positive ttl are "
		                      "required (ttl %d)",
		                      ttl_s);
	if (!c->stream)
		return isg__error_set(
		        ISG_ESTATE, MOD,
		        "this collector has no stream (REDIS_URL)");
	snprintf(key, sizeof(key), "%scollector:heartbeat:%s",
	         isg__stream_prefix(c->stream), c->name);
	snprintf(val, sizeof(val), "{\"at_ms\":%lld,\"pid\":%ld}",
	         (long long)isg__wall_ms(), (long)getpid());
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

/* ---- Tasks ------------------------------------------------------------ */

typedef struct task_ctx {
	isg_collector *c;
	isg_collector_round *round;
} task_ctx;

static int on_task_comment(const isg_comment *cm, const char *raw, size_t len,
                           void *payload)
{
	cJSON *arr = payload, *it;

	(void)cm;
	it = cJSON_ParseWithLength(raw, len);
	if (!it)
		return ISG_ENOMEM;
	if (!cJSON_AddItemToArray(arr, it)) {
		cJSON_Delete(it);
		return ISG_ENOMEM;
	}
	return 0;
}

/* Fetches one issue and its comments, upserts them and pushes the
 * context message (unless it is a pull request). */
static int do_task(isg_collector *c, const char *owner, const char *repo,
                   int64_t number, const char *task_id,
                   const char *requested_by, isg_collector_round *round)
{
	isg__context_src src = { "task", task_id, requested_by };
	isg_collector_sync_stats st;
	isg_github_stats g0 = ISG_GITHUB_STATS_INIT, g1 = ISG_GITHUB_STATS_INIT;
	char project_id[ISG_STORE_ID_SIZE], full[210];
	isg_store_issue_info old;
	isg_buf raw = ISG_BUF_INIT;
	isg_issue *is = NULL;
	cJSON *doc = NULL, *listed = NULL;
	int rc;

	memset(&st, 0, sizeof(st));
	memset(&old, 0, sizeof(old));
	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	rc = isg__collector_project(project_id, c, owner, repo);
	if (rc != ISG_OK)
		goto done;
	rc = isg_github_get_issue(&is, c->gh, owner, repo, number, &raw);
	if (rc != ISG_OK)
		goto done;
	if (is) {
		doc = isg__json_parse(raw.ptr, raw.size, MOD, "issue");
	} else {
		/* 304: the stored copy is current. */
		rc = isg_store_issue_get(&old, c->store, full, (int)number);
		if (rc == ISG_ENOTFOUND) {
			isg_github_cache_clear(c->gh);
			rc = isg__error_set(
			        ISG_EUNAVAILABLE, MOD,
			        "issue %s#%lld answered 304 but is "
			        "not stored; retrying without ETags",
			        full, (long long)number);
		}
		if (rc != ISG_OK)
			goto done;
		doc = isg__json_parse(old.raw_json.ptr, old.raw_json.size, MOD,
		                      "stored issue");
	}
	if (!doc) {
		rc = isg_error_last()->code;
		goto done;
	}
	listed = cJSON_CreateArray();
	if (!listed) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	isg_github_stats_get(&g0, c->gh);
	rc = isg_github_list_issue_comments(c->gh, owner, repo, number, NULL,
	                                    on_task_comment, listed);
	if (rc == ISG_ENOMEM)
		isg__error_oom(MOD);
	if (rc != ISG_OK)
		goto done;
	isg_github_stats_get(&g1, c->gh);
	st.comments = cJSON_GetArraySize(listed);
	/* Pages answered 304 delivered nothing: merge with what is stored. */
	rc = isg__collector_store_issue(c, project_id, full, doc, listed,
	                                g1.not_modified == g0.not_modified,
	                                NULL, 1, &src, &st);
done:
	pthread_mutex_lock(&c->mu);
	c->m.issues += st.issues;
	c->m.comments += st.comments;
	c->m.contexts += st.contexts;
	pthread_mutex_unlock(&c->mu);
	if (round)
		round->contexts += st.contexts;
	cJSON_Delete(doc);
	cJSON_Delete(listed);
	isg_issue_free(is);
	isg_buf_dispose(&raw);
	isg_store_issue_info_dispose(&old);
	return rc;
}

int isg__collector_parse_task(isg__collector_task *out, cJSON **doc,
                              const char *id, const char *data, size_t len)
{
	int rc;

	memset(out, 0, sizeof(*out));
	*doc = isg__json_parse(data, len, MOD, "task");
	if (!*doc)
		return isg_error_last()->code;
	if (!cJSON_IsObject(*doc)) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "task %s is not a JSON object", id);
		goto done;
	}
	out->owner = isg__json_str(*doc, "owner");
	out->repo = isg__json_str(*doc, "repo");
	out->requested_by = isg__json_str(*doc, "requested_by");
	if ((rc = isg__collector_check_name(out->owner, "task owner")) !=
	            ISG_OK ||
	    (rc = isg__collector_check_name(out->repo, "task repo")) != ISG_OK)
		goto done;
	if (isg__json_i64(*doc, "number", &out->number) != ISG_OK ||
	    out->number <= 0 || out->number > 2147483647) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "task %s has no valid issue number", id);
		goto done;
	}
	rc = ISG_OK;
done:
	if (rc != ISG_OK) {
		cJSON_Delete(*doc);
		*doc = NULL;
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

/* The stream handler: validates the task and runs it. */
static int on_task(const isg_stream_message *m, void *payload)
{
	task_ctx *t = payload;
	isg__collector_task task;
	cJSON *doc = NULL;
	int rc;

	if (t->c->stop)
		return isg__error_set(ISG_ECANCELLED, MOD,
		                      "the collector is stopping");
	rc = isg__collector_parse_task(&task, &doc, m->id, m->data, m->len);
	if (rc != ISG_OK)
		goto done;
	rc = do_task(t->c, task.owner, task.repo, task.number, m->id,
	             task.requested_by, t->round);
	if (rc == ISG_OK) {
		isg_log_field f[2] = { { "task", m->id },
			               { "repo", task.repo } };

		isg__log(ISG_LOG_INFO, MOD, f, 2, "task %s/%s#%lld done",
		         task.owner, task.repo, (long long)task.number);
	}
done:
	cJSON_Delete(doc);
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
	task_ctx t;
	int64_t now = isg__now_ms();
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
	rc = isg_stream_consumer_poll(&ps, c->consumer, on_task, &t);
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
	now = isg__now_ms();
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
	c->m.last_round_ms = isg__now_ms();
	c->m.last_round_rc = rc == ISG_ECANCELLED ? ISG_OK : rc;
	pthread_mutex_unlock(&c->mu);
	if (out)
		*out = round;
	return rc;
}
