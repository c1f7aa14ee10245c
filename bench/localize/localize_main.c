/* SPDX-License-Identifier: Apache-2.0 */
/*
 * isg-bench-localize: file-level localization accuracy of the locate API on
 * real issues, next to a whole-file BM25 baseline computed in the same run.
 * For each issue it checks the repository out at the base commit, indexes
 * it through the public repo API, ranks files with isg_locate_run() and counts
 * Acc@1/3/5 (all gold files within the top k) and MRR (first gold file).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include <issuesight/issuesight.h>
#include <issuesight/locate.h>
#include <issuesight/repo.h>

#include "localize_int.h"

typedef struct opts {
	const char *jsonl, *mirrors, *workdir, *only;
	const char *dev_repos; /* comma-separated: the development half */
	size_t limit, top;
	int json, verbose, baseline_only, reuse_index, no_history;
} opts;

/* Totals for one repository (index 0 holds all issues), one language
 * ("lang:rust") or one half ("half:development"). */
typedef struct group {
	char repo[128];
	lb_totals ours, base;
	lb_def_totals defs;
} group;

typedef struct run {
	opts o;
	group *groups;
	size_t ngroups;
	/* Issues whose fix changed one file, as in SWE-bench Lite. */
	group single;
	size_t miss[LB_MISS_COUNT];
	/* Issues left out: no gold code file exists at the base commit. */
	size_t no_code_gold;
	cJSON *per_issue;
	char index_dir[4200];
} run;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: isg-bench-localize --jsonl FILE --mirrors DIR [options]\n"
	        "\n"
	        "File-level localization of the locate API against a whole-file\n"
	        "BM25 baseline (k1=1.2, b=0.75) on issues with known fixes.\n"
	        "\n"
	        "  --jsonl FILE     issues: {instance_id, repo, base_commit,\n"
	        "                   problem_statement, gold_files} a line\n"
	        "  --mirrors DIR    bare git mirrors, DIR/<owner>+<name>\n"
	        "  --workdir DIR    checkouts and indexes, reused between runs\n"
	        "                   (default /tmp/isg-bench-checkouts)\n"
	        "  --limit N        only the first N issues (after --only)\n"
	        "  --only REPO      only issues of REPO (owner/name or name)\n"
	        "  --top K          ranking length, MRR@K (default 10, min 5)\n"
	        "  --json           machine-readable results on stdout\n"
	        "  --verbose        per issue: gold files, our top 5 with\n"
	        "                   reasons, why each miss happened\n"
	        "  --baseline-only  run only the BM25 baseline\n"
	        "  --reuse-index    reuse cached indexes (default: rebuild,\n"
	        "                   so that index time is measured)\n"
	        "  --no-history     locate without the git-history signal\n"
	        "                   (isg_locate_options.no_history)\n"
	        "  --dev-repos LIST comma-separated repositories of the\n"
	        "                   development half: results are also\n"
	        "                   reported per half\n"
	        "\n"
	        "Rows with a `language` field are scored on their gold code\n"
	        "files that exist at the base commit (changelogs and files\n"
	        "the fix creates left out; a row with none is skipped). Rows\n"
	        "with `gold_spans` are also scored on definitions.\n"
	        "\n"
	        "exit codes: 0 success, 1 failure, 2 usage error\n");
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return -1;
	*out = (size_t)v;
	return 0;
}

