/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight-gateway: the HTTP API. Reads the settings, opens PostgreSQL
 * (migrating it), the reader (Redis), MongoDB (auth, quota) and the task
 * stream, then serves with civetweb until SIGTERM or SIGINT.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw.h"

#define PROG "issuesight-gateway"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: " PROG " [--config FILE] [--no-access-log]\n\n"
	        "Serves the IssueSight HTTP API (docs/openapi.yaml) on GATEWAY_LISTEN.\nSettings: DATABASE_URL, REDIS_URL, MONGODB_URI, QUOTA_PER_DAY,\nGATEWAY_THREADS, GATEWAY_REQUEST_TIMEOUT_MS, GATEWAY_ANON_RATE_PER_MIN,\n"
	        "CACHE_TTL_S, CACHE_NEGATIVE_TTL_S, CACHE_MEMORY_BYTES, SESSION_* (docs/configuration.md).\n"
	        "SIGTERM or SIGINT stops it; the exit status is then 0.\n");
}

static long long cfg_int(const isg_config *cfg, const char *key, long long d)
{
	long long v = d;

	isg_config_get_int(&v, cfg, key);
	return v;
}

/* Opens every backend; the exit code. PostgreSQL must answer at start
 * (migrations); Redis and MongoDB may come later. */
static int open_backends(gw *g)
{
	int st;

	if ((st = isg_store_new_from_config(&g->store, g->cfg)) != ISG_OK ||
	    (st = isg_store_migrate(NULL, g->store)) != ISG_OK)
		return srv_fail(PROG, "PostgreSQL", st);
	if ((st = isg_reader_new_from_config(&g->reader, g->store, g->cfg)) !=
	    ISG_OK)
		return srv_fail(PROG, "reader", st);
	if ((st = isg_auth_new_from_config(&g->auth, g->cfg)) != ISG_OK ||
	    (st = isg_quota_new_from_config(&g->quota, g->cfg)) != ISG_OK)
		return srv_fail(PROG, "MongoDB", st);
	if (isg_auth_ping(g->auth) != ISG_OK)
		fprintf(stderr, PROG
		        ": MongoDB is not reachable yet; sign-in and submissions answer 503 until it is\n");
	/* Redis may be down: reads then go to PostgreSQL, and the task
	 * stream is opened by the first submission that finds it up. */
	if (isg_stream_new_from_config(&g->stream, g->cfg) != ISG_OK)
		fprintf(stderr, PROG
		        ": Redis is not reachable yet; submissions answer 503 until it is\n");
	if ((st = isg_concepts_new(&g->concepts, NULL)) != ISG_OK ||
	    (st = isg_concepts_tree_json(&g->concepts_json, g->concepts,
	                                 NULL)) != ISG_OK)
		return srv_fail(PROG, "concept catalog", st);
	return SRV_EXIT_OK;
}

static void close_backends(gw *g)
{
	isg_concepts_free(g->concepts);
	isg_buf_dispose(&g->concepts_json);
	isg_stream_free(g->stream);
	isg_lock_free(g->lock);
	isg_quota_free(g->quota);
	isg_auth_free(g->auth);
	isg_reader_free(g->reader);
	isg_store_free(g->store);
}

static struct mg_context *start_http(gw *g)
{
	char threads[16], timeout[16];
	const char *listen = isg_config_get(g->cfg, "GATEWAY_LISTEN");
	const char *options[] = { "listening_ports",
		                  listen,
		                  "num_threads",
		                  threads,
		                  "request_timeout_ms",
		                  timeout,
		                  "enable_keep_alive",
		                  "yes",
		                  "keep_alive_timeout_ms",
		                  "30000",
		                  "max_request_size",
		                  "16384",
		                  "tcp_nodelay",
		                  "1",
		                  NULL };
	struct mg_callbacks callbacks;
	struct mg_context *ctx;

	memset(&callbacks, 0, sizeof(callbacks));
	callbacks.http_error = gw_http_error;
	snprintf(threads, sizeof(threads), "%lld",
	         cfg_int(g->cfg, "GATEWAY_THREADS", 128));
	snprintf(timeout, sizeof(timeout), "%lld",
	         cfg_int(g->cfg, "GATEWAY_REQUEST_TIMEOUT_MS", 30000));
	ctx = mg_start(&callbacks, NULL, options);
	if (ctx)
		mg_set_request_handler(ctx, "/", gw_handle, g);
	return ctx;
}

