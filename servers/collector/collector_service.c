/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight-collector: the collector service. A thin loop over the
 * collector library: consume is:tasks, poll tracked projects, keep a
 * heartbeat, and serve /healthz and Prometheus /metrics over HTTP. SIGTERM
 * or SIGINT stops it gracefully: the task in progress is abandoned without
 * acknowledgement (another collector claims it) and the exit status is 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "srv_common.h"

#define PROG "issuesight-collector"

static volatile sig_atomic_t stop_flag;
static isg_collector *volatile the_collector;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
	if (the_collector)
		isg_collector_stop(the_collector);
}

/* GitHub waits (rate limits, retries) sleep in slices so that a stop
 * request interrupts them. */
static int interruptible_sleep(double seconds, void *payload)
{
	struct timespec ts;
	double left = seconds;

	(void)payload;
	while (left > 0 && !stop_flag) {
		double step = left < 0.2 ? left : 0.2;

		ts.tv_sec = (time_t)step;
		ts.tv_nsec = (long)((step - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
		left -= step;
	}
	return stop_flag ? 1 : 0;
}

static int reply(struct mg_connection *conn, int status, const char *reason,
                 const char *type, const char *body, size_t len)
{
	mg_printf(conn,
	          "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	          "Content-Length: %zu\r\nCache-Control: no-store\r\n\r\n",
	          status, reason, type, len);
	mg_write(conn, body, len);
	return status;
}

static int on_healthz(struct mg_connection *conn, void *cbdata)
{
	isg_collector *c = cbdata;

	if (isg_collector_healthy(c))
		return reply(conn, 200, "OK", "application/json",
		             "{\"status\":\"ok\"}\n", 16);
	return reply(conn, 503, "Service Unavailable", "application/json",
	             "{\"status\":\"unhealthy\"}\n", 23);
}

static int on_metrics(struct mg_connection *conn, void *cbdata)
{
	isg_buf text = ISG_BUF_INIT;
	int st;

	if (isg_collector_metrics(&text, cbdata) != ISG_OK)
		st = reply(conn, 500, "Internal Server Error", "text/plain",
		           "metrics unavailable\n", 20);
	else
		st = reply(conn, 200, "OK",
		           "text/plain; version=0.0.4; charset=utf-8", text.ptr,
		           text.size);
	isg_buf_dispose(&text);
	return st;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: " PROG " [--config FILE] [--name NAME]\n"
	        "       " PROG " --help | --version\n\n"
	        "Consumes submitted issues from is:tasks, polls tracked projects, archives\nissues in PostgreSQL and pushes context messages to is:contexts.\n\n"
	        "Settings: DATABASE_URL, REDIS_URL, GITHUB_API_URL, GITHUB_TOKEN, STREAM_PREFIX,\nSTREAM_MAXLEN, COLLECTOR_POLL_INTERVAL_S, COLLECTOR_LABELS, COLLECTOR_CLAIM_IDLE_MS,\nCOLLECTOR_MAX_DELIVERIES, COLLECTOR_HTTP_PORT (GET /healthz, GET /metrics).\n"
	        "SIGTERM or SIGINT stops it; the exit status is then 0.\n");
}

/* Reads the command line into CONFIG_FILE and NAME; returns -1 to go on,
 * else the exit status (after --help, --version or a usage error). */
static int parse_args(int argc, char **argv, const char **config_file,
                      const char **name)
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
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
			*name = argv[++i];
		} else {
			fprintf(stderr, PROG ": unknown option '%s'\n",
			        argv[i]);
			usage(stderr);
			return SRV_EXIT_USAGE;
		}
	}
	return -1;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The handles the service runs on, released by backends_free. */
typedef struct backends {
	isg_store *st;
	isg_stream *s;
	isg_github *gh;
	isg_collector *c;
} backends;

/* Connects PostgreSQL (migrated), Redis and GitHub and makes the
 * collector; returns an exit status. */