static int parse_args(opts *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->workdir = "/tmp/isg-bench-checkouts";
	o->top = 10;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(a, "--json") == 0) {
			o->json = 1, takes = 0;
		} else if (strcmp(a, "--verbose") == 0) {
			o->verbose = 1, takes = 0;
		} else if (strcmp(a, "--baseline-only") == 0) {
			o->baseline_only = 1, takes = 0;
		} else if (strcmp(a, "--reuse-index") == 0) {
			o->reuse_index = 1, takes = 0;
		} else if (strcmp(a, "--no-history") == 0) {
			o->no_history = 1, takes = 0;
		} else if (!v) {
			fprintf(stderr,
			        "isg-bench-localize: %s needs a value or is unknown\n",
			        a);
			return -1;
		} else if (strcmp(a, "--jsonl") == 0) {
			o->jsonl = v;
		} else if (strcmp(a, "--mirrors") == 0) {
			o->mirrors = v;
		} else if (strcmp(a, "--workdir") == 0) {
			o->workdir = v;
		} else if (strcmp(a, "--only") == 0) {
			o->only = v;
		} else if (strcmp(a, "--dev-repos") == 0) {
			o->dev_repos = v;
		} else if (strcmp(a, "--limit") == 0) {
			if (parse_size(v, &o->limit) != 0 || o->limit == 0) {
				fprintf(stderr,
				        "isg-bench-localize: bad --limit '%s' (want a positive integer)\n",
				        v);
				return -1;
			}
		} else if (strcmp(a, "--top") == 0) {
			if (parse_size(v, &o->top) != 0 || o->top < 5 ||
			    o->top > 1000) {
				fprintf(stderr,
				        "isg-bench-localize: bad --top '%s' (want 5 to 1000)\n",
				        v);
				return -1;
			}
		} else {
			fprintf(stderr,
			        "isg-bench-localize: unknown option '%s'\n", a);
			return -1;
		}
		i += takes;
	}
	if (!o->jsonl || !o->mirrors) {
		fprintf(stderr,
		        "isg-bench-localize: --jsonl and --mirrors are required (see --help)\n");
		return -1;
	}
	return 0;
}

static int repo_matches(const char *repo, const char *only)
{
	const char *slash = strchr(repo, '/');

	return strcmp(repo, only) == 0 ||
	       (slash && strcmp(slash + 1, only) == 0);
}

static group *group_for(run *r, const char *repo)
{
	size_t i;

	for (i = 1; i < r->ngroups; i++)
		if (strcmp(r->groups[i].repo, repo) == 0)
			return &r->groups[i];
	snprintf(r->groups[r->ngroups].repo, sizeof(r->groups[0].repo), "%s",
	         repo);
	return &r->groups[r->ngroups++];
}

/* 1 when `repo` is in the comma-separated list. */
static int in_list(const char *list, const char *repo)
{
	size_t n = strlen(repo);
	const char *p = list;

	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && strncmp(p, repo, n) == 0)
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

/* The groups an issue counts in besides "all": its repository, its
 * language, its half. Returns how many were written to out[0..3). */
static size_t groups_of(run *r, const lb_issue *is, group **out)
{
	char name[100];
	size_t n = 0;

	out[n++] = group_for(r, is->repo);
	if (is->language) {
		snprintf(name, sizeof(name), "lang:%s", is->language);
		out[n++] = group_for(r, name);
	}
	if (r->o.dev_repos)
		out[n++] = group_for(r, in_list(r->o.dev_repos, is->repo)
		                                ? "half:development"
		                                : "half:held-out");
	return n;
}

/* Rows with a `language` field: their gold code files that exist at the
 * base commit (lb_is_source_path, a regular file in `dir`). */
static size_t code_gold(const lb_issue *is, const char *dir, const char **out)
{
	size_t g, n = 0;

	for (g = 0; g < is->ngold; g++) {
		char path[4600];
		struct stat st;

		if (!is->language) {
			out[n++] = is->gold[g];
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, is->gold[g]);
		if (lb_is_source_path(is->gold[g]) && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode))
			out[n++] = is->gold[g];
	}
	return n;
}

static cJSON *ranks_json(const lb_ranks *rk, const size_t *gold_rank,
                         size_t ngold)
{
	cJSON *o = cJSON_CreateObject(), *a = cJSON_CreateArray();
	size_t g;

	cJSON_AddNumberToObject(o, "first", (double)rk->first);
	cJSON_AddNumberToObject(o, "all", (double)rk->all);
	for (g = 0; g < ngold; g++)
		cJSON_AddItemToArray(a,
		                     cJSON_CreateNumber((double)gold_rank[g]));
	cJSON_AddItemToObject(o, "gold_ranks", a);
	return o;
}

static void print_top(const isg_locate_result *res, size_t n)
{
	size_t i, j, c = isg_locate_result_count(res, ISG_LOCATE_CHANGE);

	for (i = 0; i < n && i < c; i++) {
		size_t nr = isg_locate_result_reason_count(
		        res, ISG_LOCATE_CHANGE, i);

		printf("   ours %zu. %s  %.3f", i + 1,
		       isg_locate_result_path(res, ISG_LOCATE_CHANGE, i),
		       isg_locate_result_score(res, ISG_LOCATE_CHANGE, i));
		for (j = 0; j < nr && j < 3; j++)
			printf("%s%s", j ? "; " : "  <- ",
			       isg_locate_result_reason(res, ISG_LOCATE_CHANGE,
			                                i, j));
		printf("\n");
	}
}

