/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Redis Streams against the Redis that scripts/test starts: pending-first
 * restart, acknowledgement only on success, claim from a dead consumer,
 * dead letters after N deliveries and for malformed entries, approximate
 * trimming, and exactly-once follow-up messages. Every test uses its own
 * key prefix.
 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core_int.h"
#include "redis_int.h"

static const char *redis_url;

typedef struct seen {
	char ids[64][ISG_STREAM_ID_SIZE];
	char data[64][128];
	long long deliveries[64];
	int n;
	int fail_all;        /* non-zero: return this code for every entry */
	const char *fail_if; /* fail entries whose data contains this */
} seen;

static int record(const isg_stream_message *m, void *payload)
{
	seen *s = payload;

	if (s->n < 64) {
		snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s", m->id);
		snprintf(s->data[s->n], sizeof(s->data[0]), "%s", m->data);
		s->deliveries[s->n] = m->deliveries;
		s->n++;
	}
	if (s->fail_all)
		return s->fail_all;
	if (s->fail_if && strstr(m->data, s->fail_if))
		return ISG_EUPSTREAM;
	return ISG_OK;
}

static int fail_upstream(const isg_stream_message *m, void *payload)
{
	seen *s = payload;

	(void)m;
	s->n++;
	/* Recorded so that the dead letter carries it as the reason. */
	return isg__error_set(ISG_EUPSTREAM, "test", "upstream answered 502");
}

static isg_stream *open_stream(char *prefix, size_t n, long long maxlen)
{
	isg_stream_options o = ISG_STREAM_OPTIONS_INIT;
	isg_stream *s = NULL;

	isg_test_unique_name(prefix, n, "t");
	strncat(prefix, ":", n - strlen(prefix) - 1);
	o.redis_url = redis_url;
	o.prefix = prefix;
	o.maxlen = maxlen;
	ISG_ASSERT_OK(isg_stream_new(&s, &o));
	return s;
}

static isg_stream_consumer *join(isg_stream *s, const char *name,
                                 long long claim_idle_ms, int max_deliveries)
{
	isg_stream_consumer_options o = ISG_STREAM_CONSUMER_OPTIONS_INIT;
	isg_stream_consumer *c = NULL;

	o.stream = ISG_STREAM_TASKS;
	o.group = "collectors";
	o.consumer = name;
	o.block_ms = 50;
	o.claim_idle_ms = claim_idle_ms;
	o.max_deliveries = max_deliveries;
	ISG_ASSERT_OK(isg_stream_consumer_new(&c, s, &o));
	return c;
}

static void add(isg_stream *s, int i)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "{\"schema_version\":1,\"n\":%d}", i);
	ISG_ASSERT_OK(
	        isg_stream_add(NULL, s, ISG_STREAM_TASKS, msg, strlen(msg)));
}

static long long pending(isg_stream *s)
{
	isg_stream_group_info gi;

	ISG_ASSERT_OK(isg_stream_group_info_get(&gi, s, ISG_STREAM_TASKS,
	                                        "collectors"));
	return gi.pending;
}

static cJSON *dead_letters(isg_stream *s)
{
	isg_buf b = ISG_BUF_INIT;
	cJSON *arr;

	ISG_ASSERT_OK(isg_stream_range(&b, s, ISG_STREAM_DEAD, NULL, 100));
	arr = cJSON_Parse(b.ptr);
	assert_non_null(arr);
	isg_buf_dispose(&b);
	return arr;
}

static const char *dl_field(const cJSON *arr, int i, const char *k)
{
	const cJSON *e = cJSON_GetArrayItem(arr, i);
	const cJSON *f = cJSON_GetObjectItem(e, "fields");
	const cJSON *v = cJSON_GetObjectItem(f, k);

	assert_non_null(v);
	return v->valuestring;
}

