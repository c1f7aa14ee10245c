/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reader's Redis value format and shared entries, without services:
 * round trips of every state (bytes untouched, ETag stable and
 * content-dependent), values another writer may have left (refused, never
 * misread), cache keys, and allocation failures.
 */
#include "isg_test.h"

#include <string.h>

#include "reader_int.h"

static isg__rentry *roundtrip(const isg__rentry *e, int *nf)
{
	isg_buf v = ISG_BUF_INIT;
	isg__rentry *out = NULL;

	ISG_ASSERT_OK(isg__reader_encode(&v, e));
	ISG_ASSERT_OK(isg__reader_decode(&out, nf, "k", v.ptr, v.size));
	isg_buf_dispose(&v);
	return out;
}

static void test_reader_value__states_round_trip(void **state)
{
	const char body[] = "{\"b\": 1,  \"a\": [2]}\n";
	isg__rentry *c =
	        isg__reader_entry_new("k", ISG_STORE_COMPLETED, body,
	                              sizeof(body) - 1, "2026-01-02T03:04:05Z");
	isg__rentry *c2 =
	        isg__reader_entry_new("k", ISG_STORE_COMPLETED, "{}", 2, "");
	isg__rentry *f =
	        isg__reader_entry_new("k", ISG_STORE_FAILED, "no repo", 7, "");
	isg__rentry *r;
	int nf;

	(void)state;
	r = roundtrip(c, &nf);
	assert_int_equal(nf, 0);
	assert_int_equal(r->pub.status, ISG_STORE_COMPLETED);
	assert_int_equal(r->pub.len, sizeof(body) - 1);
	assert_memory_equal(r->pub.body, body, sizeof(body) - 1);
	assert_string_equal(r->pub.etag, c->pub.etag);
	assert_string_not_equal(c->pub.etag, c2->pub.etag);
	assert_string_equal(r->pub.updated_at, "2026-01-02T03:04:05Z");
	isg__reader_entry_unref(r);
	r = roundtrip(f, &nf);
	assert_int_equal(r->pub.status, ISG_STORE_FAILED);
	assert_string_equal(r->pub.body, "no repo");
	assert_string_equal(r->pub.etag, "");
	assert_string_equal(r->pub.updated_at, "");
	isg__reader_entry_unref(r);
	r = roundtrip(NULL, &nf); /* "no such bridge" */
	assert_null(r);
	assert_int_equal(nf, 1);
	isg__reader_entry_unref(c);
	isg__reader_entry_unref(c2);
	isg__reader_entry_unref(f);
}

static void test_reader_value__foreign_values_are_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"{\"schema_version\": 1}",
		"ISG1 C",
		"ISG1 X -\n{}",
		"ISG2 C -\n{}",
		"ISG1 C\n{}",
		"ISG1 N x\n",
		"ISG1 C \n{}",
	};
	isg__rentry *e = NULL;
	size_t i;
	int nf;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ISG_ASSERT_RC(ISG_EPARSE,
		              isg__reader_decode(&e, &nf, "is:k", bad[i],
		                                 strlen(bad[i])));
		assert_null(e);
		assert_non_null(strstr(isg_error_last()->message, "is:k"));
	}
}

static void test_reader_value__allocation_failures(void **state)
{
	const char v[] = "ISG1 C 2026-01-01T00:00:00Z\n{\"a\": 1}";
	isg__rentry *e;
	long k;
	int nf, rc = ISG_ENOMEM;

	(void)state;
	isg_test_alloc_install();
	for (k = 1; k < 10 && rc != ISG_OK; k++) {
		e = NULL;
		isg_test_alloc_fail_at(k);
		rc = isg__reader_decode(&e, &nf, "k", v, sizeof(v) - 1);
		if (rc != ISG_OK) {
			ISG_ASSERT_RC(ISG_ENOMEM, rc);
			assert_null(e);
		}
		isg__reader_entry_unref(e);
		assert_int_equal(isg_test_alloc_live(), 0);
	}
	isg_test_alloc_fail_at(0);
	isg_test_alloc_uninstall();
	assert_int_equal(rc, ISG_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_value__states_round_trip),
		cmocka_unit_test(test_reader_value__foreign_values_are_refused),
		cmocka_unit_test(test_reader_value__allocation_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
