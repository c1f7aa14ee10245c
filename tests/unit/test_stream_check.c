/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The check of a stream entry a consumer reads (isg__stream_entry_check()):
 * data-driven valid and malformed entries with the reason their dead
 * letter records, and an allocation-failure loop over each (fail the k-th
 * allocation: ISG_ENOMEM, never a false verdict, nothing leaked).
 */
#include "isg_test.h"

#include <string.h>

#include "core_int.h"
#include "stream_int.h"

typedef struct entry_case {
	const char *name;
	const char *fields[6]; /* name, value, ...; NULL ends */
	int want_version;
	int rc;
	const char *reason; /* substring, for malformed entries */
} entry_case;

static const entry_case cases[] = {
	{ "task",
	  { "data", "{\"schema_version\":1,\"owner\":\"o\"}", NULL },
	  1,
	  ISG_OK,
	  NULL },
	{ "data after another field",
	  { "kind", "x", "data", "{\"schema_version\":3}", NULL },
	  3,
	  ISG_OK,
	  NULL },
	{ "no data field",
	  { "payload", "{\"schema_version\":1}", NULL },
	  1,
	  ISG_EINVALID,
	  "no 'data' field" },
	{ "no fields", { NULL }, 1, ISG_EINVALID, "no 'data' field" },
	{ "not JSON",
	  { "data", "{\"schema_version\":1", NULL },
	  1,
	  ISG_EINVALID,
	  "not JSON" },
	{ "empty", { "data", "", NULL }, 1, ISG_EINVALID, "not JSON" },
	{ "array",
	  { "data", "[1]", NULL },
	  1,
	  ISG_EINVALID,
	  "not a JSON object" },
	{ "no version",
	  { "data", "{\"v\":1}", NULL },
	  1,
	  ISG_EINVALID,
	  "no schema_version" },
	{ "fractional version",
	  { "data", "{\"schema_version\":1.5}", NULL },
	  1,
	  ISG_EINVALID,
	  "positive integer" },
	/* Beyond int's range (found by tests/fuzz/fuzz_stream.c under
	 * clang's float-cast-overflow check: the cast came first). */
	{ "huge version",
	  { "data", "{\"schema_version\":8888888888}", NULL },
	  1,
	  ISG_EINVALID,
	  "positive integer" },
	{ "string version",
	  { "data", "{\"schema_version\":\"1\"}", NULL },
	  1,
	  ISG_EINVALID,
	  "positive integer" },
	{ "other version",
	  { "data", "{\"schema_version\":2}", NULL },
	  1,
	  ISG_EINVALID,
	  "schema_version 2 is not the supported 1" },
};

static int run(const entry_case *c, isg__stream_entry *ent, char *reason,
               size_t rn)
{
	const char *fv[6];
	size_t lens[6], n = 0;

	while (n < 6 && c->fields[n]) {
		fv[n] = c->fields[n];
		lens[n] = strlen(c->fields[n]);
		n++;
	}
	reason[0] = '\0';
	return isg__stream_entry_check(ent, fv, lens, n, c->want_version,
	                               reason, rn);
}

static void test_stream_check__entries_get_their_verdict(void **state)
{
	char reason[ISG_ERROR_MESSAGE_MAX + 64];
	isg__stream_entry ent;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = run(&cases[i], &ent, reason, sizeof(reason));

		if (rc != cases[i].rc)
			print_error("case '%s': %s\n", cases[i].name,
			            isg_error_name(rc));
		assert_int_equal(rc, cases[i].rc);
		if (rc == ISG_OK) {
			assert_non_null(ent.data);
			assert_int_equal(ent.version, cases[i].want_version);
			assert_int_equal(ent.data[0], '{');
		} else {
			if (!strstr(reason, cases[i].reason))
				print_error("case '%s': reason '%s'\n",
				            cases[i].name, reason);
			assert_non_null(strstr(reason, cases[i].reason));
			assert_int_equal(
			        strncmp(reason, "malformed message: ", 19), 0);
			assert_int_equal(isg_error_last()->code, ISG_EINVALID);
		}
	}
}

static void test_stream_check__value_kept_for_the_dead_letter(void **state)
{
	const char *fv[2] = { "payload", "raw bytes" };
	size_t lens[2] = { 7, 9 };
	char reason[200];
	isg__stream_entry ent;

	(void)state;
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg__stream_entry_check(&ent, fv, lens, 2, 1, reason,
	                                      sizeof(reason)));
	assert_ptr_equal(ent.data, fv[1]);
	assert_int_equal(ent.len, 9);
	/* A value Redis did not send as a string is no data. */
	fv[0] = "data";
	fv[1] = NULL;
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg__stream_entry_check(&ent, fv, lens, 2, 1, reason,
	                                      sizeof(reason)));
	assert_null(ent.data);
	/* A NUL inside the payload is not JSON. */
	{
		const char bin[] = "{\"schema_version\":1}\0x";
		const char *f2[2] = { "data", bin };
		size_t l2[2] = { 4, sizeof(bin) - 1 };

		ISG_ASSERT_RC(ISG_EINVALID,
		              isg__stream_entry_check(&ent, f2, l2, 2, 1,
		                                      reason, sizeof(reason)));
	}
}

static void test_stream_check__enomem_at_every_allocation(void **state)
{
	char reason[ISG_ERROR_MESSAGE_MAX + 64];
	isg__stream_entry ent;
	size_t i;
	long k, total = 0;

	(void)state;
	isg_test_alloc_install();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = ISG_ENOMEM;

		for (k = 1; k < 10000 && rc == ISG_ENOMEM; k++) {
			isg_test_alloc_fail_at(k);
			rc = run(&cases[i], &ent, reason, sizeof(reason));
			isg_test_alloc_fail_at(0);
			/* Either the true verdict or ENOMEM, never a
			 * malformed verdict caused by a failed allocation. */
			if (rc != ISG_ENOMEM)
				assert_int_equal(rc, cases[i].rc);
			else
				assert_int_equal(isg_error_last()->code,
				                 ISG_ENOMEM);
			assert_int_equal(isg_test_alloc_live(), 0);
		}
		total += k;
	}
	isg_test_alloc_uninstall();
	assert_true(total > (long)(sizeof(cases) / sizeof(cases[0])) * 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_check__entries_get_their_verdict),
		cmocka_unit_test(
		        test_stream_check__value_kept_for_the_dead_letter),
		cmocka_unit_test(test_stream_check__enomem_at_every_allocation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
