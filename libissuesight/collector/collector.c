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
#include <time.h>
#include <unistd.h>

#include "collector_int.h"
#include "core_int.h"
#include "json_int.h"
#include "stream_int.h"

#define MOD "collector"
#define HEARTBEAT_EVERY_MS 5000
#define HEARTBEAT_TTL_S 30
#define LAG_EVERY_MS 2000

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

/* ---- Redis helpers on the stream's connection ------------------------- */

static int redis_cmd(redisReply **out, isg_collector *c, int argc,
                     const char **argv)
{
	if (!c->stream)
		return isg__error_set(
		        ISG_ESTATE, MOD,
		        "this collector has no stream (REDIS_URL)");
	return isg__redis_command(out, c->stream->redis, argc, argv, NULL, 1,
	                          0);
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
	         c->stream->prefix, c->name);
	snprintf(val, sizeof(val), "{\"at_ms\":%lld,\"pid\":%ld}",
	         (long long)isg__wall_ms(), (long)getpid());
	snprintf(ttl, sizeof(ttl), "%d", ttl_s);
	argv[0] = "SET";
	argv[1] = key;
	argv[2] = val;
	argv[3] = "EX";
	argv[4] = ttl;
	rc = redis_cmd(&rep, c, 5, argv);
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

/* The stream handler: validates the task and runs it. */
static int on_task(const isg_stream_message *m, void *payload)
{
	task_ctx *t = payload;
	cJSON *doc = NULL;
	const char *owner, *repo, *by;
	int64_t number = 0;
	int rc;

	if (t->c->stop)
		return isg__error_set(ISG_ECANCELLED, MOD,
		                      "the collector is stopping");
	doc = isg__json_parse(m->data, m->len, MOD, "task");
	if (!doc) {
		rc = isg_error_last()->code;
		goto done;
	}
	owner = isg__json_str(doc, "owner");
	repo = isg__json_str(doc, "repo");
	by = isg__json_str(doc, "requested_by");
	if ((rc = isg__collector_check_name(owner, "task owner")) != ISG_OK ||
	    (rc = isg__collector_check_name(repo, "task repo")) != ISG_OK)
		goto done;
	if (isg__json_i64(doc, "number", &number) != ISG_OK || number <= 0 ||
	    number > 2147483647) {
		rc = isg__error_set(ISG_EINVALID, MOD,
		                    "task %s has no valid issue number", m->id);
		goto done;
	}
	rc = do_task(t->c, owner, repo, number, m->id, by, t->round);
	if (rc == ISG_OK) {
		isg_log_field f[2] = { { "task", m->id }, { "repo", repo } };

		isg__log(ISG_LOG_INFO, MOD, f, 2, "task %s/%s#%lld done", owner,
		         repo, (long long)number);
	}
done:
	cJSON_Delete(doc);
	return rc;
}

/* ---- Polling ---------------------------------------------------------- */

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS..." (UTC); -1 when it
 * cannot be read. */
static long long iso_to_epoch(const char *s)
{
	int y, mo, d, h, mi, se;
	long long days;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi,
	                 &se) != 6)
		return -1;
	/* Days from civil (H. Hinnant's algorithm). */
	y -= mo <= 2;
	{
		long long era = (y >= 0 ? y : y - 399) / 400;
		long long yoe = y - era * 400;
		long long doy =
		        (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = era * 146097 + doe - 719468;
	}
	return days * 86400 + h * 3600 + mi * 60 + se;
}

