/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: a worker and its Prometheus metrics.
 *
 * Shows how missing options are reported, then, with ISG_TEST_REDIS_URL
 * set, builds a worker (offline: no chat client) on a store, a GitHub
 * client, a stream with a key prefix of its own and a lock handle, and
 * prints the metrics text that issuesight-worker serves on /metrics. The
 * service runs isg_worker_run() on the same handle until SIGTERM.
 *
 *   cc worker_metrics_text.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

int main(void)
{
	const char *redis = getenv("ISG_TEST_REDIS_URL");
	const char *db = getenv("ISG_TEST_DATABASE_URL");
	isg_store_options so = ISG_STORE_OPTIONS_INIT;
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_stream_options sto = ISG_STREAM_OPTIONS_INIT;
	isg_lock_options lo = ISG_LOCK_OPTIONS_INIT;
	isg_worker_options wo = ISG_WORKER_OPTIONS_INIT;
	isg_store *st = NULL;
	isg_github *gh = NULL;
	isg_stream *s = NULL;
	isg_lock *lock = NULL;
	isg_worker *w = NULL;
	isg_buf text = ISG_BUF_INIT;
	char prefix[64];
	int rc = 1;

	if (isg_global_init() != ISG_OK)
		return 1;
	/* Options are checked before anything connects. */
	if (isg_worker_new(&w, &wo) == ISG_EINVALID)
		printf("refused: %s\n", isg_error_last()->message);
	if (!redis) {
		printf("worker skipped: set ISG_TEST_REDIS_URL\n");
		rc = 0;
		goto done;
	}
	so.conninfo = db ? db : "postgresql://127.0.0.1:1/none";
	go.base_url = "http://127.0.0.1:1";
	snprintf(prefix, sizeof(prefix), "example_worker_%ld:", (long)getpid());
	sto.redis_url = redis;
	sto.prefix = prefix;
	lo.redis_url = redis;
	if (isg_store_new(&st, &so) != ISG_OK ||
	    isg_github_new(&gh, &go) != ISG_OK ||
	    isg_stream_new(&s, &sto) != ISG_OK ||
	    isg_lock_new(&lock, &lo) != ISG_OK)
		goto done;
	wo.store = st;
	wo.github = gh;
	wo.stream = s;
	wo.lock = lock;
	wo.cache_dir = "/tmp/issuesight-example-cache";
	wo.concurrency = 4;
	if (isg_worker_new(&w, &wo) != ISG_OK ||
	    isg_worker_metrics(&text, w) != ISG_OK)
		goto done;
	fputs(text.ptr, stdout);
	rc = 0;
done:
	if (rc != 0)
		fprintf(stderr, "worker_metrics_text: %s (%s)\n",
		        isg_error_last()->message,
		        isg_error_name(isg_error_last()->code));
	isg_buf_dispose(&text);
	isg_worker_free(w);
	isg_lock_free(lock);
	isg_stream_free(s);
	isg_github_free(gh);
	isg_store_free(st);
	isg_global_shutdown();
	return rc;
}