static void test_stream__pending_entries_first_after_restart(void **state)
{
	char prefix[96];
	isg_stream *s = open_stream(prefix, sizeof(prefix), 0);
	isg_stream_consumer *c = join(s, "c1", 600000, 5);
	isg_stream_poll_stats st;
	seen a, b;
	int i;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 3; i++)
		add(s, i);
	a.fail_all = ISG_EUNAVAILABLE; /* the work failed: nothing acked */
	ISG_ASSERT_OK(isg_stream_consumer_poll(&st, c, record, &a));
	assert_int_equal(a.n, 3);
	assert_int_equal(st.failed, 3);
	assert_int_equal(st.acked, 0);
	assert_int_equal(pending(s), 3);
	isg_stream_consumer_free(c); /* "restart" */
	for (i = 3; i < 5; i++)
		add(s, i);
	c = join(s, "c1", 600000, 5);
	while (b.n < 5) {
		ISG_ASSERT_OK(isg_stream_consumer_poll(&st, c, record, &b));
	}
	/* The three old entries come first, in order, then the new ones. */
	for (i = 0; i < 5; i++) {
		char want[64];

		snprintf(want, sizeof(want), "\"n\":%d}", i);
		assert_non_null(strstr(b.data[i], want));
	}
	assert_true(b.deliveries[0] >= 1);
	assert_int_equal(b.deliveries[3], 1);
	assert_int_equal(pending(s), 0);
	isg_stream_consumer_free(c);
	isg_stream_free(s);
}

static void test_stream__ack_only_on_success(void **state)
{
	char prefix[96];
	isg_stream *s = open_stream(prefix, sizeof(prefix), 0);
	isg_stream_consumer *c = join(s, "c1", 600000, 5);
	isg_stream_poll_stats st;
	seen a;
	int i;

	(void)state;
	memset(&a, 0, sizeof(a));
	for (i = 0; i < 4; i++)
		add(s, i);
	a.fail_if = "\"n\":2";
	ISG_ASSERT_OK(isg_stream_consumer_poll(&st, c, record, &a));
	assert_int_equal(st.delivered, 4);
	assert_int_equal(st.acked, 3);
	assert_int_equal(st.failed, 1);
	assert_int_equal(pending(s), 1);
	isg_stream_consumer_free(c);
	isg_stream_free(s);
}

/* Deferred entries: pending until acknowledged or dead-lettered by the
 * caller, kept from others by touching, handed back by an idle time. */
static void test_stream__deferred_entries_finish_later(void **state)
{
	char prefix[96];
	isg_stream *s = open_stream(prefix, sizeof(prefix), 0);
	isg_stream_consumer *c = join(s, "c1", 300, 5);
	isg_stream_consumer *other = join(s, "c2", 300, 5);
	isg_stream_poll_stats st;
	const char *ids[2];
	seen a, b;
	cJSON *dl;
	int i;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 3; i++)
		add(s, i);
	a.fail_all = ISG_STREAM_DEFER;
	ISG_ASSERT_OK(isg_stream_consumer_set_read(c, 2, -1));
	ISG_ASSERT_OK(isg_stream_consumer_poll(&st, c, record, &a));
	assert_int_equal(a.n, 2); /* count 2 */
	assert_int_equal(st.acked, 0);
	assert_int_equal(st.failed, 0);
	assert_int_equal(pending(s), 2);
	/* Touched past the claim idle time: nobody claims them. */
	ids[0] = a.ids[0];
	ids[1] = a.ids[1];
	for (i = 0; i < 6; i++) {
		isg__clock_sleep_ms(100);
		ISG_ASSERT_OK(isg_stream_consumer_touch(c, ids, 2, 0));
		ISG_ASSERT_OK(isg_stream_consumer_poll(&st, other, record, &b));
	}
	assert_int_equal(b.n, 1); /* only the third, new entry */
	assert_string_equal(b.data[0], "{\"schema_version\":1,\"n\":2}");
	ISG_ASSERT_OK(isg_stream_consumer_ack(c, a.ids[0]));
	ISG_ASSERT_OK(isg_stream_consumer_dead(c, a.ids[1], "{}", 2, 1,
	                                       "given up by the caller"));
	assert_int_equal(pending(s), 0);
	dl = dead_letters(s);
	assert_int_equal(cJSON_GetArraySize(dl), 1);
	assert_string_equal(dl_field(dl, 0, "reason"),
	                    "given up by the caller");
	cJSON_Delete(dl);
	ISG_ASSERT_RC(ISG_EINVALID, isg_stream_consumer_set_read(c, 0, 10));
	ISG_ASSERT_RC(ISG_EINVALID, isg_stream_consumer_ack(c, ""));
	isg_stream_consumer_free(other);
	isg_stream_consumer_free(c);
	isg_stream_free(s);
}

