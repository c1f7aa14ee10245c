/* SPDX-License-Identifier: Apache-2.0 */
/*
 * isg-bench-llm: how close the chat client comes to the ideal throughput
 * of its in-flight cap (cap / latency) against the fake OpenAI server at a
 * fixed latency, and how much resident memory each in-flight request
 * costs. The server runs in a child process so that its threads and
 * buffers are not counted.
 *
 *   isg-bench-llm [latency_ms (1000)] [rounds (4)] [caps, e.g. 1,8,32,64]
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

#include "fake_openai.h"

static const char schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"summary\",\"steps\"],\"properties\":{\"summary\":{\"type\":\"string\"},\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

/* Starts the fake in a child; returns its pid and writes its URL. */
static pid_t start_server(char *url, size_t n, int latency_ms)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		fake_openai_options o = { NULL, latency_ms, 0, 256, 16 };
		fake_openai *fo = NULL;
		sigset_t set;
		int sig;

		close(fds[0]);
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		if (fake_openai_start(&fo, &o) != 0)
			_exit(1);
		dprintf(fds[1], "%s\n", fake_openai_url(fo));
		close(fds[1]);
		sigwait(&set, &sig);
		fake_openai_stop(fo);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], url, n - 1) <= 0) {
		close(fds[0]);
		return -1;
	}
	close(fds[0]);
	url[strcspn(url, "\n")] = '\0';
	return pid;
}

typedef struct counts {
	int done, ok;
} counts;

static void on_done(isg_llm_result *r, void *p)
{
	counts *c = p;

	c->done++;
	c->ok += r->status == ISG_OK;
}

static int run_cap(const char *url, int cap, int rounds, int latency_ms,
                   const char *user)
{
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	isg_llm_request req = ISG_LLM_REQUEST_INIT;
	isg_llm *l = NULL;
	counts c = { 0, 0 };
	int n = cap * rounds, i, pending = 1;
	long base, peak = 0;
	double t0, secs, ideal, got;

	o.base_url = url;
	o.max_in_flight = cap;
	o.timeout_s = 60;
	if (isg_llm_new(&l, &o) != ISG_OK)
		return 1;
	req.system = "Write the bridge.";
	req.user = user;
	req.schema_json = schema;
	/* One warm-up request: connections, TLS-free curl state. */
	if (isg_llm_submit(l, &req, on_done, &c) != ISG_OK)
		return 1;
	while (pending > 0)
		isg_llm_run(l, 100, &pending);
	c.done = c.ok = 0;
	base = rss_kb();
	t0 = now_s();
	for (i = 0; i < n; i++)
		if (isg_llm_submit(l, &req, on_done, &c) != ISG_OK)
			return 1;
	pending = 1;
	while (pending > 0) {
		long r;

		isg_llm_run(l, 50, &pending);
		r = rss_kb();
		if (r > peak)
			peak = r;
	}
	secs = now_s() - t0;
	ideal = cap / (latency_ms / 1000.0);
	got = n / secs;
	printf("| %d | %d | %d | %.2f | %.2f | %.1f%% | %ld | %.1f |\n", cap, n,
	       c.ok, got, ideal, 100.0 * got / ideal, peak - base,
	       (double)(peak - base) / cap);
	isg_llm_free(l);
	return c.ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	int latency = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 1000;
	int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 4;
	const char *caps = argc > 3 ? argv[3] : "1,8,32,64";
	char url[128], *user, *end;
	pid_t pid;
	int rc = 0;

	if (latency <= 0 || rounds <= 0)
		return 2;
	isg_global_init();
	pid = start_server(url, sizeof(url), latency);
	if (pid < 0) {
		fprintf(stderr, "cannot start the fake server\n");
		return 1;
	}
	/* A prompt of about 4 kB, like an issue with its context. */
	user = malloc(4097);
	memset(user, 'x', 4096);
	user[4096] = '\0';
	printf("fake OpenAI at %s, latency %d ms, %d rounds per cap\n\n", url,
	       latency, rounds);
	printf("| in-flight cap | requests | ok | req/s | ideal req/s | of ideal | peak RSS growth (kB) | kB per in-flight |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	while (rc == 0 && *caps) {
		long cap = strtol(caps, &end, 10);

		if (end == caps || cap < 1 || cap > 4096)
			break;
		rc = run_cap(url, (int)cap, rounds, latency, user);
		caps = *end == ',' ? end + 1 : end;
	}
	free(user);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	isg_global_shutdown();
	return rc;
}
