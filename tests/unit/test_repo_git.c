/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Clones against servers that misbehave: a TCP server that accepts and
 * never answers (http:// and git://), a port nobody listens on, and a URL
 * with credentials. Nothing may hang (each case runs under an alarm and a
 * meson timeout), nothing half-made may stay in the cache, and the
 * password may reach neither a message, the cache nor git's command line.
 */
#define _DEFAULT_SOURCE
#include "isg_test.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core_int.h"
#include "repo_int.h"

#define SECRET "s3cretPassw0rd"

/* A server that accepts connections, reads what the client sends (kept in
 * `request`) and never answers. */
typedef struct silent_server {
	int fd, port;
	volatile int stop;
	pthread_t thread;
	pthread_mutex_t mu;
	char request[8192];
	size_t len;
} silent_server;

static void *silent_main(void *arg)
{
	silent_server *s = arg;
	int clients[16], n = 0, i;

	while (!s->stop) {
		struct pollfd p[17];
		int np = 0;

		p[np].fd = s->fd;
		p[np++].events = POLLIN;
		for (i = 0; i < n; i++) {
			p[np].fd = clients[i];
			p[np++].events = POLLIN;
		}
		if (poll(p, (nfds_t)np, 100) <= 0)
			continue;
		if ((p[0].revents & POLLIN) && n < 16) {
			int c = accept(s->fd, NULL, NULL);

			if (c >= 0)
				clients[n++] = c;
		}
		for (i = 1; i < np; i++) {
			char buf[1024];
			ssize_t got;

			if (!(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			got = read(p[i].fd, buf, sizeof(buf));
			if (got <= 0)
				continue;
			pthread_mutex_lock(&s->mu);
			if (s->len + (size_t)got < sizeof(s->request)) {
				memcpy(s->request + s->len, buf, (size_t)got);
				s->len += (size_t)got;
				s->request[s->len] = '\0';
			}
			pthread_mutex_unlock(&s->mu);
		}
	}
	for (i = 0; i < n; i++)
		close(clients[i]);
	return NULL;
}

/* Binds 127.0.0.1 on a free port below 32768 (the ephemeral range is
 * avoided, see ENVIRONMENT.md). */
static int bind_low_port(int *port)
{
	int tries;

	for (tries = 0; tries < 200; tries++) {
		struct sockaddr_in a;
		int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*port = 20000 + (int)((unsigned)rand() % 12000);
		a.sin_port = htons((unsigned short)*port);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
		    listen(fd, 16) == 0)
			return fd;
		close(fd);
	}
	return -1;
}

static void silent_start(silent_server *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = bind_low_port(&s->port);
	assert_true(s->fd >= 0);
	pthread_mutex_init(&s->mu, NULL);
	assert_int_equal(pthread_create(&s->thread, NULL, silent_main, s), 0);
}

static void silent_stop(silent_server *s)
{
	s->stop = 1;
	pthread_join(s->thread, NULL);
	close(s->fd);
	pthread_mutex_destroy(&s->mu);
}

typedef struct fixture {
	char *top;
	char cache[PATH_MAX];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	srand((unsigned)getpid());
	f->top = isg_test_mkdtemp();
	snprintf(f->cache, sizeof(f->cache), "%s/cache", f->top);
	/* A regression must fail, not hang: git is given seconds, the
	 * alarm a minute. */
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

static isg_config *limits_config(const char *total_s)
{
	char total[64];
	const char *env[] = { "REPO_GIT_CONNECT_TIMEOUT_S=5",
		              "REPO_GIT_LOW_SPEED_S=2",
		              "REPO_GIT_LOW_SPEED_BYTES=1000", total, NULL };
	isg_config_options o = ISG_CONFIG_OPTIONS_INIT;
	isg_config *cfg = NULL;

	snprintf(total, sizeof(total), "REPO_GIT_TIMEOUT_S=%s", total_s);
	o.env = env;
	ISG_ASSERT_OK(isg_config_new(&cfg, &o));
	return cfg;
}

/* Counts the entries of <cache>/repos (a half-made clone would be one). */
static int repos_entries(const fixture *f)
{
	char p[PATH_MAX + 16];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(p, sizeof(p), "%s/repos", f->cache);
	d = opendir(p);
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int open_url(const fixture *f, const char *url, isg_config *cfg)
{
	isg_repo_options o = ISG_REPO_OPTIONS_INIT;
	isg_repo *r = NULL;
	int rc;

	o.path_or_url = url;
	o.cache_dir = f->cache;
	o.config = cfg;
	rc = isg_repo_open(&r, &o);
	isg_repo_free(r);
	return rc;
}

static void test_repo_git__silent_http_server_times_out(void **state)
{
	fixture *f = *state;
	isg_config *cfg = limits_config("20");
	silent_server s;
	char url[128];
	int rc;

	silent_start(&s);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/o/r.git", s.port);
	rc = open_url(f, url, cfg);
	silent_stop(&s);
	/* The speed floor (2 s under 1000 B/s) ends it long before the
	 * total limit: git reports the slow transfer. */
	if (rc != ISG_EUPSTREAM && rc != ISG_ETIMEOUT)
		ISG_ASSERT_RC(ISG_EUPSTREAM, rc);
	assert_int_equal(repos_entries(f), 0);
	isg_config_free(cfg);
}

static void
test_repo_git__silent_git_server_is_killed_at_the_limit(void **state)
{
	fixture *f = *state;
	isg_config *cfg = limits_config("3");
	silent_server s;
	char url[128];

	silent_start(&s);
	snprintf(url, sizeof(url), "git://127.0.0.1:%d/o/r.git", s.port);
	ISG_ASSERT_RC(ISG_ETIMEOUT, open_url(f, url, cfg));
	silent_stop(&s);
	if (!strstr(isg_error_last()->message, "took longer than 3 s"))
		fail_msg("message: %s", isg_error_last()->message);
	assert_int_equal(repos_entries(f), 0);
	isg_config_free(cfg);
}

static void test_repo_git__refused_connection_is_unavailable(void **state)
{
	fixture *f = *state;
	isg_config *cfg = limits_config("20");
	char url[128];
	int port, fd = bind_low_port(&port);

	/* Bound but not listening... closed: nobody accepts on it now. */
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/o/r.git", port);
	ISG_ASSERT_RC(ISG_EUNAVAILABLE, open_url(f, url, cfg));
	if (!strstr(isg_error_last()->message, "cannot connect to git host"))
		fail_msg("message: %s", isg_error_last()->message);
	assert_int_equal(repos_entries(f), 0);
	isg_config_free(cfg);
}

/* Greps every file under `dir` for `needle`: 1 when found. */
static int tree_contains(const char *dir, const char *needle)
{
	char cmd[PATH_MAX + 128];

	snprintf(cmd, sizeof(cmd), "grep -rqF -- '%s' '%s' 2>/dev/null", needle,
	         dir);
	return system(cmd) == 0;
}

static void
test_repo_git__credentials_go_in_a_header_never_in_a_file(void **state)
{
	fixture *f = *state;
	isg_config *cfg = limits_config("20");
	silent_server s;
	char url[160];
	isg_buf want = ISG_BUF_INIT;

	silent_start(&s);
	snprintf(url, sizeof(url), "http://alice:%s@127.0.0.1:%d/o/r.git",
	         SECRET, s.port);
	assert_true(open_url(f, url, cfg) != ISG_OK);
	silent_stop(&s);
	/* git asked for the path without credentials and sent them as a
	 * Basic authorization header (base64 of alice:s3cretPassw0rd). */
	if (!strstr(s.request, "GET /o/r.git/info/refs"))
		fail_msg("request: %s", s.request);
	if (!strstr(s.request,
	            "Authorization: Basic YWxpY2U6czNjcmV0UGFzc3cwcmQ="))
		fail_msg("no credential header in: %s", s.request);
	assert_null(strstr(isg_error_last()->message, SECRET));
	assert_false(tree_contains(f->cache, SECRET));
	isg_buf_dispose(&want);
	isg_config_free(cfg);
}

static void test_repo_git__remote_parse_splits_credentials(void **state)
{
	isg__repo_git_remote r;

	(void)state;
	ISG_ASSERT_OK(isg__repo_git_remote_parse(
	        &r, "https://u%40x:p%3Aw@example.com:8443/o/r.git"));
	assert_string_equal(r.url.ptr, "https://example.com:8443/o/r.git");
	assert_string_equal(r.host.ptr, "example.com");
	assert_int_equal(r.port, 8443);
	assert_string_equal(r.auth_key.ptr,
	                    "http.https://example.com:8443/.extraHeader");
	/* base64("u@x:p:w") */
	assert_string_equal(r.auth_value.ptr,
	                    "Authorization: Basic dUB4OnA6dw==");
	isg__repo_git_remote_dispose(&r);
	ISG_ASSERT_OK(isg__repo_git_remote_parse(
	        &r, "https://ghp_0123456789abcdefghij@github.com/o/r"));
	assert_string_equal(r.url.ptr, "https://github.com/o/r");
	assert_int_equal(r.port, 443);
	assert_non_null(r.auth_value.ptr);
	isg__repo_git_remote_dispose(&r);
	ISG_ASSERT_OK(isg__repo_git_remote_parse(&r, "ssh://git:pw@host/o/r"));
	assert_string_equal(r.url.ptr, "ssh://git@host/o/r");
	assert_null(r.auth_value.ptr);
	assert_int_equal(r.port, 22);
	isg__repo_git_remote_dispose(&r);
	ISG_ASSERT_OK(isg__repo_git_remote_parse(&r, "git@github.com:o/r.git"));
	assert_string_equal(r.url.ptr, "git@github.com:o/r.git");
	assert_int_equal(r.port, 0);
	isg__repo_git_remote_dispose(&r);
	ISG_ASSERT_OK(isg__repo_git_remote_parse(&r, "file:///srv/r"));
	assert_string_equal(r.url.ptr, "file:///srv/r");
	assert_int_equal(r.port, 0);
	isg__repo_git_remote_dispose(&r);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_repo_git__silent_http_server_times_out),
		T(test_repo_git__silent_git_server_is_killed_at_the_limit),
		T(test_repo_git__refused_connection_is_unavailable),
		T(test_repo_git__credentials_go_in_a_header_never_in_a_file),
		T(test_repo_git__remote_parse_splits_credentials),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
