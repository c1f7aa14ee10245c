/* SPDX-License-Identifier: Apache-2.0 */
/*
 * isg-bench-indexstore: measures the product's index storage (SQLite FTS5)
 * against a hand-written inverted index on the same token streams: build
 * time, file size, cold open, query time, peak memory, and whether both
 * rank the same top files. Each measurement runs in its own child process
 * (so getrusage's peak RSS is that of the measured work) and is repeated;
 * medians are reported. docs/index-storage.md has the results.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

#include "indexstore_int.h"

#define MAXQ 1024

typedef struct child_out {
	double secs[4];    /* meaning depends on the measurement */
	long rss_start_kb; /* resident set when the work started */
	size_t n;          /* queries answered */
	char path[1024];   /* index path (product build) */
	qres res[MAXQ];    /* warm-pass results */
} child_out;

typedef struct job {
	int kind; /* 0 product build, 1 product open+locate, 2 build, 3 run */
	const char *tree, *cache, *path;
	backend b;
	const corpus *c;
	const queries *q;
} job;

static long rss_now_kb(void)
{
	long pages = 0, res = 0;
	FILE *fp = fopen("/proc/self/statm", "r");

	if (fp) {
		if (fscanf(fp, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(fp);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The p-quantile (0..1, nearest rank) of v[0..n); sorts v. */
static double quantile(double *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0.0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(p * (double)n + 0.999999);
	return v[i ? i - 1 : 0];
}

static int open_repo(isg_repo **out, const job *j, int force)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;

	o.path_or_url = j->tree;
	o.cache_dir = j->cache;
	o.force_rebuild = force;
	if (isg_repo_open(out, &o) != ISG_OK) {
		fprintf(stderr, "isg_repo_open '%s': %s\n", j->tree,
		        isg_error_last()->message);
		return -1;
	}
	return 0;
}

static int locate_pass(const isg_repo *repo, const queries *q, qres *res)
{
	size_t i;

	for (i = 0; i < q->n && i < MAXQ; i++) {
		isg_locate_result *lr = NULL;
		double t0 = now_secs();
		const char *raw = q->items[i].raw;

		if (isg_locate_run(&lr, repo, raw, strlen(raw), NULL) !=
		    ISG_OK) {
			fprintf(stderr, "isg_locate_run: %s\n",
			        isg_error_last()->message);
			return -1;
		}
		res[i].secs = now_secs() - t0;
		isg_locate_result_free(lr);
	}
	return 0;
}

static int child_work(const job *j, child_out *o)
{
	isg_repo *repo = NULL;
	double t0 = now_secs();
	int rc = -1;

	switch (j->kind) {
	case 0:
		if (open_repo(&repo, j, 1) != 0)
			return -1;
		o->secs[0] = now_secs() - t0;
		o->secs[1] = (double)isg_repo_file_count(repo);
		snprintf(o->path, sizeof(o->path), "%s",
		         isg_repo_index_path(repo));
		rc = 0;
		break;
	case 1:
		if (open_repo(&repo, j, 0) != 0)
			return -1;
		o->secs[0] = now_secs() - t0;
		t0 = now_secs();
		if (locate_pass(repo, j->q, o->res) != 0)
			break;
		o->secs[1] = now_secs() - t0;
		rc = locate_pass(repo, j->q, o->res);
		o->n = j->q->n;
		break;
	case 2:
		rc = backend_build(j->b, j->c, j->path);
		o->secs[0] = now_secs() - t0;
		break;
	case 3:
		/* Cold pass (right after the page cache was emptied), then a
		 * warm pass whose per-query times are kept. */
		rc = backend_run(j->b, j->path, j->q, o->res, &o->secs[0],
		                 &o->secs[1]);
		o->secs[2] = now_secs() - t0;
		if (rc == 0)
			rc = backend_run(j->b, j->path, j->q, o->res,
			                 &o->secs[3], &o->secs[3]);
		o->n = j->q->n;
		break;
	}
	isg_repo_free(repo);
	return rc;
}

/* Runs j in a child; fills *o and the child's peak RSS. */
static int run_child(const job *j, child_out *o, long *maxrss_kb)
{
	int fd[2], status = 0;
	pid_t pid;
	struct rusage ru;
	size_t got = 0;

	if (pipe(fd) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		child_out *co = calloc(1, sizeof(*co));
		int rc = -1;
		size_t off = 0;

		close(fd[0]);
		if (co) {
			co->rss_start_kb = rss_now_kb();
			rc = child_work(j, co);
			while (rc == 0 && off < sizeof(*co)) {
				ssize_t w = write(fd[1], (char *)co + off,
				                  sizeof(*co) - off);

				if (w <= 0)
					rc = -1;
				else
					off += (size_t)w;
			}
		}
		_exit(rc == 0 ? 0 : 1);
	}
	close(fd[1]);
	while (got < sizeof(*o)) {
		ssize_t r = read(fd[0], (char *)o + got, sizeof(*o) - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd[0]);
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || got != sizeof(*o))
		return -1;
	*maxrss_kb = ru.ru_maxrss;
	return 0;
}

/* Writes back and drops the file's pages from the page cache, so that
 * the next open reads from the disk. */
static void evict(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	fdatasync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

typedef struct summary {
	double v[8]; /* per measurement, medians over the repetitions */
	long rss_kb, rss_delta_kb;
} summary;

static child_out *reps_out; /* scratch for the last repetition */
static int product_only;    /* --product-only: skip the back ends */

/* Repeats j `repeat` times; s->v[k] = median over repetitions of
 * field(k). For runs (kind 1 and 3), v[4] and v[5] are the median and
 * p95 of the warm per-query times. keep: the first repetition's output. */
static int measure(const job *j, int repeat, summary *s, child_out *keep)
{
	double vals[8][16], dt[MAXQ];
	long rss[16], delta[16];
	int r, k;

	memset(s, 0, sizeof(*s));
	for (r = 0; r < repeat && r < 16; r++) {
		double qt[MAXQ];
		size_t i;

		if (j->kind == 3)
			evict(j->path);
		if (run_child(j, reps_out, &rss[r]) != 0) {
			fprintf(stderr, "measurement failed (%s, kind %d)\n",
			        j->path ? j->path : j->tree, j->kind);
			return -1;
		}
		delta[r] = rss[r] - reps_out->rss_start_kb;
		for (k = 0; k < 4; k++)
			vals[k][r] = reps_out->secs[k];
		for (i = 0; i < reps_out->n && i < MAXQ; i++) {
			qt[i] = reps_out->res[i].secs;
			dt[i] = reps_out->res[i].df_secs;
		}
		vals[6][r] = quantile(dt, reps_out->n, 0.5);
		vals[4][r] = quantile(qt, reps_out->n, 0.5);
		vals[5][r] = quantile(qt, reps_out->n, 0.95);
		if (r == 0 && keep)
			memcpy(keep, reps_out, sizeof(*keep));
	}
	for (k = 0; k < 7; k++)
		s->v[k] = quantile(vals[k], (size_t)repeat, 0.5);
	{
		double a[16], b[16];

		for (r = 0; r < repeat; r++)
			a[r] = (double)rss[r], b[r] = (double)delta[r];
		s->rss_kb = (long)quantile(a, (size_t)repeat, 0.5);
		s->rss_delta_kb = (long)quantile(b, (size_t)repeat, 0.5);
	}
	return 0;
}

/* How many queries give the same ordered top-10 (ids), the same set, and
 * the mean overlap; the largest relative score difference. */
static void compare(const child_out *a, const child_out *b, size_t n,
                    const char *what)
{
	size_t i, same = 0, sameset = 0, overlap = 0, total = 0;
	double maxrel = 0.0;

	for (i = 0; i < n; i++) {
		const qres *x = &a->res[i], *y = &b->res[i];
		int k, m, ordered = x->n == y->n, inter = 0;

		for (k = 0; k < x->n; k++) {
			if (ordered && x->ids[k] != y->ids[k])
				ordered = 0;
			for (m = 0; m < y->n; m++)
				if (x->ids[k] == y->ids[m]) {
					double d = x->scores[k] - y->scores[m];
					double rel =
					        (d < 0 ? -d : d) /
					        (x->scores[k] > 0 ? x->scores[k]
					                          : 1.0);

					if (rel > maxrel)
						maxrel = rel;
					inter++;
				}
		}
		same += ordered;
		sameset += inter == x->n && x->n == y->n;
		overlap += (size_t)inter;
		total += (size_t)(x->n > y->n ? x->n : y->n);
	}
	printf("| %s | %zu / %zu | %zu / %zu | %.1f %% | %.2g |\n", what, same,
	       n, sameset, n,
	       total ? 100.0 * (double)overlap / (double)total : 100.0, maxrel);
}

static const char *const ext[BACKEND_COUNT] = { "fts5.sqlite", "fts5col.sqlite",
	                                        "fts5lean.sqlite", "istore.idx",
	                                        "istore.idx" };

static int bench_tree(const char *tree, const char *work, const queries *q,
                      int repeat)
{
	char cache[1100], paths[BACKEND_COUNT][1100], prod[1024];
	static child_out keep[BACKEND_COUNT];
	summary s;
	corpus c;
	job j;
	uint64_t ntok = 0;
	size_t i;
	int b;

	memset(&j, 0, sizeof(j));
	snprintf(cache, sizeof(cache), "%s/cache", work);
	for (b = 0; b < BACKEND_COUNT; b++)
		snprintf(paths[b], sizeof(paths[b]), "%s/%s", work, ext[b]);
	j.tree = tree;
	j.cache = cache;
	j.q = q;
	printf("\n## %s\n\n", tree);
	printf("| what | median | p95 or more | peak RSS | RSS added |\n");
	printf("|---|---|---|---|---|\n");
	j.kind = 0;
	if (measure(&j, repeat, &s, &keep[0]) != 0)
		return -1;
	snprintf(prod, sizeof(prod), "%s", keep[0].path);
	printf("| product build (isg_repo_open, force_rebuild; walk, parse, tokenize, FTS5), %.0f files | %.3f s | | %ld MB | %ld MB |\n",
	       keep[0].secs[1], s.v[0], s.rss_kb / 1024, s.rss_delta_kb / 1024);
	j.kind = 1;
	evict(prod);
	if (measure(&j, repeat, &s, NULL) != 0)
		return -1;
	printf("| product reopen (isg_repo_open reuse: walk + load rows) | %.3f s | | %ld MB | %ld MB |\n",
	       s.v[0], s.rss_kb / 1024, s.rss_delta_kb / 1024);
	printf("| product isg_locate_run, warm, per issue | %.2f ms | %.2f ms | | |\n",
	       s.v[4] * 1e3, s.v[5] * 1e3);
	if (product_only) {
		printf("| product index size | %.1f MB | | | |\n",
		       (double)file_size(prod) / 1048576.0);
		fflush(stdout);
		return 0;
	}
	if (corpus_load(&c, prod) != 0)
		return -1;
	for (i = 0; i < c.ndocs * 3; i++) {
		const char *p = c.text + c.off[i], *e = p + c.len[i];

		while (p < e) {
			const char *sp = memchr(p, ' ', (size_t)(e - p));
			size_t n = sp ? (size_t)(sp - p) : (size_t)(e - p);

			ntok += n > 0;
			p += n + 1;
		}
	}
	j.c = &c;
	j.kind = 2;
	for (b = 0; b < BACKEND_COUNT; b++) {
		if (b == BACKEND_ISTORE_F)
			continue;
		j.b = (backend)b;
		j.path = paths[b];
		if (measure(&j, repeat, &s, NULL) != 0) {
			corpus_free(&c);
			return -1;
		}
		printf("| build %s from the token streams | %.3f s | | %ld MB | %ld MB |\n",
		       backend_name(j.b), s.v[0], s.rss_kb / 1024,
		       s.rss_delta_kb / 1024);
	}
	printf("\nCorpus: %zu documents, %llu tokens, %zu MB of token text.\n",
	       c.ndocs, (unsigned long long)ntok, c.text_len >> 20);
	corpus_free(&c);
	printf("\n| file | size |\n|---|---|\n");
	printf("| product index (files, defs, imports, FTS5) | %.1f MB |\n",
	       (double)file_size(prod) / 1048576.0);
	for (b = 0; b < BACKEND_ISTORE_F; b++)
		printf("| %s | %.1f MB |\n", backend_name((backend)b),
		       (double)file_size(paths[b]) / 1048576.0);
	printf("\n| back end | open (cold) | open + 1st query (cold) | %zu queries, cold | warm query median | p95 | of which df lookups (median) | peak RSS | RSS added |\n|---|---|---|---|---|---|---|---|---|\n",
	       q->n);
	j.kind = 3;
	for (b = 0; b < BACKEND_COUNT; b++) {
		j.b = (backend)b;
		j.path = paths[b];
		if (measure(&j, repeat, &s, &keep[b]) != 0)
			return -1;
		printf("| %s | %.2f ms | %.2f ms | %.1f ms | %.3f ms | %.3f ms | %.3f ms | %ld MB | %ld MB |\n",
		       backend_name(j.b), s.v[0] * 1e3, s.v[1] * 1e3,
		       s.v[2] * 1e3, s.v[4] * 1e3, s.v[5] * 1e3, s.v[6] * 1e3,
		       s.rss_kb / 1024, s.rss_delta_kb / 1024);
	}
	printf("\n| top-10 files compared with fts5 | same order | same set | overlap | max rel. score diff |\n|---|---|---|---|---|\n");
	compare(&keep[BACKEND_FTS5], &keep[BACKEND_ISTORE], q->n,
	        "istore (FTS5 bm25 formula)");
	compare(&keep[BACKEND_FTS5], &keep[BACKEND_ISTORE_F], q->n,
	        "istore BM25F");
	compare(&keep[BACKEND_FTS5], &keep[BACKEND_FTS5_COL], q->n,
	        "fts5 detail=column");
	compare(&keep[BACKEND_FTS5], &keep[BACKEND_FTS5_LEAN], q->n,
	        "fts5 contentless");
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *issues = "/work/shared/bench/localization-dev.jsonl";
	const char *work = "/tmp/isg-indexstore";
	int repeat = 3, i, rc = 1;
	queries q;

	memset(&q, 0, sizeof(q));
	while (argc > 1 && argv[1][0] == '-') {
		if (strcmp(argv[1], "--repeat") == 0 && argc > 2) {
			repeat = (int)strtol(argv[2], NULL, 10);
		} else if (strcmp(argv[1], "--issues") == 0 && argc > 2) {
			issues = argv[2];
		} else if (strcmp(argv[1], "--work") == 0 && argc > 2) {
			work = argv[2];
		} else if (strcmp(argv[1], "--product-only") == 0) {
			product_only = 1;
			argc--, argv++;
			continue;
		} else {
			break;
		}
		argc -= 2, argv += 2;
	}
	if (argc < 2 || repeat < 1 || repeat > 15) {
		fprintf(stderr,
		        "usage: isg-bench-indexstore [--repeat N (1-15, 3)] [--issues FILE.jsonl] [--work DIR] [--product-only] TREE...\n");
		return 2;
	}
	if (isg_global_init() != ISG_OK)
		return 1;
	reps_out = calloc(1, sizeof(*reps_out));
	if (!reps_out || queries_load(&q, issues) != 0 || q.n > MAXQ) {
		fprintf(stderr, "cannot load the issues of '%s'\n", issues);
		goto done;
	}
	printf("# isg-bench-indexstore: %zu issues, %d repetitions, medians\n",
	       q.n, repeat);
	rc = 0;
	for (i = 1; i < argc && rc == 0; i++) {
		char dir[1024], cache[1100];

		snprintf(dir, sizeof(dir), "%s/t%d", work, i);
		snprintf(cache, sizeof(cache), "%s/cache", dir);
		if ((mkdir(work, 0755) != 0 && errno != EEXIST) ||
		    (mkdir(dir, 0755) != 0 && errno != EEXIST) ||
		    (mkdir(cache, 0755) != 0 && errno != EEXIST)) {
			fprintf(stderr, "cannot create '%s': %s\n", cache,
			        strerror(errno));
			rc = 1;
		} else if (bench_tree(argv[i], dir, &q, repeat) != 0) {
			rc = 1;
		}
	}
done:
	queries_free(&q);
	free(reps_out);
	isg_global_shutdown();
	return rc;
}
