/* SPDX-License-Identifier: Apache-2.0 */
/*
 * github_http: one GET against the GitHub REST API with libcurl,
 * including the conditional headers, the size cap, reading the rate-limit
 * headers, and the policy of waiting and retrying that github.h documents.
 * Every wait goes through the client's sleep function.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core_int.h"
#include "github_int.h"

#define MOD "github"

/* GitHub's advice for secondary limits without retry-after: wait at least
 * a minute, longer on each repeat. */
#define SECONDARY_MIN_S 60.0
#define BACKOFF_BASE_S 1.0
#define BACKOFF_CAP_S 60.0

void isg__github_response_clear(isg__github_response *r)
{
	long long max = r->max_bytes;
	isg__github_request req = r->req;

	isg_buf_dispose(&r->body);
	isg__alloc_free(r->etag);
	isg__alloc_free(r->last_modified);
	isg__alloc_free(r->next_url);
	memset(r, 0, sizeof(*r));
	r->retry_after_s = -1;
	r->rl_limit = r->rl_remaining = r->rl_used = r->rl_reset = -1;
	r->max_bytes = max;
	r->req = req;
	r->req.sink_bytes = 0;
	r->req.sink_errno = 0;
}

/* Writes a 2xx body to the request's file; 0 (stop) past the cap or on a
 * write error, which perform() tells apart by `too_big`. */
static size_t sink_body(isg__github_response *r, const char *data, size_t len)
{
	size_t done = 0;

	if (r->req.sink_bytes + (long long)len > r->req.sink_max) {
		r->too_big = 1;
		return 0;
	}
	while (done < len) {
		ssize_t k = write(r->req.sink_fd, data + done, len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r->req.sink_errno = k < 0 ? errno : EIO;
			return 0;
		}
		done += (size_t)k;
	}
	r->req.sink_bytes += (long long)len;
	return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	isg__github_response *r = ud;
	size_t len = size * n;

	if (r->req.sink && r->cur_status >= 200 && r->cur_status < 300)
		return sink_body(r, data, len);
	if ((long long)(r->body.size + len) > r->max_bytes) {
		r->too_big = 1;
		return 0; /* makes libcurl stop with CURLE_WRITE_ERROR */
	}
	if (isg_buf_put(&r->body, data, len) != ISG_OK)
		return 0;
	return len;
}

/* Trims leading and trailing blanks (and the CRLF) of [*s, *s+*n). */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
	                  (*s)[*n - 1] == '\r' || (*s)[*n - 1] == '\n'))
		(*n)--;
}

static int header_is(const char *line, size_t nlen, const char *name)
{
	return strlen(name) == nlen &&
	       isg__text_ncasecmp(line, name, nlen) == 0;
}

static long long header_ll(const char *v, size_t n)
{
	char tmp[32];
	long long out;

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	return isg__text_parse_ll(tmp, &out) == ISG_OK && out >= 0 ? out : -1;
}

static void set_str(char **dst, const char *v, size_t n)
{
	isg__alloc_free(*dst);
	*dst = isg__alloc_strndup(v,
	                          n); /* NULL on failure: the value is lost */
}

