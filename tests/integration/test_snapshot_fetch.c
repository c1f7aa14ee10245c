/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Repository snapshots from the in-process fake GitHub, which serves the
 * small Python project of tests/data/snapshot/tinycalc as GitHub does (a
 * head SHA with ETags, a tarball behind a 302 to a codeload path): the
 * first fetch downloads, the second is a 304 and reuses, a new head
 * fetches again; oversized and hostile tarballs are refused and leave
 * nothing behind; least recently used snapshots are evicted past the cap;
 * stale temporaries are cleaned; the snapshot indexes with isg_repo_open.
 */
#include "isg_test.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_github.h"

#define OWNER "octo-org"
#define REPO "hello-world"

typedef struct env {
	fake_github *fg;
	isg_github *gh;
	char *tmp;      /* cache directory */
	char src[1024]; /* tests/data/snapshot/tinycalc */
	char head[41];
	int sleeps; /* waits the client asked for (not made) */
} env;

static int no_sleep(double seconds, void *payload)
{
	(void)seconds;
	((env *)payload)->sleeps++;
	return 0;
}

static fake_github *shared_fg; /* one server for all: stopping one takes
                                * civetweb a while */

static int group_setup(void **state)
{
	fake_github_options fo;

	(void)state;
	memset(&fo, 0, sizeof(fo));
	fo.issues = 5;
	return fake_github_start(&shared_fg, &fo);
}

static int group_teardown(void **state)
{
	(void)state;
	fake_github_stop(shared_fg);
	return 0;
}

/* Each test: a new head commit of the project, a new client (empty ETag
 * cache) and a new cache directory. */
static int setup(void **state)
{
	isg_github_options o = ISG_GITHUB_OPTIONS_INIT;
	const char *root = getenv("ISG_SOURCE_ROOT");
	env *e = calloc(1, sizeof(*e));

	if (!e || !root)
		return -1;
	e->fg = shared_fg;
	snprintf(e->src, sizeof(e->src), "%s/tests/data/snapshot/tinycalc",
	         root);
	if (fake_github_set_tree(e->fg, e->src, e->head) != 0)
		return -1;
	fake_github_reset_counts(e->fg);
	o.base_url = fake_github_url(e->fg);
	o.timeout_s = 20;
	o.max_retries = 1;
	o.jitter_seed = 1;
	o.sleep_fn = no_sleep;
	o.sleep_payload = e;
	if (isg_github_new(&e->gh, &o) != ISG_OK)
		return -1;
	e->tmp = isg_test_mkdtemp();
	*state = e;
	return e->tmp ? 0 : -1;
}

static int teardown(void **state)
{
	env *e = *state;

	isg_github_free(e->gh);
	isg_test_rmtree(e->tmp);
	free(e->tmp);
	free(e);
	return 0;
}

static void opts_init(isg_snapshot_fetch_options *o, const env *e)
{
	isg_snapshot_fetch_options init = ISG_SNAPSHOT_FETCH_OPTIONS_INIT;

	*o = init;
	o->cache_dir = e->tmp;
}

/* The entries of the repository folder of the cache, sorted, joined by
 * spaces ("" when it does not exist). */
static void list_repo_dir(const env *e, char *out, size_t n)
{
	char path[1200], *names[64];
	struct dirent *de;
	size_t used = 0;
	int count = 0, i, j;
	DIR *d;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/snapshots/%s+%s", e->tmp, OWNER, REPO);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d)) != NULL && count < 64)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[count++] = strdup(de->d_name);
	closedir(d);
	for (i = 0; i < count; i++)
		for (j = i + 1; j < count; j++)
			if (strcmp(names[i], names[j]) > 0) {
				char *t = names[i];

				names[i] = names[j];
				names[j] = t;
			}
	for (i = 0; i < count; i++) {
		used += (size_t)snprintf(out + used, n - used, "%s%s",
		                         i ? " " : "", names[i]);
		free(names[i]);
	}
}