/* Runs our method on one checkout: fills ranked[0..*n) (borrowed from
 * *res) and the times. Returns 0, or -1 after printing the error. */
static int run_ours(run *r, const lb_issue *is, const char *dir,
                    isg_repo **repo, isg_locate_result **res,
                    const char **ranked, size_t *n, double *index_s,
                    double *query_s)
{
	isg_repo_options ro = ISG_REPO_OPTIONS_INIT;
	isg_locate_options lo = ISG_LOCATE_OPTIONS_INIT;
	double t0 = now_s();
	size_t i;
	int rc;

	ro.path_or_url = dir;
	ro.cache_dir = r->index_dir;
	ro.force_rebuild = !r->o.reuse_index;
	rc = isg_repo_open(repo, &ro);
	*index_s = now_s() - t0;
	if (rc != ISG_OK) {
		fprintf(stderr,
		        "isg-bench-localize: %s: isg_repo_open: %s: %s\n",
		        is->instance_id, isg_error_name(rc),
		        isg_error_last()->message);
		return -1;
	}
	lo.top_k = r->o.top;
	lo.no_history = r->o.no_history;
	t0 = now_s();
	rc = isg_locate_run(res, *repo, is->problem_statement,
	                    strlen(is->problem_statement), &lo);
	*query_s = now_s() - t0;
	if (rc != ISG_OK) {
		fprintf(stderr,
		        "isg-bench-localize: %s: isg_locate_run: %s: %s\n",
		        is->instance_id, isg_error_name(rc),
		        isg_error_last()->message);
		return -1;
	}
	*n = isg_locate_result_count(*res, ISG_LOCATE_CHANGE);
	if (*n > r->o.top)
		*n = r->o.top;
	for (i = 0; i < *n; i++)
		ranked[i] = isg_locate_result_path(*res, ISG_LOCATE_CHANGE, i);
	return 0;
}

/* Categorizes each gold file of ours that is not within the top 5. */
static void diagnose(run *r, const lb_issue *is, const char *const *gold,
                     size_t ngold, const isg_repo *repo,
                     const isg_locate_result *res, const size_t *ours_rank,
                     cJSON *jissue)
{
	cJSON *misses = cJSON_CreateArray();
	size_t g;

	for (g = 0; g < ngold; g++) {
		char detail[600];
		lb_miss m;
		cJSON *jm;

		if (ours_rank[g] > 0 && ours_rank[g] <= 5)
			continue;
		m = lb_diagnose(repo, res, is->problem_statement,
		                strlen(is->problem_statement), gold[g], detail,
		                sizeof(detail));
		r->miss[m]++;
		if (r->o.verbose)
			printf("   miss %s (rank %zu): %s; %s\n", gold[g],
			       ours_rank[g], lb_miss_name[m], detail);
		jm = cJSON_CreateObject();
		cJSON_AddStringToObject(jm, "gold", gold[g]);
		cJSON_AddNumberToObject(jm, "rank", (double)ours_rank[g]);
		cJSON_AddStringToObject(jm, "category", lb_miss_name[m]);
		cJSON_AddStringToObject(jm, "detail", detail);
		cJSON_AddItemToArray(misses, jm);
	}
	cJSON_AddItemToObject(jissue, "misses", misses);
}

/* Definition names of `res` (at most 10), scored against the gold
 * definitions in every group of the issue. */
static void score_defs(run *r, const lb_issue *is, const isg_locate_result *res,
                       group **gs, size_t ngs, cJSON *j)
{
	const char *names[10];
	size_t n = isg_locate_result_definition_count(res), i;
	cJSON *a;

	if (!is->ngold_defs)
		return;
	if (n > 10)
		n = 10;
	for (i = 0; i < n; i++)
		names[i] = isg_locate_result_definition(res, i);
	for (i = 0; i < ngs; i++)
		lb_def_totals_add(&gs[i]->defs, names, n,
		                  (const char *const *)is->gold_defs,
		                  is->ngold_defs);
	lb_def_totals_add(&r->groups[0].defs, names, n,
	                  (const char *const *)is->gold_defs, is->ngold_defs);
	a = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(names[i]));
	cJSON_AddItemToObject(j, "definitions", a);
	cJSON_AddBoolToObject(j, "definitions_hit_at_10",
	                      lb_def_hit(names, n,
	                                 (const char *const *)is->gold_defs,
	                                 is->ngold_defs, 10));
	if (!r->o.verbose)
		return;
	for (i = 0; i < is->ngold_defs; i++)
		printf("   gold def %s\n", is->gold_defs[i]);
	for (i = 0; i < n && i < 5; i++)
		printf("   ours def %zu. %s (line %u)  %.3f\n", i + 1, names[i],
		       isg_locate_result_definition_line(res, i),
		       isg_locate_result_definition_score(res, i));
}

