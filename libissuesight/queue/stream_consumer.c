/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stream_consumer: a member of a Redis Streams consumer group. A poll
 * handles this consumer's own pending entries first (what it was doing
 * when it last stopped), then entries abandoned by any consumer for longer
 * than the claim idle time (XAUTOCLAIM), then new entries. An entry is
 * acknowledged only when its handler returns ISG_OK; malformed entries and
 * entries that failed too often are moved to the dead-letter stream with a
 * reason, in one atomic script with their acknowledgement.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "stream_int.h"

#define KEY_MAX (ISG__STREAM_PREFIX_MAX + 256)
#define NAME_MAX_LEN 200

struct isg_stream_consumer {
	isg_stream *s;
	isg__redis *redis;
	char key[KEY_MAX];
	char dead_key[KEY_MAX];
	char group[NAME_MAX_LEN + 1];
	char consumer[NAME_MAX_LEN + 1];
	int count;
	int block_ms;
	long long claim_idle_ms;
	int max_deliveries;
	int schema_version;
	/* Pending-first phase: the id after which to read our own history;
	 * "" once it is exhausted. */
	char history[ISG_STREAM_ID_SIZE];
	char claim_cursor[ISG_STREAM_ID_SIZE];
	int64_t last_claim_ms;
};

static int cmd(redisReply **out, isg_stream_consumer *c, int argc,
               const char **argv, int idempotent, int allow_error)
{
	return isg__redis_command(out, c->redis, argc, argv, NULL, idempotent,
	                          allow_error);
}

static int create_group(isg_stream_consumer *c)
{
	const char *argv[6] = { "XGROUP", "CREATE", c->key,
		                c->group, "0",      "MKSTREAM" };
	redisReply *rep = NULL;
	int rc = cmd(&rep, c, 6, argv, 1, 1);

	if (rc == ISG_OK && rep->type == REDIS_REPLY_ERROR &&
	    strncmp(rep->str, "BUSYGROUP", 9) != 0)
		rc = isg__error_set(ISG_EBACKEND, "stream",
		                    "cannot create group '%s' on %s: %s",
		                    c->group, c->key, rep->str);
	if (rep)
		freeReplyObject(rep);
	return rc;
}

static int copy_name(char *dst, size_t n, const char *v, const char *what)
{
	if (!v || !*v)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "consumer option %s is required", what);
	if (strlen(v) >= n)
		return isg__error_set(
		        ISG_EINVALID, "stream",
		        "consumer option %s '%.40s...' is too long", what, v);
	memcpy(dst, v, strlen(v) + 1);
	return ISG_OK;
}

int isg_stream_consumer_new(isg_stream_consumer **out, isg_stream *s,
                            const isg_stream_consumer_options *o)
{
	isg_stream_consumer *c = NULL;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, "stream", "out is NULL");
	*out = NULL;
	if (!s || !o)
		return isg__error_set(
		        ISG_EINVALID, "stream",
		        "a stream handle and options are required");
	if (o->version != ISG_STREAM_CONSUMER_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "consumer options version %u is not %d",
		                      o->version,
		                      ISG_STREAM_CONSUMER_OPTIONS_VERSION);
	if (o->count < 0 || o->count > 1000 || o->claim_idle_ms < 0 ||
	    o->max_deliveries < 0 || o->schema_version < 0)
		return isg__error_set(
		        ISG_EINVALID, "stream",
		        "consumer option out of range (count %d, claim_idle_ms %lld, max_deliveries %d, schema_version %d)",
		        o->count, o->claim_idle_ms, o->max_deliveries,
		        o->schema_version);
	c = isg__alloc_calloc(1, sizeof(*c));
	if (!c)
		return isg__error_oom("stream");
	c->s = s;
	rc = isg__stream_keyname(c->key, sizeof(c->key), s, o->stream);
	if (rc == ISG_OK)
		rc = isg__stream_keyname(c->dead_key, sizeof(c->dead_key), s,
		                         ISG_STREAM_DEAD);
	if (rc == ISG_OK)
		rc = copy_name(c->group, sizeof(c->group), o->group, "group");
	if (rc == ISG_OK)
		rc = copy_name(c->consumer, sizeof(c->consumer), o->consumer,
		               "consumer");
	if (rc != ISG_OK)
		goto done;
	c->count = o->count ? o->count : 16;
	c->block_ms = o->block_ms == 0 ? 1000 : o->block_ms;
	c->claim_idle_ms = o->claim_idle_ms ? o->claim_idle_ms : 60000;
	c->max_deliveries = o->max_deliveries ? o->max_deliveries : 5;
	c->schema_version = o->schema_version ? o->schema_version : 1;
	snprintf(c->history, sizeof(c->history), "0");
	snprintf(c->claim_cursor, sizeof(c->claim_cursor), "0-0");
	/* The socket timeout must outlast a blocking read. */
	rc = isg__redis_new(
	        &c->redis, s->url, "stream", s->connect_timeout_ms,
	        (s->command_timeout_ms > 0 ? s->command_timeout_ms : 5000) +
	                (c->block_ms > 0 ? c->block_ms : 0));
	if (rc == ISG_OK)
		rc = create_group(c);
