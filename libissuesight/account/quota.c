/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Quotas over a rolling window in MongoDB, exact under concurrency without
 * atomic updates: a spend inserts the document of a free slot's next lap,
 * and the unique _id decides between spenders that saw the same slot free.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "account_int.h"
#include "core_int.h"
#include "issuesight/quota.h"

#define MOD "quota"
#define C_SLOTS "quota_slots"
#define MAX_LIMIT 100000

struct isg_quota {
	isg__mongo m;
	int window_s;
	atomic_int indexed;
	pthread_mutex_t index_mu;
};

int isg_quota_new(isg_quota **out, const isg_quota_options *o)
{
	isg_quota *q;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !o || !o->uri)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_quota_new: NULL argument or uri");
	if (o->version != ISG_QUOTA_OPTIONS_VERSION || o->window_s < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_quota_options: bad version or window_s");
	q = isg__alloc_calloc(1, sizeof(*q));
	if (!q)
		return isg__error_oom(MOD);
	q->window_s = o->window_s ? o->window_s : 86400;
	pthread_mutex_init(&q->index_mu, NULL);
	rc = isg__account_mongo_init(&q->m, o->uri, o->prefix, o->timeout_ms,
	                             MOD);
	if (rc != ISG_OK) {
		pthread_mutex_destroy(&q->index_mu);
		isg__alloc_free(q);
		return rc;
	}
	*out = q;
	return ISG_OK;
}

int isg_quota_new_from_config(isg_quota **out, const isg_config *cfg)
{
	isg_quota_options o = ISG_QUOTA_OPTIONS_INIT;

	if (!cfg)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_quota_new_from_config: NULL config");
	o.uri = isg_config_get(cfg, "MONGODB_URI");
	return isg_quota_new(out, &o);
}

void isg_quota_free(isg_quota *q)
{
	if (!q)
		return;
	isg__account_mongo_dispose(&q->m);
	pthread_mutex_destroy(&q->index_mu);
	isg__alloc_free(q);
}

/* The latest lap of each slot below `limit`. */
typedef struct slots {
	int limit;
	long long lap[64];   /* -1: never used */
	long long spent[64]; /* ms since the epoch of that lap */
	long long *lap_big, *spent_big;
} slots;

static long long *lap_at(slots *s, int k)
{
	return s->limit <= 64 ? &s->lap[k] : &s->lap_big[k];
}

static long long *spent_at(slots *s, int k)
{
	return s->limit <= 64 ? &s->spent[k] : &s->spent_big[k];
}

static int slots_init(slots *s, int limit)
{
	int k;

	memset(s, 0, sizeof(*s));
	s->limit = limit;
	if (limit > 64) {
		s->lap_big =
		        isg__alloc_calloc((size_t)limit, sizeof(long long));
		s->spent_big =
		        isg__alloc_calloc((size_t)limit, sizeof(long long));
		if (!s->lap_big || !s->spent_big)
			return isg__error_oom(MOD);
	}
	for (k = 0; k < limit; k++)
		*lap_at(s, k) = -1;
	return ISG_OK;
}

static void slots_dispose(slots *s)
{
	isg__alloc_free(s->lap_big);
	isg__alloc_free(s->spent_big);
}

static long long int_of(const bson_t *d, const char *key)
{
	bson_iter_t it;

	if (!bson_iter_init_find(&it, d, key))
		return -1;
	if (BSON_ITER_HOLDS_DATE_TIME(&it))
		return bson_iter_date_time(&it);
	return bson_iter_as_int64(&it);
}

/* Reads the user's slot documents into `s`. */
static int read_slots(slots *s, isg_quota *q, const char *user_id)
{
	mongoc_client_t *client = NULL;
	mongoc_collection_t *coll =
	        isg__account_mongo_get(&client, &q->m, C_SLOTS);
	bson_t *filter = BCON_NEW("user", BCON_UTF8(user_id));
	mongoc_cursor_t *cur;
	const bson_t *d;
	bson_error_t err;
	int rc = ISG_OK;

	cur = mongoc_collection_find_with_opts(coll, filter, NULL, NULL);
	while (mongoc_cursor_next(cur, &d)) {
		long long k = int_of(d, "slot"), lap = int_of(d, "lap");

		if (k < 0 || k >= s->limit || lap < *lap_at(s, (int)k))
			continue;
		*lap_at(s, (int)k) = lap;
		*spent_at(s, (int)k) = int_of(d, "spent_at");
	}
	if (mongoc_cursor_error(cur, &err))
		rc = isg__account_mongo_error(&q->m, &err, "read quota");
	mongoc_cursor_destroy(cur);
	isg__account_mongo_put(&q->m, client, coll);
	bson_destroy(filter);
	return rc;
}

/* Fills the counts; returns the first free slot or -1. */
static int tally(isg_quota_state *out, slots *s, const isg_quota *q,
                 long long now)
{
	long long window = (long long)q->window_s * 1000, soonest = -1;
	int k, free_slot = -1;

	out->used = 0;
	for (k = 0; k < s->limit; k++) {
		long long lap = *lap_at(s, k), t = *spent_at(s, k);

		if (lap >= 0 && t + window > now) {
			out->used++;
			if (soonest < 0 || t + window < soonest)
				soonest = t + window;
		} else if (free_slot < 0) {
			free_slot = k;
		}
	}
	out->remaining = s->limit - out->used;
	out->retry_after_s = free_slot >= 0 || soonest < 0
	                             ? 0
	                             : (soonest - now + 999) / 1000;
	if (s->limit == 0)
		out->retry_after_s = q->window_s;
	return free_slot;
}