static void run_issue(run *r, const lb_issue *is)
{
	const char **ours = NULL, **base = NULL, **gold = NULL;
	size_t *ours_rank = NULL, *base_rank = NULL, nours = 0, nbase = 0, g;
	size_t ngold = 0, ngs = 0;
	double bi = 0, bq = 0, oi = 0, oq = 0, t0;
	lb_ranks ro = { 0, 0, 0 }, rb = { 0, 0, 0 };
	lb_checkout_stats st;
	isg_locate_result *res = NULL;
	isg_repo *repo = NULL;
	lb_bm25 *bm = NULL;
	char err[600], *dir = NULL;
	int ours_failed = 1, base_failed = 1, counted = 1;
	cJSON *j = cJSON_CreateObject();
	group *gs[3];

	cJSON_AddStringToObject(j, "instance_id", is->instance_id);
	cJSON_AddStringToObject(j, "repo", is->repo);
	ours = calloc(r->o.top, sizeof(*ours));
	base = calloc(r->o.top, sizeof(*base));
	gold = calloc(is->ngold, sizeof(*gold));
	ours_rank = calloc(is->ngold, sizeof(*ours_rank));
	base_rank = calloc(is->ngold, sizeof(*base_rank));
	if (!ours || !base || !gold || !ours_rank || !base_rank) {
		fprintf(stderr, "isg-bench-localize: out of memory\n");
		goto done;
	}
	for (g = 0; g < is->ngold; g++)
		gold[g] = is->gold[g];
	ngold = is->ngold;
	if (lb_checkout(&dir, r->o.mirrors, r->o.workdir, is->repo,
	                is->base_commit, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "isg-bench-localize: %s: checkout: %s\n",
		        is->instance_id, err);
		cJSON_AddStringToObject(j, "error", err);
		goto done;
	}
	cJSON_AddNumberToObject(j, "checkout_s", st.seconds);
	cJSON_AddNumberToObject(j, "missing_blobs", (double)st.missing);
	ngold = code_gold(is, dir, gold);
	if (ngold == 0) {
		r->no_code_gold++;
		counted = 0;
		cJSON_AddStringToObject(j, "skipped",
		                        "no gold code file at the base commit");
		goto done;
	}

	t0 = now_s();
	bm = lb_bm25_new();
	if (!bm || lb_bm25_add_tree(bm, dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "isg-bench-localize: %s: baseline: %s\n",
		        is->instance_id, bm ? err : "out of memory");
	} else {
		bi = now_s() - t0;
		t0 = now_s();
		nbase = lb_bm25_query(bm, is->problem_statement,
		                      strlen(is->problem_statement), base, NULL,
		                      r->o.top);
		bq = now_s() - t0;
		base_failed = 0;
	}
	rb = lb_rank_gold(base, nbase, gold, ngold, base_rank);

	if (!r->o.baseline_only &&
	    run_ours(r, is, dir, &repo, &res, ours, &nours, &oi, &oq) == 0)
		ours_failed = 0;
	ro = lb_rank_gold(ours, nours, gold, ngold, ours_rank);

	if (r->o.verbose) {
		printf("== %s (%s) ours first %zu all %zu | bm25 first %zu all %zu\n",
		       is->instance_id, is->repo, ro.first, ro.all, rb.first,
		       rb.all);
		for (g = 0; g < ngold; g++)
			printf("   gold %s  ours #%zu  bm25 #%zu\n", gold[g],
			       ours_rank[g], base_rank[g]);
		if (res) {
			size_t nm = isg_locate_result_mention_count(res);

			printf("   mentions (%zu):", nm);
			for (g = 0; g < nm && g < 15; g++)
				printf(" %s",
				       isg_locate_result_mention(res, g));
			printf("%s\n", nm > 15 ? " ..." : "");
			print_top(res, 5);
		}
		for (g = 0; g < nbase && g < 3; g++)
			printf("   bm25 %zu. %s\n", g + 1, base[g]);
	}
	ngs = groups_of(r, is, gs);
	if (res) {
		diagnose(r, is, gold, ngold, repo, res, ours_rank, j);
		score_defs(r, is, res, gs, ngs, j);
	}
	if (!r->o.baseline_only) {
		cJSON_AddItemToObject(j, "ours",
		                      ranks_json(&ro, ours_rank, ngold));
		cJSON_AddNumberToObject(j, "index_s", oi);
		cJSON_AddNumberToObject(j, "query_s", oq);
	}
	cJSON_AddItemToObject(j, "bm25", ranks_json(&rb, base_rank, ngold));
done:
	if (counted && !ngs)
		ngs = groups_of(r, is, gs);
	for (g = 0; counted && g <= ngs; g++) {
		group *gr = g < ngs ? gs[g] : &r->groups[0];

		if (!r->o.baseline_only)
			lb_totals_add(&gr->ours, &ro, oi, oq, ours_failed);
		lb_totals_add(&gr->base, &rb, bi, bq, base_failed);
	}
	if (counted && ngold == 1) {
		if (!r->o.baseline_only)
			lb_totals_add(&r->single.ours, &ro, oi, oq,
			              ours_failed);
		lb_totals_add(&r->single.base, &rb, bi, bq, base_failed);
	}
	cJSON_AddItemToArray(r->per_issue, j);
	isg_locate_result_free(res);
	isg_repo_free(repo);
	lb_bm25_free(bm);
	free(dir);
	free(ours);
	free(base);
	free(gold);
	free(ours_rank);
	free(base_rank);
}

