/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight-worker: the worker service. A thin loop over the worker
 * library: consume is:contexts, generate and store Context Bridges (the
 * model when OPENAI_API_KEY is set, else offline), run the janitor, and
 * serve /healthz and Prometheus /metrics over HTTP. SIGTERM or SIGINT
 * stops taking work; jobs in flight get up to DRAIN_MS to finish, the
 * rest is handed back to the group, and the exit status is 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "srv_common.h"

#define PROG "issuesight-worker"
/* How long in-flight jobs may run on after SIGTERM. */
#define DRAIN_MS 20000

static volatile sig_atomic_t stop_flag;
static isg_worker *volatile the_worker;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
	if (the_worker)
		isg_worker_stop(the_worker);
}

/* GitHub waits sleep in slices so that a stop request interrupts them. */
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
	if (isg_worker_healthy(cbdata))
		return reply(conn, 200, "OK", "application/json",
		             "{\"status\":\"ok\"}\n", 16);
	return reply(conn, 503, "Service Unavailable", "application/json",
	             "{\"status\":\"unhealthy\"}\n", 23);
}

static int on_metrics(struct mg_connection *conn, void *cbdata)
{
	isg_buf text = ISG_BUF_INIT;
	int st;

	if (isg_worker_metrics(&text, cbdata) != ISG_OK)
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
	        "Consumes context messages from is:contexts and stores Context Bridges in\nPostgreSQL: the model's when OPENAI_API_KEY is set, else the offline engine's.\n\n"
	        "Settings: DATABASE_URL, REDIS_URL, GITHUB_API_URL, GITHUB_TOKEN, STREAM_PREFIX,\nISSUESIGHT_CACHE_DIR, OPENAI_BASE_URL, OPENAI_API_KEY, LLM_MODEL, LLM_TIMEOUT_S,\nLLM_REASONING_EFFORT, LLM_ON_INVALID, WORKER_CONCURRENCY, WORKER_CLAIM_IDLE_MS,\nWORKER_MAX_DELIVERIES, WORKER_HTTP_PORT (GET /healthz, GET /metrics).\n"
	        "SIGTERM or SIGINT stops it (jobs in flight get 20 s); the exit status is 0.\n");
}

/* Reads the command line; returns -1 to go on, else the exit status. */
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
	isg_lock *lock;
	isg_reader *reader;
	isg_github *gh;
	isg_llm *llm;
	isg_worker *w;
} backends;

/* The chat client, only when OPENAI_API_KEY is set. */
static int open_llm(backends *b, const isg_config *cfg)
{
	const char *key = isg_config_get(cfg, "OPENAI_API_KEY");
	int status;

	if (!key || !*key) {
		fprintf(stderr,
		        "{\"level\":\"info\",\"msg\":\"OPENAI_API_KEY is not set: bridges are offline\"}\n");
		return SRV_EXIT_OK;
	}
	if ((status = isg_llm_new_from_config(&b->llm, cfg)) != ISG_OK)
		return srv_fail(PROG, "LLM client", status);
	return SRV_EXIT_OK;
}

/* Connects PostgreSQL (migrated), Redis and GitHub, the model when
 * configured, and makes the worker; returns an exit status. */
static int backends_open(backends *b, const isg_config *cfg, const char *name)
{
	isg_github_options gho = ISG_GITHUB_OPTIONS_INIT;
	isg_worker_options wo = ISG_WORKER_OPTIONS_INIT;
	int status;

	if ((status = isg_store_new_from_config(&b->st, cfg)) != ISG_OK ||
	    (status = isg_store_migrate(NULL, b->st)) != ISG_OK)
		return srv_fail(PROG, "PostgreSQL", status);
	if ((status = isg_stream_new_from_config(&b->s, cfg)) != ISG_OK ||
	    (status = isg_lock_new_from_config(&b->lock, cfg)) != ISG_OK ||
	    (status = isg_reader_new_from_config(&b->reader, b->st, cfg)) !=
	            ISG_OK)
		return srv_fail(PROG, "Redis", status);
	gho.sleep_fn = interruptible_sleep;
	if ((status = isg_github_new_from_config(&b->gh, cfg, &gho)) != ISG_OK)
		return srv_fail(PROG, "GitHub client", status);
	if ((status = open_llm(b, cfg)) != SRV_EXIT_OK)
		return status;
	wo.store = b->st;
	wo.github = b->gh;
	wo.stream = b->s;
	wo.lock = b->lock;
	wo.reader = b->reader;
	wo.llm = b->llm;
	wo.config = cfg;
	wo.name = name;
	isg_worker_options_from_config(&wo, cfg);
	if ((status = isg_worker_new(&b->w, &wo)) != ISG_OK)
		return srv_fail(PROG, "worker", status);
	return SRV_EXIT_OK;
}

static void backends_free(backends *b)
{
	isg_worker_free(b->w);
	isg_llm_free(b->llm);
	isg_github_free(b->gh);
	isg_reader_free(b->reader);
	isg_lock_free(b->lock);
	isg_stream_free(b->s);
	isg_store_free(b->st);
}

/* Serves /healthz and /metrics on WORKER_HTTP_PORT when it is not 0;
 * returns an exit status. */
static int start_http(struct mg_context **out, const isg_config *cfg,
                      isg_worker *w)
{
	long long port = 0;
	char ports[24];
	const char *options[] = { "listening_ports", ports, "num_threads", "2",
		                  NULL };

	*out = NULL;
	isg_config_get_int(&port, cfg, "WORKER_HTTP_PORT");
	if (port <= 0)
		return SRV_EXIT_OK;
	snprintf(ports, sizeof(ports), "%lld", port);
	*out = mg_start(NULL, NULL, options);
	if (!*out) {
		fprintf(stderr, PROG ": cannot listen on port %lld\n", port);
		return SRV_EXIT_FAILURE;
	}
	mg_set_request_handler(*out, "/healthz$", on_healthz, w);
	mg_set_request_handler(*out, "/metrics$", on_metrics, w);
	return SRV_EXIT_OK;
}

/* Stages: parse the command line, load the settings, install the signal
 * handlers, open the backends, serve HTTP, run until stopped, drain. */
int main(int argc, char **argv)
{
	const char *config_file = NULL, *name = NULL;
	isg_config *cfg = NULL;
	backends b;
	struct mg_context *http = NULL;
	int rc;

	memset(&b, 0, sizeof(b));
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
	the_worker = b.w;
	if (stop_flag)
		isg_worker_stop(b.w);
	if ((rc = start_http(&http, cfg, b.w)) != SRV_EXIT_OK)
		goto done;
	isg_worker_run(b.w, DRAIN_MS);
	rc = SRV_EXIT_OK;
done:
	if (http)
		mg_stop(http);
	the_worker = NULL;
	backends_free(&b);
	isg_config_free(cfg);
	isg_global_shutdown();
	return rc;
}
