/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reader's Redis connections: a pool (hiredis connections serve one
 * thread at a time) with a circuit breaker, so that a Redis that is down
 * costs one connect timeout per second instead of one per request.
 */
#include <string.h>

#include "core_int.h"
#include "reader_int.h"

#define MOD "reader"
#define BREAKER_MS 1000

int isg__reader_pool_init(isg__rpool *p, const char *url, int max,
                          int connect_timeout_ms, int command_timeout_ms)
{
	memset(p, 0, sizeof(*p));
	p->url = isg__alloc_strdup(url);
	p->idle = isg__alloc_calloc((size_t)max, sizeof(*p->idle));
	if (!p->url || !p->idle) {
		isg__alloc_free(p->url);
		isg__alloc_free(p->idle);
		return isg__error_oom(MOD);
	}
	p->max = max;
	p->connect_timeout_ms = connect_timeout_ms;
	p->command_timeout_ms = command_timeout_ms;
	atomic_init(&p->down_until_ms, 0);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	return ISG_OK;
}

void isg__reader_pool_dispose(isg__rpool *p)
{
	int i;

	if (!p->url)
		return;
	for (i = 0; i < p->nidle; i++)
		isg__redis_free(p->idle[i]);
	isg__alloc_free(p->idle);
	isg__alloc_free(p->url);
	p->url = NULL;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
}

/* Borrows an idle connection, or the right to open one (*out NULL). */
static void borrow(isg__redis **out, isg__rpool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0 && p->open >= p->max)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->nidle > 0) {
		*out = p->idle[--p->nidle];
	} else {
		*out = NULL;
		p->open++;
	}
	pthread_mutex_unlock(&p->mu);
}

/* Returns a connection; NULL gives back the right to open one. */
static void give_back(isg__rpool *p, isg__redis *c)
{
	pthread_mutex_lock(&p->mu);
	if (c)
		p->idle[p->nidle++] = c;
	else
		p->open--;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static int down(isg__rpool *p)
{
	return atomic_load(&p->down_until_ms) > isg__clock_now_ms();
}

int isg__reader_pool_command(redisReply **out, isg__rpool *p, int argc,
                             const char **argv, const size_t *lens)
{
	isg__redis *c = NULL;
	int rc;

	*out = NULL;
	if (down(p))
		return isg__error_set(
		        ISG_EUNAVAILABLE, MOD,
		        "Redis was unreachable less than a second ago");
	borrow(&c, p);
	if (!c) {
		rc = isg__redis_new(&c, p->url, MOD, p->connect_timeout_ms,
		                    p->command_timeout_ms);
		if (rc != ISG_OK)
			goto done;
	}
	rc = isg__redis_command(out, c, argc, argv, lens, 1, 0);
done:
	if (rc == ISG_EUNAVAILABLE || rc == ISG_ETIMEOUT) {
		atomic_store(&p->down_until_ms,
		             isg__clock_now_ms() + BREAKER_MS);
		isg__redis_free(c);
		c = NULL;
	}
	give_back(p, c);
	return rc;
}