static void print_row(const char *name, const lb_totals *t)
{
	printf("  %-22s %4zu  %5.1f  %5.1f  %5.1f  %5.3f  %8.2f  %8.3f", name,
	       t->issues, 100 * lb_totals_acc(t, 0), 100 * lb_totals_acc(t, 1),
	       100 * lb_totals_acc(t, 2), lb_totals_mrr(t),
	       lb_totals_index_mean(t), lb_totals_query_mean(t));
	if (t->errors)
		printf("  (%zu failed)", t->errors);
	printf("\n");
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0.0;
}

/* 1 when group name `name` belongs to the table of `prefix` (NULL:
 * repositories, whose names have no ':'). */
static int in_table(const char *name, const char *prefix)
{
	return prefix ? strncmp(name, prefix, strlen(prefix)) == 0
	              : strchr(name, ':') == NULL;
}

static void print_groups(const run *r, const char *prefix, const char *title)
{
	size_t i, n = 0;

	for (i = 1; i < r->ngroups; i++)
		n += (size_t)in_table(r->groups[i].repo, prefix);
	if (!n)
		return;
	printf("\n%s (Acc@1/3/5 %%, MRR):\n", title);
	for (i = 1; i < r->ngroups; i++) {
		const group *g = &r->groups[i];

		if (!in_table(g->repo, prefix))
			continue;
		printf("  %-24s %3zu",
		       prefix ? g->repo + strlen(prefix) : g->repo,
		       g->base.issues);
		if (!r->o.baseline_only)
			printf("  locate %5.1f %5.1f %5.1f %5.3f",
			       100 * lb_totals_acc(&g->ours, 0),
			       100 * lb_totals_acc(&g->ours, 1),
			       100 * lb_totals_acc(&g->ours, 2),
			       lb_totals_mrr(&g->ours));
		printf("  bm25 %5.1f %5.1f %5.1f %5.3f\n",
		       100 * lb_totals_acc(&g->base, 0),
		       100 * lb_totals_acc(&g->base, 1),
		       100 * lb_totals_acc(&g->base, 2),
		       lb_totals_mrr(&g->base));
	}
}

static void print_def_row(const char *name, const lb_def_totals *t)
{
	printf("  %-24s %3zu  %5.1f  %5.1f  %5.1f\n", name, t->issues,
	       100 * lb_def_totals_acc(t, 0), 100 * lb_def_totals_acc(t, 1),
	       100 * lb_def_totals_acc(t, 2));
}

