/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lock: Redis locks. Acquire is one Lua script that sets the key with
 * NX PX and, only when it won, raises the key's fence counter; extend and
 * release are scripts that touch the key only while it holds the caller's
 * token. Scripts make each step atomic, so that no other client can slip
 * between the check and the change.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "issuesight/config.h"
#include "lock_int.h"
#include "redis_int.h"

#define MOD "lock"
#define KEY_MAX 512
/* The fence counter outlives any lock: a week after its last use. Since
 * it restarts from Redis' clock, its loss only makes later fences larger. */
#define FENCE_KEEP_MS "604800000"

struct isg_lock {
	isg__redis *redis;
};

/* The fence is max(counter + 1, Redis' clock in ms): increasing per key,
 * also after Redis restarted without its data. */
static const char acquire_lua[] =
        "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then\n"
        "  local t = redis.call('TIME')\n"
        "  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
        "  local f = redis.call('INCR', KEYS[2])\n"
        "  if f < now then\n"
        "    redis.call('SET', KEYS[2], string.format('%.0f', now))\n"
        "    f = now\n"
        "  end\n"
        "  redis.call('PEXPIRE', KEYS[2], ARGV[3])\n"
        "  return {1, f}\n"
        "end\n"
        "return {0, redis.call('PTTL', KEYS[1])}\n";

static const char extend_lua[] =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
        "  return redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
        "end\n"
        "return 0\n";

static const char release_lua[] =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
        "  return redis.call('DEL', KEYS[1])\n"
        "end\n"
        "return 0\n";

int isg_lock_new(isg_lock **out, const isg_lock_options *opts)
{
	isg_lock *l;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!opts)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options are required (redis_url)");
	if (opts->version != ISG_LOCK_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options version %u is not %d",
		                      opts->version, ISG_LOCK_OPTIONS_VERSION);
	if (!opts->redis_url || !*opts->redis_url)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "option redis_url is required");
	if (opts->connect_timeout_ms < 0 || opts->command_timeout_ms < 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "timeouts must not be negative (%d, %d)",
		                      opts->connect_timeout_ms,
		                      opts->command_timeout_ms);
	l = isg__alloc_calloc(1, sizeof(*l));
	if (!l)
		return isg__error_oom(MOD);
	rc = isg__redis_new(&l->redis, opts->redis_url, MOD,
	                    opts->connect_timeout_ms, opts->command_timeout_ms);
	if (rc != ISG_OK) {
		isg__alloc_free(l);
		return rc;
	}
	*out = l;
	return ISG_OK;
}

int isg_lock_new_from_config(isg_lock **out, const isg_config *cfg)
{
	isg_lock_options o = ISG_LOCK_OPTIONS_INIT;

	if (!out || !cfg)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "out and cfg are required");
	*out = NULL;
	o.redis_url = isg_config_get(cfg, "REDIS_URL");
	return isg_lock_new(out, &o);
}

void isg_lock_free(isg_lock *lock)
{
	if (!lock)
		return;
	isg__redis_free(lock->redis);
	isg__alloc_free(lock);
}

int isg_lock_issue_key(isg_buf *out, const char *full_name, int number)
{
	const char *p, *slash;
	isg_buf b = ISG_BUF_INIT;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	if (!full_name || !*full_name || strlen(full_name) > 200)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "repository name '%.60s' is empty or longer than 200 bytes",
		        full_name ? full_name : "(null)");
	slash = strchr(full_name, '/');
	if (!slash || slash == full_name || !slash[1] || strchr(slash + 1, '/'))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "repository name '%.60s' is not owner/repo", full_name);
	for (p = full_name; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return isg__error_set(
			        ISG_EINVALID, MOD,
			        "repository name '%.60s' has a space or control character",
			        full_name);
	if (number <= 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "issue number %d is not positive",
		                      number);
	rc = isg__buf_printf(&b, "is:lock:issue:%s#%d", full_name, number);
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return isg__error_oom(MOD);
	}
	isg_buf_dispose(out);
	*out = b;
	return ISG_OK;
}

static int check_key(const char *key)
{
	if (!key || !*key || strlen(key) > KEY_MAX)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "lock key '%.60s' is empty or longer than %d bytes",
		        key ? key : "(null)", KEY_MAX);
	return ISG_OK;
}

static int check_ttl(long long ttl_ms)
{
	if (ttl_ms < 1 || ttl_ms > ISG_LOCK_TTL_MAX_MS)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "lock TTL %lld ms is outside 1..%lld",
		                      ttl_ms, ISG_LOCK_TTL_MAX_MS);
	return ISG_OK;
}

static int check_token(const isg_lock_token *t)
{
	if (!t || !isg__lock_token_valid(t->token))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "a lock token from isg_lock_acquire() is required");
	return ISG_OK;
}

static int bad_reply(const char *what, const char *key)
{
	return isg__error_set(ISG_EBACKEND, MOD,
	                      "unexpected Redis reply to %s of lock '%.200s'",
	                      what, key);
}