/* Reads the command line into CONFIG_FILE and ACCESS_LOG; returns -1 to
 * go on, else the exit status (after --help, --version or a usage
 * error). */
static int parse_args(int argc, char **argv, const char **config_file,
                      int *access_log)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return SRV_EXIT_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf(PROG " %s\n", isg_global_version());
			return SRV_EXIT_OK;
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			*config_file = argv[++i];
		} else if (strcmp(argv[i], "--no-access-log") == 0) {
			*access_log = 0;
		} else {
			fprintf(stderr, PROG ": unknown option '%s'\n",
			        argv[i]);
			usage(stderr);
			return SRV_EXIT_USAGE;
		}
	}
	return -1;
}

/* Waits for a stop signal of STOP_SET; meanwhile sweeps expired sessions,
 * tokens and OAuth states every minute (no TTL index does it). */
static void wait_for_stop(gw *g, const sigset_t *stop_set)
{
	int sig;

	for (;;) {
		struct timespec ts = { 60, 0 };

		sig = sigtimedwait(stop_set, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		isg_auth_sweep(NULL, g->auth);
	}
}

/* Stages: parse the command line, load the settings, block the stop
 * signals, open the backends, load the web root, serve until stopped. */
int main(int argc, char **argv)
{
	const char *config_file = NULL;
	static gw g;
	struct mg_context *http = NULL;
	sigset_t stop_set;
	int rc;

	g.access_log = 1;
	rc = parse_args(argc, argv, &config_file, &g.access_log);
	if (rc >= 0)
		return rc;
	if (isg_global_init() != ISG_OK)
		return srv_fail(PROG, "initialisation", ISG_ERROR);
	pthread_mutex_init(&g.stream_mu, NULL);
	pthread_mutex_init(&g.lock_mu, NULL);
	pthread_mutex_init(&g.rate_mu, NULL);
	rc = srv_config_load(&g.cfg, config_file);
	if (rc != SRV_EXIT_OK)
		goto done;
	/* Every thread blocks SIGTERM and SIGINT; main waits for them with
	 * sigwait (a signal delivered to a civetweb thread never wakes a
	 * pause() here). */
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	signal(SIGPIPE, SIG_IGN);
	g.quota_per_day = (int)cfg_int(g.cfg, "QUOTA_PER_DAY", 5);
	g.anon_rate = (int)cfg_int(g.cfg, "GATEWAY_ANON_RATE_PER_MIN", 600);
	g.lock_ttl_ms = cfg_int(g.cfg, "GATEWAY_ISSUE_LOCK_TTL_S", 900) * 1000;
	isg_config_get_bool(&g.cookie_secure, g.cfg, "SESSION_COOKIE_SECURE");
	snprintf(g.cookie_name, sizeof(g.cookie_name), "%s",
	         isg_config_get(g.cfg, "SESSION_COOKIE_NAME"));
	if ((rc = open_backends(&g)) != SRV_EXIT_OK)
		goto done;
	if (isg_config_get(g.cfg, "WEB_ROOT")) {
		if (gw_web_load(&g, isg_config_get(g.cfg, "WEB_ROOT")) != 0) {
			fprintf(stderr,
			        PROG ": WEB_ROOT %s has no index.html\n",
			        isg_config_get(g.cfg, "WEB_ROOT"));
			rc = SRV_EXIT_CONFIG;
			goto done;
		}
		g.web_on = 1;
	}
	http = start_http(&g);
	if (!http) {
		fprintf(stderr, PROG ": cannot listen on %s\n",
		        isg_config_get(g.cfg, "GATEWAY_LISTEN"));
		rc = SRV_EXIT_FAILURE;
		goto done;
	}
	fprintf(stderr,
	        "{\"level\":\"info\",\"module\":\"gateway\",\"msg\":\"listening on %s\"}\n",
	        isg_config_get(g.cfg, "GATEWAY_LISTEN"));
	wait_for_stop(&g, &stop_set);
	rc = SRV_EXIT_OK;
done:
	if (http)
		mg_stop(http);
	close_backends(&g);
	gw_web_free(&g);
	isg_config_free(g.cfg);
	isg_global_shutdown();
	return rc;
}