done:
	if (rc != ISG_OK)
		isg_stream_consumer_free(c);
	else
		*out = c;
	return rc;
}

void isg_stream_consumer_free(isg_stream_consumer *c)
{
	if (!c)
		return;
	isg__redis_free(c->redis);
	isg__alloc_free(c);
}

static int ack(isg_stream_consumer *c, const char *id)
{
	const char *argv[4] = { "XACK", c->key, c->group, id };
	redisReply *rep = NULL;
	int rc = cmd(&rep, c, 4, argv, 1, 0);

	if (rep)
		freeReplyObject(rep);
	return rc;
}

/* XADD to the dead-letter stream and XACK in the source, atomically. */
static const char dead_lua[] =
        "local f = {'stream', KEYS[1], 'id', ARGV[2], 'group', ARGV[3],\n"
        "  'consumer', ARGV[4], 'reason', ARGV[5], 'deliveries', ARGV[6],\n"
        "  'data', ARGV[7]}\n"
        "if ARGV[1] == '-1' then\n"
        "  redis.call('XADD', KEYS[2], '*', unpack(f))\n"
        "else\n"
        "  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', unpack(f))\n"
        "end\n"
        "return redis.call('XACK', KEYS[1], ARGV[3], ARGV[2])\n";

static int dead_letter(isg_stream_consumer *c, const char *id, const char *data,
                       size_t len, long long deliveries, const char *reason)
{
	char maxlen[32], dl[32];
	const char *argv[12];
	size_t lens[12];
	redisReply *rep = NULL;
	isg_log_field f[4];
	int i, rc;

	snprintf(maxlen, sizeof(maxlen), "%lld",
	         c->s->maxlen > 0 ? c->s->maxlen : -1);
	snprintf(dl, sizeof(dl), "%lld", deliveries);
	argv[0] = "EVAL";
	argv[1] = dead_lua;
	argv[2] = "2";
	argv[3] = c->key;
	argv[4] = c->dead_key;
	argv[5] = maxlen;
	argv[6] = id;
	argv[7] = c->group;
	argv[8] = c->consumer;
	argv[9] = reason;
	argv[10] = dl;
	argv[11] = data ? data : "";
	for (i = 0; i < 11; i++)
		lens[i] = strlen(argv[i]);
	lens[11] = data ? len : 0;
	f[0].key = "stream", f[0].value = c->key;
	f[1].key = "id", f[1].value = id;
	f[2].key = "deliveries", f[2].value = dl;
	f[3].key = "reason", f[3].value = reason;
	isg__log_write(ISG_LOG_ERROR, "stream", f, 4,
	               "moving entry %s of %s to %s: %s", id, c->key,
	               c->dead_key, reason);
	/* Idempotent enough to retry: a second run after a lost reply finds
	 * the entry acknowledged but adds a second dead letter, which only
	 * repeats information. */
	rc = isg__redis_command(&rep, c->redis, 12, argv, lens, 0, 0);
	if (rep)
		freeReplyObject(rep);
	return rc;
}

/* Delivery counts of pending entries between two ids, for any consumer.
 * Fills counts[i] for ids[i]; unknown ids keep their preset value. */
