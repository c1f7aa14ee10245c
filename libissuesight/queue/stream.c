/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream: the producer side of Redis Streams and the read-only views
 * (length, range, group state). Every message is one `data` field holding
 * a JSON object with an integer schema_version, checked before it is sent
 * so that a producer bug never reaches a consumer.
 */
#include <stdio.h>
#include <limits.h>
#include <string.h>

#include "core_int.h"
#include "issuesight/config.h"
#include "json_int.h"
#include "stream_int.h"

#define KEY_MAX (ISG__STREAM_PREFIX_MAX + 256)

isg__redis *isg__stream_redis(const isg_stream *s)
{
	return s->redis;
}

const char *isg__stream_prefix(const isg_stream *s)
{
	return s->prefix;
}

int isg__stream_keyname(char *out, size_t n, const isg_stream *s,
                        const char *name)
{
	int w;

	if (!name || !*name)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "a stream name is required");
	w = snprintf(out, n, "%s%s", s->prefix, name);
	if (w < 0 || (size_t)w >= n)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "stream name '%.64s...' is too long",
		                      name);
	return ISG_OK;
}

int isg__stream_check_message(const char *json, size_t len, int *version)
{
	cJSON *doc = NULL;
	const cJSON *v;
	int rc = ISG_EINVALID;

	if (!json) {
		rc = isg__error_set(ISG_EINVALID, "stream", "no message");
		goto done;
	}
	if (memchr(json, '\0', len)) {
		isg__error_set(
		        ISG_EINVALID, "stream",
		        "message has a NUL byte at offset %zu",
		        (size_t)((const char *)memchr(json, '\0', len) - json));
		goto done;
	}
	doc = isg__json_parse(json, len, "stream", "message");
	if (!doc) {
		rc = isg_error_last()->code == ISG_ENOMEM ? ISG_ENOMEM
		                                          : ISG_EINVALID;
		if (rc == ISG_EINVALID)
			isg__error_set(ISG_EINVALID, "stream",
			               "message is not JSON: %s",
			               isg_error_last()->message);
		goto done;
	}
	if (!cJSON_IsObject(doc)) {
		isg__error_set(ISG_EINVALID, "stream",
		               "message is not a JSON object");
		goto done;
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "schema_version");
	if (!v) {
		isg__error_set(ISG_EINVALID, "stream",
		               "message has no schema_version");
		goto done;
	}
	/* The range is checked before the cast: a double outside int's range
	 * (or NaN) cast to int is undefined behaviour. */
	if (!cJSON_IsNumber(v) ||
	    !(v->valuedouble >= 1 && v->valuedouble <= INT_MAX) ||
	    v->valuedouble != (double)(int)v->valuedouble) {
		isg__error_set(
		        ISG_EINVALID, "stream",
		        "message schema_version is not a positive integer");
		goto done;
	}
	if (version)
		*version = (int)v->valuedouble;
	rc = ISG_OK;
done:
	cJSON_Delete(doc);
	return rc;
}

int isg__stream_entry_check(isg__stream_entry *out, const char *const *fv,
                            const size_t *lens, size_t n, int want_version,
                            char *reason, size_t rn)
{
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	for (i = 0; i + 1 < n; i += 2) {
		if (fv[i] && lens[i] == 4 && memcmp(fv[i], "data", 4) == 0 &&
		    fv[i + 1]) {
			out->data = fv[i + 1];
			out->len = lens[i + 1];
			break;
		}
	}
	if (!out->data) {
		if (n >= 2 && fv[1]) {
			out->data = fv[1];
			out->len = lens[1];
		}
		snprintf(reason, rn, "malformed message: no 'data' field");
		return isg__error_set(ISG_EINVALID, "stream", "%s", reason);
	}
	rc = isg__stream_check_message(out->data, out->len, &out->version);
	if (rc == ISG_ENOMEM)
		return rc;
	if (rc != ISG_OK) {
		snprintf(reason, rn, "malformed message: %s",
		         isg_error_last()->message);
		return ISG_EINVALID;
	}
	if (out->version != want_version) {
		snprintf(
		        reason, rn,
		        "malformed message: schema_version %d is not the supported %d",
		        out->version, want_version);
		return isg__error_set(ISG_EINVALID, "stream", "%s", reason);
	}
	return ISG_OK;
}

