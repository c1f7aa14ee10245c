/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Answers: status lines, the security headers every answer carries, JSON
 * errors {"error": {"code", "message"}}, and the one place where library
 * status codes become HTTP statuses.
 */
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"

/* On every answer. */
#define SECURITY_HEADERS                      \
	"X-Content-Type-Options: nosniff\r\n" \
	"Referrer-Policy: no-referrer\r\n"    \
	"X-Frame-Options: DENY\r\n"

/* The API serves no script: nothing may run, nothing may frame it. Web
 * pages bring their own policy (gw_web.c). */
#define API_CSP                                         \
	"Content-Security-Policy: default-src 'none'; " \
	"frame-ancestors 'none'; base-uri 'none'\r\n"

const char *gw_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 202:
		return "Accepted";
	case 204:
		return "No Content";
	case 302:
		return "Found";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 409:
		return "Conflict";
	case 413:
		return "Payload Too Large";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 429:
		return "Too Many Requests";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	default:
		return "Internal Server Error";
	}
}

/* A per-thread output buffer, so that head and body leave in one write
 * (one system call, one TCP segment train); freed when the thread ends. */
typedef struct out_buf {
	char *ptr;
	size_t cap;
} out_buf;

static pthread_key_t out_key;
static pthread_once_t out_once = PTHREAD_ONCE_INIT;

static void out_free(void *p)
{
	out_buf *b = p;

	free(b->ptr);
	free(b);
}

static void out_init(void)
{
	pthread_key_create(&out_key, out_free);
}

/* The thread's buffer with room for `need` bytes, or NULL. */
static out_buf *out_get(size_t need)
{
	out_buf *b;
	char *p;

	pthread_once(&out_once, out_init);
	b = pthread_getspecific(out_key);
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b || pthread_setspecific(out_key, b) != 0) {
			free(b);
			return NULL;
		}
	}
	if (b->cap < need) {
		p = realloc(b->ptr, need);
		if (!p)
			return NULL;
		b->ptr = p;
		b->cap = need;
	}
	return b;
}

#define HEAD_MAX 2048
#define ONE_WRITE_MAX (256u << 10)

int gw_send(gw_req *r, int status, const char *ctype, const char *extra,
            const char *body, size_t len)
{
	static _Thread_local char head[HEAD_MAX];
	int n, head_only = strcmp(r->ri->request_method, "HEAD") == 0;
	out_buf *b;

	r->status = status;
	n = snprintf(head, sizeof(head),
	             "HTTP/1.1 %d %s\r\n" SECURITY_HEADERS
	             "%sContent-Length: %zu\r\n%s%s%s%s\r\n",
	             status, gw_reason(status), r->csp ? r->csp : API_CSP, len,
	             ctype ? "Content-Type: " : "", ctype ? ctype : "",
	             ctype ? "\r\n" : "", extra ? extra : "");
	if (n < 0 || (size_t)n >= sizeof(head))
		return 500;
	if (head_only || !len) {
		mg_write(r->conn, head, (size_t)n);
	} else if (len <= ONE_WRITE_MAX && (b = out_get(HEAD_MAX + len))) {
		memcpy(b->ptr, head, (size_t)n);
		memcpy(b->ptr + n, body, len);
		mg_write(r->conn, b->ptr, (size_t)n + len);
	} else {
		mg_write(r->conn, head, (size_t)n);
		mg_write(r->conn, body, len);
	}
	return status;
}

int gw_json(gw_req *r, int status, const char *json)
{
	return gw_send(r, status, "application/json", NULL, json, strlen(json));
}