size_t isg__github_header(char *line, size_t size, size_t n, void *ud)
{
	isg__github_response *r = ud;
	size_t len = size * n, nlen;
	const char *colon, *v;

	/* A new status line starts the headers of a new response (after a
	 * redirect or a 100 Continue): forget what the previous one said. */
	if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		const char *sp = memchr(line, ' ', len);

		/* A status is three digits; more cannot be one (and would
		 * overflow): read at most four, so that 2000 is no 2xx. */
		r->cur_status = 0;
		for (sp = sp ? sp + 1 : NULL;
		     sp && sp < line + len && *sp >= '0' && *sp <= '9' &&
		     r->cur_status < 1000;
		     sp++)
			r->cur_status = r->cur_status * 10 + (*sp - '0');
		isg__alloc_free(r->etag);
		isg__alloc_free(r->last_modified);
		isg__alloc_free(r->next_url);
		r->etag = r->last_modified = r->next_url = NULL;
		r->retry_after_s = -1;
		r->rl_limit = r->rl_remaining = r->rl_used = r->rl_reset = -1;
		r->rl_resource[0] = '\0';
		return len;
	}
	colon = memchr(line, ':', len);
	if (!colon)
		return len;
	nlen = (size_t)(colon - line);
	v = colon + 1;
	n = len - nlen - 1;
	trim(&v, &n);
	if (header_is(line, nlen, "etag")) {
		set_str(&r->etag, v, n);
	} else if (header_is(line, nlen, "last-modified")) {
		set_str(&r->last_modified, v, n);
	} else if (header_is(line, nlen, "link")) {
		char *val = isg__alloc_strndup(v, n);
		int rc = ISG_OK;

		if (val) {
			isg__alloc_free(r->next_url);
			r->next_url = isg__github_link_next(val, &rc);
			isg__alloc_free(val);
		}
	} else if (header_is(line, nlen, "retry-after")) {
		long long s = header_ll(v, n);

		/* An HTTP date is allowed too; GitHub sends seconds, and a
		 * date we cannot read falls back to the one-minute rule. */
		r->retry_after_s = s >= 0 ? (double)s : -1;
	} else if (header_is(line, nlen, "x-ratelimit-limit")) {
		r->rl_limit = header_ll(v, n);
	} else if (header_is(line, nlen, "x-ratelimit-remaining")) {
		r->rl_remaining = header_ll(v, n);
	} else if (header_is(line, nlen, "x-ratelimit-used")) {
		r->rl_used = header_ll(v, n);
	} else if (header_is(line, nlen, "x-ratelimit-reset")) {
		r->rl_reset = header_ll(v, n);
	} else if (header_is(line, nlen, "x-ratelimit-resource")) {
		size_t m = n < sizeof(r->rl_resource) - 1
		                   ? n
		                   : sizeof(r->rl_resource) - 1;
		memcpy(r->rl_resource, v, m);
		r->rl_resource[m] = '\0';
	}
	return len;
}

char *isg__github_link_next(const char *link, int *rc)
{
	const char *p = link;

	*rc = ISG_OK;
	/* Link: <url>; rel="next", <url>; rel="last" — the URL is read
	 * between the angle brackets, so commas inside it do no harm. */
	while (p && (p = strchr(p, '<')) != NULL) {
		const char *url = p + 1, *end = strchr(url, '>'), *params,
		           *stop;
		const char *rel;

		if (!end)
			return NULL;
		params = end + 1;
		stop = strchr(params, '<');
		if (!stop)
			stop = params + strlen(params);
		rel = params;
		while ((rel = strstr(rel, "rel=")) != NULL && rel < stop) {
			const char *val = rel + 4, *vend;
			int quoted = *val == '"';

			if (quoted)
				val++;
			vend = val;
			while (vend < stop && *vend != (quoted ? '"' : ';') &&
			       *vend != ',' && (quoted || *vend != ' '))
				vend++;
			/* rel may hold several space-separated types. */
			for (const char *t = val; t < vend;) {
				const char *te = t;

				while (te < vend && *te != ' ')
					te++;
				if (te - t == 4 &&
				    isg__text_ncasecmp(t, "next", 4) == 0) {
					char *out = isg__alloc_strndup(
					        url, (size_t)(end - url));

					if (!out)
						*rc = isg__error_oom(MOD);
					return out;
				}
				t = te < vend ? te + 1 : te;
			}
			rel = vend;
		}
		p = end + 1;
	}
	return NULL;
}

/* The path and query of a URL, for messages: never the host's
 * credentials, which a base URL could carry. */
static const char *url_path(const char *url)
{
	const char *p = strstr(url, "://");

	p = p ? strchr(p + 3, '/') : NULL;
	return p ? p : url;
}

static int add_header(struct curl_slist **list, const char *name,
                      const char *value)
{
	isg_buf b = ISG_BUF_INIT;
	struct curl_slist *n;
	int rc;

	if ((rc = isg__buf_printf(&b, "%s: %s", name, value)) != ISG_OK)
		goto done;
	n = curl_slist_append(*list, b.ptr);
	if (!n) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	*list = n;
done:
	isg_buf_dispose(&b);
	return rc;
}

