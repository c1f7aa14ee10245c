/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The safe file reader against the files a hostile repository can hold:
 * symlinks out of the tree, FIFOs, links to devices, huge files, `..`.
 */
#define _DEFAULT_SOURCE /* realpath() */
#include "isg_test.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
	char *top; /* holds tree/ and outside/ */
	char tree[PATH_MAX];
	char outside[PATH_MAX];
} fixture;

static void put(const fixture *f, const char *rel, const char *text)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", f->top, rel);
	assert_int_equal(isg_test_write_file(p, text, strlen(text)), 0);
}

static void link_at(const fixture *f, const char *target, const char *rel)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", f->top, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->top = isg_test_mkdtemp();
	snprintf(f->tree, sizeof(f->tree), "%s/tree", f->top);
	snprintf(f->outside, sizeof(f->outside), "%s/outside", f->top);
	put(f, "tree/README.md", "# readme\n");
	put(f, "tree/meta/CONTRIBUTING.md", "be kind\n");
	put(f, "tree/docs/guide.md", "guide\n");
	put(f, "outside/secret", "DATABASE_URL=postgres://u:hunter2@db/x\n");
	/* Every test ends in a few milliseconds: a read that blocks is a
	 * failure, not a hang. */
	alarm(20);
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

static void assert_message_has(const char *needle)
{
	const char *msg = isg_error_last()->message;

	if (!strstr(msg, needle))
		fail_msg("message '%s' lacks '%s'", msg, needle);
}

static void test_file__reads_regular_file_whole(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/README.md", f->tree);
	ISG_ASSERT_OK(isg_file_read(&b, p, 0, 0));
	assert_string_equal(b.ptr, "# readme\n");
	assert_int_equal(b.size, 9);
	ISG_ASSERT_OK(isg_file_read_in_tree(&b, f->tree, "meta/CONTRIBUTING.md",
	                                    0, 0));
	assert_string_equal(b.ptr, "be kind\n");
	/* Empty and `.` components are ignored. */
	ISG_ASSERT_OK(
	        isg_file_read_in_tree(&b, f->tree, "./docs//guide.md", 0, 0));
	assert_string_equal(b.ptr, "guide\n");
	isg_buf_dispose(&b);
}

static void test_file__empty_file_gives_empty_string(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;

	put(f, "tree/empty", "");
	ISG_ASSERT_OK(isg_file_read_in_tree(&b, f->tree, "empty", 0, 0));
	assert_non_null(b.ptr);
	assert_int_equal(b.size, 0);
	assert_string_equal(b.ptr, "");
	isg_buf_dispose(&b);
}

static void test_file__symlink_out_of_tree_is_forbidden(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;

	link_at(f, "../outside/secret", "tree/CONTRIBUTING.md");
	link_at(f, "/etc/passwd", "tree/passwd");
	link_at(f, "/proc/self/environ", "tree/environ");
	link_at(f, "docs/../../outside/secret", "tree/sneaky");
	ISG_ASSERT_RC(
	        ISG_EFORBIDDEN,
	        isg_file_read_in_tree(&b, f->tree, "CONTRIBUTING.md", 0, 0));
	assert_message_has(
	        "'CONTRIBUTING.md' is a symlink that leaves the tree");
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_file_read_in_tree(&b, f->tree, "passwd", 0, 0));
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_file_read_in_tree(&b, f->tree, "environ", 0, 0));
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_file_read_in_tree(&b, f->tree, "sneaky", 0, 0));
	assert_null(b.ptr);
}

static void test_file__directory_symlink_out_of_tree_is_forbidden(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;

	put(f, "outside/CONTRIBUTING.md", "stolen\n");
	link_at(f, "../outside", "tree/.github");
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_file_read_in_tree(&b, f->tree,
	                                    ".github/CONTRIBUTING.md", 0, 0));
	assert_message_has("leaves the tree");
	assert_null(b.ptr);
}

static void test_file__symlink_inside_tree_is_followed(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;
	char abs[PATH_MAX + 64], *real;

	link_at(f, "meta/CONTRIBUTING.md", "tree/CONTRIBUTING.md");
	link_at(f, "meta", "tree/.github");
	link_at(f, "../README.md", "tree/docs/README.md");
	real = realpath(f->tree, NULL);
	snprintf(abs, sizeof(abs), "%s/docs/guide.md", real);
	free(real);
	link_at(f, abs, "tree/absolute");
	ISG_ASSERT_OK(
	        isg_file_read_in_tree(&b, f->tree, "CONTRIBUTING.md", 0, 0));
	assert_string_equal(b.ptr, "be kind\n");
	ISG_ASSERT_OK(isg_file_read_in_tree(&b, f->tree,
	                                    ".github/CONTRIBUTING.md", 0, 0));
	assert_string_equal(b.ptr, "be kind\n");
	ISG_ASSERT_OK(
	        isg_file_read_in_tree(&b, f->tree, "docs/README.md", 0, 0));
	assert_string_equal(b.ptr, "# readme\n");
	ISG_ASSERT_OK(isg_file_read_in_tree(&b, f->tree, "absolute", 0, 0));
	assert_string_equal(b.ptr, "guide\n");
	/* NOFOLLOW refuses the link itself, even inside the tree. */
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_file_read_in_tree(&b, f->tree, "CONTRIBUTING.md", 0,
	                                    ISG_FILE_NOFOLLOW));
	/* ...but not a link on the way to the last component. */
	ISG_ASSERT_OK(isg_file_read_in_tree(
	        &b, f->tree, ".github/CONTRIBUTING.md", 0, ISG_FILE_NOFOLLOW));
	isg_buf_dispose(&b);
}

