/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unpacking repository snapshots: archives are built here block by block
 * (ustar headers, pax and GNU long names) and gzipped with zlib, then
 * unpacked into a temporary directory. Hostile names, links, caps and
 * corrupt input are refused or skipped with the right status.
 */
#include "isg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

typedef struct tarb {
	unsigned char *p;
	size_t n;
} tarb;

static void put(tarb *t, const void *d, size_t n)
{
	t->p = realloc(t->p, t->n + n);
	assert_non_null(t->p);
	memcpy(t->p + t->n, d, n);
	t->n += n;
}

static void header(tarb *t, const char *name, char type, const char *data,
                   size_t size, const char *link)
{
	unsigned char h[512];
	unsigned sum = 0;
	size_t i;

	memset(h, 0, sizeof(h));
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 124, 12, "%011zo", size);
	snprintf((char *)h + 136, 12, "%011o", 0);
	h[156] = (unsigned char)type;
	if (link)
		snprintf((char *)h + 157, 100, "%s", link);
	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	put(t, h, 512);
	if (size) {
		unsigned char pad[512] = { 0 };

		put(t, data, size);
		if (size % 512)
			put(t, pad, 512 - size % 512);
	}
}

static void entry(tarb *t, const char *name, const char *data)
{
	header(t, name, data ? '0' : '5', data, data ? strlen(data) : 0, NULL);
}

static void pax(tarb *t, char type, const char *key, const char *value)
{
	char rec[600];
	int len = (int)strlen(key) + (int)strlen(value) + 3, n;

	/* The length counts its own digits. */
	n = snprintf(rec, sizeof(rec), "%d %s=%s\n", len + 2, key, value);
	if (n != len + 2)
		n = snprintf(rec, sizeof(rec), "%d %s=%s\n", n, key, value);
	header(t, type == 'g' ? "pax_global_header" : "PaxHeader", type, rec,
	       (size_t)n, NULL);
}

static char *write_tgz(const char *dir, tarb *t, int close_archive)
{
	static int seq;
	char *path = malloc(700);
	unsigned char zero[1024] = { 0 };
	gzFile gz;

	if (close_archive)
		put(t, zero, sizeof(zero));
	snprintf(path, 700, "%s/a%d.tar.gz", dir, seq++);
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, t->p, (unsigned)t->n), (int)t->n);
	gzclose(gz);
	free(t->p);
	t->p = NULL;
	t->n = 0;
	return path;
}

static char *fresh_dest(const char *dir)
{
	static int seq;
	char *d = malloc(700);

	snprintf(d, 700, "%s/out%d", dir, seq++);
	assert_int_equal(mkdir(d, 0755), 0);
	return d;
}

static void test_snapshot__github_tarball_unpacks(void **state)
{
	char *tmp = isg_test_mkdtemp(), *tgz, *dest, path[1024], big[300];
	tarb t = { NULL, 0 };
	isg_snapshot_stats st;
	struct stat sb;
	char *text;
	size_t len;

	(void)state;
	memset(big, 'n', 200);
	big[200] = '\0';
	pax(&t, 'g', "comment", "0123456789abcdef0123456789abcdef01234567");
	entry(&t, "octo-hello-0123456/", NULL);
	entry(&t, "octo-hello-0123456/README.md", "# hello\n");
	entry(&t, "octo-hello-0123456/src/main.c", "int main(void){}\n");
	header(&t, "octo-hello-0123456/escape", '2', NULL, 0, "/etc/passwd");
	header(&t, "octo-hello-0123456/hard", '1', NULL, 0, "/etc/shadow");
	header(&t, "octo-hello-0123456/fifo", '6', NULL, 0, NULL);
	snprintf(path, sizeof(path), "octo-hello-0123456/docs/%s.md", big);
	pax(&t, 'x', "path", path);
	entry(&t, "PaxHeader/ignored-name", "long\n");
	tgz = write_tgz(tmp, &t, 1);
	dest = fresh_dest(tmp);
	ISG_ASSERT_OK(isg_snapshot_unpack(&st, tgz, dest, NULL));
	assert_int_equal(st.files, 3);
	assert_int_equal(st.skipped_links, 2);
	assert_int_equal(st.skipped_other, 1);
	assert_int_equal(st.bytes, 8 + 17 + 5);
	assert_string_equal(st.commit,
	                    "0123456789abcdef0123456789abcdef01234567");
	snprintf(path, sizeof(path), "%s/src/main.c", dest);
	text = isg_test_read_file(path, &len);
	assert_non_null(text);
	assert_string_equal(text, "int main(void){}\n");
	free(text);
	snprintf(path, sizeof(path), "%s/docs/%s.md", dest, big);
	assert_int_equal(stat(path, &sb), 0);
	snprintf(path, sizeof(path), "%s/escape", dest);
	assert_int_not_equal(lstat(path, &sb), 0);
	snprintf(path, sizeof(path), "%s/hard", dest);
	assert_int_not_equal(lstat(path, &sb), 0);
	free(tgz);
	free(dest);
	isg_test_rmtree(tmp);
	free(tmp);
}

