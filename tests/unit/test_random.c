/* SPDX-License-Identifier: Apache-2.0 */
#include "isg_test.h"

#include <string.h>

#include "core_int.h"

/* Every byte is written: over 64 draws of 64 bytes, each position takes
 * more than one value (a position never written would keep its 0xAA;
 * the chance that a written one always draws the same value is 2^-4032). */
static void test_random__fills_every_byte(void **state)
{
	unsigned char buf[64], first[64];
	int varied[64] = { 0 }, i, k;

	(void)state;
	for (k = 0; k < 64; k++) {
		memset(buf, 0xAA, sizeof(buf));
		ISG_ASSERT_OK(isg__random_bytes(buf, sizeof(buf), "test"));
		for (i = 0; i < 64; i++) {
			if (k == 0)
				first[i] = buf[i];
			else if (buf[i] != first[i])
				varied[i] = 1;
		}
	}
	for (i = 0; i < 64; i++)
		assert_true(varied[i]);
}

static void test_random__two_draws_differ(void **state)
{
	unsigned char a[32], b[32];

	(void)state;
	ISG_ASSERT_OK(isg__random_bytes(a, sizeof(a), "test"));
	ISG_ASSERT_OK(isg__random_bytes(b, sizeof(b), "test"));
	assert_memory_not_equal(a, b, sizeof(a));
}

static void test_random__zero_bytes_touch_nothing(void **state)
{
	unsigned char c = 0x5A;

	(void)state;
	ISG_ASSERT_OK(isg__random_bytes(&c, 0, "test"));
	assert_int_equal(c, 0x5A);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random__fills_every_byte),
		cmocka_unit_test(test_random__two_draws_differ),
		cmocka_unit_test(test_random__zero_bytes_touch_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