static void test_file__symlink_loop_ends(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;

	link_at(f, "b", "tree/a");
	link_at(f, "a", "tree/b");
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_file_read_in_tree(&b, f->tree, "a", 0, 0));
	assert_message_has("too many levels of symlinks");
}

static void test_file__dotdot_and_absolute_relpath_are_invalid(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;

	ISG_ASSERT_RC(
	        ISG_EINVALID,
	        isg_file_read_in_tree(&b, f->tree, "../outside/secret", 0, 0));
	assert_message_has("'..' component");
	ISG_ASSERT_RC(
	        ISG_EINVALID,
	        isg_file_read_in_tree(&b, f->tree, "docs/../README.md", 0, 0));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_file_read_in_tree(&b, f->tree, "/etc/passwd", 0, 0));
	assert_message_has("absolute");
	/* A name that merely starts with dots is fine. */
	put(f, "tree/..notes", "n\n");
	ISG_ASSERT_OK(isg_file_read_in_tree(&b, f->tree, "..notes", 0, 0));
	assert_string_equal(b.ptr, "n\n");
	isg_buf_dispose(&b);
}

static void test_file__fifo_is_refused_without_blocking(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/CONTRIBUTING.md", f->tree);
	assert_int_equal(mkfifo(p, 0600), 0);
	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read(&b, p, 0, 0));
	assert_message_has("is a FIFO, not a regular file");
	ISG_ASSERT_RC(
	        ISG_EINVALID,
	        isg_file_read_in_tree(&b, f->tree, "CONTRIBUTING.md", 0, 0));
	assert_message_has("'CONTRIBUTING.md' is a FIFO");
	/* Through an in-tree link too. */
	link_at(f, "CONTRIBUTING.md", "tree/README.rst");
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_file_read_in_tree(&b, f->tree, "README.rst", 0, 0));
	assert_null(b.ptr);
}

static void test_file__dev_zero_is_refused_and_proc_is_capped(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;
	char p[PATH_MAX + 32];

	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read(&b, "/dev/zero", 0, 0));
	assert_message_has("character device");
	link_at(f, "/dev/zero", "tree/CONTRIBUTING.md");
	snprintf(p, sizeof(p), "%s/CONTRIBUTING.md", f->tree);
	/* Alone, the link is followed to a device and refused... */
	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read(&b, p, 0, 0));
	/* ...inside a tree it is a link out. */
	ISG_ASSERT_RC(
	        ISG_EFORBIDDEN,
	        isg_file_read_in_tree(&b, f->tree, "CONTRIBUTING.md", 0, 0));
	assert_null(b.ptr);
	/* A /proc file reports size 0 and is still read only up to the cap. */
	ISG_ASSERT_RC(ISG_ETOOBIG,
	              isg_file_read(&b, "/proc/self/status", 16, 0));
	ISG_ASSERT_OK(
	        isg_file_read(&b, "/proc/self/status", 16, ISG_FILE_TRUNCATE));
	assert_int_equal(b.size, 16);
	assert_int_equal(strlen(b.ptr), 16);
	isg_buf_dispose(&b);
}

static void test_file__directory_is_refused(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;

	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read(&b, f->tree, 0, 0));
	assert_message_has("is a directory, not a regular file");
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_file_read_in_tree(&b, f->tree, "docs", 0, 0));
	assert_message_has("'docs' is a directory");
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_file_read_in_tree(&b, f->tree, "docs/", 0, 0));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_file_read_in_tree(&b, f->tree, ".", 0, 0));
	/* A file where a directory is expected is "not found", named. */
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_file_read_in_tree(&b, f->tree, "README.md/x", 0, 0));
	assert_message_has("not a directory");
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_file_read_in_tree(&b, f->tree, "nope.md", 0, 0));
	assert_message_has("'nope.md' does not exist");
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_file_read(&b, "/nonexistent/issuesight", 0, 0));
	assert_null(b.ptr);
}