int isg_stream_new(isg_stream **out, const isg_stream_options *opts)
{
	isg_stream *s = NULL;
	const char *prefix;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, "stream", "out is NULL");
	*out = NULL;
	if (!opts)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "options are required (redis_url)");
	if (opts->version != ISG_STREAM_OPTIONS_VERSION)
		return isg__error_set(
		        ISG_EINVALID, "stream", "options version %u is not %d",
		        opts->version, ISG_STREAM_OPTIONS_VERSION);
	if (!opts->redis_url || !*opts->redis_url)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "option redis_url is required");
	prefix = opts->prefix ? opts->prefix : ISG_STREAM_DEFAULT_PREFIX;
	if (strlen(prefix) > ISG__STREAM_PREFIX_MAX)
		return isg__error_set(
		        ISG_EINVALID, "stream",
		        "option prefix '%.64s...' is longer than %d bytes",
		        prefix, ISG__STREAM_PREFIX_MAX);
	if (opts->connect_timeout_ms < 0 || opts->command_timeout_ms < 0)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "timeouts must not be negative (%d, %d)",
		                      opts->connect_timeout_ms,
		                      opts->command_timeout_ms);
	s = isg__alloc_calloc(1, sizeof(*s));
	if (!s)
		return isg__error_oom("stream");
	snprintf(s->prefix, sizeof(s->prefix), "%s", prefix);
	s->maxlen = opts->maxlen == 0  ? 100000
	            : opts->maxlen < 0 ? -1
	                               : opts->maxlen;
	s->connect_timeout_ms = opts->connect_timeout_ms;
	s->command_timeout_ms = opts->command_timeout_ms;
	s->url = isg__alloc_strdup(opts->redis_url);
	if (!s->url) {
		rc = isg__error_oom("stream");
		goto done;
	}
	rc = isg__redis_new(&s->redis, s->url, "stream", s->connect_timeout_ms,
	                    s->command_timeout_ms);
done:
	if (rc != ISG_OK)
		isg_stream_free(s);
	else
		*out = s;
	return rc;
}

int isg_stream_new_from_config(isg_stream **out, const isg_config *cfg)
{
	isg_stream_options o = ISG_STREAM_OPTIONS_INIT;
	long long maxlen = 0;

	if (!out || !cfg)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "out and cfg are required");
	*out = NULL;
	o.redis_url = isg_config_get(cfg, "REDIS_URL");
	o.prefix = isg_config_get(cfg, "STREAM_PREFIX");
	if (isg_config_get_int(&maxlen, cfg, "STREAM_MAXLEN") == ISG_OK)
		o.maxlen = maxlen == 0 ? -1 : maxlen;
	return isg_stream_new(out, &o);
}

void isg_stream_free(isg_stream *s)
{
	if (!s)
		return;
	isg__redis_free(s->redis);
	isg__alloc_free(s->url);
	isg__alloc_free(s);
}

int isg_stream_key(isg_buf *out, const isg_stream *s, const char *name)
{
	char key[KEY_MAX];
	int rc;

	if (!out || !s)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "out and s are required");
	rc = isg__stream_keyname(key, sizeof(key), s, name);
	if (rc != ISG_OK)
		return rc;
	return isg_buf_set(out, key, strlen(key));
}

static int copy_id(char out[ISG_STREAM_ID_SIZE], const redisReply *rep)
{
	size_t n;
	const char *id = isg__redis_str(rep, &n);

	if (!id || n >= ISG_STREAM_ID_SIZE)
		return isg__error_set(ISG_EBACKEND, "stream",
		                      "XADD returned no entry id");
	if (out) {
		memcpy(out, id, n);
		out[n] = '\0';
	}
	return ISG_OK;
}