static void test_stream__autoclaim_from_dead_consumer(void **state)
{
	char prefix[96];
	isg_stream *s = open_stream(prefix, sizeof(prefix), 0);
	isg_stream_consumer *dead = join(s, "dead-one", 100, 5);
	isg_stream_consumer *alive;
	isg_stream_poll_stats st;
	seen a, b;
	int rounds = 0;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	add(s, 7);
	/* The first consumer takes the entry and "dies" (stops without
	 * acknowledging). */
	a.fail_all = ISG_ECANCELLED;
	ISG_ASSERT_RC(ISG_ECANCELLED,
	              isg_stream_consumer_poll(&st, dead, record, &a));
	assert_int_equal(a.n, 1);
	isg_stream_consumer_free(dead);
	alive = join(s, "alive", 100, 5);
	while (b.n == 0 && rounds++ < 100)
		ISG_ASSERT_OK(isg_stream_consumer_poll(&st, alive, record, &b));
	assert_int_equal(b.n, 1);
	assert_string_equal(b.ids[0], a.ids[0]);
	assert_int_equal(b.deliveries[0], 2);
	assert_int_equal(pending(s), 0);
	isg_stream_consumer_free(alive);
	isg_stream_free(s);
}

static void test_stream__n_deliveries_go_to_dead_with_reason(void **state)
{
	char prefix[96], want_id[ISG_STREAM_ID_SIZE];
	const char *msg = "{\"schema_version\":1,\"n\":1}";
	isg_stream *s = open_stream(prefix, sizeof(prefix), 0);
	isg_stream_consumer *c = join(s, "c1", 30, 3);
	isg_stream_poll_stats st;
	long long dead = 0;
	cJSON *dl;
	seen a;
	int rounds = 0;

	(void)state;
	memset(&a, 0, sizeof(a));
	ISG_ASSERT_OK(
	        isg_stream_add(want_id, s, ISG_STREAM_TASKS, msg, strlen(msg)));
	while (dead == 0 && rounds++ < 200) {
		ISG_ASSERT_OK(
		        isg_stream_consumer_poll(&st, c, fail_upstream, &a));
		dead += st.dead;
	}
	assert_int_equal(dead, 1);
	assert_int_equal(a.n, 3); /* exactly max_deliveries attempts */
	assert_int_equal(pending(s), 0);
	dl = dead_letters(s);
	assert_int_equal(cJSON_GetArraySize(dl), 1);
	assert_string_equal(dl_field(dl, 0, "id"), want_id);
	assert_string_equal(dl_field(dl, 0, "deliveries"), "3");
	assert_string_equal(dl_field(dl, 0, "data"), msg);
	assert_string_equal(dl_field(dl, 0, "group"), "collectors");
	assert_non_null(strstr(dl_field(dl, 0, "stream"), "tasks"));
	assert_non_null(
	        strstr(dl_field(dl, 0, "reason"), "failed after 3 deliveries"));
	assert_non_null(strstr(dl_field(dl, 0, "reason"), "ISG_EUPSTREAM"));
	assert_non_null(strstr(dl_field(dl, 0, "reason"), "502"));
	cJSON_Delete(dl);
	isg_stream_consumer_free(c);
	isg_stream_free(s);
}

static void xadd_raw(isg_stream *s, const char *field, const char *v,
                     size_t len)
{
	isg_buf key = ISG_BUF_INIT;
	isg__redis *r = NULL;
	redisReply *rep = NULL;
	const char *argv[5];
	size_t lens[5];

	ISG_ASSERT_OK(isg_stream_key(&key, s, ISG_STREAM_TASKS));
	ISG_ASSERT_OK(isg__redis_new(&r, redis_url, "test", 0, 0));
	argv[0] = "XADD", lens[0] = 4;
	argv[1] = key.ptr, lens[1] = key.size;
	argv[2] = "*", lens[2] = 1;
	argv[3] = field, lens[3] = strlen(field);
	argv[4] = v, lens[4] = len;
	ISG_ASSERT_OK(isg__redis_command(&rep, r, 5, argv, lens, 0, 0));
	freeReplyObject(rep);
	isg__redis_free(r);
	isg_buf_dispose(&key);
}

