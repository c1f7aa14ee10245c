/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo git: running the git command for clones and fetches without
 * hanging and without writing credentials anywhere. git is spawned with an
 * argv array (never a shell) in its own process group, killed with that
 * group when the total deadline passes; the server is first checked to
 * accept a connection within the connect timeout; transfers slower than a
 * floor for too long fail (http.lowSpeedLimit/Time). Credentials in a URL
 * are taken out of it and handed to git as an http.extraHeader through
 * GIT_CONFIG_* environment variables, which only the user's own processes
 * can read: they never reach a command line, .git/config or a message.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "repo_int.h"

#define MODULE "repo"
#define OUTPUT_MAX 65536

extern char **environ;

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends `s[0..n)` percent-decoded. */
static int put_decoded(isg_buf *b, const char *s, size_t n)
{
	size_t i;
	int rc = ISG_OK;

	for (i = 0; i < n && rc == ISG_OK; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			rc = isg__buf_putc(b, (char)(hexval(s[i + 1]) * 16 +
			                             hexval(s[i + 2])));
			i += 2;
		} else {
			rc = isg__buf_putc(b, s[i]);
		}
	}
	return rc;
}

static int put_base64(isg_buf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	int rc = ISG_OK;

	for (i = 0; i < n && rc == ISG_OK; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		rc = isg_buf_put(b, q, 4);
	}
	return rc;
}

void isg__repo_git_remote_dispose(isg__repo_git_remote *r)
{
	if (!r)
		return;
	isg_buf_dispose(&r->url);
	isg_buf_dispose(&r->host);
	isg_buf_dispose(&r->auth_key);
	if (r->auth_value.ptr)
		memset(r->auth_value.ptr, 0, r->auth_value.size);
	isg_buf_dispose(&r->auth_value);
	memset(r, 0, sizeof(*r));
}

/* Fills the host, port and credentials of a scheme://[user[:pass]@]host
 * URL; `auth` is the userinfo (without '@'), `authlen` 0 when none. */
static int remote_parse_authority(isg__repo_git_remote *r, const char *scheme,
                                  size_t slen, const char *hostport,
                                  size_t hlen)
{
	const char *colon = memchr(hostport, ':', hlen);
	long long port = 0;
	char num[16];
	int rc;

	if (hostport[0] == '[') /* IPv6 literal: no connect check */
		return ISG_OK;
	rc = isg_buf_set(&r->host, hostport,
	                 colon ? (size_t)(colon - hostport) : hlen);
	if (rc != ISG_OK)
		return rc;
	if (colon) {
		size_t n = hlen - (size_t)(colon - hostport) - 1;

		if (n == 0 || n >= sizeof(num))
			return ISG_OK;
		memcpy(num, colon + 1, n);
		num[n] = '\0';
		if (isg__text_parse_ll(num, &port) != ISG_OK || port < 1 ||
		    port > 65535)
			return ISG_OK;
		r->port = (int)port;
	} else if (slen == 4 && memcmp(scheme, "http", 4) == 0) {
		r->port = 80;
	} else if (slen == 5 && memcmp(scheme, "https", 5) == 0) {
		r->port = 443;
	} else if (slen == 3 && memcmp(scheme, "git", 3) == 0) {
		r->port = 9418;
	} else if (slen == 3 && memcmp(scheme, "ssh", 3) == 0) {
		r->port = 22;
	}
	return ISG_OK;
}

static int remote_auth(isg__repo_git_remote *r, const char *scheme, size_t slen,
                       const char *host, size_t hlen, const char *auth,
                       size_t alen)
{
	isg_buf plain = ISG_BUF_INIT;
	int rc;

	rc = isg__buf_printf(&r->auth_key, "http.%.*s://%.*s/.extraHeader",
	                     (int)slen, scheme, (int)hlen, host);
	if (rc == ISG_OK)
		rc = put_decoded(&plain, auth, alen);
	if (rc == ISG_OK && !memchr(auth, ':', alen))
		rc = isg__buf_putc(&plain, ':');
	if (rc == ISG_OK)
		rc = isg__buf_puts(&r->auth_value, "Authorization: Basic ");
	if (rc == ISG_OK)
		rc = put_base64(&r->auth_value,
		                (const unsigned char *)plain.ptr, plain.size);
	if (plain.ptr)
		memset(plain.ptr, 0, plain.size);
	isg_buf_dispose(&plain);
	return rc;
}