/* Definitions, LocAgent's rule, for the issues with gold_spans. */
static void print_defs(const run *r)
{
	size_t i;

	if (!r->groups[0].defs.issues)
		return;
	printf("\nDefinitions (issues with gold definitions; Acc@k: min(#gold, k) of the top k are gold):\n");
	printf("  %-24s %3s  %5s  %5s  %5s\n", "group", "n", "Acc@1", "Acc@5",
	       "Acc@10");
	print_def_row("all", &r->groups[0].defs);
	for (i = 1; i < r->ngroups; i++)
		if (r->groups[i].defs.issues)
			print_def_row(r->groups[i].repo, &r->groups[i].defs);
}

static void print_text(const run *r, long ncpu)
{
	const group *all = &r->groups[0];
	size_t i, k, total = 0;

	printf("Localization: %zu issues, %zu repositories, top %zu, %ld cores\n\n",
	       all->base.issues, r->ngroups - 1, r->o.top, ncpu);
	printf("  %-22s %4s  %5s  %5s  %5s  %5s  %8s  %8s\n", "method", "n",
	       "Acc@1", "Acc@3", "Acc@5", "MRR", "index s", "query s");
	if (!r->o.baseline_only)
		print_row("issuesight locate", &all->ours);
	print_row("BM25 whole-file", &all->base);
	if (!r->o.baseline_only) {
		printf("  %-22s       ", "ratio locate/BM25");
		for (k = 0; k < LB_NK; k++)
			printf("%5.2fx  ", ratio(lb_totals_acc(&all->ours, k),
			                         lb_totals_acc(&all->base, k)));
		printf("%5.2fx\n", ratio(lb_totals_mrr(&all->ours),
		                         lb_totals_mrr(&all->base)));
	}
	printf("\nIssues whose fix changed one file (as in SWE-bench Lite):\n");
	if (!r->o.baseline_only)
		print_row("issuesight locate", &r->single.ours);
	print_row("BM25 whole-file", &r->single.base);
	if (r->no_code_gold)
		printf("\n%zu issues left out: no gold code file at the base commit.\n",
		       r->no_code_gold);
	print_groups(r, NULL, "Per repository");
	print_groups(r, "lang:", "Per language");
	print_groups(r, "half:", "Per half");
	print_defs(r);
	for (i = 0; i < LB_MISS_COUNT; i++)
		total += r->miss[i];
	if (total == 0)
		return;
	printf("\nGold files outside our top 5, by cause (%zu):\n", total);
	for (i = 0; i < LB_MISS_COUNT; i++)
		if (r->miss[i])
			printf("  %4zu  %s\n", r->miss[i], lb_miss_name[i]);
}

static cJSON *totals_json(const lb_totals *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "issues", (double)t->issues);
	cJSON_AddNumberToObject(o, "acc1", lb_totals_acc(t, 0));
	cJSON_AddNumberToObject(o, "acc3", lb_totals_acc(t, 1));
	cJSON_AddNumberToObject(o, "acc5", lb_totals_acc(t, 2));
	cJSON_AddNumberToObject(o, "mrr", lb_totals_mrr(t));
	cJSON_AddNumberToObject(o, "index_s_per_issue",
	                        lb_totals_index_mean(t));
	cJSON_AddNumberToObject(o, "query_s_per_issue",
	                        lb_totals_query_mean(t));
	cJSON_AddNumberToObject(o, "errors", (double)t->errors);
	return o;
}

static cJSON *def_totals_json(const lb_def_totals *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "issues", (double)t->issues);
	cJSON_AddNumberToObject(o, "acc1", lb_def_totals_acc(t, 0));
	cJSON_AddNumberToObject(o, "acc5", lb_def_totals_acc(t, 1));
	cJSON_AddNumberToObject(o, "acc10", lb_def_totals_acc(t, 2));
	return o;
}