static int build_headers(isg_github *gh, const char *url,
                         const isg__github_request *req,
                         struct curl_slist **out)
{
	const isg__github_cache_entry *e =
	        req->conditional_off ? NULL : isg__github_cache_find(gh, url);
	struct curl_slist *h = NULL;
	int rc;

	if ((rc = add_header(&h, "Accept",
	                     req->accept ? req->accept
	                                 : "application/vnd.github+json")) ||
	    (rc = add_header(&h, "X-GitHub-Api-Version", "2022-11-28")) ||
	    (gh->token && (rc = add_header(&h, "Authorization", gh->token))) ||
	    (e && e->etag && (rc = add_header(&h, "If-None-Match", e->etag))) ||
	    (e && e->last_modified &&
	     (rc = add_header(&h, "If-Modified-Since", e->last_modified))))
		curl_slist_free_all(h);
	else
		*out = h;
	return rc;
}

/* One request, no retries. Returns ISG_OK when an HTTP answer arrived
 * (any status), else the transport error. */
/* A server that cannot be reached is "unavailable" (exit code 4 in the
 * command line), not a generic I/O error. */
static int perform_status(CURLcode cc)
{
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		return ISG_ETIMEOUT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return ISG_EUNAVAILABLE;
	default:
		return ISG_EIO;
	}
}

/* The options of one transfer (the handle was reset). */
static void set_transfer(isg_github *gh, CURL *c, const char *url,
                         isg__github_response *resp, struct curl_slist *headers,
                         char *errbuf)
{
	const isg__github_request *q = &resp->req;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, gh->user_agent);
	/* A download is kept as sent (a .tar.gz must not be inflated on
	 * the way); JSON may come compressed. */
	if (!q->sink) {
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	} else {
		/* A long download may take its long timeout, but a stalled one
		 * (under 1 kB/s for timeout_s) is abandoned and retried. */
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
		                 (long)gh->timeout_s);
	}
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	                 (long)gh->connect_timeout_s);
	curl_easy_setopt(
	        c, CURLOPT_TIMEOUT,
	        (long)(q->timeout_s > 0 ? q->timeout_s : gh->timeout_s));
	curl_easy_setopt(
	        c, CURLOPT_MAXFILESIZE_LARGE,
	        (curl_off_t)(q->sink ? q->sink_max : gh->max_response_bytes));
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, isg__github_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

/* The status of a transfer that libcurl ended with `cc`. */
static int transfer_error(const isg_github *gh, const char *url,
                          isg__github_response *resp, CURLcode cc,
                          const char *errbuf)
{
	if (resp->too_big || cc == CURLE_FILESIZE_EXCEEDED)
		return isg__error_set(
		        ISG_ETOOBIG, MOD,
		        "GET %s: response body over the limit of %lld bytes",
		        url_path(url),
		        resp->req.sink ? resp->req.sink_max
		                       : gh->max_response_bytes);
	resp->status = 0;
	if (resp->req.sink_errno)
		return isg__error_set(ISG_EIO, MOD, "GET %s: cannot write: %s",
		                      url_path(url),
		                      strerror(resp->req.sink_errno));
	if (cc == CURLE_OUT_OF_MEMORY || cc == CURLE_WRITE_ERROR)
		return isg__error_oom(MOD);
	return isg__error_set(perform_status(cc), MOD, "GET %s: %s",
	                      url_path(url),
	                      errbuf[0] ? errbuf : curl_easy_strerror(cc));
}

static int perform(isg_github *gh, const char *url, isg__github_response *resp)
{
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = gh->curl;
	CURLcode cc;
	int rc;

	isg__github_response_clear(resp);
	resp->max_bytes = gh->max_response_bytes;
	/* A retried download starts its file again. */
	if (resp->req.sink && (ftruncate(resp->req.sink_fd, 0) != 0 ||
	                       lseek(resp->req.sink_fd, 0, SEEK_SET) != 0))
		return isg__error_set(ISG_EIO, MOD, "GET %s: cannot rewind: %s",
		                      url_path(url), strerror(errno));
	if ((rc = build_headers(gh, url, &resp->req, &headers)) != ISG_OK)
		return rc;
	curl_easy_reset(c);
	set_transfer(gh, c, url, resp, headers, errbuf);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	return cc == CURLE_OK ? ISG_OK
	                      : transfer_error(gh, url, resp, cc, errbuf);
}

