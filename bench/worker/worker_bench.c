/* SPDX-License-Identifier: Apache-2.0 */
/*
 * isg-bench-worker: how close N worker processes come to the ideal
 * throughput (N x in-flight cap / model latency) against the fake OpenAI
 * server at a fixed latency, the tokens per bridge, and each process's
 * peak resident memory. The fakes (GitHub serving examples/sample/repo,
 * OpenAI) run in this process; the workers are this program re-executed
 * with --worker, so their memory is their own. Each run gets issues of
 * its own, PENDING rows and one context message each (as the collector
 * pushes them), and is timed from the first message to the last
 * COMPLETED row.
 *
 *   isg-bench-worker [--latency-ms 1000] [--concurrency 8] [--rounds 5]
 *                    [--procs 1,2,4]
 * Needs DATABASE_URL (a server where it may create a database) and
 * REDIS_URL (or the ISG_TEST_* of scripts/test); ISG_SOURCE_ROOT or the
 * current directory locates examples/sample/repo.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <issuesight/issuesight.h>

#include "fake_github.h"
#include "fake_openai.h"

#define MAX_PROCS 16

static volatile sig_atomic_t stopping;
static isg_worker *volatile the_worker;

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
		fprintf(stderr, "isg-bench-worker: cannot connect: %s",
		        PQerrorMessage(pg));
		goto done;
	}
	r = PQexec(pg, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	     PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "isg-bench-worker: %s: %s", sql,
		        PQerrorMessage(pg));
done:
	PQclear(r);
	PQfinish(pg);
	return ok;
}

static double scalar(const char *conninfo, const char *sql)
{
	PGconn *pg = PQconnectdb(conninfo);
	PGresult *r = PQexec(pg, sql);
	double v = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    !PQgetisnull(r, 0, 0))
		v = strtod(PQgetvalue(r, 0, 0), NULL);
	PQclear(r);
	PQfinish(pg);
	return v;
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
	fprintf(stderr, "isg-bench-worker: %s: %s (%s)\n", what,
	        isg_error_last()->message,
	        isg_error_name(isg_error_last()->code));
	return 1;
}

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
	if (the_worker)
		isg_worker_stop(the_worker);
}

/* Worker mode: argv = --worker conninfo redis prefix github openai cache
 * concurrency name. Runs until SIGTERM. */
static int worker_main(char **a)
{
	isg_store_options so = ISG_STORE_OPTIONS_INIT;
	isg_stream_options sto = ISG_STREAM_OPTIONS_INIT;
	isg_lock_options lo = ISG_LOCK_OPTIONS_INIT;
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_llm_options llo = ISG_LLM_OPTIONS_INIT;
	isg_worker_options wo = ISG_WORKER_OPTIONS_INIT;
	isg_store *st = NULL;
	isg_stream *s = NULL;
	isg_lock *lock = NULL;
	isg_github *gh = NULL;
	isg_llm *llm = NULL;
	isg_worker *w = NULL;
	int rc = 1, conc = (int)strtol(a[6], NULL, 10);

	signal(SIGTERM, on_term);
	if (isg_global_init() != ISG_OK)
		return 1;
	so.conninfo = a[0];
	so.pool_size = 2;
	sto.redis_url = a[1];
	sto.prefix = a[2];
	lo.redis_url = a[1];
	go.base_url = a[3];
	llo.base_url = a[4];
	llo.max_in_flight = conc;
	llo.timeout_s = 60;
	if (isg_store_new(&st, &so) != ISG_OK ||
	    isg_stream_new(&s, &sto) != ISG_OK ||
	    isg_lock_new(&lock, &lo) != ISG_OK ||
	    isg_github_new(&gh, &go) != ISG_OK ||
	    isg_llm_new(&llm, &llo) != ISG_OK) {
		rc = fail("worker backends");
		goto done;
	}
	wo.store = st;
	wo.github = gh;
	wo.stream = s;
	wo.lock = lock;
	wo.llm = llm;
	wo.cache_dir = a[5];
	wo.concurrency = conc;
	wo.name = a[7];
	wo.block_ms = 200;
	wo.janitor_interval_s = 3600;
	if (isg_worker_new(&w, &wo) != ISG_OK) {
		rc = fail("worker");
		goto done;
	}
	the_worker = w;
	if (!stopping)
		isg_worker_run(w, 1000);
	rc = 0;
done:
	the_worker = NULL;
	isg_worker_free(w);
	isg_llm_free(llm);
	isg_github_free(gh);
	isg_lock_free(lock);
	isg_stream_free(s);
	isg_store_free(st);
	isg_global_shutdown();
	return rc;
}

/* What a run needs. */
typedef struct bench {
	char *conninfo;
	const char *redis;
	const char *self;
	fake_github *fg;
	fake_openai *fo;
	isg_store *st;
	char cache[512];
	int latency_ms, conc, rounds;
} bench;

