/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cache-aside reader: memory tier, Redis, then the store, with one
 * load per key at a time (request coalescing), negative caching and a
 * store-only fallback when Redis is down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "reader_int.h"

#define MOD "reader"

/* One load in progress; callers of the same key wait for it. */
typedef struct isg__rflight {
	struct isg__rflight *next;
	char key[ISG_READER_KEY_SIZE];
	pthread_cond_t cv;
	int done, waiters, rc;
	isg__rentry *result;
	char message[ISG_ERROR_MESSAGE_MAX];
} isg__rflight;

static int valid_owner(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 39 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static int valid_repo(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 100 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

int isg_reader_key(char out[ISG_READER_KEY_SIZE], const char *owner,
                   const char *repo, long long number)
{
	size_t i;
	int n;

	if (out)
		out[0] = '\0';
	if (!out || !owner || !repo)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_reader_key: NULL argument");
	if (!valid_owner(owner) || !valid_repo(repo))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "'%.50s/%.110s' is not a GitHub repository name", owner,
		        repo);
	if (number < 1 || number > 2147483647)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "issue number %lld is out of range",
		                      number);
	n = snprintf(out, ISG_READER_KEY_SIZE, "%s%s/%s#%lld",
	             ISG_READER_KEY_PREFIX, owner, repo, number);
	for (i = 0; i < (size_t)n; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] + 32);
	return ISG_OK;
}

int isg_reader_new(isg_reader **out, const isg_reader_options *o)
{
	isg_reader *r = NULL;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !o || !o->store)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_reader_new: NULL argument or store");
	if (o->version != ISG_READER_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_reader_options.version %u is not %d",
		                      o->version, ISG_READER_OPTIONS_VERSION);
	if (o->ttl_s < 0 || o->redis_pool_size < 0 ||
	    o->redis_pool_size > 1024 || o->connect_timeout_ms < 0 ||
	    o->command_timeout_ms < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_reader_options: negative ttl_s, timeout or bad redis_pool_size");
	r = isg__alloc_calloc(1, sizeof(*r));
	if (!r)
		return isg__error_oom(MOD);
	r->store = o->store;
	r->ttl_s = o->ttl_s ? o->ttl_s : 3600;
	r->negative_ttl_s = o->negative_ttl_s ? o->negative_ttl_s : 5;
	r->connect_timeout_ms =
	        o->connect_timeout_ms ? o->connect_timeout_ms : 500;
	pthread_mutex_init(&r->fmu, NULL);
	rc = isg__reader_mem_init(&r->mem, o->memory_bytes ? o->memory_bytes
	                                                   : 64ll << 20);
	if (rc != ISG_OK)
		goto fail;
	if (!o->redis_url) {
		*out = r;
		return ISG_OK;
	}
	r->has_redis = 1;
	r->mem_on = o->memory_bytes >= 0;
	if ((rc = isg__redis_url_parse(&r->url, o->redis_url)) != ISG_OK ||
	    (rc = isg__reader_pool_init(
	             &r->pool, o->redis_url,
	             o->redis_pool_size ? o->redis_pool_size : 16,
	             r->connect_timeout_ms,
	             o->command_timeout_ms ? o->command_timeout_ms : 1000)) !=
	            ISG_OK)
		goto fail;
	if (pthread_create(&r->sub, NULL, isg__reader_subscriber, r) != 0) {
		rc = isg__error_set(ISG_ERROR, MOD,
		                    "cannot start the subscriber thread");
		goto fail;
	}
	r->sub_started = 1;
	*out = r;
	return ISG_OK;
fail:
	isg_reader_free(r);
	return rc;
}

