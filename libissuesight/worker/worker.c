/* SPDX-License-Identifier: Apache-2.0 */
/*
 * worker: the driver. It reads context messages while it has free slots,
 * prepares each job (worker_job.c), hands the ones a user asked for to
 * the engine, which runs up to `concurrency` model requests at once on
 * this thread, writes what finished (worker_commit.c), touches the
 * entries in flight so that nobody claims them, and runs the janitor
 * (worker_janitor.c).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core_int.h"
#include "worker_int.h"

#define MOD "worker"
/* How long a round drives the model when jobs are in flight. */
#define ENGINE_SLICE_MS 20

int isg_worker_options_from_config(isg_worker_options *opts,
                                   const isg_config *cfg)
{
	long long v = 0;
	const char *s = NULL;

	if (!opts || !cfg)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options and settings are required");
	if (isg_config_get_int(&v, cfg, "WORKER_CONCURRENCY") == ISG_OK)
		opts->concurrency = (int)v;
	if (isg_config_get_int(&v, cfg, "WORKER_CLAIM_IDLE_MS") == ISG_OK)
		opts->claim_idle_ms = v;
	if (isg_config_get_int(&v, cfg, "WORKER_MAX_DELIVERIES") == ISG_OK)
		opts->max_deliveries = (int)v;
	if ((s = isg_config_get(cfg, "LLM_ON_INVALID")) != NULL)
		opts->fallback = strcmp(s, "failed") == 0
		                         ? ISG_ENGINE_FALLBACK_FAIL
		                         : ISG_ENGINE_FALLBACK_OFFLINE;
	return ISG_OK;
}

static int check_options(const isg_worker_options *o)
{
	if (!o || o->version != ISG_WORKER_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options of version %u expected",
		                      ISG_WORKER_OPTIONS_VERSION);
	if (!o->store || !o->github || !o->stream || !o->lock)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "store, github, stream and lock are required");
	if (o->concurrency < 0 || o->concurrency > 1000 ||
	    o->claim_idle_ms < 0 || o->max_deliveries < 0 ||
	    o->lock_ttl_ms < 0 || o->lock_ttl_ms > ISG_LOCK_TTL_MAX_MS)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "concurrency (0..1000), claim_idle_ms, "
		                      "max_deliveries or lock_ttl_ms out of "
		                      "range");
	if (!o->cache_dir && !o->config)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "cache_dir or config is required");
	return ISG_OK;
}

static void set_defaults(isg_worker *w, const isg_worker_options *o)
{
	char host[128];

	w->store = o->store;
	w->github = o->github;
	w->stream = o->stream;
	w->lock = o->lock;
	w->reader = o->reader;
	w->llm = o->llm;
	w->config = o->config;
	w->concurrency = o->concurrency ? o->concurrency : 8;
	w->claim_idle_ms = o->claim_idle_ms ? o->claim_idle_ms : 120000;
	w->max_deliveries = o->max_deliveries ? o->max_deliveries : 5;
	w->block_ms = o->block_ms ? o->block_ms : 1000;
	w->lock_ttl_ms = o->lock_ttl_ms ? o->lock_ttl_ms : 900000;
	w->janitor_interval_s =
	        o->janitor_interval_s ? o->janitor_interval_s : 10;
	w->llm_for_poll = o->llm_for_poll;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	if (o->name)
		snprintf(w->name, sizeof(w->name), "%s", o->name);
	else
		snprintf(w->name, sizeof(w->name), "%s:%ld", host,
		         (long)getpid());
	snprintf(w->group, sizeof(w->group), "%s",
	         o->group ? o->group : "workers");
}

/* The cache directory: the option, else ISSUESIGHT_CACHE_DIR. */
static int cache_dir(isg_worker *w, const isg_worker_options *o)
{
	const char *dir = o->cache_dir;

	if (!dir)
		dir = isg_config_get(o->config, "ISSUESIGHT_CACHE_DIR");
	if (!dir || !*dir)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "no cache directory (cache_dir or "
		                      "ISSUESIGHT_CACHE_DIR)");
	w->cache_dir = isg__alloc_strdup(dir);
	return w->cache_dir ? ISG_OK : isg__error_oom(MOD);
}

static int join_group(isg_worker *w)
{
	isg_stream_consumer_options co = ISG_STREAM_CONSUMER_OPTIONS_INIT;

	co.stream = ISG_STREAM_CONTEXTS;
	co.group = w->group;
	co.consumer = w->name;
	co.count = 1;
	co.block_ms = w->block_ms;
	co.claim_idle_ms = w->claim_idle_ms;
	/* One more than ours: the last delivery reaches the handler, which
	 * makes the bridge FAILED before the entry goes to is:dead. */
	co.max_deliveries = w->max_deliveries + 1;
	return isg_stream_consumer_new(&w->consumer, w->stream, &co);
}

