/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis: the Redis connection every Redis-backed module reuses. It parses
 * REDIS_URL, connects with a timeout, authenticates and selects the
 * database, and turns hiredis failures into library status codes. The
 * password is kept only to authenticate: messages show the URL masked.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "core_int.h"
#include "redis_int.h"

struct isg__redis {
	redisContext *ctx;
	isg__redis_url url;
	char display[400];
	const char *module;
	int connect_timeout_ms;
	int timeout_ms;
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies a percent-encoded URL part, decoding %XX. */
static char *decode_part(const char *s, size_t n)
{
	char *out = isg__alloc_malloc(n + 1);
	size_t i, j = 0;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			out[j++] = (char)(hexval((unsigned char)s[i + 1]) * 16 +
			                  hexval((unsigned char)s[i + 2]));
			i += 2;
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
	return out;
}

static void mask_url(char *out, size_t n, const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *at, *slash;

	if (!scheme) {
		snprintf(out, n, "%s", url);
		return;
	}
	slash = strchr(scheme + 3, '/');
	at = strchr(scheme + 3, '@');
	if (at && (!slash || at < slash))
		snprintf(out, n, "%.*s***@%s", (int)(scheme + 3 - url), url,
		         at + 1);
	else
		snprintf(out, n, "%s", url);
}

void isg__redis_url_dispose(isg__redis_url *u)
{
	if (!u)
		return;
	isg__alloc_free(u->user);
	if (u->password) {
		/* Do not leave the secret in freed memory. */
		volatile char *p = u->password;
		while (*p)
			*p++ = 0;
	}
	isg__alloc_free(u->password);
	u->user = u->password = NULL;
}

/* The user and password before `auth_end` (the '@'), percent-decoded. */
static int url_auth(isg__redis_url *out, const char *p, const char *auth_end)
{
	const char *c = memchr(p, ':', (size_t)(auth_end - p));

	if (c) {
		if (c > p) {
			out->user = decode_part(p, (size_t)(c - p));
			if (!out->user)
				return isg__error_oom("redis");
		}
		out->password = decode_part(c + 1, (size_t)(auth_end - c - 1));
	} else {
		/* redis://password@host is accepted as a password. */
		out->password = decode_part(p, (size_t)(auth_end - p));
	}
	return out->password ? ISG_OK : isg__error_oom("redis");
}

/* The host and the optional port between `host` and `host_end`. */
static int url_host(isg__redis_url *out, const char *host, const char *host_end,
                    const char *shown)
{
	const char *colon = memchr(host, ':', (size_t)(host_end - host));
	long long v;

	if (colon) {
		char port[16];
		size_t n = (size_t)(host_end - colon - 1);

		if (n == 0 || n >= sizeof(port))
			return isg__error_set(ISG_EINVALID, "redis",
			                      "Redis URL '%s' has a bad port",
			                      shown);
		memcpy(port, colon + 1, n);
		port[n] = '\0';
		if (isg__text_parse_ll(port, &v) != ISG_OK || v < 1 ||
		    v > 65535)
			return isg__error_set(ISG_EINVALID, "redis",
			                      "Redis URL '%s' has a bad port",
			                      shown);
		out->port = (int)v;
		host_end = colon;
	}
	if (host_end == host || (size_t)(host_end - host) >= sizeof(out->host))
		return isg__error_set(ISG_EINVALID, "redis",
		                      "Redis URL '%s' has no valid host",
		                      shown);
	memcpy(out->host, host, (size_t)(host_end - host));
	out->host[host_end - host] = '\0';
	return ISG_OK;
}

/* The database number after `slash`, up to a '?'; none keeps 0. */
static int url_db(isg__redis_url *out, const char *slash, const char *shown)
{
	char db[16];
	const char *q;
	size_t n;
	long long v;

	if (!slash || slash[1] == '\0')
		return ISG_OK;
	q = strchr(slash + 1, '?');
	n = q ? (size_t)(q - slash - 1) : strlen(slash + 1);
	if (n >= sizeof(db) || n == 0)
		goto bad_db;
	memcpy(db, slash + 1, n);
	db[n] = '\0';
	if (isg__text_parse_ll(db, &v) != ISG_OK || v < 0 || v > 1000000)
		goto bad_db;
	out->db = (int)v;
	return ISG_OK;
bad_db:
	return isg__error_set(ISG_EINVALID, "redis",
	                      "Redis URL '%s' has a bad database number",
	                      shown);
}

int isg__redis_url_parse(isg__redis_url *out, const char *url)
{
	char shown[400];
	const char *p, *auth_end = NULL, *host, *slash, *q;
	int rc = ISG_EINVALID;

	memset(out, 0, sizeof(*out));
	out->port = 6379;
	if (!url)
		return isg__error_set(ISG_EINVALID, "redis", "no Redis URL");
	mask_url(shown, sizeof(shown), url);
	if (strncmp(url, "rediss://", 9) == 0) {
		rc = isg__error_set(
		        ISG_EUNSUPPORTED, "redis",
		        "TLS Redis URLs are not supported by this build: '%s'",
		        shown);
		goto done;
	}
	if (strncmp(url, "redis://", 8) != 0) {
		rc = isg__error_set(
		        ISG_EINVALID, "redis",
		        "Redis URL '%s' does not start with redis://", shown);
		goto done;
	}
	p = url + 8;
	slash = strchr(p, '/');
	for (q = p; *q && (!slash || q < slash); q++)
		if (*q == '@')
			auth_end = q;
	host = p;
	if (auth_end) {
		if ((rc = url_auth(out, p, auth_end)) != ISG_OK)
			goto done;
		host = auth_end + 1;
	}
	rc = url_host(out, host, slash ? slash : host + strlen(host), shown);
	if (rc == ISG_OK)
		rc = url_db(out, slash, shown);
done:
	if (rc != ISG_OK)
		isg__redis_url_dispose(out);
	return rc;
}

static struct timeval tv_of(int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	return tv;
}

static void drop(isg__redis *r)
{
	if (r->ctx)
		redisFree(r->ctx);
	r->ctx = NULL;
}

static int is_auth_error(const char *msg)
{
	return strncmp(msg, "NOAUTH", 6) == 0 ||
	       strncmp(msg, "WRONGPASS", 9) == 0 ||
	       strstr(msg, "invalid password") != NULL ||
	       strstr(msg, "invalid username-password") != NULL;
}

/* Connects, authenticates and selects the database. */
static int connect_now(isg__redis *r)
{
	redisReply *rep = NULL;
	int rc = ISG_OK;

	drop(r);
	r->ctx = redisConnectWithTimeout(r->url.host, r->url.port,
	                                 tv_of(r->connect_timeout_ms));
	if (!r->ctx) {
		rc = isg__error_oom(r->module);
		goto done;
	}
	if (r->ctx->err) {
		rc = isg__error_set(ISG_EUNAVAILABLE, r->module,
		                    "cannot connect to Redis at %s: %s",
		                    r->display, r->ctx->errstr);
		goto done;
	}
	if (redisSetTimeout(r->ctx, tv_of(r->timeout_ms)) != REDIS_OK) {
		rc = isg__error_set(ISG_EUNAVAILABLE, r->module,
		                    "cannot set the Redis timeout for %s",
		                    r->display);
		goto done;
	}
	if (r->url.password) {
		const char *argv[3];
		int argc = 0;

		argv[argc++] = "AUTH";
		if (r->url.user)
			argv[argc++] = r->url.user;
		argv[argc++] = r->url.password;
		rep = redisCommandArgv(r->ctx, argc, argv, NULL);
		if (!rep) {
			rc = isg__error_set(
			        ISG_EUNAVAILABLE, r->module,
			        "Redis at %s closed the connection during AUTH",
			        r->display);
			goto done;
		}
		if (rep->type == REDIS_REPLY_ERROR) {
			/* The server's message never contains the password. */
			rc = isg__error_set(ISG_EAUTH, r->module,
			                    "Redis at %s refused AUTH: %s",
			                    r->display, rep->str);
			goto done;
		}
		freeReplyObject(rep);
		rep = NULL;
	}
	if (r->url.db != 0) {
		rep = redisCommand(r->ctx, "SELECT %d", r->url.db);
		if (!rep || rep->type == REDIS_REPLY_ERROR) {
			rc = isg__error_set(
			        rep ? ISG_EBACKEND : ISG_EUNAVAILABLE,
			        r->module, "Redis at %s refused SELECT %d: %s",
			        r->display, r->url.db,
			        rep ? rep->str : r->ctx->errstr);
			goto done;
		}
	}
done:
	if (rep)
		freeReplyObject(rep);
	if (rc != ISG_OK)
		drop(r);
	return rc;
}

int isg__redis_new(isg__redis **out, const char *url, const char *module,
                   int connect_timeout_ms, int command_timeout_ms)
{
	isg__redis *r = NULL;
	int rc;

	*out = NULL;
	r = isg__alloc_calloc(1, sizeof(*r));
	if (!r)
		return isg__error_oom(module);
	r->module = module;
	r->connect_timeout_ms =
	        connect_timeout_ms > 0 ? connect_timeout_ms : 2000;
	r->timeout_ms = command_timeout_ms > 0 ? command_timeout_ms : 5000;
	rc = isg__redis_url_parse(&r->url, url);
	if (rc != ISG_OK)
		goto done;
	mask_url(r->display, sizeof(r->display), url);
	rc = connect_now(r);
done:
	if (rc != ISG_OK)
		isg__redis_free(r);
	else
		*out = r;
	return rc;
}

void isg__redis_free(isg__redis *r)
{
	if (!r)
		return;
	drop(r);
	isg__redis_url_dispose(&r->url);
	isg__alloc_free(r);
}

int isg__redis_set_timeout(isg__redis *r, int timeout_ms)
{
	r->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
	if (r->ctx && redisSetTimeout(r->ctx, tv_of(r->timeout_ms)) != REDIS_OK)
		return isg__error_set(ISG_EUNAVAILABLE, r->module,
		                      "cannot set the Redis timeout for %s",
		                      r->display);
	return ISG_OK;
}

const char *isg__redis_display_url(const isg__redis *r)
{
	return r->display;
}

int isg__redis_command(redisReply **out, isg__redis *r, int argc,
                       const char **argv, const size_t *lens, int idempotent,
                       int allow_error_reply)
{
	redisReply *rep = NULL;
	int attempt, rc = ISG_OK;

	*out = NULL;
	for (attempt = 0; attempt < 2; attempt++) {
		if (!r->ctx) {
			rc = connect_now(r);
			if (rc != ISG_OK)
				goto done;
		}
		rep = redisCommandArgv(r->ctx, argc, argv, lens);
		if (rep)
			break;
		{
			int timed_out =
			        r->ctx->err == REDIS_ERR_IO &&
			        (errno == EAGAIN || errno == EWOULDBLOCK);

			rc = isg__error_set(
			        timed_out ? ISG_ETIMEOUT : ISG_EUNAVAILABLE,
			        r->module, "Redis %s at %s failed: %s", argv[0],
			        r->display, r->ctx->errstr);
			/* A timed-out or broken connection may still deliver
			 * a late reply: never reuse it. */
			drop(r);
			if (timed_out || !idempotent)
				goto done;
		}
	}
	if (!rep)
		goto done;
	rc = ISG_OK;
	if (rep->type == REDIS_REPLY_ERROR && !allow_error_reply) {
		rc = isg__error_set(
		        is_auth_error(rep->str) ? ISG_EAUTH : ISG_EBACKEND,
		        r->module, "Redis %s failed: %s", argv[0], rep->str);
		freeReplyObject(rep);
		rep = NULL;
		goto done;
	}
	*out = rep;
done:
	return rc;
}

const char *isg__redis_str(const redisReply *rep, size_t *len)
{
	if (!rep || (rep->type != REDIS_REPLY_STRING &&
	             rep->type != REDIS_REPLY_STATUS)) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = rep->len;
	return rep->str;
}