static void note_rate_limit(isg_github *gh, const isg__github_response *r)
{
	isg_github_stats *s = &gh->stats;

	if (r->rl_limit >= 0)
		s->rate_limit = r->rl_limit;
	if (r->rl_remaining >= 0)
		s->rate_remaining = r->rl_remaining;
	if (r->rl_used >= 0)
		s->rate_used = r->rl_used;
	if (r->rl_reset >= 0)
		s->rate_reset = r->rl_reset;
	if (r->rl_resource[0])
		memcpy(s->rate_resource, r->rl_resource,
		       sizeof(s->rate_resource));
}

/* Seconds until the known reset (+1 s for clock skew), at least 1. */
static double until_reset(isg_github *gh)
{
	double w = (double)gh->stats.rate_reset - isg__github_now(gh) + 1.0;

	return w < 1.0 ? 1.0 : w;
}

/* Waits `seconds` unless that exceeds max_wait_s, in which case the call
 * fails with ISG_ERATELIMIT and the wait as retry_after_s. */
static int wait_for_limit(isg_github *gh, const char *url, double seconds,
                          const char *why)
{
	if (seconds > (double)gh->max_wait_s)
		return isg__error_set_retry(
		        ISG_ERATELIMIT, MOD, seconds,
		        "GET %s: %s; the wait of %.0f s exceeds GITHUB_MAX_WAIT_S (%d s)",
		        url_path(url), why, seconds, gh->max_wait_s);
	isg__log_write(ISG_LOG_WARN, MOD, NULL, 0, "GET %s: %s; waiting %.1f s",
	               url_path(url), why, seconds);
	return isg__github_wait(gh, seconds);
}

/* Capped exponential backoff with "equal jitter": half fixed, half
 * random, so waits grow reliably but retries of many clients spread. */
static double backoff(isg_github *gh, int attempt, double base, double cap)
{
	double w = base * pow(2.0, attempt > 30 ? 30 : attempt);

	if (w > cap)
		w = cap;
	return w / 2.0 + isg__github_random(gh) * w / 2.0;
}

static int is_secondary(const isg__github_response *r)
{
	const char *p = r->body.ptr;
	size_t i, n = r->body.size;
	static const char needle[] = "secondary rate limit";
	size_t m = sizeof(needle) - 1;

	if (r->retry_after_s >= 0)
		return 1;
	for (i = 0; p && i + m <= n; i++)
		if (isg__text_ncasecmp(p + i, needle, m) == 0)
			return 1;
	return 0;
}

static int status_error(const char *url, long status)
{
	switch (status) {
	case 401:
		return isg__error_set(
		        ISG_EAUTH, MOD,
		        "GET %s: 401 Unauthorized (check GITHUB_TOKEN)",
		        url_path(url));
	case 403:
		return isg__error_set(ISG_EFORBIDDEN, MOD,
		                      "GET %s: 403 Forbidden", url_path(url));
	case 404:
		return isg__error_set(ISG_ENOTFOUND, MOD,
		                      "GET %s: 404 Not Found", url_path(url));
	case 410:
		return isg__error_set(
		        ISG_EGONE, MOD,
		        "GET %s: 410 Gone (deleted or transferred)",
		        url_path(url));
	case 451:
		return isg__error_set(
		        ISG_EGONE, MOD,
		        "GET %s: 451 Unavailable For Legal Reasons",
		        url_path(url));
	default:
		return isg__error_set(ISG_EUPSTREAM, MOD,
		                      "GET %s: unexpected HTTP status %ld",
		                      url_path(url), status);
	}
}

int isg__github_remember(isg_github *gh, const char *url,
                         const isg__github_response *resp)
{
	if (resp->status < 200 || resp->status >= 300)
		return ISG_OK;
	return isg__github_cache_put(gh, url, resp->etag, resp->last_modified,
	                             resp->next_url);
}

/* A 403 or 429 answer: waits as GitHub asks and returns ISG_OK to retry,
 * or the error that ends the request. */