int isg_lock_acquire(isg_lock_token *out, isg_lock *lock, const char *key,
                     long long ttl_ms)
{
	char fence_key[KEY_MAX + 8], ttl[32], tok[ISG_LOCK_TOKEN_SIZE];
	const char *argv[8];
	redisReply *rep = NULL;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	memset(out, 0, sizeof(*out));
	if (!lock)
		return isg__error_set(ISG_EINVALID, MOD, "lock is NULL");
	if ((rc = check_key(key)) != ISG_OK || (rc = check_ttl(ttl_ms)))
		return rc;
	if ((rc = isg__lock_token_random(tok)) != ISG_OK)
		return rc;
	snprintf(fence_key, sizeof(fence_key), "%s:fence", key);
	snprintf(ttl, sizeof(ttl), "%lld", ttl_ms);
	argv[0] = "EVAL";
	argv[1] = acquire_lua;
	argv[2] = "2";
	argv[3] = key;
	argv[4] = fence_key;
	argv[5] = tok;
	argv[6] = ttl;
	argv[7] = FENCE_KEEP_MS;
	/* Not idempotent: a retried acquire after a lost reply would find
	 * its own key taken and report a conflict. */
	rc = isg__redis_command(&rep, lock->redis, 8, argv, NULL, 0, 0);
	if (rc != ISG_OK)
		goto done;
	if (rep->type != REDIS_REPLY_ARRAY || rep->elements != 2 ||
	    rep->element[0]->type != REDIS_REPLY_INTEGER ||
	    rep->element[1]->type != REDIS_REPLY_INTEGER) {
		rc = bad_reply("acquire", key);
		goto done;
	}
	if (rep->element[0]->integer == 0) {
		long long left = rep->element[1]->integer;

		rc = isg__error_set_retry(
		        ISG_ECONFLICT, MOD,
		        left > 0 ? (double)left / 1000.0 : 0.0,
		        "lock '%.200s' is held by another owner for %lld ms more",
		        key, left > 0 ? left : 0);
		goto done;
	}
	memcpy(out->token, tok, sizeof(tok));
	out->fence = rep->element[1]->integer;
done:
	if (rep)
		freeReplyObject(rep);
	return rc;
}

/* Runs a token-checked script; ISG_ECONFLICT when it changed nothing. */
static int checked(isg_lock *lock, const char *script, const char *what,
                   const char *key, const isg_lock_token *token,
                   long long ttl_ms)
{
	char ttl[32];
	const char *argv[7];
	redisReply *rep = NULL;
	int rc, argc = 6;

	argv[0] = "EVAL";
	argv[1] = script;
	argv[2] = "1";
	argv[3] = key;
	argv[4] = token->token;
	argv[5] = "";
	if (ttl_ms > 0) {
		snprintf(ttl, sizeof(ttl), "%lld", ttl_ms);
		argv[5] = ttl;
	} else {
		argc = 5;
	}
	/* Both scripts are idempotent for their holder. */
	rc = isg__redis_command(&rep, lock->redis, argc, argv, NULL, 1, 0);
	if (rc != ISG_OK)
		goto done;
	if (rep->type != REDIS_REPLY_INTEGER) {
		rc = bad_reply(what, key);
		goto done;
	}
	if (rep->integer == 0)
		rc = isg__error_set(
		        ISG_ECONFLICT, MOD,
		        "cannot %s lock '%.200s': it expired or another owner holds it",
		        what, key);
done:
	if (rep)
		freeReplyObject(rep);
	return rc;
}

int isg_lock_extend(isg_lock *lock, const char *key,
                    const isg_lock_token *token, long long ttl_ms)
{
	int rc;

	if (!lock)
		return isg__error_set(ISG_EINVALID, MOD, "lock is NULL");
	if ((rc = check_key(key)) != ISG_OK || (rc = check_token(token)) ||
	    (rc = check_ttl(ttl_ms)))
		return rc;
	return checked(lock, extend_lua, "extend", key, token, ttl_ms);
}

int isg_lock_release(isg_lock *lock, const char *key,
                     const isg_lock_token *token)
{
	int rc;

	if (!lock)
		return isg__error_set(ISG_EINVALID, MOD, "lock is NULL");
	if ((rc = check_key(key)) != ISG_OK || (rc = check_token(token)))
		return rc;
	return checked(lock, release_lua, "release", key, token, 0);
}

int isg_lock_holder(char out[ISG_LOCK_TOKEN_SIZE], long long *ttl_ms,
                    isg_lock *lock, const char *key)
{
	const char *argv[5] = {
		"EVAL",
		"return {redis.call('GET', KEYS[1]) or '', redis.call('PTTL', KEYS[1])}",
		"1", key, NULL
	};
	redisReply *rep = NULL;
	const char *s;
	size_t len = 0;
	int rc;

	if (out)
		out[0] = '\0';
	if (ttl_ms)
		*ttl_ms = 0;
	if (!out || !lock)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_lock_holder: NULL argument");
	if ((rc = check_key(key)) != ISG_OK)
		return rc;
	rc = isg__redis_command(&rep, lock->redis, 4, argv, NULL, 1, 0);
	if (rc != ISG_OK)
		goto done;
	if (rep->type != REDIS_REPLY_ARRAY || rep->elements != 2 ||
	    rep->element[1]->type != REDIS_REPLY_INTEGER ||
	    !(s = isg__redis_str(rep->element[0], &len))) {
		rc = bad_reply("holder", key);
		goto done;
	}
	if (len < ISG_LOCK_TOKEN_SIZE) {
		memcpy(out, s, len);
		out[len] = '\0';
	}
	if (ttl_ms && rep->element[1]->integer > 0)
		*ttl_ms = rep->element[1]->integer;
done:
	if (rep)
		freeReplyObject(rep);
	return rc;
}