static int delivery_counts(isg_stream_consumer *c, const redisReply *entries,
                           long long *counts, size_t n)
{
	const char *argv[7];
	char cnt[16];
	redisReply *rep = NULL;
	const char *first = NULL, *last = NULL;
	size_t i, j;
	int rc;

	for (i = 0; i < n; i++) {
		const redisReply *e = entries->element[i];

		if (e->type == REDIS_REPLY_ARRAY && e->elements >= 1 &&
		    e->element[0]->type == REDIS_REPLY_STRING) {
			if (!first)
				first = e->element[0]->str;
			last = e->element[0]->str;
		}
	}
	if (!first)
		return ISG_OK;
	/* XPENDING is ordered by id, like the entries; every entry here was
	 * just delivered to us. A little slack covers our own older pending
	 * entries that fall between first and last. */
	snprintf(cnt, sizeof(cnt), "%zu", n + 100);
	argv[0] = "XPENDING";
	argv[1] = c->key;
	argv[2] = c->group;
	argv[3] = first;
	argv[4] = last;
	argv[5] = cnt;
	argv[6] = c->consumer;
	rc = cmd(&rep, c, 7, argv, 1, 0);
	if (rc != ISG_OK)
		goto done;
	for (j = 0; rep->type == REDIS_REPLY_ARRAY && j < rep->elements; j++) {
		const redisReply *p = rep->element[j];

		if (p->type != REDIS_REPLY_ARRAY || p->elements < 4 ||
		    p->element[0]->type != REDIS_REPLY_STRING ||
		    p->element[3]->type != REDIS_REPLY_INTEGER)
			continue;
		for (i = 0; i < n; i++) {
			const redisReply *e = entries->element[i];

			if (e->type == REDIS_REPLY_ARRAY && e->elements >= 1 &&
			    e->element[0]->type == REDIS_REPLY_STRING &&
			    strcmp(e->element[0]->str, p->element[0]->str) ==
			            0) {
				counts[i] = p->element[3]->integer;
				break;
			}
		}
	}
done:
	if (rep)
		freeReplyObject(rep);
	return rc;
}

static int is_permanent(int code)
{
	return code == ISG_EINVALID || code == ISG_EPARSE ||
	       code == ISG_ENOTFOUND || code == ISG_EGONE;
}

/* After a handler failed with HRC on an entry: a permanent failure, or
 * the last allowed delivery, dead-letters it; otherwise it stays pending
 * for a later delivery and a warning says why. */
static int handler_failed(isg_stream_consumer *c, const char *id,
                          const char *data, size_t len, long long deliveries,
                          int hrc, isg_stream_poll_stats *st)
{
	char reason[ISG_ERROR_MESSAGE_MAX + 64];
	char r2[sizeof(reason) + 64];
	isg_log_field f[2] = { { "stream", c->key }, { "id", id } };

	snprintf(reason, sizeof(reason), "%s: %s", isg_error_name(hrc),
	         isg_error_last()->code != ISG_OK ? isg_error_last()->message
	                                          : isg_error_string(hrc));
	if (is_permanent(hrc) || deliveries >= c->max_deliveries) {
		snprintf(r2, sizeof(r2), "%s after %lld deliver%s: %s",
		         is_permanent(hrc) ? "permanent failure" : "failed",
		         deliveries, deliveries == 1 ? "y" : "ies", reason);
		st->dead++;
		return dead_letter(c, id, data, len, deliveries, r2);
	}
	isg__log_write(
	        ISG_LOG_WARN, "stream", f, 2,
	        "handler failed on delivery %lld of %d; entry stays pending: %s",
	        deliveries, c->max_deliveries, reason);
	st->failed++;
	return ISG_OK;
}

/* Handles one [id, fields] entry. Returns ISG_OK unless Redis failed or
 * the handler asked to stop. */
