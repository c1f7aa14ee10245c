/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake-github: the fake GitHub REST API as a standalone server, for
 * benchmarks and manual runs. Prints its base URL on stdout and serves
 * until SIGINT or SIGTERM.
 *
 *   fake-github [--port P] [--issues N] [--pulls M] [--comments K]
 *               [--seed S] [--rate-limit L] [--owner O] [--repo R]
 *               [--add-issue FILE]...
 *
 * --add-issue adds one more issue after the generated ones: the file's
 * first line is its title, the rest its body (the web UI's end-to-end test
 * serves hostile titles and bodies this way).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_github.h"

static int parse_int(const char *s, int *out)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < -1000000000L || v > 1000000000L)
		return -1;
	*out = (int)v;
	return 0;
}

/* Adds the issue of one --add-issue file: first line title, rest body. */
static int add_issue_file(fake_github *fg, const char *path)
{
	static char text[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	char *nl;

	if (!f) {
		fprintf(stderr, "fake-github: cannot open '%s'\n", path);
		return -1;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	return fake_github_add_issue(fg, text, nl ? nl + 1 : "", 0) > 0 ? 0
	                                                                : -1;
}

int main(int argc, char **argv)
{
	const char *add[8];
	int n_add = 0;
	fake_github_options o;
	fake_github *fg = NULL;
	sigset_t set;
	int sig = 0;
	int i, seed = 1;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int *dst = NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			printf("usage: fake-github [--port P] [--issues N] [--pulls M] [--comments K] [--seed S] [--rate-limit L] [--owner O] [--repo R] [--add-issue FILE]... [--code DIR]\n");
			return 0;
		}
		if (!v) {
			fprintf(stderr, "fake-github: %s needs a value\n", a);
			return 2;
		}
		if (strcmp(a, "--add-issue") == 0) {
			if (n_add == (int)(sizeof(add) / sizeof(add[0]))) {
				fprintf(stderr,
				        "fake-github: too many --add-issue\n");
				return 2;
			}
			add[n_add++] = v;
		} else if (strcmp(a, "--owner") == 0) {
			o.owner = v;
		} else if (strcmp(a, "--repo") == 0) {
			o.repo = v;
		} else if (strcmp(a, "--code") == 0) {
			o.code_dir = v; /* served by /commits and /tarball */
		} else {
			dst = strcmp(a, "--port") == 0         ? &o.port
			      : strcmp(a, "--issues") == 0     ? &o.issues
			      : strcmp(a, "--pulls") == 0      ? &o.pulls
			      : strcmp(a, "--comments") == 0   ? &o.comments
			      : strcmp(a, "--seed") == 0       ? &seed
			      : strcmp(a, "--rate-limit") == 0 ? &o.rate_limit
			                                       : NULL;
			if (!dst) {
				fprintf(stderr,
				        "fake-github: unknown option '%s'\n",
				        a);
				return 2;
			}
			if (parse_int(v, dst) != 0) {
				fprintf(stderr,
				        "fake-github: %s '%s' is not an integer\n",
				        a, v);
				return 2;
			}
		}
		i++;
	}
	o.seed = (uint32_t)seed;
	/* Block SIGINT and SIGTERM before the server's threads start, so
	 * that they inherit the mask and the signal reaches sigwait() here
	 * rather than a worker thread (where pause() would never return). */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (fake_github_start(&fg, &o) != 0)
		return 1;
	for (i = 0; i < n_add; i++) {
		if (add_issue_file(fg, add[i]) != 0) {
			fake_github_stop(fg);
			return 1;
		}
	}
	printf("%s\n", fake_github_url(fg));
	fflush(stdout);
	sigwait(&set, &sig);
	fake_github_stop(fg);
	return 0;
}