static void test_stream__malformed_messages_go_to_dead(void **state)
{
	static const char binary[] = { 'x', '\0', '\xff', '{', '\x01' };
	static const struct {
		const char *field, *data, *reason;
	} cases[] = {
		{ "data", "not json at all", "not JSON" },
		{ "data", "{\"schema_version\":1,\"title\":\"trunc",
		  "not JSON" },
		{ "data", "[1,2,3]", "not a JSON object" },
		{ "data", "{\"owner\":\"a\"}", "no schema_version" },
		{ "data", "{\"schema_version\":\"1\"}", "not a positive" },
		{ "data", "{\"schema_version\":2}", "schema_version 2" },
		{ "payload", "{\"schema_version\":1}", "no 'data' field" },
		{ "data", "", "not JSON" },
	};
	char prefix[96];
	isg_stream *s = open_stream(prefix, sizeof(prefix), 0);
	isg_stream_consumer *c;
	isg_stream_poll_stats st;
	long long dead = 0;
	size_t i;
	cJSON *dl;
	seen a;
	int rounds = 0;

	(void)state;
	memset(&a, 0, sizeof(a));
	for (i = 0; i < ISG__ARRAY_SIZE(cases); i++)
		xadd_raw(s, cases[i].field, cases[i].data,
		         strlen(cases[i].data));
	xadd_raw(s, "data", binary, sizeof(binary));
	add(s, 42);
	/* The producer refuses what the consumer would dead-letter. */
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_stream_add(NULL, s, ISG_STREAM_TASKS, "nope", 4));
	c = join(s, "c1", 600000, 5);
	while (a.n == 0 && rounds++ < 20) {
		ISG_ASSERT_OK(isg_stream_consumer_poll(&st, c, record, &a));
		dead += st.dead;
	}
	assert_int_equal(a.n, 1);
	assert_non_null(strstr(a.data[0], "\"n\":42"));
	assert_int_equal(dead, ISG__ARRAY_SIZE(cases) + 1);
	assert_int_equal(pending(s), 0);
	dl = dead_letters(s);
	assert_int_equal(cJSON_GetArraySize(dl), ISG__ARRAY_SIZE(cases) + 1);
	for (i = 0; i < ISG__ARRAY_SIZE(cases); i++) {
		const char *reason = dl_field(dl, (int)i, "reason");

		if (!strstr(reason, cases[i].reason))
			fail_msg("case %zu: reason '%s' lacks '%s'", i, reason,
			         cases[i].reason);
		assert_string_equal(dl_field(dl, (int)i, "data"),
		                    cases[i].data);
	}
	assert_non_null(strstr(dl_field(dl, (int)i, "reason"), "malformed"));
	cJSON_Delete(dl);
	isg_stream_consumer_free(c);
	isg_stream_free(s);
}

static void test_stream__maxlen_trims_approximately(void **state)
{
	char prefix[96];
	isg_stream *s = open_stream(prefix, sizeof(prefix), 100);
	long long len;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		add(s, i);
	ISG_ASSERT_OK(isg_stream_len(&len, s, ISG_STREAM_TASKS));
	/* Redis trims whole nodes (100 entries by default): never below the
	 * cap, and far below what was added. */
	assert_true(len >= 100);
	assert_true(len <= 300);
	isg_stream_free(s);
	s = open_stream(prefix, sizeof(prefix), -1);
	for (i = 0; i < 300; i++)
		add(s, i);
	ISG_ASSERT_OK(isg_stream_len(&len, s, ISG_STREAM_TASKS));
	assert_int_equal(len, 300);
	isg_stream_free(s);
}

static void test_stream__add_once_dedupes(void **state)
{
	char prefix[96], id[ISG_STREAM_ID_SIZE];
	const char *msg = "{\"schema_version\":1}";
	isg_stream *s = open_stream(prefix, sizeof(prefix), 0);
	long long len;

	(void)state;
	ISG_ASSERT_OK(isg_stream_add_once(id, s, ISG_STREAM_CONTEXTS, "task-1",
	                                  60, msg, strlen(msg)));
	assert_true(strlen(id) > 2);
	ISG_ASSERT_RC(ISG_ECONFLICT,
	              isg_stream_add_once(id, s, ISG_STREAM_CONTEXTS, "task-1",
	                                  60, msg, strlen(msg)));
	assert_string_equal(id, "");
	ISG_ASSERT_OK(isg_stream_add_once(id, s, ISG_STREAM_CONTEXTS, "task-2",
	                                  60, msg, strlen(msg)));
	ISG_ASSERT_OK(isg_stream_len(&len, s, ISG_STREAM_CONTEXTS));
	assert_int_equal(len, 2);
	isg_stream_free(s);
}

