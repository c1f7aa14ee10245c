/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hostile repository: the files the bridge reads by name (contribution
 * rules, .github templates, README, Makefile, package.json) as symlinks out
 * of the tree, links to /dev/zero, FIFOs, and a symlink committed to git
 * and cloned through a file:// URL. Nothing outside the tree may reach the
 * bridge, and nothing may hang (each case runs under an alarm).
 */
#include "isg_test.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core_int.h"

#define SECRET "TOPSECRET_hunter2_DATABASE_URL"

typedef struct fixture {
	char *top;
	char repo[PATH_MAX];
	char cache[PATH_MAX];
	char secret[PATH_MAX];
} fixture;

static void put(const char *dir, const char *rel, const char *text)
{
	char p[3 * PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(isg_test_write_file(p, text, strlen(text)), 0);
}

static void link_in(const char *dir, const char *target, const char *rel)
{
	char p[3 * PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->top = isg_test_mkdtemp();
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->top);
	snprintf(f->cache, sizeof(f->cache), "%s/cache", f->top);
	snprintf(f->secret, sizeof(f->secret), "%s/outside/secret.md", f->top);
	put(f->top, "outside/secret.md",
	    "# Contributing\nRun `make " SECRET "` before sending.\n");
	put(f->top, "outside/CONTRIBUTING.md", "Please " SECRET ".\n");
	put(f->top, "outside/PULL_REQUEST_TEMPLATE.md", SECRET "\n");
	put(f->repo, "src/widget.c",
	    "/* widgets */\nint widget_resize(int w)\n{\n\treturn w * 2;\n}\n");
	put(f->repo, "tests/test_widget.c", "int main(void) { return 0; }\n");
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

/* Builds the bridge of a small issue on `repo` and returns its Markdown
 * and JSON concatenated (the caller frees with isg_buf_dispose). */
static void bridge_text(isg_buf *out, const char *repo, const char *cache)
{
	const char issue[] =
	        "widget_resize doubles the width\n"
	        "Resizing a widget makes it twice as wide. See src/widget.c.\n";
	isg_bridge_options o = ISG_BRIDGE_OPTIONS_INIT;
	isg_bridge *b = NULL;
	isg_buf md = ISG_BUF_INIT, json = ISG_BUF_INIT;

	o.repo = repo;
	o.cache_dir = cache;
	o.issue_text = issue;
	o.issue_text_len = sizeof(issue) - 1;
	ISG_ASSERT_OK(isg_bridge_generate(&b, &o));
	ISG_ASSERT_OK(isg_bridge_to_markdown(&md, b));
	ISG_ASSERT_OK(isg_bridge_to_json(&json, b, 0));
	ISG_ASSERT_OK(isg_buf_set(out, md.ptr, md.size));
	ISG_ASSERT_OK(isg_buf_put(out, json.ptr, json.size));
	isg_buf_dispose(&md);
	isg_buf_dispose(&json);
	isg_bridge_free(b);
}

static void assert_no_secret(const isg_buf *text)
{
	if (strstr(text->ptr, SECRET) || strstr(text->ptr, "root:x:0:0") ||
	    strstr(text->ptr, "PATH="))
		fail_msg("the bridge holds text from outside the tree:\n%s",
		         text->ptr);
}

static isg_repo *open_repo(const char *path, const char *cache)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_repo *r = NULL;

	o.path_or_url = path;
	o.cache_dir = cache;
	ISG_ASSERT_OK(isg_repo_open(&r, &o));
	return r;
}

static void test_repo_hostile__symlinks_out_are_not_read(void **state)
{
	fixture *f = *state;
	isg_buf text = ISG_BUF_INIT;
	isg_repo *r;

	link_in(f->repo, f->secret, "CONTRIBUTING.md");
	link_in(f->repo, "../outside", ".github");
	link_in(f->repo, "/etc/passwd", "README.md");
	link_in(f->repo, "/proc/self/environ", "Makefile");
	link_in(f->repo, "../outside/secret.md", "package.json");
	link_in(f->repo, "../../outside/secret.md", "tests/CONTRIBUTING");
	r = open_repo(f->repo, f->cache);
	assert_int_equal(isg_repo_contributing_count(r), 0);
	assert_null(isg_repo_readme_path(r));
	ISG_ASSERT_RC(ISG_ENOTFOUND, isg_repo_test_command(&text, r));
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_repo_read_file(&text, r, "CONTRIBUTING.md"));
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_repo_read_file(&text, r, ".github/CONTRIBUTING.md"));
	isg_repo_free(r);
	bridge_text(&text, f->repo, f->cache);
	assert_no_secret(&text);
	assert_non_null(strstr(text.ptr, "src/widget.c"));
	isg_buf_dispose(&text);
}

static void test_repo_hostile__symlinks_inside_are_followed(void **state)
{
	fixture *f = *state;
	isg_buf text = ISG_BUF_INIT;
	isg_repo *r;

	put(f->repo, "docs/HACKING.md", "# Hacking\n\n    make check\n");
	link_in(f->repo, "docs/HACKING.md", "CONTRIBUTING.md");
	r = open_repo(f->repo, f->cache);
	assert_int_equal(isg_repo_contributing_count(r), 1);
	assert_string_equal(isg_repo_contributing_path(r, 0),
	                    "CONTRIBUTING.md");
	ISG_ASSERT_OK(isg_repo_test_command(&text, r));
	assert_string_equal(text.ptr, "make check");
	isg_repo_free(r);
	isg_buf_dispose(&text);
}