int isg_reader_new_from_config(isg_reader **out, isg_store *store,
                               const isg_config *cfg)
{
	isg_reader_options o = ISG_READER_OPTIONS_INIT;
	long long ttl = 3600, neg = 5, mem = 64ll << 20;

	if (out)
		*out = NULL;
	if (!out || !cfg)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_reader_new_from_config: NULL argument");
	isg_config_get_int(&ttl, cfg, "CACHE_TTL_S");
	isg_config_get_int(&neg, cfg, "CACHE_NEGATIVE_TTL_S");
	isg_config_get_int(&mem, cfg, "CACHE_MEMORY_BYTES");
	o.store = store;
	o.redis_url = isg_config_get(cfg, "REDIS_URL");
	o.ttl_s = (int)ttl;
	o.negative_ttl_s = neg > 0 ? (int)neg : -1;
	o.memory_bytes = mem > 0 ? mem : -1;
	return isg_reader_new(out, &o);
}

void isg_reader_free(isg_reader *r)
{
	if (!r)
		return;
	if (r->sub_started) {
		atomic_store(&r->stop, 1);
		pthread_join(r->sub, NULL);
	}
	isg__reader_pool_dispose(&r->pool);
	isg__reader_mem_dispose(&r->mem);
	isg__redis_url_dispose(&r->url);
	pthread_mutex_destroy(&r->fmu);
	isg__alloc_free(r);
}

int isg_reader_invalidate(isg_reader *r, const char *owner, const char *repo,
                          long long number)
{
	char key[ISG_READER_KEY_SIZE];
	const char *del[2], *pub[3];
	redisReply *rep = NULL;
	int rc;

	if (!r)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_reader_invalidate: NULL reader");
	if ((rc = isg_reader_key(key, owner, repo, number)) != ISG_OK)
		return rc;
	isg__reader_mem_remove(&r->mem, key);
	if (!r->has_redis)
		return ISG_OK;
	del[0] = "DEL";
	del[1] = key;
	rc = isg__reader_pool_command(&rep, &r->pool, 2, del, NULL);
	if (rc != ISG_OK)
		return rc;
	freeReplyObject(rep);
	pub[0] = "PUBLISH";
	pub[1] = ISG_READER_CHANNEL;
	pub[2] = key;
	rc = isg__reader_pool_command(&rep, &r->pool, 3, pub, NULL);
	if (rc == ISG_OK)
		freeReplyObject(rep);
	return rc;
}

/* Redis GET: ISG_OK with an entry, ISG_ENOTFOUND for a cached "not
 * found", ISG_EAGAIN-like ISG_ECONFLICT for a plain miss. */
static int redis_get(isg__rentry **out, isg_reader *r, const char *key)
{
	const char *argv[2] = { "GET", key };
	redisReply *rep = NULL;
	int rc, nf = 0;

	*out = NULL;
	rc = isg__reader_pool_command(&rep, &r->pool, 2, argv, NULL);
	if (rc != ISG_OK)
		return rc;
	if (rep->type != REDIS_REPLY_STRING) {
		freeReplyObject(rep);
		return ISG_ECONFLICT;
	}
	rc = isg__reader_decode(out, &nf, key, rep->str, (size_t)rep->len);
	freeReplyObject(rep);
	if (rc == ISG_EPARSE)
		return ISG_ECONFLICT; /* a foreign value: reload over it */
	if (rc == ISG_OK && nf)
		return ISG_ENOTFOUND;
	return rc;
}

/* Jitter in [0, n]: a per-thread xorshift seeded from the clock, so that
 * keys loaded together do not expire together. */
static int jitter(int n)
{
	static _Thread_local uint64_t x;

	if (!x)
		x = (uint64_t)isg__clock_wall_ms() * 2654435761u +
		    (uint64_t)(uintptr_t)&x;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return (int)(x % (uint64_t)(n + 1));
}

