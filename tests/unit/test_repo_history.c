/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The history reader and the history signal of locate: git log output
 * parsed into commits (oversized commits, quoted paths and a truncated
 * tail left out), a small git repository made here with known commits
 * read back newest first and only up to HEAD, and a past commit whose
 * message matches an issue lifting the file it changed, unless
 * isg_locate_options.no_history is set.
 */
#define _DEFAULT_SOURCE
#include "isg_test.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "repo_int.h"

typedef struct fixture {
	char *top;
	char repo[PATH_MAX], cache[PATH_MAX];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->top = isg_test_mkdtemp();
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->top);
	snprintf(f->cache, sizeof(f->cache), "%s/cache", f->top);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	isg_test_rmtree(f->top);
	free(f->top);
	free(f);
	return 0;
}

static void put(const fixture *f, const char *rel, const char *text)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", f->repo, rel);
	assert_int_equal(isg_test_write_file(p, text, strlen(text)), 0);
}

/* Commits everything in the repository with `msg` at `when` (seconds). */
static void commit(const fixture *f, const char *msg, long when)
{
	char cmd[PATH_MAX + 512];

	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && git add -A && GIT_COMMITTER_DATE='%ld +0000' "
	         "git -c user.name=t -c user.email=t@example.com commit -qm "
	         "'%s' --date='%ld +0000'",
	         f->repo, when, msg, when);
	assert_int_equal(system(cmd), 0);
}

static void git(const fixture *f, const char *args)
{
	char cmd[PATH_MAX + 256];

	snprintf(cmd, sizeof(cmd), "cd '%s' && git %s >/dev/null 2>&1", f->repo,
	         args);
	assert_int_equal(system(cmd), 0);
}

/* Three commits: the widget module, the gadget fix whose message names
 * what the issue below names, and a docs change. */
static void make_repo(const fixture *f)
{
	char cmd[2 * PATH_MAX + 64];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/pkg' && git init -q '%s'",
	         f->repo, f->repo);
	assert_int_equal(system(cmd), 0);
	put(f, "pkg/widget.py",
	    "def render_tokens(tokens):\n    return [t for t in tokens]\n"
	    "\n\ndef count_tokens(tokens):\n    return len(tokens)\n");
	put(f, "pkg/gadget.py",
	    "def split(tokens):\n    return tokens[:1], tokens[1:]\n");
	commit(f, "Add the widget and gadget modules", 1000000000);
	put(f, "pkg/gadget.py",
	    "def split(tokens):\n    if not tokens:\n        return [], []\n"
	    "    return tokens[:1], tokens[1:]\n");
	commit(f, "Fix frobnication overflow when splitting", 1000001000);
	put(f, "README.md", "# pkg\n\nWidgets, gadgets, frobnication.\n");
	commit(f, "Document the package", 1000002000);
}

static void test_repo_history__parse_drops_big_quoted_and_cut(void **state)
{
	static const char log[] =
	        "warning: ignored\n"
	        "\x1e"
	        "200\x1f"
	        "Fix parser\n\nlong body\n\x1f\n\na/p.py\n\"q\\tx.py\"\nb/q.py\n"
	        "\x1e"
	        "150\x1f"
	        "Empty commit\x1f\n"
	        "\x1e"
	        "100\x1fTruncated";
	isg__history h;
	char big[64 * 40];
	size_t i, n = 0;

	(void)state;
	memset(&h, 0, sizeof(h));
	ISG_ASSERT_OK(isg_buf_set(&h.raw, log, sizeof(log) - 1));
	ISG_ASSERT_OK(isg__repo_history_parse(&h));
	assert_int_equal(h.len, 1);
	assert_int_equal(h.items[0].time, 200);
	assert_string_equal(h.items[0].msg, "Fix parser\n\nlong body\n");
	assert_int_equal(h.items[0].nfiles, 2);
	assert_string_equal(h.paths[h.items[0].file_start], "a/p.py");
	assert_string_equal(h.paths[h.items[0].file_start + 1], "b/q.py");
	isg__repo_history_dispose(&h);

	/* A commit changing more than ISG__HIST_MAX_FILES paths is left
	 * out (a reformatting, the root of a shallow clone). */
	n += (size_t)snprintf(big + n, sizeof(big) - n,
	                      "\x1e%d\x1fReformat\x1f\n", 300);
	for (i = 0; i <= ISG__HIST_MAX_FILES; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "f%zu.py\n", i);
	n += (size_t)snprintf(big + n, sizeof(big) - n,
	                      "\x1e%d\x1fSmall\x1f\n\nz.py\n", 299);
	ISG_ASSERT_OK(isg_buf_set(&h.raw, big, n));
	ISG_ASSERT_OK(isg__repo_history_parse(&h));
	assert_int_equal(h.len, 1);
	assert_string_equal(h.items[0].msg, "Small");
	assert_int_equal(h.items[0].nfiles, 1);
	assert_string_equal(h.paths[h.items[0].file_start], "z.py");
	isg__repo_history_dispose(&h);
}

