/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backends every collector test needs: a fake GitHub, a fresh migrated
 * database with a store, and a stream handle on the test Redis with a key
 * prefix of its own, so that tests running in parallel never meet.
 */
#ifndef ISSUESIGHT_COLLECTOR_ENV_H
#define ISSUESIGHT_COLLECTOR_ENV_H

#include <issuesight/store.h>
#include <issuesight/stream.h>

#include "fake_github.h"
#include "test_pg.h"

typedef struct collector_env {
	fake_github *fg;
	isg_test_pg db;
	isg_store *st;
	isg_stream *s;
	char prefix[96]; /* "<tag>_<pid>_<n>_<random>:" */
} collector_env;

/* Starts them all (fails the test on error; exits 77 without
 * ISG_TEST_REDIS_URL / ISG_TEST_DATABASE_URL). */
void collector_env_start(collector_env *b, const fake_github_options *fo,
                         const char *tag);
/* Stops and frees what collector_env_start() made. */
void collector_env_stop(collector_env *b);
/* Sleeps for real (the collector's own waits are injected). */
void collector_env_sleep_ms(long ms);

#endif /* ISSUESIGHT_COLLECTOR_ENV_H */
