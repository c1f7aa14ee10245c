/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The collector's task message (isg__collector_parse_task()): valid tasks,
 * every way a task can be wrong with the message naming the value, and an
 * allocation-failure loop (fail the k-th allocation: ISG_ENOMEM, nothing
 * kept, nothing leaked).
 */
#include "isg_test.h"

#include <string.h>

#include "collector_int.h"
#include "core_int.h"

typedef struct task_case {
	const char *json;
	int rc;
	const char *message; /* substring of the error, or the owner */
} task_case;

static const task_case cases[] = {
	{ "{\"schema_version\":1,\"owner\":\"octo-org\",\"repo\":\"hello-world\",\"number\":3,\"requested_by\":\"u1\"}",
	  ISG_OK, "octo-org" },
	{ "{\"schema_version\":1,\"owner\":\"a.b_c-d\",\"repo\":\"x\",\"number\":2147483647}",
	  ISG_OK, "a.b_c-d" },
	{ "{\"owner\":\"a b\",\"repo\":\"x\",\"number\":1}", ISG_EINVALID,
	  "'a b'" },
	{ "{\"owner\":\"..\",\"repo\":\"x\",\"number\":1}", ISG_EINVALID,
	  "'..'" },
	{ "{\"owner\":\"o\",\"number\":1}", ISG_EINVALID,
	  "task repo is required" },
	{ "{\"owner\":[1],\"repo\":null,\"number\":-4}", ISG_EINVALID,
	  "task owner is required" },
	{ "{\"owner\":\"o\",\"repo\":\"r\"}", ISG_EINVALID,
	  "no valid issue number" },
	{ "{\"owner\":\"o\",\"repo\":\"r\",\"number\":0}", ISG_EINVALID,
	  "no valid issue number" },
	{ "{\"owner\":\"o\",\"repo\":\"r\",\"number\":2147483648}",
	  ISG_EINVALID, "no valid issue number" },
	{ "{\"owner\":\"o\",\"repo\":\"r\",\"number\":1.5}", ISG_EINVALID,
	  "no valid issue number" },
	{ "[\"o\",\"r\",1]", ISG_EINVALID, "not a JSON object" },
	{ "{\"owner\":", ISG_EPARSE, "invalid JSON" },
};

static void test_collector_task__cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		isg__collector_task t;
		cJSON *doc = NULL;
		int rc = isg__collector_parse_task(
		        &t, &doc, "1-1", cases[i].json, strlen(cases[i].json));

		if (rc != cases[i].rc)
			print_error("case %zu: %s: %s\n", i, isg_error_name(rc),
			            isg_error_last()->message);
		assert_int_equal(rc, cases[i].rc);
		if (rc == ISG_OK) {
			assert_non_null(doc);
			assert_string_equal(t.owner, cases[i].message);
			assert_true(t.number > 0);
		} else {
			assert_null(doc);
			assert_null(t.owner);
			if (!strstr(isg_error_last()->message,
			            cases[i].message))
				print_error("case %zu: '%s'\n", i,
				            isg_error_last()->message);
			assert_non_null(strstr(isg_error_last()->message,
			                       cases[i].message));
		}
		cJSON_Delete(doc);
	}
}

static void test_collector_task__enomem_at_every_allocation(void **state)
{
	size_t i;
	long k;

	(void)state;
	isg_test_alloc_install();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = ISG_ENOMEM;

		for (k = 1; k < 10000 && rc == ISG_ENOMEM; k++) {
			isg__collector_task t;
			cJSON *doc = NULL;

			isg_test_alloc_fail_at(k);
			rc = isg__collector_parse_task(&t, &doc, "1-1",
			                               cases[i].json,
			                               strlen(cases[i].json));
			isg_test_alloc_fail_at(0);
			if (rc == ISG_ENOMEM) {
				assert_null(doc);
				assert_int_equal(isg_test_alloc_live(), 0);
			} else {
				assert_int_equal(rc, cases[i].rc);
			}
			cJSON_Delete(doc);
			assert_int_equal(isg_test_alloc_live(), 0);
		}
		assert_true(k > 2); /* at least one failure was injected */
	}
	isg_test_alloc_uninstall();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collector_task__cases),
		cmocka_unit_test(
		        test_collector_task__enomem_at_every_allocation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
