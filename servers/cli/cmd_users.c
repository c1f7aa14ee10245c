/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight users: create users, print API tokens for them, list users
 * and revoke tokens. Users live in PostgreSQL; tokens in MongoDB, hashed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define PROG "issuesight users"

static void users_usage(FILE *f)
{
	fprintf(f,
	        "usage: issuesight users add LOGIN [--email E] [--admin]\n"
	        "       issuesight users token LOGIN\n"
	        "       issuesight users list\n"
	        "       issuesight users revoke TOKEN_ID\n\n"
	        "add creates a user and prints a new API token as the last line;\ntoken prints another token for an existing user (last line);\nlist prints the users and their live tokens as JSON; revoke deletes\na token by its id. Tokens are shown once: only their SHA-256 is kept.\n\n"
	        "exit codes: 0 done, 1 failed (e.g. login taken, unknown user or token),\n2 usage, 3 configuration, 4 a backend is down.\n");
}

/* The options of `users add`, walked by one loop. */
typedef struct add_opts {
	const char *login, *email;
	int admin;
} add_opts;

typedef struct users_option {
	const char *name;
	int takes_value;
	size_t offset; /* of the const char * or int in add_opts */
} users_option;

static const users_option add_table[] = {
	{ "--email", 1, offsetof(add_opts, email) },
	{ "--admin", 0, offsetof(add_opts, admin) },
};

static int parse_add(add_opts *o, int argc, char **argv)
{
	size_t k, n = sizeof(add_table) / sizeof(add_table[0]);
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 2; i < argc; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(argv[i], add_table[k].name) == 0)
				break;
		if (k < n && add_table[k].takes_value) {
			if (i + 1 >= argc)
				return -1;
			*(const char **)((char *)o + add_table[k].offset) =
			        argv[++i];
		} else if (k < n) {
			*(int *)((char *)o + add_table[k].offset) = 1;
		} else if (argv[i][0] != '-' && !o->login) {
			o->login = argv[i];
		} else {
			return -1;
		}
	}
	return o->login ? 0 : -1;
}

static int new_token(isg_auth *auth, const isg_store_user *u)
{
	isg_auth_token t;
	int rc = isg_auth_token_create(&t, auth, u->id, "cli");

	if (rc != ISG_OK)
		return srv_fail(PROG, "create token", rc);
	printf("token id %s for %s (expires %s); shown once:\n%s\n", t.id,
	       u->login, t.expires_at, t.secret);
	return SRV_EXIT_OK;
}

static int do_add(int argc, char **argv, isg_store *st, isg_auth *auth)
{
	add_opts o;
	isg_store_user u;
	char id[ISG_STORE_ID_SIZE];
	int rc;

	if (parse_add(&o, argc, argv) != 0) {
		users_usage(stderr);
		return SRV_EXIT_USAGE;
	}
	rc = isg_store_user_create(id, st, o.login, o.email, o.admin);
	if (rc == ISG_OK)
		rc = isg_store_user_get(&u, st, id);
	if (rc != ISG_OK)
		return srv_fail(PROG, o.login, rc);
	printf("created %suser %s (%s, id %s)\n", u.is_admin ? "admin " : "",
	       u.login, u.email, u.id);
	return new_token(auth, &u);
}

static int do_token(const char *login, isg_store *st, isg_auth *auth)
{
	isg_store_user u;
	int rc = isg_store_user_by_login(&u, st, login);

	if (rc != ISG_OK)
		return srv_fail(PROG, login, rc);
	return new_token(auth, &u);
}

static int do_list(isg_store *st, isg_auth *auth)
{
	isg_buf users = ISG_BUF_INIT, tokens = ISG_BUF_INIT;
	int rc = isg_store_users_list(&users, st), exit_code = SRV_EXIT_OK;

	if (rc == ISG_OK)
		rc = isg_auth_tokens_list(&tokens, auth, NULL);
	if (rc != ISG_OK)
		exit_code = srv_fail(PROG, "list", rc);
	else
		printf("{\"users\": %s, \"tokens\": %s}\n", users.ptr,
		       tokens.ptr);
	isg_buf_dispose(&users);
	isg_buf_dispose(&tokens);
	return exit_code;
}

/* Runs the subcommand once both backends are open. */
static int dispatch(int argc, char **argv, isg_store *st, isg_auth *auth)
{
	int rc;

	if (strcmp(argv[1], "add") == 0)
		return do_add(argc, argv, st, auth);
	if (strcmp(argv[1], "token") == 0)
		return do_token(argv[2], st, auth);
	if (strcmp(argv[1], "list") == 0)
		return do_list(st, auth);
	rc = isg_auth_token_revoke(auth, NULL, argv[2]);
	if (rc != ISG_OK)
		return srv_fail(PROG, argv[2], rc);
	printf("revoked token %s\n", argv[2]);
	return SRV_EXIT_OK;
}

static int args_ok(int argc, char **argv)
{
	add_opts o;

	if (argc < 2)
		return 0;
	if (strcmp(argv[1], "add") == 0)
		return parse_add(&o, argc, argv) == 0;
	if (strcmp(argv[1], "list") == 0)
		return argc == 2;
	return (strcmp(argv[1], "token") == 0 ||
	        strcmp(argv[1], "revoke") == 0) &&
	       argc == 3 && argv[2][0] != '-';
}

int cli_users(int argc, char **argv, isg_config *cfg)
{
	isg_store *st = NULL;
	isg_auth *auth = NULL;
	int rc, exit_code;

	if (argc >= 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		users_usage(stdout);
		return SRV_EXIT_OK;
	}
	if (!args_ok(argc, argv)) {
		users_usage(stderr);
		return SRV_EXIT_USAGE;
	}
	if ((exit_code = cli_store_open(&st, PROG, cfg)) != SRV_EXIT_OK)
		goto done;
	if ((rc = isg_auth_new_from_config(&auth, cfg)) != ISG_OK ||
	    (rc = isg_auth_ping(auth)) != ISG_OK) {
		exit_code = srv_fail(PROG, "MongoDB", rc);
		goto done;
	}
	exit_code = dispatch(argc, argv, st, auth);
done:
	isg_auth_free(auth);
	isg_store_free(st);
	return exit_code;
}
