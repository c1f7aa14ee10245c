/* SPDX-License-Identifier: Apache-2.0 */
/*
 * isg-bench-ingest: how fast and how frugally the collector archives a
 * project. It starts the fake GitHub in-process with N issues and C
 * comments, creates a fresh PostgreSQL database next to DATABASE_URL,
 * runs one full sync (and, with REDIS_URL, pushes the context messages),
 * then a second sync of the unchanged project, and prints issues per
 * second and GitHub requests per 1,000 issues next to the minimum
 * possible, ceil(N/100) + ceil(C/100) + 1, as a ratio.
 *
 * usage: isg-bench-ingest [--issues N] [--comments C] [--pulls M]
 * (DATABASE_URL or ISG_TEST_DATABASE_URL required; REDIS_URL or
 * ISG_TEST_REDIS_URL optional.)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <issuesight/issuesight.h>

#include "fake_github.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int admin(const char *conninfo, const char *sql)
{
	PGconn *pg = PQconnectdb(conninfo);
	PGresult *r = NULL;
	int ok = 0;

	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "isg-bench-ingest: cannot connect: %s",
		        PQerrorMessage(pg));
		goto done;
	}
	r = PQexec(pg, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "isg-bench-ingest: %s: %s", sql,
		        PQerrorMessage(pg));
done:
	PQclear(r);
	PQfinish(pg);
	return ok;
}

/* The conninfo of database `db` on the server of `base`. */
static char *with_dbname(const char *base, const char *db)
{
	PQconninfoOption *opts = PQconninfoParse(base, NULL), *o;
	size_t n = 64;
	char *out;

	if (!opts)
		return NULL;
	for (o = opts; o->keyword; o++)
		if (o->val)
			n += strlen(o->keyword) + strlen(o->val) * 2 + 8;
	n += strlen(db);
	out = calloc(1, n);
	for (o = opts; out && o->keyword; o++) {
		const char *v =
		        strcmp(o->keyword, "dbname") == 0 ? NULL : o->val;
		const char *p;
		size_t len = strlen(out);

		if (!v)
			continue;
		len += (size_t)snprintf(out + len, n - len, "%s='", o->keyword);
		for (p = v; *p; p++) {
			if (*p == '\'' || *p == '\\')
				out[len++] = '\\';
			out[len++] = *p;
		}
		snprintf(out + len, n - len, "' ");
	}
	if (out)
		snprintf(out + strlen(out), n - strlen(out), "dbname='%s'", db);
	PQconninfoFree(opts);
	return out;
}

static int fail(const char *what)
{
	fprintf(stderr, "isg-bench-ingest: %s: %s (%s)\n", what,
	        isg_error_last()->message,
	        isg_error_name(isg_error_last()->code));
	return 1;
}