static int handle_entry(isg_stream_consumer *c, const redisReply *e,
                        long long deliveries, isg_stream_poll_stats *st,
                        isg_stream_handler handler, void *payload)
{
	char reason[ISG_ERROR_MESSAGE_MAX + 64];
	const redisReply *fv;
	const char *id, *data = NULL, **vals = NULL;
	size_t len = 0, i, *lens = NULL;
	isg__stream_entry ent;
	isg_stream_message m;
	int rc, hrc;

	if (e->type != REDIS_REPLY_ARRAY || e->elements < 1 ||
	    e->element[0]->type != REDIS_REPLY_STRING)
		return ISG_OK; /* Redis 6.2 reports deleted entries as nil. */
	id = e->element[0]->str;
	fv = e->elements >= 2 ? e->element[1] : NULL;
	if (!fv || fv->type != REDIS_REPLY_ARRAY) {
		/* Trimmed away while pending: nothing left to do. */
		return ack(c, id);
	}
	/* The fields as plain arrays, checked by a pure function (fuzzed
	 * by tests/fuzz/fuzz_stream.c). */
	vals = isg__alloc_calloc(fv->elements ? fv->elements : 1,
	                         sizeof(*vals));
	lens = isg__alloc_calloc(fv->elements ? fv->elements : 1,
	                         sizeof(*lens));
	if (!vals || !lens) {
		rc = isg__error_oom("stream");
		goto done;
	}
	for (i = 0; i < fv->elements; i++)
		vals[i] = isg__redis_str(fv->element[i], &lens[i]);
	rc = isg__stream_entry_check(&ent, vals, lens, fv->elements,
	                             c->schema_version, reason, sizeof(reason));
	if (rc == ISG_ENOMEM)
		goto done;
	data = ent.data;
	len = data ? ent.len : 0;
	if (rc != ISG_OK) {
		st->dead++;
		rc = dead_letter(c, id, data, len, deliveries, reason);
		goto done;
	}
	if (deliveries > c->max_deliveries) {
		snprintf(
		        reason, sizeof(reason),
		        "delivered %lld times (max %d) without being acknowledged: its consumers died or stalled",
		        deliveries, c->max_deliveries);
		st->dead++;
		rc = dead_letter(c, id, data, len, deliveries, reason);
		goto done;
	}
	m.stream = c->key;
	m.id = id;
	m.data = data;
	m.len = len;
	m.schema_version = ent.version;
	m.deliveries = deliveries;
	isg_error_clear();
	st->delivered++;
	hrc = handler(&m, payload);
	if (hrc == ISG_OK) {
		rc = ack(c, id);
		if (rc == ISG_OK)
			st->acked++;
		goto done;
	}
	if (hrc == ISG_STREAM_DEFER) { /* finished later by the caller */
		rc = ISG_OK;
		goto done;
	}
	if (hrc == ISG_ECANCELLED) {
		st->failed++;
		rc = ISG_ECANCELLED;
		goto done;
	}
	rc = handler_failed(c, id, data, len, deliveries, hrc, st);
done:
	isg__alloc_free(vals);
	isg__alloc_free(lens);
	return rc;
}

/* Handles an array of entries, looking up their delivery counts first
 * when `lookup` is set (else every entry was delivered once). */
static int handle_entries(isg_stream_consumer *c, const redisReply *entries,
                          int lookup, isg_stream_poll_stats *st,
                          isg_stream_handler handler, void *payload)
{
	long long *counts = NULL;
	size_t i, n = entries->elements;
	int rc = ISG_OK;

	if (n == 0)
		return ISG_OK;
	counts = isg__alloc_calloc(n, sizeof(*counts));
	if (!counts)
		return isg__error_oom("stream");
	for (i = 0; i < n; i++)
		counts[i] = 1;
	if (lookup)
		rc = delivery_counts(c, entries, counts, n);
	for (i = 0; rc == ISG_OK && i < n; i++)
		rc = handle_entry(c, entries->element[i], counts[i], st,
		                  handler, payload);
	isg__alloc_free(counts);
	return rc;
}

static int is_nogroup(const redisReply *rep)
{
	return rep->type == REDIS_REPLY_ERROR &&
	       strncmp(rep->str, "NOGROUP", 7) == 0;
}

/* XREADGROUP from `from` ("0"-style history or ">"); *out is the entry
 * array of our stream, or NULL when nothing came. */