int isg_worker_new(isg_worker **out, const isg_worker_options *opts)
{
	isg_worker *w = NULL;
	int rc;

	if (out)
		*out = NULL;
	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is required");
	if ((rc = check_options(opts)) != ISG_OK)
		return rc;
	if (!(w = isg__alloc_calloc(1, sizeof(*w))))
		return isg__error_oom(MOD);
	pthread_mutex_init(&w->mu, NULL);
	set_defaults(w, opts);
	rc = cache_dir(w, opts);
	if (rc == ISG_OK)
		rc = isg_engine_new(&w->engine, w->llm, opts->fallback);
	if (rc == ISG_OK)
		rc = join_group(w);
	if (rc != ISG_OK) {
		isg_worker_free(w);
		return rc;
	}
	*out = w;
	return ISG_OK;
}

/* Entry ids of the jobs in flight (at most `max`). */
static size_t job_ids(const char **ids, size_t max, const isg_worker *w)
{
	const isg__worker_job *j;
	size_t n = 0;

	for (j = w->jobs; j && n < max; j = j->next)
		ids[n++] = j->entry_id;
	return n;
}

/* Hands every entry in flight back (claimable at once) and frees the
 * jobs; their locks are released so the next holder can take them. */
static void hand_back(isg_worker *w)
{
	const char *ids[1024];
	size_t n = job_ids(ids, ISG__ARRAY_SIZE(ids), w);
	isg__worker_job *j;

	if (n && w->consumer)
		isg_stream_consumer_touch(w->consumer, ids, n,
		                          w->claim_idle_ms);
	while ((j = w->jobs) != NULL) {
		w->jobs = j->next;
		isg__worker_unlock(j);
		isg__worker_job_free(j);
	}
	w->njobs = 0;
}

void isg_worker_free(isg_worker *w)
{
	if (!w)
		return;
	/* The engine's callbacks point into the jobs: drop it first. */
	isg_engine_free(w->engine);
	w->engine = NULL;
	hand_back(w);
	isg_stream_consumer_free(w->consumer);
	isg__alloc_free(w->cache_dir);
	pthread_mutex_destroy(&w->mu);
	isg__alloc_free(w);
}

void isg_worker_stop(isg_worker *w)
{
	if (w)
		w->stop = 1;
}

int isg_worker_janitor(long long *out, isg_worker *w)
{
	if (!w)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "a worker is required");
	return isg__worker_janitor_run(out, w);
}

static int is_transient(int rc)
{
	return rc == ISG_ERATELIMIT || rc == ISG_ETIMEOUT ||
	       rc == ISG_EUPSTREAM || rc == ISG_EUNAVAILABLE || rc == ISG_EIO ||
	       rc == ISG_ENOMEM || rc == ISG_ECANCELLED || rc == ISG_ERROR;
}

/* The engine's answer for one job. */
static void on_result(isg_engine_result *r, void *payload)
{
	isg__worker_job *job = payload;
	isg_worker *w = job->w;

	isg__worker_metrics_engine(w, r);
	job->llm = r->llm;
	job->prompt_tokens = r->prompt_tokens;
	job->completion_tokens = r->completion_tokens;
	snprintf(job->reason, sizeof(job->reason), "%s", r->reason);
	if (r->llm && w->llm)
		snprintf(job->model, sizeof(job->model), "%s",
		         isg_llm_model(w->llm));
	job->status = r->status;
	if (r->status == ISG_OK) {
		job->bridge = r->bridge;
		r->bridge = NULL;
		job->state = ISG__WORKER_JOB_WRITE;
	} else if (!is_transient(r->status)) {
		job->permanent = 1; /* FAILED with the reason */
		job->state = ISG__WORKER_JOB_WRITE;
	} else {
		job->state = ISG__WORKER_JOB_DONE; /* delivered again later */
	}
	if (job->state == ISG__WORKER_JOB_WRITE)
		job->next_write_ms = 0;
}

/* A job left to be delivered again: its lock is released so that the
 * next delivery can take it, and the entry is left idle. */
static void retry_later(isg__worker_job *job)
{
	isg_worker *w = job->w;
	isg_log_field f[1] = { { "issue", job->full } };

	isg__log_write(ISG_LOG_WARN, MOD, f, 1,
	               "model request failed (%s: %s); delivered again later",
	               isg_error_name(job->status), job->reason);
	ISG__WORKER_COUNT(w, retried, 1);
	isg__worker_unlock(job);
}

/* The stream handler: prepare, then defer until the write. */
static int on_message(const isg_stream_message *msg, void *payload)
{
	isg_worker *w = payload;
	isg__worker_job *job = NULL;
	int rc;

	rc = isg__worker_prepare(&job, w, msg);
	if (rc != ISG_OK) {
		if (rc == ISG_EINVALID || rc == ISG_EPARSE ||
		    rc == ISG_ENOTFOUND || rc == ISG_EGONE)
			ISG__WORKER_COUNT(w, dead, 1);
		else
			ISG__WORKER_COUNT(w, retried, 1);
		return rc;
	}
	if (!job) {
		ISG__WORKER_COUNT(w, skipped, 1);
		return ISG_OK;
	}
	if (job->state == ISG__WORKER_JOB_MODEL) {
		rc = isg_engine_submit(w->engine, &job->in, job->full,
		                       on_result, job);
		if (rc != ISG_OK) {
			isg__worker_unlock(job);
			isg__worker_job_free(job);
			return rc;
		}
	}
	job->next = w->jobs;
	w->jobs = job;
	w->njobs++;
	return ISG_STREAM_DEFER;
}