static void test_repo_history__reads_commits_before_head(void **state)
{
	fixture *f = *state;
	isg__repo_git_limits lim = { 0, 0, 0, 30 };
	isg__history h;

	make_repo(f);
	ISG_ASSERT_OK(isg__repo_history_read(&h, f->repo, &lim));
	assert_int_equal(h.len, 3);
	assert_int_equal(h.items[0].time, 1000002000);
	assert_string_equal(h.items[0].msg, "Document the package\n");
	assert_int_equal(h.items[0].nfiles, 1);
	assert_string_equal(h.paths[h.items[0].file_start], "README.md");
	assert_string_equal(h.items[1].msg,
	                    "Fix frobnication overflow when splitting\n");
	assert_int_equal(h.items[1].nfiles, 1);
	assert_string_equal(h.paths[h.items[1].file_start], "pkg/gadget.py");
	assert_int_equal(h.items[2].time, 1000000000);
	assert_int_equal(h.items[2].nfiles, 2);
	isg__repo_history_dispose(&h);

	/* An older checkout never sees the commits after it. */
	git(f, "checkout -q HEAD~2");
	ISG_ASSERT_OK(isg__repo_history_read(&h, f->repo, &lim));
	assert_int_equal(h.len, 1);
	assert_string_equal(h.items[0].msg,
	                    "Add the widget and gadget modules\n");
	isg__repo_history_dispose(&h);
}

static void test_repo_history__no_git_is_no_history(void **state)
{
	fixture *f = *state;
	isg__repo_git_limits lim = { 0, 0, 0, 30 };
	isg__history h;
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", f->repo);
	assert_int_equal(system(cmd), 0);
	put(f, "a.py", "x = 1\n");
	ISG_ASSERT_OK(isg__repo_history_read(&h, f->repo, &lim));
	assert_int_equal(h.len, 0);
	assert_null(h.items);
	isg__repo_history_dispose(&h);
}

/* The first path of the change list for `text`. */
static char *first_file(isg_repo *r, const char *text, int no_history,
                        int *hist_reason)
{
	isg_locate_options lo = ISG_LOCATE_OPTIONS_INIT;
	isg_locate_result *res = NULL;
	size_t j, n;
	char *out;

	lo.no_history = no_history;
	ISG_ASSERT_OK(isg_locate_run(&res, r, text, strlen(text), &lo));
	assert_true(isg_locate_result_count(res, ISG_LOCATE_CHANGE) >= 2);
	out = strdup(isg_locate_result_path(res, ISG_LOCATE_CHANGE, 0));
	*hist_reason = 0;
	n = isg_locate_result_reason_count(res, ISG_LOCATE_CHANGE, 0);
	for (j = 0; j < n; j++)
		if (strstr(isg_locate_result_reason(res, ISG_LOCATE_CHANGE, 0,
		                                    j),
		           "past commits"))
			*hist_reason = 1;
	isg_locate_result_free(res);
	return out;
}

static void test_repo_history__similar_past_fix_lifts_its_file(void **state)
{
	fixture *f = *state;
	static const char issue[] =
	        "Frobnication overflow\n\nThe tokens overflow with frobnication "
	        "when splitting a list of tokens.";
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_locate_options v1 = ISG_LOCATE_OPTIONS_INIT;
	isg_locate_result *res = NULL;
	isg_repo *r = NULL;
	char *top;
	int reason;

	make_repo(f);
	o.path_or_url = f->repo;
	o.cache_dir = f->cache;
	ISG_ASSERT_OK(isg_repo_open(&r, &o));
	/* Text alone prefers widget.py (it says `tokens` more often). */
	top = first_file(r, issue, 1, &reason);
	assert_string_equal(top, "pkg/widget.py");
	assert_int_equal(reason, 0);
	free(top);
	/* The past fix's message matches the issue: gadget.py first. */
	top = first_file(r, issue, 0, &reason);
	assert_string_equal(top, "pkg/gadget.py");
	assert_int_equal(reason, 1);
	free(top);
	/* A version-1 options struct (no `no_history` field) is accepted
	 * and uses the history. */
	v1.version = 1;
	ISG_ASSERT_OK(isg_locate_run(&res, r, issue, strlen(issue), &v1));
	assert_string_equal(isg_locate_result_path(res, ISG_LOCATE_CHANGE, 0),
	                    "pkg/gadget.py");
	isg_locate_result_free(res);
	v1.version = 3;
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_locate_run(&res, r, issue, strlen(issue), &v1));
	assert_non_null(strstr(isg_error_last()->message, "version 3"));
	isg_repo_free(r);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        test_repo_history__parse_drops_big_quoted_and_cut),
		T(test_repo_history__reads_commits_before_head),
		T(test_repo_history__no_git_is_no_history),
		T(test_repo_history__similar_past_fix_lifts_its_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