static void redis_set(isg_reader *r, const char *key, const isg__rentry *e)
{
	char ttl[24];
	const char *argv[5];
	size_t lens[5];
	isg_buf v = ISG_BUF_INIT;
	redisReply *rep = NULL;
	int secs;

	if (e && e->pub.status == ISG_STORE_COMPLETED)
		secs = r->ttl_s + jitter(r->ttl_s / 10);
	else if (r->negative_ttl_s > 0)
		secs = r->negative_ttl_s;
	else
		return;
	if (isg__reader_encode(&v, e) != ISG_OK)
		goto done;
	snprintf(ttl, sizeof(ttl), "%d", secs);
	argv[0] = "SET";
	argv[1] = key;
	argv[2] = v.ptr;
	argv[3] = "EX";
	argv[4] = ttl;
	lens[0] = 3;
	lens[1] = strlen(key);
	lens[2] = v.size;
	lens[3] = 2;
	lens[4] = strlen(ttl);
	if (isg__reader_pool_command(&rep, &r->pool, 5, argv, lens) == ISG_OK)
		freeReplyObject(rep);
done:
	isg_buf_dispose(&v);
}

static int store_read(isg__rentry **out, isg_reader *r, const char *key,
                      const char *owner, const char *repo, long long number)
{
	char full[160];
	isg_store_content c;
	const isg_buf *body;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	snprintf(full, sizeof(full), "%s/%s", owner, repo);
	atomic_fetch_add(&r->store_reads, 1);
	rc = isg_store_content_get_by_issue(&c, r->store, full, (int)number);
	if (rc == ISG_OK) {
		body = c.status == ISG_STORE_COMPLETED ? &c.bridge_json
		       : c.status == ISG_STORE_FAILED  ? &c.error
		                                       : NULL;
		*out = isg__reader_entry_new(
		        key, c.status, body && body->ptr ? body->ptr : "",
		        body && body->ptr ? body->size : 0, c.updated_at);
		if (!*out)
			rc = isg__error_oom(MOD);
	} else if (rc != ISG_ENOTFOUND && rc != ISG_ENOMEM) {
		atomic_fetch_add(&r->store_errors, 1);
	}
	isg_store_content_dispose(&c);
	return rc;
}

/* The load of one key: Redis, then the store, then fill the caches. */
static int load(isg__rentry **out, isg_reader *r, const char *key,
                const char *owner, const char *repo, long long number)
{
	uint64_t epoch = isg__reader_mem_epoch(&r->mem);
	int rc = ISG_ECONFLICT, redis_ok = 0;

	if (r->has_redis) {
		rc = redis_get(out, r, key);
		if (rc == ISG_OK) {
			atomic_fetch_add(&r->redis_hits, 1);
			goto fill_memory;
		}
		if (rc == ISG_ENOTFOUND || rc == ISG_ENOMEM)
			goto done;
		redis_ok = rc == ISG_ECONFLICT;
		if (!redis_ok)
			atomic_fetch_add(&r->degraded, 1);
	}
	rc = store_read(out, r, key, owner, repo, number);
	if (rc != ISG_OK && rc != ISG_ENOTFOUND)
		goto done;
	if (redis_ok)
		redis_set(r, key, *out);
fill_memory:
	if (rc == ISG_OK && r->mem_on && atomic_load(&r->subscribed) &&
	    (*out)->pub.status == ISG_STORE_COMPLETED)
		isg__reader_mem_put(&r->mem, *out, epoch);
done:
	if (rc == ISG_ENOTFOUND) {
		atomic_fetch_add(&r->not_found, 1);
		rc = isg__error_set(ISG_ENOTFOUND, MOD,
		                    "no Context Bridge for %s/%s#%lld", owner,
		                    repo, number);
	}
	return rc;
}

/* Joins the flight of `key` or starts one; *leader says which. */
static isg__rflight *flight_join(isg_reader *r, const char *key, int *leader)
{
	isg__rflight *f;

	pthread_mutex_lock(&r->fmu);
	for (f = r->flights; f; f = f->next)
		if (strcmp(f->key, key) == 0)
			break;
	if (f) {
		f->waiters++;
		*leader = 0;
	} else if ((f = isg__alloc_calloc(1, sizeof(*f))) != NULL) {
		snprintf(f->key, sizeof(f->key), "%s", key);
		pthread_cond_init(&f->cv, NULL);
		f->next = r->flights;
		r->flights = f;
		*leader = 1;
	}
	pthread_mutex_unlock(&r->fmu);
	return f;
}