/* Keeps the entries in flight from being claimed (idle time reset) and
 * their locks alive, a few times per claim idle time. */
static void touch(isg_worker *w)
{
	const char *ids[1024];
	int64_t now = isg__clock_now_ms();
	isg__worker_job *j;
	size_t n;

	if (now - w->last_touch_ms < w->claim_idle_ms / 4)
		return;
	w->last_touch_ms = now;
	n = job_ids(ids, ISG__ARRAY_SIZE(ids), w);
	if (n && isg_stream_consumer_touch(w->consumer, ids, n, 0) != ISG_OK)
		isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
		               "entries in flight not touched: %s",
		               isg_error_last()->message);
	for (j = w->jobs; j; j = j->next)
		if (j->have_lock)
			isg_lock_extend(w->lock, j->lock_key, &j->lock,
			                w->lock_ttl_ms);
}

/* Writes the finished jobs, frees the done ones. */
static void finish_jobs(isg_worker *w)
{
	isg__worker_job **pp = &w->jobs, *j;
	int64_t now = isg__clock_now_ms();

	while ((j = *pp) != NULL) {
		if (j->state == ISG__WORKER_JOB_WRITE &&
		    now >= j->next_write_ms)
			isg__worker_commit(j);
		else if (j->state == ISG__WORKER_JOB_DONE &&
		         j->status != ISG_OK)
			retry_later(j);
		if (j->state == ISG__WORKER_JOB_DONE) {
			*pp = j->next;
			w->njobs--;
			isg__worker_job_free(j);
			continue;
		}
		pp = &j->next;
	}
}

/* Takes new entries while slots are free; waits only when idle. */
static int take_work(isg_worker *w)
{
	isg_stream_poll_stats st;
	int free_slots = w->concurrency - w->njobs, rc;

	if (w->stop || free_slots <= 0)
		return ISG_OK;
	rc = isg_stream_consumer_set_read(w->consumer, free_slots,
	                                  w->njobs ? -1 : w->block_ms);
	if (rc == ISG_OK)
		rc = isg_stream_consumer_poll(&st, w->consumer, on_message, w);
	if (st.claimed)
		ISG__WORKER_COUNT(w, reclaimed, st.claimed);
	return rc;
}

static void end_round(isg_worker *w, int rc)
{
	pthread_mutex_lock(&w->mu);
	w->last_round_ms = isg__clock_now_ms();
	w->last_round_ok = rc == ISG_OK;
	w->c.s.in_flight = w->njobs;
	pthread_mutex_unlock(&w->mu);
}

int isg_worker_run_once(isg_worker *w)
{
	int64_t now;
	int rc = ISG_OK, pending = 0, njobs_before;

	if (!w)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "a worker is required");
	if (w->stop && w->njobs == 0)
		return ISG_ECANCELLED;
	now = isg__clock_now_ms();
	if (!w->stop &&
	    now - w->last_janitor_ms >= w->janitor_interval_s * 1000LL) {
		w->last_janitor_ms = now;
		if (isg__worker_janitor_run(NULL, w) != ISG_OK)
			isg__log_write(ISG_LOG_WARN, MOD, NULL, 0,
			               "janitor: %s",
			               isg_error_last()->message);
	}
	touch(w);
	njobs_before = w->njobs;
	rc = take_work(w);
	if (w->njobs)
		isg_engine_run(w->engine,
		               njobs_before == w->njobs ? ENGINE_SLICE_MS : 0,
		               &pending);
	finish_jobs(w);
	if (w->njobs && !pending && njobs_before == w->njobs)
		isg__clock_sleep_ms(ENGINE_SLICE_MS); /* writes waiting */
	end_round(w, rc);
	return rc;
}

int isg_worker_run(isg_worker *w, int drain_ms)
{
	int64_t deadline;
	int rc;

	if (!w)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "a worker is required");
	while (!w->stop) {
		rc = isg_worker_run_once(w);
		if (rc != ISG_OK && rc != ISG_ECANCELLED) {
			isg__log_write(
			        ISG_LOG_WARN, MOD, NULL, 0, "%s (%s); retrying",
			        isg_error_last()->message, isg_error_name(rc));
			isg__clock_sleep_ms(1000);
		}
	}
	/* Stopping: no new entries; finish what runs, for a while. */
	deadline = isg__clock_now_ms() + (drain_ms > 0 ? drain_ms : 0);
	while (w->njobs && isg__clock_now_ms() < deadline)
		isg_worker_run_once(w);
	isg_engine_free(w->engine);
	w->engine = NULL;
	hand_back(w);
	end_round(w, ISG_OK);
	return ISG_OK;
}