static void test_file__too_big_and_truncate(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;
	char p[PATH_MAX + 32];

	put(f, "tree/ten", "0123456789");
	snprintf(p, sizeof(p), "%s/ten", f->tree);
	ISG_ASSERT_RC(ISG_ETOOBIG, isg_file_read(&b, p, 9, 0));
	assert_message_has("larger than 9 bytes");
	ISG_ASSERT_RC(ISG_ETOOBIG,
	              isg_file_read_in_tree(&b, f->tree, "ten", 4, 0));
	assert_null(b.ptr);
	ISG_ASSERT_OK(isg_file_read(&b, p, 10, 0)); /* exactly the cap */
	assert_string_equal(b.ptr, "0123456789");
	ISG_ASSERT_OK(isg_file_read_in_tree(&b, f->tree, "ten", 4,
	                                    ISG_FILE_TRUNCATE));
	assert_int_equal(b.size, 4);
	assert_string_equal(b.ptr, "0123");
	isg_buf_dispose(&b);
}

static void test_file__failure_leaves_buffer_unchanged(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;

	ISG_ASSERT_OK(isg_file_read_in_tree(&b, f->tree, "README.md", 0, 0));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_file_read_in_tree(&b, f->tree, "missing", 0, 0));
	assert_string_equal(b.ptr, "# readme\n");
	isg_buf_dispose(&b);
}

static void test_file__nofollow_refuses_symlink(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;
	char p[PATH_MAX + 32];

	link_at(f, "README.md", "tree/link");
	snprintf(p, sizeof(p), "%s/link", f->tree);
	ISG_ASSERT_OK(isg_file_read(&b, p, 0, 0));
	assert_string_equal(b.ptr, "# readme\n");
	ISG_ASSERT_RC(ISG_EFORBIDDEN,
	              isg_file_read(&b, p, 0, ISG_FILE_NOFOLLOW));
	assert_message_has("is a symlink");
	isg_buf_dispose(&b);
}

static void test_file__bad_arguments(void **state)
{
	fixture *f = *state;
	isg_buf b = ISG_BUF_INIT;

	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read(NULL, f->tree, 0, 0));
	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read(&b, NULL, 0, 0));
	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read(&b, "", 0, 0));
	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read(&b, f->tree, 0, 8u));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_file_read_in_tree(&b, NULL, "README.md", 0, 0));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_file_read_in_tree(&b, f->tree, "", 0, 0));
	ISG_ASSERT_RC(ISG_EINVALID, isg_file_read_fd(&b, -1, "x", 0, 0));
	ISG_ASSERT_RC(
	        ISG_ENOTFOUND,
	        isg_file_read_in_tree(&b, "/nonexistent/root", "a", 0, 0));
}

static void test_file__fd_reads_a_pipe_up_to_the_cap(void **state)
{
	isg_buf b = ISG_BUF_INIT;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "hello world", 11), 11);
	close(p[1]);
	ISG_ASSERT_RC(ISG_ETOOBIG,
	              isg_file_read_fd(&b, p[0], "standard input", 5, 0));
	assert_message_has("'standard input' is larger than 5 bytes");
	close(p[0]);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "hello world", 11), 11);
	close(p[1]);
	ISG_ASSERT_OK(isg_file_read_fd(&b, p[0], "standard input", 0, 0));
	assert_string_equal(b.ptr, "hello world");
	close(p[0]);
	isg_buf_dispose(&b);
}

static void test_file__allocation_failures_do_not_leak(void **state)
{
	fixture *f = *state;
	char big[200000];
	long k;
	int successes = 0;

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put(f, "tree/meta/big", big);
	link_at(f, "meta", "tree/.github");
	isg_test_alloc_install();
	for (k = 1; k < 200; k++) {
		isg_buf b = ISG_BUF_INIT;
		int rc;

		isg_test_alloc_fail_at(k);
		rc = isg_file_read_in_tree(&b, f->tree, ".github/big", 0, 0);
		isg_test_alloc_fail_at(0);
		if (rc == ISG_OK) {
			assert_int_equal(b.size, sizeof(big) - 1);
			successes++;
		} else {
			ISG_ASSERT_RC(ISG_ENOMEM, rc);
			assert_null(b.ptr);
		}
		isg_buf_dispose(&b);
		assert_int_equal(isg_test_alloc_live(), 0);
		if (rc == ISG_OK)
			break;
	}
	assert_int_equal(successes, 1);
	assert_true(k > 3);
	isg_test_alloc_uninstall();
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_file__reads_regular_file_whole),
		T(test_file__empty_file_gives_empty_string),
		T(test_file__symlink_out_of_tree_is_forbidden),
		T(test_file__directory_symlink_out_of_tree_is_forbidden),
		T(test_file__symlink_inside_tree_is_followed),
		T(test_file__symlink_loop_ends),
		T(test_file__dotdot_and_absolute_relpath_are_invalid),
		T(test_file__fifo_is_refused_without_blocking),
		T(test_file__dev_zero_is_refused_and_proc_is_capped),
		T(test_file__directory_is_refused),
		T(test_file__too_big_and_truncate),
		T(test_file__failure_leaves_buffer_unchanged),
		T(test_file__nofollow_refuses_symlink),
		T(test_file__bad_arguments),
		T(test_file__fd_reads_a_pipe_up_to_the_cap),
		T(test_file__allocation_failures_do_not_leak),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
