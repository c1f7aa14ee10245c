/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backends of the worker tests: a fake GitHub serving the bundled
 * sample project (examples/sample/repo) under an owner of its own (the
 * issue locks' keys have no test prefix), a fake OpenAI server, a fresh
 * database with the project's issues archived by the collector, a
 * stream with a key prefix of its own on the test Redis (or on a Redis
 * the test runs), and the steps the gateway takes for a submission.
 */
#ifndef ISSUESIGHT_WORKER_ENV_H
#define ISSUESIGHT_WORKER_ENV_H

#include <issuesight/issuesight.h>

#include "fake_github.h"
#include "fake_openai.h"
#include "test_pg.h"

#define WORKER_ENV_KEY "sk-worker-test-key-0123456789"

typedef struct worker_env {
	fake_github *fg;
	fake_openai *fo;
	isg_test_pg db;
	isg_store *st;
	isg_stream *s;
	isg_lock *lock;
	isg_github *gh;
	isg_collector *col;
	char *tmp;
	char redis_url[256];
	char prefix[96];
	char owner[64];
	char full[128];
} worker_env;

/* Starts everything and archives `issues` issues (no pull requests);
 * `redis_url` NULL: the test Redis. Exits 77 without the services. */
void worker_env_start(worker_env *e, const char *tag, int issues,
                      const char *redis_url);
void worker_env_stop(worker_env *e);
/* Reconnects the stream, lock and collector (after a Redis restart). */
void worker_env_reconnect(worker_env *e);
/* A chat client on the fake with `cap` requests in flight. */
isg_llm *worker_env_llm(worker_env *e, int cap);
/* A worker (llm may be NULL: offline). */
isg_worker *worker_env_worker(worker_env *e, isg_llm *llm, int fallback,
                              long long claim_idle_ms);
/* The gateway's submission of issue `number` by `user_id`: the content
 * row, and for the one submission that created it the lock and the task;
 * then the user's unlock. Thread-safe. Returns 1 when this submission
 * caused the generation. */
int worker_env_submit(worker_env *e, const char *user_id, int number);
/* Runs the collector until `is:tasks` has nothing for it. */
void worker_env_collect(worker_env *e);
/* Runs worker rounds until the issue's content has `status` (an
 * isg_store_status) or `timeout_ms` passed; returns the status seen. */
int worker_env_wait(worker_env *e, isg_worker *w, int number, int status,
                    int timeout_ms);
/* The content row of issue `number` (dispose it). */
void worker_env_content(worker_env *e, int number, isg_store_content *out);
/* A user's uuid (created). */
void worker_env_user(worker_env *e, int i, char out[ISG_STORE_ID_SIZE]);
void worker_env_sleep_ms(long ms);

#endif /* ISSUESIGHT_WORKER_ENV_H */