int isg_stream_add(char out[ISG_STREAM_ID_SIZE], isg_stream *s,
                   const char *name, const char *json, size_t len)
{
	char key[KEY_MAX], maxlen[32];
	const char *argv[8];
	size_t lens[8];
	redisReply *rep = NULL;
	int argc = 0, rc;

	if (out)
		out[0] = '\0';
	if (!s)
		return isg__error_set(ISG_EINVALID, "stream", "s is NULL");
	rc = isg__stream_keyname(key, sizeof(key), s, name);
	if (rc != ISG_OK)
		goto done;
	rc = isg__stream_check_message(json, len, NULL);
	if (rc != ISG_OK)
		goto done;
	snprintf(maxlen, sizeof(maxlen), "%lld", s->maxlen);
	argv[argc] = "XADD", lens[argc++] = 4;
	argv[argc] = key, lens[argc++] = strlen(key);
	if (s->maxlen > 0) {
		argv[argc] = "MAXLEN", lens[argc++] = 6;
		argv[argc] = "~", lens[argc++] = 1;
		argv[argc] = maxlen, lens[argc++] = strlen(maxlen);
	}
	argv[argc] = "*", lens[argc++] = 1;
	argv[argc] = "data", lens[argc++] = 4;
	argv[argc] = json, lens[argc++] = len;
	/* Not idempotent: a retry after a lost reply could add twice. */
	rc = isg__redis_command(&rep, s->redis, argc, argv, lens, 0, 0);
	if (rc != ISG_OK)
		goto done;
	rc = copy_id(out, rep);
done:
	if (rep)
		freeReplyObject(rep);
	return rc;
}

/* SET NX EX and XADD in one step: either both happen or neither. */
static const char add_once_lua[] =
        "if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then\n"
        "  if ARGV[1] == '-1' then\n"
        "    return redis.call('XADD', KEYS[1], '*', 'data', ARGV[3])\n"
        "  end\n"
        "  return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'data', ARGV[3])\n"
        "end\n"
        "return false\n";

int isg_stream_add_once(char out[ISG_STREAM_ID_SIZE], isg_stream *s,
                        const char *name, const char *dedupe, int ttl_s,
                        const char *json, size_t len)
{
	char key[KEY_MAX], dkey[KEY_MAX + 256], maxlen[32], ttl[32];
	const char *argv[8];
	size_t lens[8];
	redisReply *rep = NULL;
	int rc, w;

	if (out)
		out[0] = '\0';
	if (!s || !dedupe || !*dedupe || ttl_s <= 0)
		return isg__error_set(
		        ISG_EINVALID, "stream",
		        "add_once needs a handle, a dedupe key and a positive ttl (got %d)",
		        ttl_s);
	rc = isg__stream_keyname(key, sizeof(key), s, name);
	if (rc != ISG_OK)
		goto done;
	w = snprintf(dkey, sizeof(dkey), "%sdedupe:%s", s->prefix, dedupe);
	if (w < 0 || (size_t)w >= sizeof(dkey)) {
		rc = isg__error_set(ISG_EINVALID, "stream",
		                    "dedupe key '%.64s...' is too long",
		                    dedupe);
		goto done;
	}
	rc = isg__stream_check_message(json, len, NULL);
	if (rc != ISG_OK)
		goto done;
	snprintf(maxlen, sizeof(maxlen), "%lld",
	         s->maxlen > 0 ? s->maxlen : -1);
	snprintf(ttl, sizeof(ttl), "%d", ttl_s);
	argv[0] = "EVAL", lens[0] = 4;
	argv[1] = add_once_lua, lens[1] = sizeof(add_once_lua) - 1;
	argv[2] = "2", lens[2] = 1;
	argv[3] = key, lens[3] = strlen(key);
	argv[4] = dkey, lens[4] = strlen(dkey);
	argv[5] = maxlen, lens[5] = strlen(maxlen);
	argv[6] = ttl, lens[6] = strlen(ttl);
	argv[7] = json, lens[7] = len;
	/* Idempotent by construction: a retry finds the key set. */
	rc = isg__redis_command(&rep, s->redis, 8, argv, lens, 1, 0);
	if (rc != ISG_OK)
		goto done;
	if (rep->type == REDIS_REPLY_NIL) {
		rc = isg__error_set(
		        ISG_ECONFLICT, "stream",
		        "a message with dedupe key '%s' was already added to %s",
		        dedupe, key);
		goto done;
	}
	rc = copy_id(out, rep);
done:
	if (rep)
		freeReplyObject(rep);
	return rc;
}