static int print_json(run *r, long ncpu)
{
	cJSON *doc = cJSON_CreateObject(), *repos = cJSON_CreateArray(),
	      *miss = cJSON_CreateObject();
	char *text;
	size_t i;

	cJSON_AddNumberToObject(doc, "top", (double)r->o.top);
	cJSON_AddNumberToObject(doc, "cores", (double)ncpu);
	if (!r->o.baseline_only)
		cJSON_AddItemToObject(doc, "ours",
		                      totals_json(&r->groups[0].ours));
	cJSON_AddItemToObject(doc, "bm25", totals_json(&r->groups[0].base));
	if (!r->o.baseline_only)
		cJSON_AddItemToObject(doc, "single_file_ours",
		                      totals_json(&r->single.ours));
	cJSON_AddItemToObject(doc, "single_file_bm25",
	                      totals_json(&r->single.base));
	for (i = 1; i < r->ngroups; i++) {
		cJSON *g = cJSON_CreateObject();

		cJSON_AddStringToObject(g, "repo", r->groups[i].repo);
		if (!r->o.baseline_only)
			cJSON_AddItemToObject(g, "ours",
			                      totals_json(&r->groups[i].ours));
		cJSON_AddItemToObject(g, "bm25",
		                      totals_json(&r->groups[i].base));
		if (r->groups[i].defs.issues)
			cJSON_AddItemToObject(
			        g, "definitions",
			        def_totals_json(&r->groups[i].defs));
		cJSON_AddItemToArray(repos, g);
	}
	cJSON_AddItemToObject(doc, "repos", repos);
	if (r->groups[0].defs.issues)
		cJSON_AddItemToObject(doc, "definitions",
		                      def_totals_json(&r->groups[0].defs));
	cJSON_AddNumberToObject(doc, "no_code_gold", (double)r->no_code_gold);
	for (i = 0; i < LB_MISS_COUNT; i++)
		cJSON_AddNumberToObject(miss, lb_miss_name[i],
		                        (double)r->miss[i]);
	cJSON_AddItemToObject(doc, "misses_outside_top5", miss);
	cJSON_AddItemToObject(doc, "issues", r->per_issue);
	r->per_issue = NULL;
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text)
		return -1;
	printf("%s\n", text);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	lb_issue *issues = NULL;
	size_t n = 0, i, done = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char err[600];
	run r;
	int rc = 1;

	memset(&r, 0, sizeof(r));
	if (parse_args(&r.o, argc, argv) != 0)
		return 2;
	if (isg_global_init() != ISG_OK) {
		fprintf(stderr, "isg-bench-localize: isg_global_init: %s\n",
		        isg_error_last()->message);
		return 1;
	}
	if (lb_dataset_read(&issues, &n, r.o.jsonl, err, sizeof(err)) != 0) {
		fprintf(stderr, "isg-bench-localize: %s\n", err);
		goto done;
	}
	snprintf(r.index_dir, sizeof(r.index_dir), "%s/isg-index", r.o.workdir);
	if (lb_mkdirs(r.index_dir) != 0) {
		fprintf(stderr, "isg-bench-localize: cannot create %s: %s\n",
		        r.index_dir, strerror(errno));
		goto done;
	}
	/* Per issue at most a repository, a language and a half group,
	 * plus the overall group. */
	r.groups = calloc(3 * n + 4, sizeof(*r.groups));
	r.per_issue = cJSON_CreateArray();
	if (!r.groups || !r.per_issue) {
		fprintf(stderr, "isg-bench-localize: out of memory\n");
		goto done;
	}
	snprintf(r.groups[0].repo, sizeof(r.groups[0].repo), "all");
	r.ngroups = 1;
	for (i = 0; i < n && (r.o.limit == 0 || done < r.o.limit); i++) {
		if (r.o.only && !repo_matches(issues[i].repo, r.o.only))
			continue;
		if (!r.o.json && !r.o.verbose)
			fprintf(stderr, "\r[%zu] %-50s", done + 1,
			        issues[i].instance_id);
		run_issue(&r, &issues[i]);
		done++;
		fflush(stdout);
	}
	if (!r.o.json && !r.o.verbose)
		fprintf(stderr, "\r%70s\r", "");
	if (done == 0) {
		fprintf(stderr, "isg-bench-localize: no issue matched%s%s\n",
		        r.o.only ? " --only " : "", r.o.only ? r.o.only : "");
		goto done;
	}
	if (r.o.json) {
		if (print_json(&r, ncpu) != 0)
			goto done;
	} else {
		print_text(&r, ncpu);
	}
	rc = 0;
done:
	cJSON_Delete(r.per_issue);
	free(r.groups);
	lb_dataset_free(issues, n);
	isg_global_shutdown();
	return rc;
}