static long peak_rss_kb(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static pid_t spawn(const bench *b, const char *prefix, int k)
{
	char conc[16], name[32];
	pid_t pid;

	snprintf(conc, sizeof(conc), "%d", b->conc);
	snprintf(name, sizeof(name), "bench-%d", k);
	pid = fork();
	if (pid == 0) {
		execl(b->self, b->self, "--worker", b->conninfo, b->redis,
		      prefix, fake_github_url(b->fg), fake_openai_url(b->fo),
		      b->cache, conc, name, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* PENDING rows and one context message for issues first..first+n-1. */
static int enqueue(const bench *b, isg_stream *s, int first, int n)
{
	char msg[256];
	int i;

	for (i = first; i < first + n; i++) {
		isg_store_issue_info info;
		isg_store_content_ref ref;

		memset(&info, 0, sizeof(info));
		if (isg_store_issue_get(&info, b->st, "octo-org/hello-world",
		                        i) != ISG_OK ||
		    isg_store_content_ensure(&ref, b->st, info.id) != ISG_OK) {
			isg_store_issue_info_dispose(&info);
			return fail("content row");
		}
		isg_store_issue_info_dispose(&info);
		snprintf(
		        msg, sizeof(msg),
		        "{\"schema_version\":1,\"owner\":\"octo-org\",\"repo\":\"hello-world\",\"number\":%d,\"source\":\"task\"}",
		        i);
		if (isg_stream_add(NULL, s, ISG_STREAM_CONTEXTS, msg,
		                   strlen(msg)) != ISG_OK)
			return fail("XADD");
	}
	return 0;
}

/* One run with `procs` workers on `n` fresh issues from `first`. */
static int run(const bench *b, int procs, int first, int n)
{
	isg_stream_options so = ISG_STREAM_OPTIONS_INIT;
	isg_stream *s = NULL;
	pid_t pids[MAX_PROCS];
	char prefix[64], sql[256];
	double t0, secs, ideal, tokens;
	long rss, peak = 0;
	int i, rc = 1, done = 0;

	snprintf(prefix, sizeof(prefix), "wbench:%ld:%d:", (long)getpid(),
	         procs);
	so.redis_url = b->redis;
	so.prefix = prefix;
	if (isg_stream_new(&s, &so) != ISG_OK)
		return fail("Redis");
	for (i = 0; i < procs; i++)
		pids[i] = spawn(b, prefix, i);
	sleep(2); /* connected, group joined, janitor done, waiting */
	t0 = now_s();
	if (enqueue(b, s, first, n) != 0)
		goto done;
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM tutorial_contents t JOIN github_issues "
	         "i ON i.id = t.issue_id WHERE t.status = 'COMPLETED' AND "
	         "i.issue_number BETWEEN %d AND %d",
	         first, first + n - 1);
	while (done < n && now_s() - t0 < 600) {
		struct timespec ts = { 0, 20000000L };

		nanosleep(&ts, NULL);
		done = (int)scalar(b->conninfo, sql);
	}
	secs = now_s() - t0;
	for (i = 0; i < procs; i++) {
		rss = peak_rss_kb(pids[i]);
		if (rss > peak)
			peak = rss;
		kill(pids[i], SIGTERM);
	}
	for (i = 0; i < procs; i++)
		waitpid(pids[i], NULL, 0);
	snprintf(sql, sizeof(sql),
	         "SELECT avg(t.prompt_tokens + t.completion_tokens) FROM "
	         "tutorial_contents t JOIN github_issues i ON i.id = "
	         "t.issue_id WHERE i.issue_number BETWEEN %d AND %d",
	         first, first + n - 1);
	tokens = scalar(b->conninfo, sql);
	ideal = procs * b->conc / (b->latency_ms / 1000.0);
	printf("| %d | %d | %d | %.2f | %.2f | %.2f | %.1f%% | %.0f | %.1f | "
	       "%.2f |\n",
	       procs, b->conc, n, secs, n / secs, ideal,
	       100.0 * (n / secs) / ideal, tokens, peak / 1024.0,
	       peak / 1024.0 / b->conc);
	fflush(stdout);
	rc = done == n ? 0 : 1;
done:
	isg_stream_free(s);
	return rc;
}

static int parse_args(bench *b, int *procs, int *nprocs, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--latency-ms") == 0 && i + 1 < argc)
			b->latency_ms = (int)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--concurrency") == 0 && i + 1 < argc)
			b->conc = (int)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			b->rounds = (int)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--procs") == 0 && i + 1 < argc) {
			char *p = argv[++i];

			*nprocs = 0;
			while (*p && *nprocs < MAX_PROCS) {
				procs[(*nprocs)++] = (int)strtol(p, &p, 10);
				if (*p == ',')
					p++;
			}
		} else {
			fprintf(stderr,
			        "usage: isg-bench-worker [--latency-ms MS] [--concurrency C] [--rounds R] [--procs 1,2,4]\n");
			return 2;
		}
	}
	return b->latency_ms > 0 && b->conc > 0 && b->rounds > 0 ? 0 : 2;
}

/* Fakes, a fresh database with the project's issues archived. */
static int setup(bench *b, const char *base, const char *db, int issues)
{
	const char *root = getenv("ISG_SOURCE_ROOT");
	fake_github_options fo;
	fake_openai_options oo = { NULL, b->latency_ms, 0, 256, 16 };
	isg_store_options sto = ISG_STORE_OPTIONS_INIT;
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_collector_options co = ISG_COLLECTOR_OPTIONS_INIT;
	isg_github *gh = NULL;
	isg_collector *c = NULL;
	char code[1024], sql[128];
	int rc;

	snprintf(code, sizeof(code), "%s/examples/sample/repo",
	         root ? root : ".");
	memset(&fo, 0, sizeof(fo));
	fo.issues = issues;
	fo.pulls = -1;
	fo.comments = issues;
	fo.rate_limit = 1000000;
	fo.code_dir = code;
	fo.threads = 16;
	if (fake_github_start(&b->fg, &fo) != 0 ||
	    fake_openai_start(&b->fo, &oo) != 0)
		return fail("fakes");
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	if (!admin(base, sql))
		return 1;
	b->conninfo = with_dbname(base, db);
	sto.conninfo = b->conninfo;
	sto.pool_size = 2;
	if (isg_store_new(&b->st, &sto) != ISG_OK ||
	    isg_store_migrate(NULL, b->st) != ISG_OK)
		return fail("PostgreSQL");
	go.base_url = fake_github_url(b->fg);
	co.store = b->st;
	co.github = gh;
	if (isg_github_new(&gh, &go) != ISG_OK)
		return fail("GitHub client");
	co.github = gh;
	rc = isg_collector_new(&c, &co);
	if (rc == ISG_OK)
		rc = isg_collector_sync(NULL, c, "octo-org", "hello-world",
		                        NULL);
	isg_collector_free(c);
	isg_github_free(gh);
	return rc == ISG_OK ? 0 : fail("sync");
}

int main(int argc, char **argv)
{
	const char *base = getenv("DATABASE_URL")
	                           ? getenv("DATABASE_URL")
	                           : getenv("ISG_TEST_DATABASE_URL");
	bench b;
	int procs[MAX_PROCS] = { 1, 2, 4 }, nprocs = 3, i, first = 1;
	int issues = 0, rc;
	char db[64], sql[640];

	if (argc == 10 && strcmp(argv[1], "--worker") == 0)
		return worker_main(argv + 2);
	memset(&b, 0, sizeof(b));
	b.latency_ms = 1000;
	b.conc = 8;
	b.rounds = 5;
	b.self = argv[0];
	b.redis = getenv("REDIS_URL") ? getenv("REDIS_URL")
	                              : getenv("ISG_TEST_REDIS_URL");
	if ((rc = parse_args(&b, procs, &nprocs, argc, argv)) != 0)
		return rc;
	if (!base || !b.redis) {
		fprintf(stderr,
		        "isg-bench-worker: DATABASE_URL and REDIS_URL are required\n");
		return 2;
	}
	for (i = 0; i < nprocs; i++)
		issues += procs[i] * b.conc * b.rounds;
	if (isg_global_init() != ISG_OK)
		return 1;
	snprintf(db, sizeof(db), "isg_bench_worker_%ld", (long)getpid());
	snprintf(b.cache, sizeof(b.cache), "/tmp/isg-bench-worker-%ld",
	         (long)getpid());
	rc = setup(&b, base, db, issues + 1);
	if (rc == 0) {
		printf("worker bench: model latency %d ms, %d in flight per "
		       "process, %d rounds\n\n",
		       b.latency_ms, b.conc, b.rounds);
		printf("| processes | in-flight cap | jobs | seconds | jobs/s | "
		       "ideal jobs/s | of ideal | tokens/bridge | peak RSS MB "
		       "| MB per in-flight job |\n|---|---|---|---|---|---|---|"
		       "---|---|---|\n");
		/* One job first, not timed: the snapshot and its index. */
		rc = run(&b, 1, first, 1) != 0;
		first += 1;
		printf("(the row above warmed the snapshot cache)\n");
	}
	for (i = 0; rc == 0 && i < nprocs; i++) {
		int n = procs[i] * b.conc * b.rounds;

		rc = run(&b, procs[i], first, n);
		first += n;
	}
	isg_store_free(b.st);
	fake_openai_stop(b.fo);
	fake_github_stop(b.fg);
	snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", db);
	if (b.conninfo)
		admin(base, sql);
	free(b.conninfo);
	snprintf(sql, sizeof(sql), "rm -rf %s", b.cache);
	if (system(sql) != 0)
		rc = 1;
	isg_global_shutdown();
	return rc;
}