static void test_stream__group_info_reports_lag(void **state)
{
	char prefix[96];
	isg_stream *s = open_stream(prefix, sizeof(prefix), 0);
	isg_stream_consumer *c = join(s, "c1", 600000, 5);
	isg_stream_group_info gi;
	int i;

	(void)state;
	for (i = 0; i < 5; i++)
		add(s, i);
	ISG_ASSERT_OK(isg_stream_group_info_get(&gi, s, ISG_STREAM_TASKS,
	                                        "collectors"));
	assert_int_equal(gi.length, 5);
	assert_int_equal(gi.pending, 0);
	assert_int_equal(gi.lag, 5); /* Redis 7 */
	ISG_ASSERT_RC(
	        ISG_ENOTFOUND,
	        isg_stream_group_info_get(&gi, s, ISG_STREAM_TASKS, "nobody"));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_stream_group_info_get(&gi, s, "none", "nobody"));
	isg_stream_consumer_free(c);
	isg_stream_free(s);
}

static void test_stream__bad_urls_and_options(void **state)
{
	isg_stream_options o = ISG_STREAM_OPTIONS_INIT;
	isg_stream_consumer_options co = ISG_STREAM_CONSUMER_OPTIONS_INIT;
	isg_stream_consumer *c = NULL;
	isg_stream *s = NULL;
	char url[300];
	const char *at;

	(void)state;
	ISG_ASSERT_RC(ISG_EINVALID, isg_stream_new(&s, &o));
	assert_non_null(strstr(isg_error_last()->message, "redis_url"));
	o.redis_url = "http://x";
	ISG_ASSERT_RC(ISG_EINVALID, isg_stream_new(&s, &o));
	o.redis_url = "redis://:hunter2@127.0.0.1:1/0";
	ISG_ASSERT_RC(ISG_EUNAVAILABLE, isg_stream_new(&s, &o));
	assert_null(strstr(isg_error_last()->message, "hunter2"));
	assert_non_null(strstr(isg_error_last()->message, "***"));
	o.redis_url = "redis://:hunter2@127.0.0.1:99999/0";
	ISG_ASSERT_RC(ISG_EINVALID, isg_stream_new(&s, &o));
	assert_null(strstr(isg_error_last()->message, "hunter2"));
	/* A password sent to a server that has none is refused: EAUTH. */
	at = strstr(redis_url, "://");
	snprintf(url, sizeof(url), "redis://:hunter2@%s", at + 3);
	o.redis_url = url;
	ISG_ASSERT_RC(ISG_EAUTH, isg_stream_new(&s, &o));
	assert_null(strstr(isg_error_last()->message, "hunter2"));
	o.redis_url = redis_url;
	ISG_ASSERT_OK(isg_stream_new(&s, &o));
	ISG_ASSERT_RC(ISG_EINVALID, isg_stream_consumer_new(&c, s, &co));
	co.stream = "tasks";
	co.group = "g";
	ISG_ASSERT_RC(ISG_EINVALID, isg_stream_consumer_new(&c, s, &co));
	assert_non_null(strstr(isg_error_last()->message, "consumer"));
	assert_null(c);
	isg_stream_free(s);
	isg_stream_free(NULL);
	isg_stream_consumer_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_stream__pending_entries_first_after_restart),
		cmocka_unit_test(test_stream__ack_only_on_success),
		cmocka_unit_test(test_stream__deferred_entries_finish_later),
		cmocka_unit_test(test_stream__autoclaim_from_dead_consumer),
		cmocka_unit_test(
		        test_stream__n_deliveries_go_to_dead_with_reason),
		cmocka_unit_test(test_stream__malformed_messages_go_to_dead),
		cmocka_unit_test(test_stream__maxlen_trims_approximately),
		cmocka_unit_test(test_stream__add_once_dedupes),
		cmocka_unit_test(test_stream__group_info_reports_lag),
		cmocka_unit_test(test_stream__bad_urls_and_options),
	};

	redis_url = isg_test_require_env("ISG_TEST_REDIS_URL");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