/* Writes s as a JSON string body (without quotes) into out. */
static void json_escape(char *out, size_t n, const char *s)
{
	size_t o = 0;

	for (; *s && o + 7 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			o += (size_t)snprintf(out + o, n - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static int error_extra(gw_req *r, int status, const char *extra,
                       const char *code, const char *msg)
{
	static _Thread_local char esc[1200], body[1500];

	json_escape(esc, sizeof(esc), msg);
	snprintf(body, sizeof(body),
	         "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code, esc);
	return gw_send(r, status, "application/json", extra, body,
	               strlen(body));
}

int gw_error(gw_req *r, int status, const char *code, const char *fmt, ...)
{
	static _Thread_local char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error_extra(r, status, NULL, code, msg);
}

int gw_fail(gw_req *r, int rc)
{
	const isg_error *e = isg_error_last();
	char extra[64];

	switch (rc) {
	case ISG_EINVALID:
	case ISG_EPARSE:
		return gw_error(r, 400, "invalid", "%s", e->message);
	case ISG_ENOTFOUND:
		return gw_error(r, 404, "not_found", "%s", e->message);
	case ISG_ECONFLICT:
	case ISG_ESTATE:
		return gw_error(r, 409, "conflict", "%s", e->message);
	case ISG_EAUTH:
		return gw_error(r, 401, "unauthorized", "%s", e->message);
	case ISG_EFORBIDDEN:
		return gw_error(r, 403, "forbidden", "%s", e->message);
	case ISG_ETOOBIG:
		return gw_error(r, 413, "too_large", "%s", e->message);
	case ISG_ERATELIMIT:
	case ISG_EQUOTA:
		snprintf(extra, sizeof(extra), "Retry-After: %lld\r\n",
		         (long long)(e->retry_after_s + 0.999));
		return error_extra(r, 429, extra, "rate_limited", e->message);
	case ISG_EUPSTREAM:
		return gw_error(r, 502, "upstream",
		                "an upstream service answered wrongly");
	case ISG_EUNAVAILABLE:
	case ISG_ETIMEOUT:
	case ISG_EIO:
		/* The detail may name a host: keep it in the log only. */
		fprintf(stderr,
		        "{\"level\":\"warn\",\"msg\":\"backend: %s\"}\n",
		        isg_error_name(rc));
		return gw_error(r, 503, "unavailable",
		                "a backend is unavailable; try again later");
	default:
		fprintf(stderr,
		        "{\"level\":\"error\",\"msg\":\"unmapped status: %s\"}\n",
		        isg_error_name(rc));
		return gw_error(r, 500, "internal", "internal error");
	}
}

long gw_read_body(gw_req *r, char *buf, size_t n)
{
	long long cl = r->ri->content_length;
	size_t got = 0;
	int k;

	if (cl > (long long)GW_BODY_MAX)
		return -2;
	while (got < n) {
		k = mg_read(r->conn, buf + got, n - got);
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
		if (got > GW_BODY_MAX)
			return -2;
	}
	if (got > GW_BODY_MAX)
		return -2;
	buf[got < n ? got : n - 1] = '\0';
	return (long)got;
}

int gw_http_error(struct mg_connection *conn, int status, const char *errmsg)
{
	char head[512], body[256];
	const char *code = "bad_request", *msg = "the request is malformed";
	int n, m;

	/* civetweb gives a request head over max_request_size (16 kB) and
	 * a malformed one the same 400 "Malformed message": they cannot be
	 * told apart here. */
	(void)errmsg;
	if (status == 400) {
		msg = "the request head is malformed or over 16 kB";
	} else if (status == 413 || status == 431) {
		code = "too_large";
		msg = "the request is too large";
	} else {
		code = status >= 500 ? "internal" : "http_error";
		msg = gw_reason(status);
	}
	m = snprintf(body, sizeof(body),
	             "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code,
	             msg);
	n = snprintf(head, sizeof(head),
	             "HTTP/1.1 %d %s\r\n" SECURITY_HEADERS API_CSP
	             "Content-Type: application/json\r\n"
	             "Content-Length: %d\r\nConnection: close\r\n\r\n",
	             status, gw_reason(status), m);
	mg_write(conn, head, (size_t)n);
	mg_write(conn, body, (size_t)m);
	return 0;
}