static void test_repo_hostile__dev_zero_and_fifo_do_not_hang(void **state)
{
	fixture *f = *state;
	isg_buf text = ISG_BUF_INIT;
	char p[3 * PATH_MAX];
	isg_repo *r;

	link_in(f->repo, "/dev/zero", "CONTRIBUTING.md");
	snprintf(p, sizeof(p), "%s/README.md", f->repo);
	assert_int_equal(mkfifo(p, 0600), 0);
	snprintf(p, sizeof(p), "%s/.github", f->repo);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/.github/CONTRIBUTING.md", f->repo);
	assert_int_equal(mkfifo(p, 0600), 0);
	link_in(f->repo, "/proc/kmsg", "Makefile");
	r = open_repo(f->repo, f->cache);
	assert_int_equal(isg_repo_contributing_count(r), 0);
	assert_null(isg_repo_readme_path(r));
	isg_repo_free(r);
	bridge_text(&text, f->repo, f->cache);
	assert_no_secret(&text);
	isg_buf_dispose(&text);
}

static int sh(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		print_message("command failed (%d): %s\n", rc, cmd);
	return rc;
}

static void test_repo_hostile__committed_symlink_through_file_url(void **state)
{
	fixture *f = *state;
	isg_buf text = ISG_BUF_INIT, url = ISG_BUF_INIT, cmd = ISG_BUF_INIT;
	char origin[PATH_MAX + 32];
	isg_repo *r;

	snprintf(origin, sizeof(origin), "%s/origin", f->top);
	put(origin, "src/widget.c", "int widget_resize(int w) { return w; }\n");
	link_in(origin, f->secret, "CONTRIBUTING.md");
	link_in(origin, "../../../../../../../../../../../../etc/passwd",
	        "README.md");
	put(origin, ".github/keep", "x\n");
	link_in(origin, f->secret, ".github/PULL_REQUEST_TEMPLATE.md");
	ISG_ASSERT_OK(isg__buf_printf(
	        &cmd,
	        "cd '%s' && git init -q . && git add -A && git -c user.name=t -c user.email=t@example.com commit -qm init",
	        origin));
	assert_int_equal(sh(cmd.ptr), 0);
	ISG_ASSERT_OK(isg__buf_printf(&url, "file://%s", origin));
	r = open_repo(url.ptr, f->cache);
	assert_int_equal(isg_repo_contributing_count(r), 0);
	assert_null(isg_repo_readme_path(r));
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_repo_read_file(&text, r, "CONTRIBUTING.md"));
	isg_repo_free(r);
	bridge_text(&text, url.ptr, f->cache);
	assert_no_secret(&text);
	isg_buf_dispose(&text);
	isg_buf_dispose(&url);
	isg_buf_dispose(&cmd);
}

/* In a child process without root's override of permissions (as nobody
 * when the tests run as root): 0 when the repository opened and
 * src/widget.c was indexed. */
static int open_as_unprivileged(const fixture *f, const char *cache)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0) {
		isg_repo_options o = ISG_REPO_OPTIONS_INIT;
		isg_repo *r = NULL;
		size_t i;
		int seen = 0;

		if (geteuid() == 0 &&
		    (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		o.path_or_url = f->repo;
		o.cache_dir = cache;
		if (isg_repo_open(&r, &o) != ISG_OK) {
			fprintf(stderr, "open: %s\n",
			        isg_error_last()->message);
			_exit(1);
		}
		for (i = 0; i < isg_repo_file_count(r); i++)
			if (strcmp(isg_repo_file_path(r, i), "src/widget.c") ==
			    0)
				seen = 1;
		isg_repo_free(r);
		_exit(seen ? 0 : 2);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

static void test_repo_hostile__unreadable_subdirectory_is_skipped(void **state)
{
	fixture *f = *state;
	char p[4 * PATH_MAX], home[PATH_MAX + 64], cache[PATH_MAX + 80];

	put(f->repo, "locked/inner.c", "int inner(void) { return 1; }\n");
	snprintf(p, sizeof(p), "%s/locked", f->repo);
	assert_int_equal(chmod(p, 0), 0);
	/* The child must reach the tree and own its cache. */
	assert_int_equal(chmod(f->top, 0755), 0);
	snprintf(home, sizeof(home), "%s/home", f->top);
	assert_int_equal(mkdir(home, 0700), 0);
	if (geteuid() == 0)
		assert_int_equal(chown(home, 65534, 65534), 0);
	snprintf(cache, sizeof(cache), "%s/cache", home);
	snprintf(p, sizeof(p),
	         "chmod -R a+rX '%s/src' '%s/tests' && chmod a+rx '%s'",
	         f->repo, f->repo, f->repo);
	assert_int_equal(system(p), 0);
	assert_int_equal(open_as_unprivileged(f, cache), 0);
	snprintf(p, sizeof(p), "%s/locked", f->repo);
	assert_int_equal(chmod(p, 0700), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_repo_hostile__symlinks_out_are_not_read),
		T(test_repo_hostile__symlinks_inside_are_followed),
		T(test_repo_hostile__dev_zero_and_fifo_do_not_hang),
		T(test_repo_hostile__committed_symlink_through_file_url),
		T(test_repo_hostile__unreadable_subdirectory_is_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
