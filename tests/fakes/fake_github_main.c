/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake-github: the fake GitHub REST API as a standalone server, for
 * benchmarks and manual runs. Prints its base URL on stdout and serves
 * until SIGINT or SIGTERM.
 *
 *   fake-github [--port P] [--issues N] [--pulls M] [--comments K]
 *               [--seed S] [--rate-limit L] [--owner O] [--repo R]
 *               [--project OWNER/REPO]... [--add-issue FILE]...
 *               [--code DIR]
 *
 * --add-issue adds one more issue after the generated ones: the file's
 * first line is its title, the rest its body (the web UI's end-to-end test
 * serves hostile titles and bodies this way).
 *
 * --project, repeated, serves several projects at the one address (the
 * first replaces --owner/--repo; each has its own generated issues, seed
 * S + its index, and its own rate-limit counter). Control routes (GET or
 * POST, answer JSON):
 *   /_fake/rate?remaining=N&reset_in=S  every project's primary limit:
 *                                       N requests left, reset in S s
 *                                       (remaining=0 exhausts it)
 *   /_fake/stats                        requests per project and status
 */
#include <civetweb.h>
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

#define MAX_PROJECTS 32

typedef struct fgm {
	fake_github *fg[MAX_PROJECTS];
	char *name[MAX_PROJECTS]; /* "owner/repo" */
	int n;
} fgm;

static int reply(struct mg_connection *conn, int status, const char *json)
{
	mg_printf(conn,
	          "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	          "Content-Length: %zu\r\nCache-Control: no-store\r\n\r\n%s",
	          status, mg_get_response_code_text(conn, status), strlen(json),
	          json);
	return status;
}

static int query_int(const struct mg_request_info *ri, const char *name,
                     int *out)
{
	char v[32];

	return ri->query_string &&
	                       mg_get_var(ri->query_string,
	                                  strlen(ri->query_string), name, v,
	                                  sizeof(v)) > 0 &&
	                       parse_int(v, out) == 0
	               ? 0
	               : -1;
}

static int stats(struct mg_connection *conn, const fgm *m)
{
	static const int statuses[] = { 200, 304, 403, 404, 429, 502 };
	char doc[16384];
	size_t used = 0;
	int i, k;

	used += (size_t)snprintf(doc, sizeof(doc), "{\"projects\":{");
	for (i = 0; i < m->n && used < sizeof(doc) - 512; i++) {
		used += (size_t)snprintf(
		        doc + used, sizeof(doc) - used,
		        "%s\"%s\":{\"issues\":%d,\"requests\":%ld",
		        i ? "," : "", m->name[i],
		        fake_github_issue_count(m->fg[i]),
		        fake_github_count(m->fg[i], NULL, -1));
		for (k = 0; k < (int)(sizeof(statuses) / sizeof(statuses[0]));
		     k++)
			used += (size_t)snprintf(
			        doc + used, sizeof(doc) - used, ",\"%d\":%ld",
			        statuses[k],
			        fake_github_count(m->fg[i], NULL, statuses[k]));
		used += (size_t)snprintf(doc + used, sizeof(doc) - used, "}");
	}
	snprintf(doc + used, sizeof(doc) - used, "}}");
	return reply(conn, 200, doc);
}

static int control(struct mg_connection *conn, void *payload)
{
	const fgm *m = payload;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *op = ri->local_uri + strlen("/_fake/");
	int remaining, reset_in, i;

	if (strcmp(op, "stats") == 0)
		return stats(conn, m);
	if (strcmp(op, "rate") == 0 &&
	    query_int(ri, "remaining", &remaining) == 0) {
		if (query_int(ri, "reset_in", &reset_in) != 0)
			reset_in = 3600;
		for (i = 0; i < m->n; i++)
			fake_github_set_rate(m->fg[i], remaining, reset_in);
		return reply(conn, 200, "{\"ok\":true}");
	}
	return reply(conn, 400,
	             "{\"error\":\"unknown control route or bad value\"}");
}

typedef struct args {
	fake_github_options o;
	const char *add[8];
	const char *project[MAX_PROJECTS];
	int n_add, n_project, seed;
} args;