static void flight_free(isg__rflight *f)
{
	isg__reader_entry_unref(f->result);
	pthread_cond_destroy(&f->cv);
	isg__alloc_free(f);
}

/* The leader publishes its result and leaves; the last one out frees. */
static void flight_land(isg_reader *r, isg__rflight *f, int rc, isg__rentry *e)
{
	isg__rflight **pp;
	int last;

	pthread_mutex_lock(&r->fmu);
	for (pp = &r->flights; *pp != f; pp = &(*pp)->next)
		;
	*pp = f->next;
	f->done = 1;
	f->rc = rc;
	f->result = e;
	if (e)
		isg__reader_entry_ref(e);
	if (rc != ISG_OK)
		snprintf(f->message, sizeof(f->message), "%s",
		         isg_error_last()->message);
	last = f->waiters == 0;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&r->fmu);
	if (last)
		flight_free(f);
}

static int flight_wait(isg_reader *r, isg__rflight *f, isg__rentry **out)
{
	int rc, last;

	pthread_mutex_lock(&r->fmu);
	while (!f->done)
		pthread_cond_wait(&f->cv, &r->fmu);
	rc = f->rc;
	*out = f->result;
	if (*out)
		isg__reader_entry_ref(*out);
	last = --f->waiters == 0;
	pthread_mutex_unlock(&r->fmu);
	if (rc != ISG_OK)
		isg__error_set(rc, MOD, "%s", f->message);
	if (last)
		flight_free(f);
	return rc;
}

int isg_reader_get(const isg_reader_bridge **out, isg_reader *r,
                   const char *owner, const char *repo, long long number)
{
	char key[ISG_READER_KEY_SIZE];
	isg__rentry *e = NULL;
	isg__rflight *f;
	int rc, leader = 0;

	if (out)
		*out = NULL;
	if (!out || !r)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_reader_get: NULL argument");
	if ((rc = isg_reader_key(key, owner, repo, number)) != ISG_OK)
		return rc;
	if (r->mem_on && atomic_load(&r->subscribed) &&
	    (e = isg__reader_mem_get(&r->mem, key)) != NULL) {
		atomic_fetch_add(&r->memory_hits, 1);
		*out = &e->pub;
		return ISG_OK;
	}
	f = flight_join(r, key, &leader);
	if (!f)
		return isg__error_oom(MOD);
	if (leader) {
		rc = load(&e, r, key, owner, repo, number);
		flight_land(r, f, rc, e);
	} else {
		atomic_fetch_add(&r->coalesced, 1);
		rc = flight_wait(r, f, &e);
	}
	if (rc == ISG_OK)
		*out = &e->pub;
	return rc;
}

int isg_reader_stats_get(isg_reader_stats *out, isg_reader *r)
{
	if (!out || !r)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_reader_stats_get: NULL argument");
	memset(out, 0, sizeof(*out));
	out->memory_hits = atomic_load(&r->memory_hits);
	out->redis_hits = atomic_load(&r->redis_hits);
	out->store_reads = atomic_load(&r->store_reads);
	out->coalesced = atomic_load(&r->coalesced);
	out->not_found = atomic_load(&r->not_found);
	out->degraded = atomic_load(&r->degraded);
	out->store_errors = atomic_load(&r->store_errors);
	out->invalidations = atomic_load(&r->invalidations);
	out->subscribed = atomic_load(&r->subscribed);
	isg__reader_mem_usage(&r->mem, &out->memory_entries,
	                      &out->memory_bytes);
	return ISG_OK;
}
