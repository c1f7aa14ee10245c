/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake-openai: the fake OpenAI-compatible chat server as a standalone
 * process, for scripts/stack, the end-to-end tests and benchmarks. Prints
 * its base URL ("http://127.0.0.1:P/v1") on stdout and serves until SIGINT
 * or SIGTERM.
 *
 *   fake-openai [--port P] [--latency-ms MS] [--api-key K] [--threads N]
 *
 * Control routes beside POST /v1/chat/completions (GET or POST, answers
 * JSON):
 *   /_fake/fail?seconds=S   every request for S seconds answers 429
 *                           (retry-after 1 s); seconds=0 ends it
 *   /_fake/latency?ms=MS    latency added to every answer from now on
 *   /_fake/stats            the counters (fake_openai_stats_json): totals,
 *                           per status, and per X-Client-Request-Id (one
 *                           issue) requests and 200 answers
 *   /_fake/reset            counters, faults and failing cleared
 */
#include <civetweb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_openai.h"

static int parse_int(const char *s, int *out)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 1000000000L)
		return -1;
	*out = (int)v;
	return 0;
}

/* The integer query parameter `name`, or -1 when absent or not one. */
static int query_int(const struct mg_request_info *ri, const char *name)
{
	char v[32];
	int n;

	if (!ri->query_string ||
	    mg_get_var(ri->query_string, strlen(ri->query_string), name, v,
	               sizeof(v)) <= 0 ||
	    parse_int(v, &n) != 0)
		return -1;
	return n;
}

static int reply(struct mg_connection *conn, int status, const char *json)
{
	mg_printf(conn,
	          "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	          "Content-Length: %zu\r\nCache-Control: no-store\r\n\r\n%s",
	          status, mg_get_response_code_text(conn, status), strlen(json),
	          json);
	return status;
}

static int control(struct mg_connection *conn, void *payload)
{
	fake_openai *fo = payload;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *op = ri->local_uri + strlen("/_fake/");
	int v;

	if (strcmp(op, "stats") == 0) {
		char *doc = fake_openai_stats_json(fo);
		int rc =
		        doc ? reply(conn, 200, doc)
		            : reply(conn, 500, "{\"error\":\"out of memory\"}");

		free(doc);
		return rc;
	}
	if (strcmp(op, "reset") == 0) {
		fake_openai_reset(fo);
		return reply(conn, 200, "{\"ok\":true}");
	}
	if (strcmp(op, "fail") == 0 && (v = query_int(ri, "seconds")) >= 0) {
		fake_openai_set_retry_after(fo, 1000);
		fake_openai_fail_for_ms(fo, v * 1000);
		return reply(conn, 200, "{\"ok\":true}");
	}
	if (strcmp(op, "latency") == 0 && (v = query_int(ri, "ms")) >= 0) {
		fake_openai_set_latency_ms(fo, v);
		return reply(conn, 200, "{\"ok\":true}");
	}
	return reply(conn, 400,
	             "{\"error\":\"unknown control route or bad value\"}");
}

static int parse_args(int argc, char **argv, fake_openai_options *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int *dst = strcmp(a, "--port") == 0         ? &o->port
		           : strcmp(a, "--latency-ms") == 0 ? &o->latency_ms
		           : strcmp(a, "--threads") == 0    ? &o->threads
		                                            : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			printf("usage: fake-openai [--port P] [--latency-ms MS] [--api-key K] [--threads N]\n");
			return 1;
		}
		if (!v) {
			fprintf(stderr, "fake-openai: %s needs a value\n", a);
			return 2;
		}
		if (strcmp(a, "--api-key") == 0) {
			o->api_key = v;
		} else if (!dst) {
			fprintf(stderr, "fake-openai: unknown option '%s'\n",
			        a);
			return 2;
		} else if (parse_int(v, dst) != 0) {
			fprintf(stderr,
			        "fake-openai: %s '%s' is not an integer\n", a,
			        v);
			return 2;
		}
		i++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	fake_openai_options o;
	fake_openai *fo = NULL;
	sigset_t set;
	int sig = 0, rc;

	memset(&o, 0, sizeof(o));
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	/* Blocked before the server's threads start, so that they inherit
	 * the mask and the signal reaches sigwait() here. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (fake_openai_start(&fo, &o) != 0)
		return 1;
	fake_openai_route(fo, "/_fake", control, fo);
	printf("%s\n", fake_openai_url(fo));
	fflush(stdout);
	sigwait(&set, &sig);
	fake_openai_stop(fo);
	return 0;
}