int isg_stream_len(long long *out, isg_stream *s, const char *name)
{
	char key[KEY_MAX];
	const char *argv[2];
	redisReply *rep = NULL;
	int rc;

	if (!out || !s)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "out and s are required");
	*out = 0;
	rc = isg__stream_keyname(key, sizeof(key), s, name);
	if (rc != ISG_OK)
		return rc;
	argv[0] = "XLEN";
	argv[1] = key;
	rc = isg__redis_command(&rep, s->redis, 2, argv, NULL, 1, 0);
	if (rc == ISG_OK && rep->type == REDIS_REPLY_INTEGER)
		*out = rep->integer;
	else if (rc == ISG_OK)
		rc = isg__error_set(ISG_EBACKEND, "stream",
		                    "XLEN %s returned no integer", key);
	if (rep)
		freeReplyObject(rep);
	return rc;
}

/* Appends {"id": ..., "fields": {...}} for one [id, [f, v, ...]] entry. */
static int put_entry(isg_buf *b, const redisReply *e)
{
	const redisReply *fv;
	size_t i;
	int rc;

	if (e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
	    e->element[0]->type != REDIS_REPLY_STRING)
		return isg__error_set(ISG_EBACKEND, "stream",
		                      "malformed stream entry in a reply");
	fv = e->element[1];
	rc = isg__buf_puts(b, "{\"id\":");
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(b, e->element[0]->str,
		                              e->element[0]->len);
	if (rc == ISG_OK)
		rc = isg__buf_puts(b, ",\"fields\":{");
	for (i = 0; rc == ISG_OK && fv->type == REDIS_REPLY_ARRAY &&
	            i + 1 < fv->elements;
	     i += 2) {
		const redisReply *k = fv->element[i], *v = fv->element[i + 1];

		if (i > 0)
			rc = isg__buf_putc(b, ',');
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(b, k->str ? k->str : "",
			                              k->str ? k->len : 0);
		if (rc == ISG_OK)
			rc = isg__buf_putc(b, ':');
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(b, v->str ? v->str : "",
			                              v->str ? v->len : 0);
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(b, "}}");
	return rc;
}

int isg_stream_range(isg_buf *out, isg_stream *s, const char *name,
                     const char *after_id, int count)
{
	char key[KEY_MAX], start[ISG_STREAM_ID_SIZE + 1], cnt[16];
	const char *argv[6];
	redisReply *rep = NULL;
	isg_buf b = ISG_BUF_INIT;
	size_t i;
	int rc;

	if (!out || !s)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "out and s are required");
	if (count < 1 || count > 10000)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "count %d is not in 1..10000", count);
	rc = isg__stream_keyname(key, sizeof(key), s, name);
	if (rc != ISG_OK)
		return rc;
	if (after_id && *after_id) {
		if (strlen(after_id) >= ISG_STREAM_ID_SIZE)
			return isg__error_set(ISG_EINVALID, "stream",
			                      "entry id '%.60s' is too long",
			                      after_id);
		snprintf(start, sizeof(start), "(%s", after_id);
	} else {
		snprintf(start, sizeof(start), "-");
	}
	snprintf(cnt, sizeof(cnt), "%d", count);
	argv[0] = "XRANGE";
	argv[1] = key;
	argv[2] = start;
	argv[3] = "+";
	argv[4] = "COUNT";
	argv[5] = cnt;
	rc = isg__redis_command(&rep, s->redis, 6, argv, NULL, 1, 0);
	if (rc != ISG_OK)
		goto done;
	rc = isg__buf_putc(&b, '[');
	for (i = 0; rc == ISG_OK && rep->type == REDIS_REPLY_ARRAY &&
	            i < rep->elements;
	     i++) {
		if (i > 0)
			rc = isg__buf_putc(&b, ',');
		if (rc == ISG_OK)
			rc = put_entry(&b, rep->element[i]);
	}
	if (rc == ISG_OK)
		rc = isg__buf_putc(&b, ']');
	if (rc == ISG_OK)
		rc = isg_buf_set(out, b.ptr, b.size);