static int read_group(redisReply **reply, const redisReply **entries,
                      isg_stream_consumer *c, const char *from, int block)
{
	char cnt[16], blk[16];
	const char *argv[12];
	redisReply *rep = NULL;
	int argc = 0, rc, attempt;

	*reply = NULL;
	*entries = NULL;
	snprintf(cnt, sizeof(cnt), "%d", c->count);
	snprintf(blk, sizeof(blk), "%d", block);
	argv[argc++] = "XREADGROUP";
	argv[argc++] = "GROUP";
	argv[argc++] = c->group;
	argv[argc++] = c->consumer;
	argv[argc++] = "COUNT";
	argv[argc++] = cnt;
	if (block > 0) {
		argv[argc++] = "BLOCK";
		argv[argc++] = blk;
	}
	argv[argc++] = "STREAMS";
	argv[argc++] = c->key;
	argv[argc++] = from;
	for (attempt = 0; attempt < 2; attempt++) {
		rc = cmd(&rep, c, argc, argv, 1, 1);
		if (rc != ISG_OK)
			return rc;
		if (!is_nogroup(rep))
			break;
		/* Redis lost the stream or the group (restart without
		 * persistence): recreate and read again. */
		freeReplyObject(rep);
		rep = NULL;
		rc = create_group(c);
		if (rc != ISG_OK)
			return rc;
	}
	if (!rep)
		return isg__error_set(ISG_EBACKEND, "stream",
		                      "group '%s' of %s keeps disappearing",
		                      c->group, c->key);
	if (rep->type == REDIS_REPLY_ERROR) {
		rc = isg__error_set(ISG_EBACKEND, "stream",
		                    "XREADGROUP on %s failed: %s", c->key,
		                    rep->str);
		freeReplyObject(rep);
		return rc;
	}
	*reply = rep;
	if (rep->type == REDIS_REPLY_ARRAY && rep->elements >= 1 &&
	    rep->element[0]->type == REDIS_REPLY_ARRAY &&
	    rep->element[0]->elements >= 2 &&
	    rep->element[0]->element[1]->type == REDIS_REPLY_ARRAY)
		*entries = rep->element[0]->element[1];
	return ISG_OK;
}

/* One XAUTOCLAIM step. Redis 7 replies [next, entries, deleted-ids];
 * Redis 6.2 replies [next, entries] with deleted entries as nil. */
static int autoclaim(isg_stream_consumer *c, isg_stream_poll_stats *st,
                     isg_stream_handler handler, void *payload)
{
	char idle[32], cnt[16];
	const char *argv[8];
	redisReply *rep = NULL;
	const redisReply *entries;
	size_t i;
	int rc;

	snprintf(idle, sizeof(idle), "%lld", c->claim_idle_ms);
	snprintf(cnt, sizeof(cnt), "%d", c->count);
	argv[0] = "XAUTOCLAIM";
	argv[1] = c->key;
	argv[2] = c->group;
	argv[3] = c->consumer;
	argv[4] = idle;
	argv[5] = c->claim_cursor;
	argv[6] = "COUNT";
	argv[7] = cnt;
	rc = cmd(&rep, c, 8, argv, 0, 1);
	if (rc != ISG_OK)
		goto done;
	if (rep->type == REDIS_REPLY_ERROR) {
		if (is_nogroup(rep))
			rc = create_group(c);
		else
			rc = isg__error_set(ISG_EBACKEND, "stream",
			                    "XAUTOCLAIM on %s failed: %s",
			                    c->key, rep->str);
		goto done;
	}
	if (rep->type != REDIS_REPLY_ARRAY || rep->elements < 2 ||
	    !isg__redis_str(rep->element[0], NULL) ||
	    rep->element[1]->type != REDIS_REPLY_ARRAY) {
		rc = isg__error_set(ISG_EBACKEND, "stream",
		                    "unexpected XAUTOCLAIM reply on %s",
		                    c->key);
		goto done;
	}
	snprintf(c->claim_cursor, sizeof(c->claim_cursor), "%s",
	         rep->element[0]->str);
	entries = rep->element[1];
	for (i = 0; i < entries->elements; i++)
		if (entries->element[i]->type == REDIS_REPLY_ARRAY)
			st->claimed++;
	rc = handle_entries(c, entries, 1, st, handler, payload);
done:
	if (rep)
		freeReplyObject(rep);
	return rc;
}