int main(int argc, char **argv)
{
	/* scripts/test exports its services as ISG_TEST_*. */
	const char *base = getenv("DATABASE_URL")
	                           ? getenv("DATABASE_URL")
	                           : getenv("ISG_TEST_DATABASE_URL");
	const char *redis = getenv("REDIS_URL") ? getenv("REDIS_URL")
	                                        : getenv("ISG_TEST_REDIS_URL");
	fake_github_options fo;
	fake_github *fg = NULL;
	isg_store_options sto = ISG_STORE_OPTIONS_INIT;
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	isg_collector_sync_options so = ISG_COLLECTOR_SYNC_OPTIONS_INIT;
	isg_stream_options sro = ISG_STREAM_OPTIONS_INIT;
	isg_collector_sync_stats st, st2;
	isg_store *store = NULL;
	isg_stream *s = NULL;
	isg_github *gh = NULL;
	isg_collector *c = NULL;
	char db[64], sql[128], prefix[64], *conninfo = NULL;
	int issues = 5000, comments = 10000, pulls = -1, i, rc = 1;
	int created = 0;
	double t0, t1, t2, minimum, per1000;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--issues") == 0 && i + 1 < argc)
			issues = (int)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--comments") == 0 && i + 1 < argc)
			comments = (int)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--pulls") == 0 && i + 1 < argc)
			pulls = (int)strtol(argv[++i], NULL, 10);
		else {
			fprintf(stderr,
			        "usage: isg-bench-ingest [--issues N] [--comments C] [--pulls M]\n(needs DATABASE_URL; REDIS_URL optional)\n");
			return 2;
		}
	}
	if (!base || issues < 1 || comments < 0) {
		fprintf(stderr,
		        "isg-bench-ingest: DATABASE_URL is required (a server where it may create a database)\n");
		return 2;
	}
	if (isg_global_init() != ISG_OK)
		return 1;
	memset(&fo, 0, sizeof(fo));
	fo.issues = issues;
	fo.comments = comments;
	fo.pulls = pulls >= 0 ? pulls : issues / 5;
	fo.rate_limit = 1000000;
	if (fake_github_start(&fg, &fo) != 0)
		goto done;
	snprintf(db, sizeof(db), "isg_bench_ingest_%ld", (long)getpid());
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	if (!admin(base, sql))
		goto done;
	created = 1;
	conninfo = with_dbname(base, db);
	sto.conninfo = conninfo;
	if (isg_store_new(&store, &sto) != ISG_OK)
		goto fail_store;
	if (isg_store_migrate(NULL, store) != ISG_OK)
		goto fail_store;
	if (redis) {
		snprintf(prefix, sizeof(prefix), "bench:%ld:", (long)getpid());
		sro.redis_url = redis;
		sro.prefix = prefix;
		if (isg_stream_new(&s, &sro) != ISG_OK) {
			rc = fail("Redis");
			goto done;
		}
	}
	go.base_url = fake_github_url(fg);
	if (isg_github_new(&gh, &go) != ISG_OK) {
		rc = fail("GitHub client");
		goto done;
	}
	co.store = store;
	co.github = gh;
	co.stream = s;
	if (isg_collector_new(&c, &co) != ISG_OK) {
		rc = fail("collector");
		goto done;
	}
	so.push_contexts = s != NULL;
	t0 = now_s();
	if (isg_collector_sync(&st, c, "octo-org", "hello-world", &so) !=
	    ISG_OK) {
		rc = fail("sync");
		goto done;
	}
	t1 = now_s();
	if (isg_collector_sync(&st2, c, "octo-org", "hello-world", &so) !=
	    ISG_OK) {
		rc = fail("second sync");
		goto done;
	}
	t2 = now_s();
	minimum = ceil(issues / 100.0) + ceil(comments / 100.0) + 1;
	per1000 = (double)st.requests * 1000.0 / issues;
	printf("ingest: %d issues (%d pull requests), %d comments%s\n", issues,
	       fo.pulls, comments, s ? ", context messages on" : "");
	printf("full sync:   %.2f s, %.0f issues/s, %.0f comments/s, %lld contexts\n",
	       t1 - t0, issues / (t1 - t0), comments / (t1 - t0), st.contexts);
	printf("requests:    %lld = %.2f per 1000 issues; minimum %.0f = %.2f per 1000 issues; ratio %.3f\n",
	       st.requests, per1000, minimum, minimum * 1000.0 / issues,
	       (double)st.requests / minimum);
	printf("second sync: %.2f s, %lld requests, %lld answered 304 (no rate limit spent)\n",
	       t2 - t1, st2.requests, st2.not_modified);
	rc = 0;
	goto done;
fail_store:
	rc = fail("PostgreSQL");
done:
	isg_collector_free(c);
	isg_github_free(gh);
	isg_stream_free(s);
	isg_store_free(store);
	fake_github_stop(fg);
	if (created) {
		snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", db);
		admin(base, sql);
	}
	free(conninfo);
	isg_global_shutdown();
	return rc;
}