done:
	isg_buf_dispose(&b);
	if (rep)
		freeReplyObject(rep);
	return rc;
}

/* Reads one group's flat [name, value, ...] description. */
static void read_group(isg_stream_group_info *out, const redisReply *g)
{
	size_t i;

	for (i = 0; i + 1 < g->elements; i += 2) {
		const char *k = isg__redis_str(g->element[i], NULL);
		const redisReply *v = g->element[i + 1];

		if (!k)
			continue;
		if (strcmp(k, "consumers") == 0 &&
		    v->type == REDIS_REPLY_INTEGER)
			out->consumers = v->integer;
		else if (strcmp(k, "pending") == 0 &&
		         v->type == REDIS_REPLY_INTEGER)
			out->pending = v->integer;
		else if (strcmp(k, "lag") == 0 &&
		         v->type == REDIS_REPLY_INTEGER)
			out->lag = v->integer;
		else if (strcmp(k, "last-delivered-id") == 0 &&
		         isg__redis_str(v, NULL))
			snprintf(out->last_delivered_id,
			         sizeof(out->last_delivered_id), "%s", v->str);
	}
}

int isg_stream_group_info_get(isg_stream_group_info *out, isg_stream *s,
                              const char *name, const char *group)
{
	char key[KEY_MAX];
	const char *argv[3];
	redisReply *rep = NULL;
	size_t i;
	int rc, found = 0;

	if (!out || !s || !group)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "out, s and group are required");
	memset(out, 0, sizeof(*out));
	out->lag = -1;
	rc = isg_stream_len(&out->length, s, name);
	if (rc != ISG_OK)
		return rc;
	rc = isg__stream_keyname(key, sizeof(key), s, name);
	if (rc != ISG_OK)
		return rc;
	argv[0] = "XINFO";
	argv[1] = "GROUPS";
	argv[2] = key;
	rc = isg__redis_command(&rep, s->redis, 3, argv, NULL, 1, 1);
	if (rc != ISG_OK)
		goto done;
	if (rep->type == REDIS_REPLY_ERROR) {
		rc = strstr(rep->str, "no such key")
		             ? isg__error_set(ISG_ENOTFOUND, "stream",
		                              "stream %s does not exist", key)
		             : isg__error_set(ISG_EBACKEND, "stream",
		                              "XINFO GROUPS %s failed: %s", key,
		                              rep->str);
		goto done;
	}
	for (i = 0; rep->type == REDIS_REPLY_ARRAY && i < rep->elements; i++) {
		const redisReply *g = rep->element[i];
		size_t j;

		if (g->type != REDIS_REPLY_ARRAY)
			continue;
		for (j = 0; j + 1 < g->elements; j += 2) {
			const char *k = isg__redis_str(g->element[j], NULL);
			const char *v = isg__redis_str(g->element[j + 1], NULL);

			if (k && v && strcmp(k, "name") == 0 &&
			    strcmp(v, group) == 0) {
				read_group(out, g);
				found = 1;
			}
		}
	}
	if (!found)
		rc = isg__error_set(ISG_ENOTFOUND, "stream",
		                    "group '%s' of stream %s does not exist",
		                    group, key);
done:
	if (rep)
		freeReplyObject(rep);
	return rc;
}
