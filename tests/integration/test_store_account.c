/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Accounts in the store: users by login and e-mail, admins, the listing,
 * and the quota anchor last_requested_at (migration 0003).
 */
#include "isg_test.h"
#include "test_pg.h"

#include <string.h>

static void test_store_account__create_find_list_touch(void **state)
{
	isg_store_project p = { 0 };
	isg_test_store_fixture *f;
	char id[ISG_STORE_ID_SIZE], id2[ISG_STORE_ID_SIZE];
	isg_store_user u;
	isg_buf list = ISG_BUF_INIT;

	(void)state;
	p.gh_repo_id = 5;
	p.owner = "acme";
	p.name = "accounts";
	f = isg_test_store_fixture_new(2, &p);
	ISG_ASSERT_OK(isg_store_user_create(id, f->st, "Octo-Cat", NULL, 1));
	ISG_ASSERT_OK(isg_store_user_by_login(&u, f->st, "octo-cat"));
	assert_string_equal(u.id, id);
	assert_string_equal(u.login, "Octo-Cat");
	assert_string_equal(u.email, "octo-cat@users.invalid");
	assert_int_equal(u.is_admin, 1);
	assert_string_equal(u.last_requested_at, "");
	ISG_ASSERT_RC(
	        ISG_ECONFLICT,
	        isg_store_user_create(id2, f->st, "OCTO-CAT", "a@b.c", 0));
	ISG_ASSERT_RC(ISG_EINVALID,
	              isg_store_user_create(id2, f->st, "bad login", NULL, 0));
	assert_non_null(strstr(isg_error_last()->message, "bad login"));
	ISG_ASSERT_OK(
	        isg_store_user_create(id2, f->st, "mona", "Mona@X.org", 0));
	ISG_ASSERT_OK(isg_store_user_by_email(&u, f->st, "mona@x.ORG"));
	assert_string_equal(u.id, id2);
	assert_int_equal(u.is_admin, 0);
	ISG_ASSERT_OK(isg_store_user_touch_request(f->st, id2));
	ISG_ASSERT_OK(isg_store_user_get(&u, f->st, id2));
	assert_int_equal(strlen(u.last_requested_at), 20);
	ISG_ASSERT_OK(isg_store_users_list(&list, f->st));
	assert_non_null(strstr(list.ptr, "\"login\" : \"mona\""));
	assert_non_null(strstr(list.ptr, "\"is_admin\" : true"));
	ISG_ASSERT_RC(ISG_ENOTFOUND,
	              isg_store_user_by_login(&u, f->st, "nobody"));
	isg_buf_dispose(&list);
	isg_test_store_fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_account__create_find_list_touch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