int isg__repo_git_remote_parse(isg__repo_git_remote *r, const char *url)
{
	const char *sep = strstr(url, "://"), *auth, *at = NULL, *end;
	size_t slen;
	int rc, http;

	memset(r, 0, sizeof(*r));
	if (!sep || strchr(url, '\n'))
		return isg_buf_set(&r->url, url, strlen(url));
	slen = (size_t)(sep - url);
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	for (const char *c = auth; c < end; c++)
		if (*c == '@')
			at = c;
	http = (slen == 4 && memcmp(url, "http", 4) == 0) ||
	       (slen == 5 && memcmp(url, "https", 5) == 0);
	rc = isg_buf_put(&r->url, url, slen + 3);
	if (at && !http && rc == ISG_OK) {
		/* ssh://user@host: keep the user, never a password. */
		const char *colon = memchr(auth, ':', (size_t)(at - auth));

		rc = isg_buf_put(&r->url, auth,
		                 (size_t)((colon ? colon : at) - auth));
		if (rc == ISG_OK)
			rc = isg__buf_putc(&r->url, '@');
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(&r->url, at ? at + 1 : auth);
	if (rc == ISG_OK)
		rc = remote_parse_authority(
		        r, url, slen, at ? at + 1 : auth,
		        (size_t)(end - (at ? at + 1 : auth)));
	if (rc == ISG_OK && at && http)
		rc = remote_auth(r, url, slen, at + 1, (size_t)(end - (at + 1)),
		                 auth, (size_t)(at - auth));
	if (rc != ISG_OK)
		isg__repo_git_remote_dispose(r);
	return rc;
}

int isg__repo_git_connect_check(const isg__repo_git_remote *r, int timeout_s)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[16];
	int rc, err = 0, fd = -1, timed_out = 0;

	if (timeout_s <= 0 || !r->host.ptr || !r->port)
		return ISG_OK;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", r->port);
	rc = getaddrinfo(r->host.ptr, port, &hints, &res);
	if (rc != 0)
		return isg__error_set(ISG_EUNAVAILABLE, MODULE,
		                      "cannot resolve git host '%s': %s",
		                      r->host.ptr, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		struct pollfd pfd;
		socklen_t len = sizeof(err);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		            ai->ai_protocol);
		if (fd < 0)
			continue;
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		if (err == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			pfd.revents = 0;
			rc = poll(&pfd, 1, timeout_s * 1000);
			if (rc == 0) {
				timed_out = 1;
				err = ETIMEDOUT;
			} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
			                      &len) == 0 &&
			           err == 0) {
				break;
			}
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0) {
		close(fd);
		return ISG_OK;
	}
	return isg__error_set(
	        timed_out ? ISG_ETIMEOUT : ISG_EUNAVAILABLE, MODULE,
	        "cannot connect to git host %s:%d%s: %s", r->host.ptr, r->port,
	        timed_out ? " within the connect timeout" : "", strerror(err));
}

/* The child's environment: the caller's, without GIT_CONFIG_* entries,
 * plus no prompting, the speed floor and the credential header. */
static int child_env(char ***out, isg_buf *store, const isg__repo_git_remote *r,
                     const isg__repo_git_limits *lim)
{
	size_t nenv = 0, i, n = 0, k = 0;
	size_t offs[8];
	char **envp;
	int rc = ISG_OK;

	while (environ && environ[nenv])
		nenv++;
	envp = isg__alloc_calloc(nenv + 12, sizeof(*envp));
	if (!envp)
		return isg__error_oom(MODULE);
	for (i = 0; i < nenv; i++)
		if (strncmp(environ[i], "GIT_CONFIG_", 11) != 0 &&
		    strncmp(environ[i], "GIT_TERMINAL_PROMPT=", 20) != 0)
			envp[n++] = environ[i];
	/* Offsets into one buffer: its pointer moves while it grows. */
	isg__buf_clear(store);
	offs[k++] = store->size;
	rc = isg__buf_printf(store, "GIT_TERMINAL_PROMPT=0%c", 0);
	offs[k++] = store->size;
	if (rc == ISG_OK)
		rc = isg__buf_printf(
		        store, "GIT_CONFIG_KEY_0=http.lowSpeedLimit%c", 0);
	offs[k++] = store->size;
	if (rc == ISG_OK)
		rc = isg__buf_printf(store, "GIT_CONFIG_VALUE_0=%d%c",
		                     lim->low_speed_bytes, 0);
	offs[k++] = store->size;
	if (rc == ISG_OK)
		rc = isg__buf_printf(store,
		                     "GIT_CONFIG_KEY_1=http.lowSpeedTime%c", 0);
	offs[k++] = store->size;
	if (rc == ISG_OK)
		rc = isg__buf_printf(store, "GIT_CONFIG_VALUE_1=%d%c",
		                     lim->low_speed_s, 0);
	offs[k++] = store->size;
	if (rc == ISG_OK && r && r->auth_value.ptr) {
		rc = isg__buf_printf(store, "GIT_CONFIG_KEY_2=%s%c",
		                     r->auth_key.ptr, 0);
		offs[k++] = store->size;
		if (rc == ISG_OK)
			rc = isg__buf_printf(store, "GIT_CONFIG_VALUE_2=%s%c",
			                     r->auth_value.ptr, 0);
		offs[k++] = store->size;
	}
	if (rc == ISG_OK)
		rc = isg__buf_printf(store, "GIT_CONFIG_COUNT=%d%c",
		                     r && r->auth_value.ptr ? 3 : 2, 0);
	if (rc != ISG_OK) {
		isg__alloc_free(envp);
		return rc;
	}
	for (i = 0; i < k; i++)
		envp[n++] = store->ptr + offs[i];
	*out = envp;
	return ISG_OK;
}