static void expect(const char *tmp, tarb *t, int rc, const char *msg,
                   const isg_snapshot_limits *lim)
{
	char *tgz = write_tgz(tmp, t, 1), *dest = fresh_dest(tmp);
	isg_snapshot_stats st;

	ISG_ASSERT_RC(rc, isg_snapshot_unpack(&st, tgz, dest, lim));
	if (!strstr(isg_error_last()->message, msg))
		fail_msg("message '%s' lacks '%s'", isg_error_last()->message,
		         msg);
	free(tgz);
	free(dest);
}

static void test_snapshot__hostile_names_refused(void **state)
{
	char *tmp = isg_test_mkdtemp(), path[700];
	tarb t = { NULL, 0 };
	struct stat sb;

	(void)state;
	entry(&t, "top/../../evil.sh", "x");
	expect(tmp, &t, ISG_EFORBIDDEN, "climbs with '..'", NULL);
	entry(&t, "/etc/cron.d/evil", "x");
	expect(tmp, &t, ISG_EFORBIDDEN, "absolute", NULL);
	entry(&t, "top/a\\..\\b", "x");
	expect(tmp, &t, ISG_EFORBIDDEN, "backslash", NULL);
	entry(&t, "top/twice.txt", "1");
	entry(&t, "top/twice.txt", "2");
	expect(tmp, &t, ISG_EFORBIDDEN, "names it twice", NULL);
	/* A link then a file through it: the link never exists. */
	header(&t, "top/sub", '2', NULL, 0, "/tmp");
	entry(&t, "top/sub/planted", "x");
	expect(tmp, &t, ISG_OK, "", NULL);
	snprintf(path, sizeof(path), "/tmp/planted");
	assert_int_not_equal(lstat(path, &sb), 0);
	isg_test_rmtree(tmp);
	free(tmp);
}

static void test_snapshot__caps_and_corruption(void **state)
{
	char *tmp = isg_test_mkdtemp(), *tgz, *dest, path[700];
	isg_snapshot_limits lim = ISG_SNAPSHOT_LIMITS_INIT;
	isg_snapshot_stats st;
	tarb t = { NULL, 0 };
	FILE *f;
	int i;

	(void)state;
	lim.max_file_bytes = 4;
	entry(&t, "top/big", "12345");
	expect(tmp, &t, ISG_ETOOBIG, "has 5 bytes", &lim);
	lim.max_file_bytes = 0;
	lim.max_bytes = 6;
	entry(&t, "top/a", "1234");
	entry(&t, "top/b", "1234");
	expect(tmp, &t, ISG_ETOOBIG, "more than 6 bytes", &lim);
	lim.max_bytes = 0;
	lim.max_entries = 3;
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "top/f%d", i);
		entry(&t, path, "x");
	}
	expect(tmp, &t, ISG_ETOOBIG, "more than 3 entries", &lim);
	/* A flipped byte breaks the header checksum. */
	entry(&t, "top/ok", "x");
	t.p[10] ^= 1;
	expect(tmp, &t, ISG_EPARSE, "checksum", NULL);
	/* Data cut short. */
	entry(&t, "top/cut", "0123456789");
	t.n = 512 + 4;
	tgz = write_tgz(tmp, &t, 0);
	dest = fresh_dest(tmp);
	ISG_ASSERT_RC(ISG_EPARSE, isg_snapshot_unpack(&st, tgz, dest, NULL));
	free(tgz);
	free(dest);
	/* Not gzip at all. */
	snprintf(path, sizeof(path), "%s/plain.tar.gz", tmp);
	f = fopen(path, "wb");
	fputs("this is not an archive, only text that runs on and on", f);
	fclose(f);
	dest = fresh_dest(tmp);
	assert_int_not_equal(isg_snapshot_unpack(&st, path, dest, NULL),
	                     ISG_OK);
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_snapshot_unpack(&st, path, "/nonexistent/x", NULL));
	ISG_ASSERT_RC(ISG_EINVALID, isg_snapshot_unpack(&st, NULL, dest, NULL));
	free(dest);
	isg_test_rmtree(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot__github_tarball_unpacks),
		cmocka_unit_test(test_snapshot__hostile_names_refused),
		cmocka_unit_test(test_snapshot__caps_and_corruption),
	};

	isg_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