static void iso_now(char *out, size_t n)
{
	time_t t = (time_t)(isg__wall_ms() / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The project's listing state in Redis: the `since` to send (JSON null for
 * a full listing) and the time it advances to after a quiet poll. */
static int state_get(isg_collector *c, const isg_store_lease *l, char *since,
                     char *pending, size_t n, int *full)
{
	char key[300];
	const char *argv[2];
	redisReply *rep = NULL;
	cJSON *doc = NULL;
	int rc;

	snprintf(key, sizeof(key), "%scollector:since:%s", c->stream->prefix,
	         l->project_id);
	argv[0] = "GET";
	argv[1] = key;
	since[0] = pending[0] = '\0';
	*full = l->last_synced_at[0] == '\0';
	snprintf(since, n, "%s", l->last_synced_at);
	rc = redis_cmd(&rep, c, 2, argv);
	if (rc != ISG_OK)
		return rc;
	if (rep->type == REDIS_REPLY_STRING)
		doc = cJSON_ParseWithLength(rep->str, rep->len);
	if (doc) {
		const char *s = isg__json_str(doc, "since");
		const char *p = isg__json_str(doc, "pending");

		*full = s == NULL;
		snprintf(since, n, "%s", s ? s : "");
		snprintf(pending, n, "%s", p ? p : "");
	}
	cJSON_Delete(doc);
	freeReplyObject(rep);
	return ISG_OK;
}

static int state_set(isg_collector *c, const isg_store_lease *l,
                     const char *since, const char *pending)
{
	char key[300], val[300];
	const char *argv[3];
	redisReply *rep = NULL;
	int rc;

	snprintf(key, sizeof(key), "%scollector:since:%s", c->stream->prefix,
	         l->project_id);
	snprintf(val, sizeof(val), "{\"since\":%s%s%s,\"pending\":%s%s%s}",
	         since ? "\"" : "", since ? since : "null", since ? "\"" : "",
	         pending ? "\"" : "", pending ? pending : "null",
	         pending ? "\"" : "");
	argv[0] = "SET";
	argv[1] = key;
	argv[2] = val;
	rc = redis_cmd(&rep, c, 3, argv);
	if (rep)
		freeReplyObject(rep);
	return rc;
}

/* Polls one leased project. */
static int poll_project(isg_collector *c, const isg_store_lease *l,
                        isg_collector_round *round)
{
	isg_collector_sync_options so = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
	isg_collector_sync_stats st;
	char since[64], pending[64], start[64], owner[128], repo[128];
	const char *slash = strchr(l->full_name, '/');
	int rc, full, changed;

	if (!slash || slash - l->full_name >= (long)sizeof(owner) ||
	    strlen(slash + 1) >= sizeof(repo))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "tracked project '%s' is not owner/repo",
		                      l->full_name);
	snprintf(owner, sizeof(owner), "%.*s", (int)(slash - l->full_name),
	         l->full_name);
	snprintf(repo, sizeof(repo), "%s", slash + 1);
	rc = state_get(c, l, since, pending, sizeof(since), &full);
	if (rc != ISG_OK)
		return rc;
	iso_now(start, sizeof(start));
	so.since = full ? NULL : since;
	so.push_contexts = 1;
	rc = isg_collector_sync(&st, c, owner, repo, &so);
	if (rc != ISG_OK)
		return rc;
	round->projects_polled++;
	round->contexts += st.contexts;
	changed = st.issues > 0 || st.comments > 0;
	/* Advance `since` only after a quiet poll, so that the URLs of an
	 * unchanged project repeat and are answered 304 for free. */
	if (changed)
		rc = state_set(c, l, full ? NULL : since, start);
	else if (pending[0])
		rc = state_set(c, l, pending, NULL);
	else
		rc = state_set(c, l, full ? NULL : since, NULL);
	if (rc == ISG_OK) {
		isg_log_field f[1] = { { "project", l->full_name } };

		isg__log(ISG_LOG_INFO, MOD, f, 1,
		         "polled %s: %lld issues, %lld comments, %lld "
		         "contexts, %lld requests (%lld not modified)",
		         l->full_name, st.issues, st.comments, st.contexts,
		         st.requests, st.not_modified);
	}
	if (rc == ISG_OK)
		rc = isg_store_project_release(c->store, l->project_id, c->name,
		                               start);
	return rc;
}

/* Polls every due tracked project once. */
int isg__collector_poll_all(isg_collector *c, isg_collector_round *round)
{
	char seen[64][ISG_STORE_ID_SIZE];
	size_t nseen = 0, i;
	int rc = ISG_OK;

	while (!c->stop && nseen < ISG__ARRAY_SIZE(seen)) {
		isg_store_lease l;
		long long last;

		rc = isg_store_project_claim(&l, c->store, c->name, c->lease_s);
		if (rc == ISG_ENOTFOUND) {
			rc = ISG_OK;
			break;
		}
		if (rc != ISG_OK)
			break;
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], l.project_id) == 0)
				break;
		last = iso_to_epoch(l.last_synced_at);
		/* Claims come oldest sync first: once one is not due (or
		 * comes round again), none is. */
		if (i < nseen || (last >= 0 && isg__wall_ms() / 1000 - last <
		                                       c->poll_interval_s)) {
			isg_store_project_release(c->store, l.project_id,
			                          c->name, NULL);
			break;
		}
		memcpy(seen[nseen++], l.project_id, ISG_STORE_ID_SIZE);
		rc = poll_project(c, &l, round);
		if (rc != ISG_OK) {
			isg_log_field f[1] = { { "project", l.full_name } };
			int code = rc;

			isg__log(ISG_LOG_ERROR, MOD, f, 1,
			         "poll of %s failed: %s", l.full_name,
			         isg_error_last()->message);
			isg_store_project_release(c->store, l.project_id,
			                          c->name, NULL);
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
	if (c->last_poll_ms == 0 ||
	    now - c->last_poll_ms >= (int64_t)c->poll_interval_s * 1000) {
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