static int rate_limited(isg_github *gh, const char *url,
                        const isg__github_response *resp, int attempt,
                        int *secondary)
{
	int rc;

	/* GitHub's order: retry-after first, then a spent
	 * primary limit, then the one-minute rule. */
	int primary = resp->rl_remaining == 0 && resp->retry_after_s < 0;
	double w;

	if (!primary && !is_secondary(resp) && resp->status == 403)
		return status_error(url, resp->status);
	if (attempt >= gh->max_retries)
		return isg__error_set_retry(
		        ISG_ERATELIMIT, MOD,
		        primary ? until_reset(gh) : SECONDARY_MIN_S,
		        "GET %s: still rate limited after %d attempts",
		        url_path(url), attempt + 1);
	if (primary && resp->rl_reset >= 0) {
		w = until_reset(gh);
	} else if (resp->retry_after_s >= 0) {
		w = resp->retry_after_s;
	} else {
		w = SECONDARY_MIN_S *
		            pow(2.0, *secondary > 10 ? 10 : *secondary) +
		    isg__github_random(gh) * SECONDARY_MIN_S / 4.0;
		(*secondary)++;
	}
	rc = wait_for_limit(gh, url, w,
	                    primary ? "primary rate limit"
	                            : "secondary rate limit");
	if (rc != ISG_OK)
		return rc;
	gh->stats.rate_remaining = -1;
	return ISG_OK;
}

int isg__github_get(isg_github *gh, int endpoint, const char *url,
                    isg__github_response *resp)
{
	int attempt = 0, secondary = 0, rc;

	for (;; attempt++) {
		/* Known to be spent: wait for the reset instead of making a
		 * request that can only fail. */
		if (gh->stats.rate_remaining == 0 &&
		    (double)gh->stats.rate_reset > isg__github_now(gh)) {
			rc = wait_for_limit(gh, url, until_reset(gh),
			                    "rate limit spent");
			if (rc != ISG_OK)
				return rc;
			gh->stats.rate_remaining = -1;
		}
		gh->stats.requests++;
		gh->stats.by_endpoint[endpoint]++;
		if (attempt > 0)
			gh->stats.retries++;
		rc = perform(gh, url, resp);
		isg__github_count_status(gh, endpoint, (int)resp->status);
		gh->stats.bytes +=
		        resp->body.size + (uint64_t)resp->req.sink_bytes;
		if (rc == ISG_ETIMEOUT || rc == ISG_EIO ||
		    rc == ISG_EUNAVAILABLE) {
			if (attempt >= gh->max_retries)
				return rc;
			if ((rc = isg__github_wait(gh, backoff(gh, attempt,
			                                       BACKOFF_BASE_S,
			                                       BACKOFF_CAP_S))))
				return rc;
			continue;
		}
		if (rc != ISG_OK)
			return rc;
		note_rate_limit(gh, resp);
		isg__log_write(ISG_LOG_DEBUG, MOD, NULL, 0,
		               "GET %s -> %ld (%zu bytes)", url_path(url),
		               resp->status, resp->body.size);
		if (resp->status >= 200 && resp->status < 300)
			return ISG_OK; /* the caller remembers it once used */
		if (resp->status == 304) {
			const isg__github_cache_entry *e =
			        isg__github_cache_find(gh, url);

			gh->stats.not_modified++;
			if (!resp->next_url && e && e->next_url &&
			    !(resp->next_url = isg__alloc_strdup(e->next_url)))
				return isg__error_oom(MOD);
			return ISG_OK;
		}
		if (resp->status == 403 || resp->status == 429) {
			if ((rc = rate_limited(gh, url, resp, attempt,
			                       &secondary)) != ISG_OK)
				return rc;
			continue;
		}
		if (resp->status >= 500 && resp->status < 600) {
			if (attempt >= gh->max_retries)
				return isg__error_set(
				        ISG_EUPSTREAM, MOD,
				        "GET %s: HTTP %ld after %d attempts",
				        url_path(url), resp->status,
				        attempt + 1);
			if ((rc = isg__github_wait(gh, backoff(gh, attempt,
			                                       BACKOFF_BASE_S,
			                                       BACKOFF_CAP_S))))
				return rc;
			continue;
		}
		return status_error(url, resp->status);
	}
}