static int parse_value(args *a, const char *opt, const char *v)
{
	int *dst;

	if (strcmp(opt, "--add-issue") == 0 || strcmp(opt, "--project") == 0) {
		int add = opt[2] == 'a';

		if (add ? a->n_add == 8 : a->n_project == MAX_PROJECTS) {
			fprintf(stderr, "fake-github: too many %s\n", opt);
			return 2;
		}
		if (!add && !strchr(v, '/')) {
			fprintf(stderr,
			        "fake-github: --project '%s' is not OWNER/REPO\n",
			        v);
			return 2;
		}
		if (add)
			a->add[a->n_add++] = v;
		else
			a->project[a->n_project++] = v;
		return 0;
	}
	if (strcmp(opt, "--owner") == 0 || strcmp(opt, "--repo") == 0 ||
	    strcmp(opt, "--code") == 0) {
		*(opt[2] == 'o'   ? &a->o.owner
		  : opt[2] == 'r' ? &a->o.repo
		                  : &a->o.code_dir) = v; /* --code: /tarball */
		return 0;
	}
	dst = strcmp(opt, "--port") == 0         ? &a->o.port
	      : strcmp(opt, "--issues") == 0     ? &a->o.issues
	      : strcmp(opt, "--pulls") == 0      ? &a->o.pulls
	      : strcmp(opt, "--comments") == 0   ? &a->o.comments
	      : strcmp(opt, "--seed") == 0       ? &a->seed
	      : strcmp(opt, "--rate-limit") == 0 ? &a->o.rate_limit
	                                         : NULL;
	if (!dst) {
		fprintf(stderr, "fake-github: unknown option '%s'\n", opt);
		return 2;
	}
	if (parse_int(v, dst) != 0) {
		fprintf(stderr, "fake-github: %s '%s' is not an integer\n", opt,
		        v);
		return 2;
	}
	return 0;
}

static int parse_args(int argc, char **argv, args *a)
{
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			printf("usage: fake-github [--port P] [--issues N] [--pulls M] [--comments K] [--seed S] [--rate-limit L] [--owner O] [--repo R] [--project OWNER/REPO]... [--add-issue FILE]... [--code DIR]\n");
			return 1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "fake-github: %s needs a value\n",
			        argv[i]);
			return 2;
		}
		if ((rc = parse_value(a, argv[i], argv[i + 1])) != 0)
			return rc;
		i++;
	}
	return 0;
}

/* Starts project k (0: the host, listening on --port; others on free
 * ports, also served at the host's address under /repos/{owner}/{repo}). */
static int start_project(fgm *m, args *a, int k)
{
	fake_github_options o = a->o;
	char prefix[600];
	const char *slash = NULL;

	if (a->n_project) {
		slash = strchr(a->project[k], '/');
		m->name[k] = strdup(a->project[k]);
		if (!m->name[k])
			return -1;
		m->name[k][slash - a->project[k]] = '\0';
		o.owner = m->name[k];
		o.repo = m->name[k] + (slash - a->project[k]) + 1;
	}
	o.seed = (uint32_t)(a->seed + k);
	o.repo_id = 3544490 + 1000 * k; /* one row per project in the archive */
	if (k > 0) {
		o.port = 0;
		o.threads = 2;
	}
	if (fake_github_start(&m->fg[k], &o) != 0)
		return -1;
	if (slash)
		m->name[k][slash - a->project[k]] = '/';
	else if ((m->name[k] = malloc(256)) != NULL)
		snprintf(m->name[k], 256, "%s/%s",
		         o.owner ? o.owner : "octo-org",
		         o.repo ? o.repo : "hello-world");
	else
		return -1;
	m->n = k + 1;
	if (k > 0) {
		snprintf(prefix, sizeof(prefix), "/repos/%s", m->name[k]);
		fake_github_route(m->fg[0], prefix, fake_github_serve,
		                  m->fg[k]);
	}
	return 0;
}

static void stop_all(fgm *m)
{
	int i;

	for (i = m->n - 1; i >= 0; i--) {
		fake_github_stop(m->fg[i]);
		free(m->name[i]);
	}
}

int main(int argc, char **argv)
{
	static args a;
	static fgm m;
	sigset_t set;
	int sig = 0, i, rc, n;

	a.seed = 1;
	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc == 1 ? 0 : rc;
	n = a.n_project ? a.n_project : 1;
	/* Block SIGINT and SIGTERM before the server's threads start, so
	 * that they inherit the mask and the signal reaches sigwait() here
	 * rather than a worker thread (where pause() would never return). */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++)
		if (start_project(&m, &a, i) != 0) {
			stop_all(&m);
			return 1;
		}
	for (i = 0; i < a.n_add; i++) {
		if (add_issue_file(m.fg[0], a.add[i]) != 0) {
			stop_all(&m);
			return 1;
		}
	}
	fake_github_route(m.fg[0], "/_fake", control, &m);
	printf("%s\n", fake_github_url(m.fg[0]));
	fflush(stdout);
	sigwait(&set, &sig);
	stop_all(&m);
	return 0;
}