static int check_args(const isg_quota_state *out, const isg_quota *q,
                      const char *user_id, int limit)
{
	if (!out || !q || !user_id || !user_id[0] || strlen(user_id) > 40 ||
	    limit < 0 || limit > MAX_LIMIT)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "quota: NULL argument, bad user id or limit out of [0, %d]",
		        MAX_LIMIT);
	return ISG_OK;
}

static void ensure_index(isg_quota *q)
{
	bson_t *keys;

	if (atomic_load(&q->indexed))
		return;
	/* Once per handle; concurrent first spends wait for it. */
	pthread_mutex_lock(&q->index_mu);
	if (!atomic_load(&q->indexed)) {
		keys = BCON_NEW("user", BCON_INT32(1));
		if (isg__account_mongo_index(&q->m, C_SLOTS, keys, "user_1") ==
		    ISG_OK)
			atomic_store(&q->indexed, 1);
		bson_destroy(keys);
	}
	pthread_mutex_unlock(&q->index_mu);
}

int isg_quota_get(isg_quota_state *out, isg_quota *q, const char *user_id,
                  int limit)
{
	slots s;
	int rc;

	if ((rc = check_args(out, q, user_id, limit)) != ISG_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	out->limit = limit;
	if ((rc = slots_init(&s, limit)) == ISG_OK &&
	    (rc = read_slots(&s, q, user_id)) == ISG_OK)
		tally(out, &s, q, isg__clock_wall_ms());
	slots_dispose(&s);
	return rc;
}

/* Inserts the document of slot k's next lap. */
static int take(isg_quota_state *out, isg_quota *q, const char *user_id, int k,
                long long lap, long long now)
{
	mongoc_client_t *client = NULL;
	mongoc_collection_t *coll;
	bson_error_t err;
	bson_t *doc;
	char id[ISG_QUOTA_SPEND_SIZE];
	int rc = ISG_OK;

	snprintf(id, sizeof(id), "%s:%d:%lld", user_id, k, lap);
	doc = BCON_NEW("_id", BCON_UTF8(id), "user", BCON_UTF8(user_id), "slot",
	               BCON_INT32(k), "lap", BCON_INT64(lap), "spent_at",
	               BCON_DATE_TIME(now), "expires_at",
	               BCON_DATE_TIME(now + (long long)q->window_s * 1000));
	coll = isg__account_mongo_get(&client, &q->m, C_SLOTS);
	if (!mongoc_collection_insert_one(coll, doc, NULL, NULL, &err))
		rc = isg__account_mongo_error(&q->m, &err, "spend quota");
	isg__account_mongo_put(&q->m, client, coll);
	bson_destroy(doc);
	if (rc == ISG_OK)
		snprintf(out->spend_id, sizeof(out->spend_id), "%s", id);
	return rc;
}

int isg_quota_spend(isg_quota_state *out, isg_quota *q, const char *user_id,
                    int limit)
{
	long long now;
	slots s;
	int rc, attempt, k;

	if ((rc = check_args(out, q, user_id, limit)) != ISG_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	out->limit = limit;
	ensure_index(q);
	if ((rc = slots_init(&s, limit)) != ISG_OK)
		goto done;
	/* Every lost race means another spender took a slot, so a spender
	 * loses at most `limit` times before it wins or sees none free. */
	for (attempt = 0; attempt <= limit + 2; attempt++) {
		slots_dispose(&s);
		if ((rc = slots_init(&s, limit)) != ISG_OK ||
		    (rc = read_slots(&s, q, user_id)) != ISG_OK)
			goto done;
		now = isg__clock_wall_ms();
		k = tally(out, &s, q, now);
		if (k < 0) {
			rc = isg__error_set_retry(
			        ISG_EQUOTA, MOD, (double)out->retry_after_s,
			        "quota of %d new bridges per %d h is spent; retry in %lld s",
			        limit, q->window_s / 3600, out->retry_after_s);
			goto done;
		}
		rc = take(out, q, user_id, k, *lap_at(&s, k) + 1, now);
		if (rc != ISG_ECONFLICT)
			break;
	}
	if (rc == ISG_OK) {
		out->used++;
		out->remaining--;
	} else if (rc == ISG_ECONFLICT) {
		rc = isg__error_set(ISG_ECONFLICT, MOD,
		                    "quota slots kept changing; try again");
	}
done:
	slots_dispose(&s);
	return rc;
}

int isg_quota_refund(isg_quota *q, const char *spend_id)
{
	mongoc_client_t *client = NULL;
	mongoc_collection_t *coll;
	bson_t *filter, reply;
	bson_error_t err;
	bson_iter_t it;
	int rc = ISG_OK;

	if (!q || !spend_id || !spend_id[0])
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_quota_refund: NULL or empty id");
	filter = BCON_NEW("_id", BCON_UTF8(spend_id));
	coll = isg__account_mongo_get(&client, &q->m, C_SLOTS);
	if (!mongoc_collection_delete_one(coll, filter, NULL, &reply, &err))
		rc = isg__account_mongo_error(&q->m, &err, "refund quota");
	else if (!bson_iter_init_find(&it, &reply, "deletedCount") ||
	         bson_iter_as_int64(&it) == 0)
		rc = isg__error_set(
		        ISG_ENOTFOUND, MOD,
		        "no quota spend '%.60s' (already refunded?)", spend_id);
	bson_destroy(&reply);
	isg__account_mongo_put(&q->m, client, coll);
	bson_destroy(filter);
	return rc;
}