static void assert_file_equal(const char *a, const char *b)
{
	size_t na = 0, nb = 0;
	char *x = isg_test_read_file(a, &na), *y = isg_test_read_file(b, &nb);

	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(na, nb);
	assert_memory_equal(x, y, na);
	free(x);
	free(y);
}

static void assert_mode(const char *path, unsigned mode)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, mode);
}

static void
test_snapshot_fetch__first_downloads_second_is_304_and_reuses(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT, dir2 = ISG_BUF_INIT;
	char path[1600], want[1600], listing[2048];

	opts_init(&o, e);
	fake_github_reset_counts(e->fg);
	ISG_ASSERT_OK(isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	assert_string_equal(info.sha, e->head);
	assert_int_equal(info.reused, 0);
	assert_int_equal(info.not_modified, 0);
	assert_true(info.tarball_bytes > 100);
	assert_int_equal(info.unpack.files, 9);
	assert_string_equal(info.unpack.commit, e->head);
	snprintf(want, sizeof(want), "%s/snapshots/%s+%s/%s", e->tmp, OWNER,
	         REPO, e->head);
	assert_string_equal(dir.ptr, want);
	/* The tree, GitHub's top folder stripped, byte for byte. */
	snprintf(path, sizeof(path), "%s/tinycalc/parser.py", dir.ptr);
	snprintf(want, sizeof(want), "%s/tinycalc/parser.py", e->src);
	assert_file_equal(path, want);
	snprintf(path, sizeof(path), "%s/CONTRIBUTING.md", dir.ptr);
	snprintf(want, sizeof(want), "%s/CONTRIBUTING.md", e->src);
	assert_file_equal(path, want);
	assert_mode(dir.ptr, 0700);
	assert_mode(path, 0600);
	snprintf(path, sizeof(path), "%s/tinycalc", dir.ptr);
	assert_mode(path, 0700);
	/* Nothing but the snapshot: no temporary left. */
	list_repo_dir(e, listing, sizeof(listing));
	assert_string_equal(listing, e->head);
	/* The redirect was followed: 302 from the API, 200 from codeload. */
	assert_int_equal(fake_github_count(e->fg, "commit", 200), 1);
	assert_int_equal(fake_github_count(e->fg, "tarball", 302), 1);
	assert_int_equal(fake_github_count(e->fg, "codeload", 200), 1);

	ISG_ASSERT_OK(isg_snapshot_fetch(&dir2, &info, e->gh, OWNER, REPO, &o));
	assert_string_equal(dir2.ptr, dir.ptr);
	assert_string_equal(info.sha, e->head);
	assert_int_equal(info.not_modified, 1);
	assert_int_equal(info.reused, 1);
	assert_int_equal(info.tarball_bytes, 0);
	assert_int_equal(fake_github_count(e->fg, "commit", 304), 1);
	assert_int_equal(fake_github_count(e->fg, "codeload", -1), 1);
	assert_int_equal(
	        isg_github_stats_count(e->gh, ISG_GITHUB_EP_COMMIT, 304), 1);
	isg_buf_dispose(&dir);
	isg_buf_dispose(&dir2);
}

static void test_snapshot_fetch__new_head_fetches_again(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	isg_buf a = ISG_BUF_INIT, b = ISG_BUF_INIT;
	char *copy = isg_test_mkdtemp(), cmd[3000], sha[41], path[1600];
	struct stat st;

	opts_init(&o, e);
	ISG_ASSERT_OK(isg_snapshot_fetch(&a, &info, e->gh, OWNER, REPO, &o));
	snprintf(cmd, sizeof(cmd), "cp -r '%s/.' '%s/'", e->src, copy);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/tinycalc/power.py", copy);
	assert_int_equal(
	        isg_test_write_file(
	                path, "def power(a, b):\n    return a ** b\n", 35),
	        0);
	assert_int_equal(fake_github_set_tree(e->fg, copy, sha), 0);
	assert_string_not_equal(sha, e->head);

	ISG_ASSERT_OK(isg_snapshot_fetch(&b, &info, e->gh, OWNER, REPO, &o));
	assert_string_equal(info.sha, sha);
	assert_int_equal(info.not_modified, 0);
	assert_int_equal(info.reused, 0);
	snprintf(path, sizeof(path), "%s/tinycalc/power.py", b.ptr);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(stat(a.ptr, &st), 0); /* the old one stays */
	/* A branch named explicitly, and one that does not exist (422). */
	o.branch = "main";
	ISG_ASSERT_OK(isg_snapshot_fetch(&b, &info, e->gh, OWNER, REPO, &o));
	assert_string_equal(info.sha, sha);
	o.branch = "no-such-branch";
	ISG_ASSERT_RC(ISG_EUPSTREAM,
	              isg_snapshot_fetch(&b, &info, e->gh, OWNER, REPO, &o));
	assert_non_null(strstr(isg_error_last()->message, "422"));
	isg_test_rmtree(copy);
	free(copy);
	isg_buf_dispose(&a);
	isg_buf_dispose(&b);
}

static void
test_snapshot_fetch__default_branch_remembered_over_304(void **state)
{
	env *e = *state;
	char sha[41];
	int nm = -1;

	fake_github_reset_counts(e->fg);
	ISG_ASSERT_OK(isg_github_head_sha(sha, e->gh, OWNER, REPO, NULL, &nm));
	assert_string_equal(sha, e->head);
	assert_int_equal(nm, 0);
	ISG_ASSERT_OK(isg_github_head_sha(sha, e->gh, OWNER, REPO, NULL, &nm));
	assert_string_equal(sha, e->head);
	assert_int_equal(nm, 1);
	assert_int_equal(fake_github_count(e->fg, "repo", 304), 1);
	assert_int_equal(fake_github_count(e->fg, "commit", 304), 1);
	/* The SHA media type was asked for. */
	{
		char accept[128];

		assert_true(fake_github_last_header(e->fg, "Accept", accept,
		                                    sizeof(accept)));
		assert_string_equal(accept, "application/vnd.github.sha");
	}
	ISG_ASSERT_RC(ISG_EINVALID, isg_github_head_sha(sha, e->gh, OWNER, REPO,
	                                                "a/../b", NULL));
}

static void test_snapshot_fetch__tarball_streams_to_a_new_file(void **state)
{
	env *e = *state;
	char path[1200];
	uint64_t n = 0;
	size_t len = 0;
	unsigned char *data;

	snprintf(path, sizeof(path), "%s/t.tar.gz", e->tmp);
	ISG_ASSERT_OK(
	        isg_github_tarball(e->gh, OWNER, REPO, e->head, path, 0, &n));
	data = (unsigned char *)isg_test_read_file(path, &len);
	assert_non_null(data);
	assert_int_equal(len, n);
	assert_int_equal(data[0], 0x1f); /* gzip, not inflated on the way */
	assert_int_equal(data[1], 0x8b);
	free(data);
	assert_mode(path, 0600);
	/* The file must be new. */
	ISG_ASSERT_RC(ISG_EFORBIDDEN, isg_github_tarball(e->gh, OWNER, REPO,
	                                                 e->head, path, 0, &n));
	unlink(path);
	/* Over the cap: refused, and no file is left. */
	ISG_ASSERT_RC(ISG_ETOOBIG, isg_github_tarball(e->gh, OWNER, REPO,
	                                              e->head, path, 64, &n));
	assert_int_not_equal(access(path, F_OK), 0);
	ISG_ASSERT_RC(
	        ISG_ENOTFOUND,
	        isg_github_tarball(e->gh, OWNER, REPO,
	                           "0000000000000000000000000000000000000000",
	                           path, 0, &n));
	assert_int_not_equal(access(path, F_OK), 0);
}

/* The token goes to the API's host only: the fake's redirect names
 * 127.0.0.1, so a client of "localhost" sees codeload as another host. */
static void test_snapshot_fetch__token_not_sent_to_codeload(void **state)
{
	env *e = *state;
	isg_github_options o = ISG_GITHUB_OPTIONS_INIT;
	isg_github *gh = NULL;
	char url[128], path[1200], value[256];
	uint64_t n = 0;

	snprintf(url, sizeof(url), "http://localhost:%d",
	         fake_github_port(e->fg));
	o.base_url = url;
	o.token = "ghp_secret_for_the_api_only";
	ISG_ASSERT_OK(isg_github_new(&gh, &o));
	snprintf(path, sizeof(path), "%s/t.tar.gz", e->tmp);
	ISG_ASSERT_OK(
	        isg_github_tarball(gh, OWNER, REPO, e->head, path, 0, &n));
	assert_true(n > 100);
	assert_int_equal(fake_github_count(e->fg, "codeload", 200), 1);
	/* The last request was codeload's. */
	fake_github_last_uri(e->fg, value, sizeof(value));
	assert_int_equal(strncmp(value, "/codeload/", 10), 0);
	assert_false(fake_github_last_header(e->fg, "Authorization", value,
	                                     sizeof(value)));
	/* The API itself got it. */
	ISG_ASSERT_OK(
	        isg_github_head_sha(value, gh, OWNER, REPO, "main", NULL));
	assert_true(fake_github_last_header(e->fg, "Authorization", value,
	                                    sizeof(value)));
	assert_string_equal(value, "Bearer ghp_secret_for_the_api_only");
	isg_github_free(gh);
}

static void test_snapshot_fetch__oversize_refused_nothing_left(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_snapshot_limits lim = ISG_SNAPSHOT_LIMITS_INIT;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT;
	char listing[2048];

	opts_init(&o, e);
	o.max_tarball_bytes = 200;
	ISG_ASSERT_RC(ISG_ETOOBIG,
	              isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	assert_non_null(strstr(isg_error_last()->message, "200 bytes"));
	list_repo_dir(e, listing, sizeof(listing));
	assert_string_equal(listing, "");
	/* The unpack's cap too. */
	o.max_tarball_bytes = 0;
	lim.max_bytes = 1000;
	o.limits = &lim;
	ISG_ASSERT_RC(ISG_ETOOBIG,
	              isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	list_repo_dir(e, listing, sizeof(listing));
	assert_string_equal(listing, "");
	isg_buf_dispose(&dir);
}

/* Serves a tarball of one hostile entry (after the top folder) and
 * expects `want` with nothing left behind. */
static void hostile(env *e, const char *name, char type, const char *link,
                    const char *commit, int want)
{
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT;
	fake_tar t = { NULL, 0 };
	char listing[2048], top[128];
	unsigned char *gz;
	size_t n;

	snprintf(top, sizeof(top), "%s-%s-%.7s/", OWNER, REPO, e->head);
	fake_tar_pax_comment(&t, commit ? commit : e->head);
	fake_tar_add(&t, top, '5', NULL, 0, NULL);
	fake_tar_add(&t, name, type, type == '0' ? "x\n" : NULL,
	             type == '0' ? 2 : 0, link);
	fake_tar_gzip(&t, &gz, &n);
	assert_int_equal(fake_github_set_tarball(e->fg, gz, n), 0);
	free(gz);
	opts_init(&o, e);
	ISG_ASSERT_RC(want,
	              isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	list_repo_dir(e, listing, sizeof(listing));
	assert_string_equal(listing, "");
	isg_buf_dispose(&dir);
}

static void test_snapshot_fetch__hostile_tarballs_refused(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT;
	fake_tar t = { NULL, 0 };
	char top[128], name[256], path[1600], outside[1200];
	unsigned char *gz;
	struct stat st;
	size_t n;

	snprintf(top, sizeof(top), "%s-%s-%.7s", OWNER, REPO, e->head);
	hostile(e, "/tmp/isg-evil", '0', NULL, NULL, ISG_EFORBIDDEN);
	snprintf(name, sizeof(name), "%s/../../escape", top);
	hostile(e, name, '0', NULL, NULL, ISG_EFORBIDDEN);
	/* A tarball of another commit than the one asked for. */
	snprintf(name, sizeof(name), "%s/a.txt", top);
	hostile(e, name, '0', NULL, "1111111111111111111111111111111111111111",
	        ISG_EUPSTREAM);
	assert_int_not_equal(stat("/tmp/isg-evil", &st), 0);

	/* A link out, then a file through it: the link is never created,
	 * so the file lands in a real directory inside the snapshot. */
	snprintf(outside, sizeof(outside), "%s/outside", e->tmp);
	assert_int_equal(mkdir(outside, 0700), 0);
	fake_tar_pax_comment(&t, e->head);
	snprintf(name, sizeof(name), "%s/", top);
	fake_tar_add(&t, name, '5', NULL, 0, NULL);
	snprintf(name, sizeof(name), "%s/out", top);
	fake_tar_add(&t, name, '2', NULL, 0, outside);
	snprintf(name, sizeof(name), "%s/out/planted", top);
	fake_tar_add(&t, name, '0', "x\n", 2, NULL);
	fake_tar_gzip(&t, &gz, &n);
	assert_int_equal(fake_github_set_tarball(e->fg, gz, n), 0);
	free(gz);
	opts_init(&o, e);
	ISG_ASSERT_OK(isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	assert_int_equal(info.unpack.skipped_links, 1);
	snprintf(path, sizeof(path), "%s/out", dir.ptr);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	snprintf(path, sizeof(path), "%s/planted", outside);
	assert_int_not_equal(stat(path, &st), 0);
	isg_buf_dispose(&dir);
}

static void test_snapshot_fetch__lru_evicted_past_cap(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	isg_buf a = ISG_BUF_INIT, b = ISG_BUF_INIT, c = ISG_BUF_INIT;
	char *copy = isg_test_mkdtemp(), cmd[3000], path[1600];
	long long one;
	struct stat st;
	int k;

	opts_init(&o, e);
	ISG_ASSERT_OK(isg_snapshot_fetch(&a, &info, e->gh, OWNER, REPO, &o));
	one = info.cache_bytes;
	assert_true(one > 1000);
	/* Room for two snapshots and a little more. */
	o.max_cache_bytes = one * 2 + one / 2;
	snprintf(cmd, sizeof(cmd), "cp -r '%s/.' '%s/'", e->src, copy);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/NEWS.md", copy);
	for (k = 0; k < 2; k++) {
		isg_buf *out = k == 0 ? &b : &c;

		assert_int_equal(
		        isg_test_write_file(path, k ? "2\n" : "1\n", 2), 0);
		assert_int_equal(fake_github_set_tree(e->fg, copy, NULL), 0);
		ISG_ASSERT_OK(
		        isg_snapshot_fetch(out, &info, e->gh, OWNER, REPO, &o));
		assert_int_equal(info.evicted, 0 + k);
		if (k == 0) {
			/* A is used again: B becomes the least recent. */
			o.branch = a.ptr + strlen(a.ptr) - 40;
			ISG_ASSERT_OK(isg_snapshot_fetch(&a, &info, e->gh,
			                                 OWNER, REPO, &o));
			assert_int_equal(info.reused, 1);
			o.branch = NULL;
		}
	}
	assert_int_equal(stat(a.ptr, &st), 0);
	assert_int_not_equal(stat(b.ptr, &st), 0);
	assert_int_equal(stat(c.ptr, &st), 0);
	assert_true(info.cache_bytes <= o.max_cache_bytes);
	isg_test_rmtree(copy);
	free(copy);
	isg_buf_dispose(&a);
	isg_buf_dispose(&b);
	isg_buf_dispose(&c);
}

/* A pid that no process has. */
static long dead_pid(void)
{
	long pid;

	for (pid = 4000000; pid > 300; pid -= 7919)
		if (kill((pid_t)pid, 0) != 0)
			return pid;
	return 999999;
}

static void test_snapshot_fetch__stale_temporaries_cleaned(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT;
	char stale[1600], mine[1600], file[1700], sha[41];
	struct stat st;

	opts_init(&o, e);
	ISG_ASSERT_OK(isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	snprintf(stale, sizeof(stale), "%s/snapshots/%s+%s/.tmp-%ld-abcdef",
	         e->tmp, OWNER, REPO, dead_pid());
	snprintf(mine, sizeof(mine), "%s/snapshots/%s+%s/.tmp-%ld-ghijkl",
	         e->tmp, OWNER, REPO, (long)getpid());
	snprintf(file, sizeof(file), "%s/tree/half.py", stale);
	assert_int_equal(isg_test_write_file(file, "x = 1\n", 6), 0);
	assert_int_equal(mkdir(mine, 0700), 0);
	/* The next download cleans what a dead process left. */
	assert_int_equal(fake_github_set_tree(e->fg, e->src, sha), 0);
	ISG_ASSERT_OK(isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	assert_string_equal(info.sha, sha);
	assert_int_not_equal(stat(stale, &st), 0);
	assert_int_equal(stat(mine, &st), 0);
	rmdir(mine);
	isg_buf_dispose(&dir);
}

static void test_snapshot_fetch__indexes_with_repo_open(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_repo_options ro = ISG_REPO_OPTIONS_INIT;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT;
	isg_repo *r = NULL, *r2 = NULL;
	size_t i;

	opts_init(&o, e);
	ISG_ASSERT_OK(isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	ro.path_or_url = dir.ptr;
	ro.cache_dir = e->tmp;
	ISG_ASSERT_OK(isg_repo_open(&r, &ro));
	assert_int_equal(isg_repo_is_git(r), 0);
	assert_int_equal(strncmp(isg_repo_commit(r), "content:", 8), 0);
	ISG_ASSERT_OK(isg_repo_file_find(&i, r, "tinycalc/parser.py"));
	assert_true(isg_repo_file_def_count(r, i) >= 2);
	/* The same snapshot reuses its index. */
	ISG_ASSERT_OK(isg_repo_open(&r2, &ro));
	assert_int_equal(isg_repo_index_reused(r2), 1);
	assert_string_equal(isg_repo_commit(r2), isg_repo_commit(r));
	isg_repo_free(r);
	isg_repo_free(r2);
	isg_buf_dispose(&dir);
}

static void test_snapshot_fetch__invalid_arguments(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_buf dir = ISG_BUF_INIT;

	opts_init(&o, e);
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_snapshot_fetch(&dir, NULL, e->gh, "..", REPO, &o));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_snapshot_fetch(&dir, NULL, e->gh, OWNER, "a/b", &o));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_snapshot_fetch(&dir, NULL, NULL, OWNER, REPO, &o));
	o.cache_dir = NULL;
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_snapshot_fetch(&dir, NULL, e->gh, OWNER, REPO, &o));
	assert_non_null(strstr(isg_error_last()->message, "cache_dir"));

	opts_init(&o, e);
	o.version = 99;
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_snapshot_fetch(&dir, NULL, e->gh, OWNER, REPO, &o));
	isg_buf_dispose(&dir);
}

static void test_snapshot_fetch__damaged_download_leaves_nothing(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT;
	char listing[2048];

	opts_init(&o, e);
	/* Half the archive arrives: a corrupt gzip stream. */
	fake_github_inject_codeload(e->fg, FAKE_GITHUB_TRUNCATED, 1);
	ISG_ASSERT_RC(ISG_EPARSE,
	              isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	list_repo_dir(e, listing, sizeof(listing));
	assert_string_equal(listing, "");
	/* The next fetch of the same head completes. */
	ISG_ASSERT_OK(isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	assert_int_equal(info.unpack.files, 9);
	list_repo_dir(e, listing, sizeof(listing));
	assert_string_equal(listing, e->head);
	isg_buf_dispose(&dir);
}

static void
test_snapshot_fetch__failed_download_retried_from_start(void **state)
{
	env *e = *state;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	isg_buf dir = ISG_BUF_INIT;
	char path[1600], want[1600];

	opts_init(&o, e);
	fake_github_inject_codeload(e->fg, FAKE_GITHUB_502, 1);
	ISG_ASSERT_OK(isg_snapshot_fetch(&dir, &info, e->gh, OWNER, REPO, &o));
	assert_int_equal(fake_github_count(e->fg, "codeload", 502), 1);
	assert_int_equal(fake_github_count(e->fg, "codeload", 200), 1);
	assert_int_equal(fake_github_count(e->fg, "tarball", 302), 2);
	assert_int_equal(e->sleeps, 1);
	/* The 502's body did not end up in the archive. */
	assert_int_equal(info.unpack.files, 9);
	snprintf(path, sizeof(path), "%s/tinycalc/lexer.py", dir.ptr);
	snprintf(want, sizeof(want), "%s/tinycalc/lexer.py", e->src);
	assert_file_equal(path, want);
	isg_buf_dispose(&dir);
}

typedef struct racer {
	env *e;
	isg_buf dir;
	int rc;
} racer;

static void *race(void *arg)
{
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	racer *r = arg;
	isg_github *gh = NULL;

	go.base_url = fake_github_url(r->e->fg);
	opts_init(&o, r->e);
	r->rc = isg_github_new(&gh, &go);
	if (r->rc == ISG_OK)
		r->rc = isg_snapshot_fetch(&r->dir, &info, gh, OWNER, REPO, &o);
	isg_github_free(gh);
	return NULL;
}

static void test_snapshot_fetch__concurrent_fetches_agree(void **state)
{
	env *e = *state;
	racer r[4];
	pthread_t t[4];
	char listing[2048];
	int i;

	for (i = 0; i < 4; i++) {
		r[i].e = e;
		memset(&r[i].dir, 0, sizeof(r[i].dir));
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (i = 0; i < 4; i++) {
		ISG_ASSERT_OK(r[i].rc);
		assert_string_equal(r[i].dir.ptr, r[0].dir.ptr);
	}
	for (i = 0; i < 4; i++)
		isg_buf_dispose(&r[i].dir);
	/* One snapshot, no temporary left by the losers. */
	list_repo_dir(e, listing, sizeof(listing));
	assert_string_equal(listing, e->head);
}

/* Fails the k-th allocation (and every later one) for k = 1, 2, ...
 * until the fetch succeeds: each failure is ISG_ENOMEM, leaks nothing
 * and leaves no directory. A fresh client each time (an empty ETag
 * cache), so that every round takes the whole path. */
static void test_snapshot_fetch__allocation_failures(void **state)
{
	env *e = *state;
	isg_github_options go = ISG_GITHUB_OPTIONS_INIT;
	isg_snapshot_fetch_options o;
	isg_snapshot_info info;
	char listing[2048];
	long k, before;
	int rc = ISG_ENOMEM;

	opts_init(&o, e);
	/* A named branch: the in-process fake writes the repository's JSON
	 * with cJSON, whose allocations the failing allocator would break
	 * too. */
	o.branch = "main";
	go.base_url = fake_github_url(e->fg);
	isg_test_alloc_install();
	for (k = 1; k < 100000 && rc == ISG_ENOMEM; k++) {
		isg_buf dir = ISG_BUF_INIT;
		isg_github *gh = NULL;

		before = isg_test_alloc_live();
		ISG_ASSERT_OK(isg_github_new(&gh, &go));
		isg_test_alloc_fail_at(k);
		rc = isg_snapshot_fetch(&dir, &info, gh, OWNER, REPO, &o);
		isg_test_alloc_fail_at(0);
		isg_buf_dispose(&dir);
		isg_github_free(gh);
		if (rc == ISG_ENOMEM) {
			list_repo_dir(e, listing, sizeof(listing));
			if (listing[0])
				fail_msg("allocation %ld failed: '%s' left", k,
				         listing);
		}
		if (isg_test_alloc_live() != before)
			fail_msg(
			        "%ld allocation(s) leaked when allocation %ld failed",
			        isg_test_alloc_live() - before, k);
		if (rc != ISG_OK && rc != ISG_ENOMEM)
			fail_msg(
			        "allocation %ld failed and the fetch returned %s: %s",
			        k, isg_error_name(rc),
			        isg_error_last()->message);
	}
	isg_test_alloc_uninstall();
	ISG_ASSERT_OK(rc);
	assert_true(k > 5);
}

/* With only settings: the cache directory (its parents made, 0700) and
 * the cap come from ISSUESIGHT_CACHE_DIR and SNAPSHOT_CACHE_MAX_BYTES. */
static void test_snapshot_fetch__settings_give_dir_and_cap(void **state)
{
	env *e = *state;
	isg_config_options co = ISG_CONFIG_OPTIONS_INIT;
	isg_snapshot_fetch_options o = ISG_SNAPSHOT_FETCH_OPTIONS_INIT;
	isg_snapshot_info info;
	isg_config *cfg = NULL;
	isg_buf a = ISG_BUF_INIT, b = ISG_BUF_INIT;
	char dirv[1300], cache[1200], path[1600], cmd[3000];
	char *copy = isg_test_mkdtemp(), *big = malloc(700000);
	const char *envv[3];
	struct stat st;

	snprintf(cache, sizeof(cache), "%s/x/y/cache", e->tmp);
	snprintf(dirv, sizeof(dirv), "ISSUESIGHT_CACHE_DIR=%s", cache);
	envv[0] = dirv;
	envv[1] = "SNAPSHOT_CACHE_MAX_BYTES=1048576";
	envv[2] = NULL;
	co.env = envv;
	ISG_ASSERT_OK(isg_config_new(&cfg, &co));
	o.config = cfg;
	/* Two commits of 700 kB each: the second evicts the first. */
	snprintf(cmd, sizeof(cmd), "cp -r '%s/.' '%s/'", e->src, copy);
	assert_int_equal(system(cmd), 0);
	memset(big, 'a', 700000);
	snprintf(path, sizeof(path), "%s/data.txt", copy);
	assert_int_equal(isg_test_write_file(path, big, 700000), 0);
	assert_int_equal(fake_github_set_tree(e->fg, copy, NULL), 0);
	ISG_ASSERT_OK(isg_snapshot_fetch(&a, &info, e->gh, OWNER, REPO, &o));
	assert_int_equal(strncmp(a.ptr, cache, strlen(cache)), 0);
	snprintf(path, sizeof(path), "%s/x/y", e->tmp);
	assert_mode(path, 0700);
	big[0] = 'b';
	snprintf(path, sizeof(path), "%s/data.txt", copy);
	assert_int_equal(isg_test_write_file(path, big, 700000), 0);
	assert_int_equal(fake_github_set_tree(e->fg, copy, NULL), 0);
	ISG_ASSERT_OK(isg_snapshot_fetch(&b, &info, e->gh, OWNER, REPO, &o));
	assert_int_equal(info.evicted, 1);
	assert_int_not_equal(stat(a.ptr, &st), 0);
	assert_int_equal(stat(b.ptr, &st), 0);
	isg_config_free(cfg);
	isg_test_rmtree(copy);
	free(copy);
	free(big);
	isg_buf_dispose(&a);
	isg_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__first_downloads_second_is_304_and_reuses,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__new_head_fetches_again, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__default_branch_remembered_over_304,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__tarball_streams_to_a_new_file,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__oversize_refused_nothing_left,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__hostile_tarballs_refused, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__lru_evicted_past_cap, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__stale_temporaries_cleaned, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__indexes_with_repo_open, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__invalid_arguments, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__damaged_download_leaves_nothing,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__failed_download_retried_from_start,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__concurrent_fetches_agree, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__allocation_failures, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__token_not_sent_to_codeload, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_snapshot_fetch__settings_give_dir_and_cap, setup,
		        teardown),
	};

	isg_global_init();
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
