/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reader's invalidation subscriber: one thread holding a Redis
 * connection subscribed to is:bridge:invalidate. The memory tier is used
 * only while it listens; each (re)subscription empties the tier, since
 * messages sent while it was away are lost.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

#include "core_int.h"
#include "reader_int.h"

#define MOD "reader"

/* Drops a key from memory and deletes it from Redis (best effort). */
static void forget(isg_reader *r, const char *key)
{
	const char *argv[2] = { "DEL", key };
	redisReply *rep = NULL;

	isg__reader_mem_remove(&r->mem, key);
	if (r->has_redis &&
	    isg__reader_pool_command(&rep, &r->pool, 2, argv, NULL) == ISG_OK)
		freeReplyObject(rep);
}
#define POLL_MS 200

static redisContext *sub_connect(isg_reader *r)
{
	struct timeval tv = { r->connect_timeout_ms / 1000,
		              (r->connect_timeout_ms % 1000) * 1000 };
	redisContext *c = redisConnectWithTimeout(r->url.host, r->url.port, tv);
	redisReply *rep = NULL;

	if (!c || c->err)
		goto fail;
	tv.tv_sec = 2;
	tv.tv_usec = 0;
	if (redisSetTimeout(c, tv) != REDIS_OK)
		goto fail;
	if (r->url.password) {
		rep = r->url.user ? redisCommand(c, "AUTH %s %s", r->url.user,
		                                 r->url.password)
		                  : redisCommand(c, "AUTH %s", r->url.password);
		if (!rep || rep->type == REDIS_REPLY_ERROR)
			goto fail;
		freeReplyObject(rep);
	}
	rep = redisCommand(c, "SUBSCRIBE %s", ISG_READER_CHANNEL);
	if (!rep || rep->type != REDIS_REPLY_ARRAY)
		goto fail;
	freeReplyObject(rep);
	return c;
fail:
	if (rep)
		freeReplyObject(rep);
	if (c)
		redisFree(c);
	return NULL;
}

/* Handles one pushed reply: a "message" on our channel names a key. */
static void on_reply(isg_reader *r, const redisReply *rep)
{
	char key[ISG_READER_KEY_SIZE];
	size_t i, n;

	if (rep->type != REDIS_REPLY_ARRAY || rep->elements != 3 ||
	    rep->element[0]->type != REDIS_REPLY_STRING ||
	    strcmp(rep->element[0]->str, "message") != 0 ||
	    rep->element[2]->type != REDIS_REPLY_STRING)
		return;
	n = rep->element[2]->len;
	if (n == 0 || n >= sizeof(key))
		return;
	/* Keys are lower case; a writer that kept GitHub's case still hits. */
	for (i = 0; i < n; i++) {
		char ch = rep->element[2]->str[i];

		key[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
	}
	key[n] = '\0';
	atomic_fetch_add(&r->invalidations, 1);
	forget(r, key);
}

/* Reads until the connection breaks or the reader stops. */
static void listen_on(isg_reader *r, redisContext *c)
{
	struct pollfd pfd;
	void *rep;

	while (!atomic_load(&r->stop)) {
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, POLL_MS) < 0 && errno != EINTR)
			return;
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (redisBufferRead(c) != REDIS_OK)
			return;
		for (;;) {
			rep = NULL;
			if (redisGetReplyFromReader(c, &rep) != REDIS_OK)
				return;
			if (!rep)
				break;
			on_reply(r, rep);
			freeReplyObject(rep);
		}
	}
}

void *isg__reader_subscriber(void *arg)
{
	isg_reader *r = arg;
	redisContext *c;
	int i;

	while (!atomic_load(&r->stop)) {
		c = sub_connect(r);
		if (c) {
			isg__reader_mem_clear(&r->mem);
			atomic_store(&r->subscribed, 1);
			listen_on(r, c);
			atomic_store(&r->subscribed, 0);
			isg__reader_mem_clear(&r->mem);
			redisFree(c);
			isg__log_write(
			        ISG_LOG_WARN, MOD, NULL, 0,
			        "lost the invalidation subscription; the memory tier is off until it is back");
		}
		for (i = 0; i < 5 && !atomic_load(&r->stop); i++)
			isg__clock_sleep_ms(POLL_MS / 2);
	}
	return NULL;
}