/* Reads the child's output until it closes the pipe or the deadline
 * passes; 1 when the deadline passed. */
static int drain(isg_buf *out, int fd, int64_t deadline_ms, size_t cap,
                 int *oom)
{
	char chunk[4096];

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int64_t left = deadline_ms - isg__clock_now_ms();
		ssize_t got;
		int prc;

		if (left <= 0)
			return 1;
		prc = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		if (prc < 0 && errno == EINTR)
			continue;
		if (prc <= 0)
			continue;
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return 0;
		if (out->size < cap &&
		    isg_buf_put(out, chunk, (size_t)got) != ISG_OK)
			*oom = 1; /* keep draining so that the child can exit */
	}
}

int isg__repo_git_run(isg_buf *out, const char *const *args,
                      const isg__repo_git_remote *remote,
                      const isg__repo_git_limits *lim)
{
	return isg__repo_git_run_cap(out, args, remote, lim, OUTPUT_MAX);
}

int isg__repo_git_run_cap(isg_buf *out, const char *const *args,
                          const isg__repo_git_remote *remote,
                          const isg__repo_git_limits *lim, size_t cap)
{
	const char *argv[24];
	char **envp = NULL;
	isg_buf envstore = ISG_BUF_INIT;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int pipefd[2] = { -1, -1 }, status = 0, fa_init = 0, at_init = 0;
	int rc, oom = 0, late = 0;
	size_t n = 0, i;
	pid_t pid = -1;

	argv[n++] = "git";
	for (i = 0; args[i] && n < ISG__ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	isg__buf_clear(out);
	if ((rc = child_env(&envp, &envstore, remote, lim)) != ISG_OK)
		goto done;
	if (pipe(pipefd) != 0) {
		rc = isg__error_set(ISG_EIO, MODULE, "pipe failed: %s",
		                    strerror(errno));
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	fa_init = 1;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	/* Its own process group, so that a timeout ends git's helpers
	 * (git-remote-https, ssh) too. */
	posix_spawnattr_init(&attr);
	at_init = 1;
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	rc = posix_spawnp(&pid, "git", &fa, &attr, (char *const *)argv, envp);
	if (rc != 0) {
		rc = isg__error_set(ISG_EUNSUPPORTED, MODULE,
		                    "cannot run git: %s", strerror(rc));
		goto done;
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	late = drain(out, pipefd[0],
	             isg__clock_now_ms() + (int64_t)lim->total_s * 1000, cap,
	             &oom);
	if (late)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (late)
		rc = isg__error_set(ISG_ETIMEOUT, MODULE,
		                    "git %s took longer than %d s", args[0],
		                    lim->total_s);
	else if (oom)
		rc = isg__error_oom(MODULE);
	else
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
done:
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	if (at_init)
		posix_spawnattr_destroy(&attr);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	isg__alloc_free(envp);
	if (envstore.ptr)
		memset(envstore.ptr, 0, envstore.size);
	isg_buf_dispose(&envstore);
	if (rc >= 0 && !out->ptr && isg_buf_set(out, "", 0) != ISG_OK)
		rc = isg__error_oom(MODULE);
	return rc;
}