static int backends_open(backends *b, const isg_config *cfg, const char *name)
{
	isg_github_options gho = ISG_GITHUB_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	int status;

	if ((status = isg_store_new_from_config(&b->st, cfg)) != ISG_OK ||
	    (status = isg_store_migrate(NULL, b->st)) != ISG_OK)
		return srv_fail(PROG, "PostgreSQL", status);
	if ((status = isg_stream_new_from_config(&b->s, cfg)) != ISG_OK)
		return srv_fail(PROG, "Redis", status);
	gho.sleep_fn = interruptible_sleep;
	if ((status = isg_github_new_from_config(&b->gh, cfg, &gho)) != ISG_OK)
		return srv_fail(PROG, "GitHub client", status);
	co.store = b->st;
	co.github = b->gh;
	co.stream = b->s;
	co.name = name;
	isg_collector_options_from_config(&co, cfg);
	if ((status = isg_collector_new(&b->c, &co)) != ISG_OK)
		return srv_fail(PROG, "collector", status);
	return SRV_EXIT_OK;
}

static void backends_free(backends *b)
{
	isg_collector_free(b->c);
	isg_github_free(b->gh);
	isg_stream_free(b->s);
	isg_store_free(b->st);
}

/* Serves /healthz and /metrics on COLLECTOR_HTTP_PORT when it is set;
 * returns an exit status. */
static int start_http(struct mg_context **out, const isg_config *cfg,
                      isg_collector *c)
{
	long long port = 0;
	char ports[24];
	const char *options[] = { "listening_ports", ports, "num_threads", "2",
		                  NULL };

	*out = NULL;
	isg_config_get_int(&port, cfg, "COLLECTOR_HTTP_PORT");
	if (port <= 0)
		return SRV_EXIT_OK;
	snprintf(ports, sizeof(ports), "%lld", port);
	*out = mg_start(NULL, NULL, options);
	if (!*out) {
		fprintf(stderr, PROG ": cannot listen on port %lld\n", port);
		return SRV_EXIT_FAILURE;
	}
	mg_set_request_handler(*out, "/healthz$", on_healthz, c);
	mg_set_request_handler(*out, "/metrics$", on_metrics, c);
	return SRV_EXIT_OK;
}

/* Runs the collector until a stop request; a backend that is down is
 * reported and retried every second. */
static void run(isg_collector *c)
{
	int status;

	while (!stop_flag) {
		status = isg_collector_run_once(NULL, c);
		if (status == ISG_ECANCELLED)
			break;
		if (status != ISG_OK) {
			/* Redis or PostgreSQL is down: say so and retry. */
			fprintf(stderr, PROG ": %s (%s); retrying\n",
			        isg_error_last()->message,
			        isg_error_name(status));
			interruptible_sleep(1.0, NULL);
		}
	}
}

/* Stages: parse the command line, load the settings, install the signal
 * handlers, open the backends, serve HTTP, run until stopped. */
int main(int argc, char **argv)
{
	const char *config_file = NULL, *name = NULL;
	isg_config *cfg = NULL;
	backends b = { NULL, NULL, NULL, NULL };
	struct mg_context *http = NULL;
	int rc;

	rc = parse_args(argc, argv, &config_file, &name);
	if (rc >= 0)
		return rc;
	if (isg_global_init() != ISG_OK)
		return srv_fail(PROG, "initialisation", ISG_ERROR);
	rc = srv_config_load(&cfg, config_file);
	if (rc != SRV_EXIT_OK)
		goto done;
	install_signals();
	if ((rc = backends_open(&b, cfg, name)) != SRV_EXIT_OK)
		goto done;
	the_collector = b.c;
	if (stop_flag)
		isg_collector_stop(b.c);
	if ((rc = start_http(&http, cfg, b.c)) != SRV_EXIT_OK)
		goto done;
	run(b.c);
	rc = SRV_EXIT_OK;
done:
	if (http)
		mg_stop(http);
	the_collector = NULL;
	backends_free(&b);
	isg_config_free(cfg);
	isg_global_shutdown();
	return rc;
}