int isg_stream_consumer_poll(isg_stream_poll_stats *out, isg_stream_consumer *c,
                             isg_stream_handler handler, void *payload)
{
	isg_stream_poll_stats st;
	redisReply *rep = NULL;
	const redisReply *entries = NULL;
	int64_t now;
	int rc = ISG_OK;

	memset(&st, 0, sizeof(st));
	if (out)
		memset(out, 0, sizeof(*out));
	if (!c || !handler)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "a consumer and a handler are required");
	/* 1. Our own pending entries, left by a previous run. */
	if (c->history[0]) {
		rc = read_group(&rep, &entries, c, c->history, 0);
		if (rc != ISG_OK)
			goto done;
		if (!entries || entries->elements == 0) {
			c->history[0] = '\0';
		} else {
			const redisReply *last =
			        entries->element[entries->elements - 1];

			if (last->type == REDIS_REPLY_ARRAY &&
			    last->elements >= 1 &&
			    isg__redis_str(last->element[0], NULL))
				snprintf(c->history, sizeof(c->history), "%s",
				         last->element[0]->str);
			else
				c->history[0] = '\0';
			rc = handle_entries(c, entries, 1, &st, handler,
			                    payload);
			goto done;
		}
		freeReplyObject(rep);
		rep = NULL;
	}
	/* 2. Entries abandoned by dead or stalled consumers (and our own
	 * failures, which is how they are retried). */
	now = isg__clock_now_ms();
	if (now - c->last_claim_ms >=
	    (c->claim_idle_ms / 4 > 50 ? c->claim_idle_ms / 4 : 50)) {
		long long before = st.claimed;

		c->last_claim_ms = now;
		rc = autoclaim(c, &st, handler, payload);
		if (rc != ISG_OK || st.claimed > before)
			goto done;
	}
	/* 3. New entries. */
	rc = read_group(&rep, &entries, c, ">", c->block_ms);
	if (rc == ISG_OK && entries)
		rc = handle_entries(c, entries, 0, &st, handler, payload);
done:
	if (rep)
		freeReplyObject(rep);
	if (out)
		*out = st;
	return rc;
}

int isg_stream_consumer_set_read(isg_stream_consumer *c, int count,
                                 int block_ms)
{
	if (!c || count < 1 || count > 1000)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "count must be 1 to 1000, not %d", count);
	c->count = count;
	c->block_ms = block_ms;
	return ISG_OK;
}

int isg_stream_consumer_ack(isg_stream_consumer *c, const char *id)
{
	if (!c || !id || !*id)
		return isg__error_set(
		        ISG_EINVALID, "stream",
		        "a consumer and an entry id are required");
	return ack(c, id);
}

int isg_stream_consumer_dead(isg_stream_consumer *c, const char *id,
                             const char *data, size_t len, long long deliveries,
                             const char *reason)
{
	if (!c || !id || !*id || !reason)
		return isg__error_set(
		        ISG_EINVALID, "stream",
		        "a consumer, an entry id and a reason are required");
	return dead_letter(c, id, data, len, deliveries, reason);
}

/* Touches up to 64 ids per XCLAIM. */
#define TOUCH_BATCH 64

int isg_stream_consumer_touch(isg_stream_consumer *c, const char *const *ids,
                              size_t n, long long idle_ms)
{
	const char *argv[TOUCH_BATCH + 8];
	char idle[32];
	redisReply *rep = NULL;
	size_t i = 0, k;
	int argc, rc = ISG_OK;

	if (!c || (n && !ids) || idle_ms < 0)
		return isg__error_set(ISG_EINVALID, "stream",
		                      "a consumer and ids are required");
	snprintf(idle, sizeof(idle), "%lld", idle_ms);
	while (rc == ISG_OK && i < n) {
		argc = 0;
		argv[argc++] = "XCLAIM";
		argv[argc++] = c->key;
		argv[argc++] = c->group;
		argv[argc++] = c->consumer;
		argv[argc++] = "0";
		for (k = 0; k < TOUCH_BATCH && i < n; k++, i++)
			argv[argc++] = ids[i];
		argv[argc++] = "IDLE";
		argv[argc++] = idle;
		argv[argc++] = "JUSTID";
		rc = cmd(&rep, c, argc, argv, 1, 0);
		if (rep)
			freeReplyObject(rep);
		rep = NULL;
	}
	return rc;
}
