/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cache of clones and indexes: private to its user, refused when
 * someone else owns it, cleaned of what dead processes left, trimmed past
 * its size cap, and never stale: edits in a working tree and a damaged
 * index both give a fresh index.
 */
#define _DEFAULT_SOURCE
#include "isg_test.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
	char *top;
	char repo[PATH_MAX];
	char cache[PATH_MAX];
} fixture;

static void put(const char *dir, const char *rel, const char *text)
{
	char p[3 * PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(isg_test_write_file(p, text, strlen(text)), 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->top = isg_test_mkdtemp();
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->top);
	snprintf(f->cache, sizeof(f->cache), "%s/cache", f->top);
	put(f->repo, "src/widget.c",
	    "int widget_resize(int w) { return w; }\n");
	alarm(60);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	alarm(0);
	isg_test_rmtree(f->top);
	free(f->top);
	free(f);
	return 0;
}

static isg_repo *open_with(const char *path, const char *cache, isg_config *cfg,
                           int want)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_repo *r = NULL;

	o.path_or_url = path;
	o.cache_dir = cache;
	o.config = cfg;
	ISG_ASSERT_RC(want, isg_repo_open(&r, &o));
	return r;
}

static void test_repo_cache__is_private(void **state)
{
	fixture *f = *state;
	char p[PATH_MAX + 16];
	struct stat st;
	isg_repo *r = open_with(f->repo, f->cache, NULL, ISG_OK);

	assert_int_equal(stat(f->cache, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(p, sizeof(p), "%s/index", f->cache);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(isg_repo_index_path(r), &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	isg_repo_free(r);
}

static void test_repo_cache__owned_by_another_user_is_refused(void **state)
{
	fixture *f = *state;

	if (geteuid() != 0) {
		/* Without root no directory can be given away; the check
		 * below is what runs in scripts/test (as root). */
		return;
	}
	assert_int_equal(mkdir(f->cache, 0777), 0);
	assert_int_equal(chown(f->cache, 65534, 65534), 0);
	assert_null(open_with(f->repo, f->cache, NULL, ISG_EFORBIDDEN));
	if (!strstr(isg_error_last()->message, "belongs to uid 65534"))
		fail_msg("message: %s", isg_error_last()->message);
}

static void test_repo_cache__default_without_home_is_per_user(void **state)
{
	const char *env[] = { NULL };
	isg_config_options o = ISG_CONFIG_OPTIONS_INIT;
	isg_config *cfg = NULL;
	char want[64];

	(void)state;
	o.env = env;
	ISG_ASSERT_OK(isg_config_new(&cfg, &o));
	snprintf(want, sizeof(want), "/tmp/issuesight-%lu",
	         (unsigned long)geteuid());
	assert_string_equal(isg_config_get(cfg, "ISSUESIGHT_CACHE_DIR"), want);
	isg_config_free(cfg);
}

static void test_repo_cache__stale_temporaries_are_removed(void **state)
{
	fixture *f = *state;
	char a[PATH_MAX + 64], b[PATH_MAX + 64], c[PATH_MAX + 64];
	isg_repo *r;

	/* pids no process can have (over pid_max), and ours (kept). */
	snprintf(a, sizeof(a), "%s/index/x.sqlite.tmp-2147483646", f->cache);
	snprintf(b, sizeof(b), "%s/repos/y-1.tmp-2147483646/.git/HEAD",
	         f->cache);
	snprintf(c, sizeof(c), "%s/index/z.sqlite.tmp-%ld", f->cache,
	         (long)getpid());
	put("", a + 1, "half");
	put("", b + 1, "half");
	put("", c + 1, "mine");
	assert_int_equal(chmod(f->top, 0700), 0);
	assert_int_equal(chmod(f->cache, 0700), 0);
	r = open_with(f->repo, f->cache, NULL, ISG_OK);
	assert_int_not_equal(access(a, F_OK), 0);
	snprintf(b, sizeof(b), "%s/repos/y-1.tmp-2147483646", f->cache);
	assert_int_not_equal(access(b, F_OK), 0);
	assert_int_equal(access(c, F_OK), 0);
	isg_repo_free(r);
}

static void test_repo_cache__lru_eviction_past_the_cap(void **state)
{
	fixture *f = *state;
	const char *env[] = { "ISSUESIGHT_CACHE_MAX_BYTES=1", NULL };
	isg_config_options o = ISG_CONFIG_OPTIONS_INIT;
	isg_config *cfg = NULL;
	char other[PATH_MAX + 16], first[PATH_MAX];
	isg_cache_info used, freed;
	isg_repo *r;

	o.env = env;
	ISG_ASSERT_OK(isg_config_new(&cfg, &o));
	snprintf(other, sizeof(other), "%s/other", f->top);
	put(other, "lib.py", "def helper():\n    return 1\n");
	r = open_with(f->repo, f->cache, cfg, ISG_OK);
	snprintf(first, sizeof(first), "%s", isg_repo_index_path(r));
	isg_repo_free(r);
	assert_int_equal(access(first, F_OK), 0);
	/* Opening another repository evicts the first one's index (the
	 * cap is one byte) but never the one just opened. */
	r = open_with(other, f->cache, cfg, ISG_OK);
	assert_int_not_equal(access(first, F_OK), 0);
	assert_int_equal(access(isg_repo_index_path(r), F_OK), 0);
	isg_repo_free(r);
	ISG_ASSERT_OK(isg_cache_usage(&used, f->cache));
	assert_int_equal(used.indexes, 1);
	assert_true(used.bytes > 0);
	ISG_ASSERT_OK(isg_cache_clean(&freed, f->cache, 0));
	assert_int_equal(freed.indexes, 1);
	ISG_ASSERT_OK(isg_cache_usage(&used, f->cache));
	assert_int_equal(used.indexes, 0);
	isg_config_free(cfg);
}

static void test_repo_cache__working_tree_edits_are_seen(void **state)
{
	fixture *f = *state;
	char cmd[3 * PATH_MAX];
	isg_repo *r;

	snprintf(
	        cmd, sizeof(cmd),
	        "cd '%s' && git init -q . && git add -A && git -c user.name=t -c user.email=t@example.com commit -qm init",
	        f->repo);
	assert_int_equal(system(cmd), 0);
	r = open_with(f->repo, f->cache, NULL, ISG_OK);
	assert_int_equal(isg_repo_file_count(r), 1);
	isg_repo_free(r);
	r = open_with(f->repo, f->cache, NULL, ISG_OK);
	assert_true(isg_repo_index_reused(r));
	isg_repo_free(r);
	/* An uncommitted new file: same HEAD, new content. */
	put(f->repo, "src/gadget.c", "int gadget(void) { return 2; }\n");
	r = open_with(f->repo, f->cache, NULL, ISG_OK);
	assert_false(isg_repo_index_reused(r));
	assert_int_equal(isg_repo_file_count(r), 2);
	isg_repo_free(r);
}

static void test_repo_cache__damaged_index_is_rebuilt(void **state)
{
	fixture *f = *state;
	char path[PATH_MAX];
	struct stat st;
	FILE *fp;
	long off;
	isg_repo *r = open_with(f->repo, f->cache, NULL, ISG_OK);

	snprintf(path, sizeof(path), "%s", isg_repo_index_path(r));
	isg_repo_free(r);
	assert_int_equal(stat(path, &st), 0);
	/* Overwrite every page but the first with garbage. */
	fp = fopen(path, "r+b");
	assert_non_null(fp);
	for (off = 4096; off < (long)st.st_size; off += 64) {
		fseek(fp, off, SEEK_SET);
		fwrite("GARBAGEGARBAGEGARBAGEGARBAGE", 1, 28, fp);
	}
	fclose(fp);
	r = open_with(f->repo, f->cache, NULL, ISG_OK);
	assert_false(isg_repo_index_reused(r));
	assert_int_equal(isg_repo_file_count(r), 1);
	isg_repo_free(r);
	r = open_with(f->repo, f->cache, NULL, ISG_OK);
	assert_true(isg_repo_index_reused(r));
	isg_repo_free(r);
}

static void test_repo_cache__file_given_as_directory_is_named(void **state)
{
	fixture *f = *state;
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/src/widget.c", f->repo);
	assert_null(open_with(p, f->cache, NULL, ISG_EINVALID));
	if (!strstr(isg_error_last()->message,
	            "is a regular file, not a repository directory"))
		fail_msg("message: %s", isg_error_last()->message);
	snprintf(p, sizeof(p), "%s/nope", f->repo);
	assert_null(open_with(p, f->cache, NULL, ISG_ENOTFOUND));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_repo_cache__is_private),
		T(test_repo_cache__owned_by_another_user_is_refused),
		T(test_repo_cache__default_without_home_is_per_user),
		T(test_repo_cache__stale_temporaries_are_removed),
		T(test_repo_cache__lru_eviction_past_the_cap),
		T(test_repo_cache__working_tree_edits_are_seen),
		T(test_repo_cache__damaged_index_is_rebuilt),
		T(test_repo_cache__file_given_as_directory_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
