/* SPDX-License-Identifier: Apache-2.0 */
/*
 * github: the GitHub REST client's public entry points. Builds the first
 * URL of each request, follows only the server's next links afterwards,
 * and turns bodies into the issue module's types. Requests, waits and
 * retries live in github_http.c, over the cache (github_cache.c), the
 * counters (github_stats.c) and the clock (github_clock.c).
 */
#include <inttypes.h>
#include <string.h>

#include "core_int.h"
#include "github_int.h"
#include "issue_int.h"
#include "json_int.h"

#define MOD "github"

static int check_options(const isg_github_options *o)
{
	const char *u = o->base_url;

	if (o->version != ISG_GITHUB_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options.version %u is not %d",
		                      o->version, ISG_GITHUB_OPTIONS_VERSION);
	if (u && !(isg__text_ncasecmp(u, "http://", 7) == 0 && u[7]) &&
	    !(isg__text_ncasecmp(u, "https://", 8) == 0 && u[8])) {
		isg_buf red = ISG_BUF_INIT;
		int rc;

		/* The URL may carry credentials: redact before naming it. */
		rc = isg_log_redact(&red, u);
		isg__error_set(ISG_EINVALID, MOD,
		               "options.base_url '%s' is not an http(s) URL",
		               rc == ISG_OK ? red.ptr : "?");
		isg_buf_dispose(&red);
		return ISG_EINVALID;
	}
	if (o->connect_timeout_s < 0 || o->timeout_s < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "options timeouts must not be negative (connect %d, total %d)",
		        o->connect_timeout_s, o->timeout_s);
	if (o->max_response_bytes < 0 || o->max_wait_s < 0 ||
	    o->cache_entries < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "options.max_response_bytes (%lld), max_wait_s (%d) and cache_entries (%d) must not be negative",
		        o->max_response_bytes, o->max_wait_s, o->cache_entries);
	return ISG_OK;
}

int isg_github_new(isg_github **out, const isg_github_options *opts)
{
	isg_github_options def = ISG_GITHUB_OPTIONS_INIT;
	const isg_github_options *o = opts ? opts : &def;
	isg_github *gh = NULL;
	isg_buf ua = ISG_BUF_INIT;
	size_t n;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "new: NULL out");
	*out = NULL;
	if ((rc = check_options(o)) != ISG_OK)
		return rc;
	rc = ISG_OK;
	if (!(gh = isg__alloc_calloc(1, sizeof(*gh))))
		return isg__error_oom(MOD);
	gh->base_url = isg__alloc_strdup(
	        o->base_url ? o->base_url : "https://api.github.com");
	if (!o->user_agent)
		rc = isg__buf_printf(&ua, "issuesight/%s", ISG_VERSION_STRING);
	gh->user_agent = o->user_agent ? isg__alloc_strdup(o->user_agent)
	                               : isg__buf_detach(&ua);
	if (o->token && o->token[0]) {
		isg_buf tok = ISG_BUF_INIT;

		if (isg__buf_printf(&tok, "Bearer %s", o->token) == ISG_OK)
			gh->token = isg__buf_detach(&tok);
		isg_buf_dispose(&tok);
	}
	if (rc != ISG_OK || !gh->base_url || !gh->user_agent ||
	    (o->token && o->token[0] && !gh->token)) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	n = strlen(gh->base_url);
	while (n > 0 && gh->base_url[n - 1] == '/')
		gh->base_url[--n] = '\0';
	gh->connect_timeout_s =
	        o->connect_timeout_s ? o->connect_timeout_s : 10;
	gh->timeout_s = o->timeout_s ? o->timeout_s : 30;
	gh->max_response_bytes = o->max_response_bytes ? o->max_response_bytes
	                                               : 32LL * 1024 * 1024;
	gh->max_retries = o->max_retries < 0 ? 0
	                  : o->max_retries   ? o->max_retries
	                                     : 5;
	gh->max_wait_s = o->max_wait_s ? o->max_wait_s : 3600;
	gh->cache_max = o->cache_entries ? o->cache_entries : 10000;
	gh->sleep_fn = o->sleep_fn;
	gh->sleep_payload = o->sleep_payload;
	gh->clock_fn = o->clock_fn;
	gh->clock_payload = o->clock_payload;
	gh->rng = o->jitter_seed
	                  ? o->jitter_seed
	                  : (uint64_t)isg__clock_wall_ms() ^ (uintptr_t)gh;
	if (gh->rng == 0)
		gh->rng = 0x9E3779B97F4A7C15ULL;
	gh->stats.version = ISG_GITHUB_STATS_VERSION;
	gh->stats.rate_limit = gh->stats.rate_remaining = -1;
	gh->stats.rate_used = gh->stats.rate_reset = -1;
	if (!(gh->curl = curl_easy_init())) {
		rc = isg__error_set(ISG_ERROR, MOD, "curl_easy_init failed");
		goto done;
	}
	rc = ISG_OK;
done:
	isg_buf_dispose(&ua);
	if (rc != ISG_OK) {
		isg_github_free(gh);
		gh = NULL;
	}
	*out = gh;
	return rc;
}

static int cfg_int(int *dst, const isg_config *cfg, const char *key)
{
	long long v = 0;
	int rc = isg_config_get_int(&v, cfg, key);

	if (rc == ISG_OK)
		*dst = (int)v;
	return rc == ISG_ENOTFOUND ? ISG_OK : rc;
}

int isg_github_new_from_config(isg_github **out, const isg_config *cfg,
                               const isg_github_options *base)
{
	isg_github_options o = ISG_GITHUB_OPTIONS_INIT;
	long long bytes = 0;
	int rc;

	if (!out || !cfg)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "new_from_config: NULL argument");
	*out = NULL;
	if (base) {
		if (base->version != ISG_GITHUB_OPTIONS_VERSION)
			return isg__error_set(ISG_EINVALID, MOD,
			                      "options.version %u is not %d",
			                      base->version,
			                      ISG_GITHUB_OPTIONS_VERSION);
		o = *base;
	}
	o.base_url = isg_config_get(cfg, "GITHUB_API_URL");
	o.token = isg_config_get(cfg, "GITHUB_TOKEN");
	if ((rc = cfg_int(&o.connect_timeout_s, cfg,
	                  "GITHUB_CONNECT_TIMEOUT_S")) != ISG_OK ||
	    (rc = cfg_int(&o.timeout_s, cfg, "GITHUB_TIMEOUT_S")) != ISG_OK ||
	    (rc = cfg_int(&o.max_retries, cfg, "GITHUB_MAX_RETRIES")) !=
	            ISG_OK ||
	    (rc = cfg_int(&o.max_wait_s, cfg, "GITHUB_MAX_WAIT_S")) != ISG_OK)
		return rc;
	if (o.max_retries == 0)
		o.max_retries = -1; /* 0 in the settings means "no retry" */
	rc = isg_config_get_int(&bytes, cfg, "GITHUB_MAX_RESPONSE_BYTES");
	if (rc == ISG_OK)
		o.max_response_bytes = bytes;
	else if (rc != ISG_ENOTFOUND)
		return rc;
	return isg_github_new(out, &o);
}

const char *isg__github_base_url(const isg_github *gh)
{
	return gh->base_url;
}

void isg_github_free(isg_github *gh)
{
	if (!gh)
		return;
	if (gh->curl)
		curl_easy_cleanup(gh->curl);
	isg_github_cache_clear(gh);
	isg__alloc_free(gh->cache);
	isg__alloc_free(gh->base_url);
	if (gh->token) /* do not leave the credential in freed memory */
		memset(gh->token, 0, strlen(gh->token));
	isg__alloc_free(gh->token);
	isg__alloc_free(gh->user_agent);
	isg__alloc_free(gh);
}

/* Appends `s` percent-encoded (RFC 3986 unreserved characters kept). */
static int put_escaped(isg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = ISG_OK;

	for (; *s && rc == ISG_OK; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			rc = isg__buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			rc = isg_buf_put(b, e, 3);
		}
	}
	return rc;
}

/* base/repos/{owner}/{repo} into `b`, validating the names. */
static int repo_url(isg_buf *b, const isg_github *gh, const char *owner,
                    const char *repo)
{
	int rc;

	if (!gh || !owner || !repo || !*owner || !*repo)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "NULL client or empty owner/repository name");
	if (strcmp(owner, ".") == 0 || strcmp(owner, "..") == 0 ||
	    strcmp(repo, ".") == 0 || strcmp(repo, "..") == 0)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "invalid repository name '%s/%s'", owner,
		                      repo);
	if ((rc = isg__buf_printf(b, "%s/repos/", gh->base_url)) != ISG_OK ||
	    (rc = put_escaped(b, owner)) != ISG_OK ||
	    (rc = isg__buf_putc(b, '/')) != ISG_OK ||
	    (rc = put_escaped(b, repo)) != ISG_OK)
		return rc;
	return ISG_OK;
}

/* GETs one object; *doc is NULL on 304. */
static int get_object(isg_github *gh, int ep, const char *url, isg_buf *raw,
                      cJSON **doc)
{
	isg__github_response resp;
	int rc;

	*doc = NULL;
	memset(&resp, 0, sizeof(resp));
	isg__github_response_clear(&resp);
	if ((rc = isg__github_get(gh, ep, url, &resp)) != ISG_OK)
		goto done;
	if (raw && (rc = isg_buf_set(raw, resp.body.ptr, resp.body.size)))
		goto done;
	if (resp.status == 304)
		goto done;
	*doc = isg__json_parse(resp.body.ptr ? resp.body.ptr : "",
	                       resp.body.size, MOD, url + strlen(gh->base_url));
	if (!*doc) {
		rc = isg_error_last()->code;
	} else if (!cJSON_IsObject(*doc)) {
		rc = isg__error_set(
		        ISG_EPARSE, MOD, "%s: expected a JSON object, got %s",
		        url + strlen(gh->base_url), isg__json_type_name(*doc));
		cJSON_Delete(*doc);
		*doc = NULL;
	} else {
		rc = isg__github_remember(gh, url, &resp);
	}
done:
	isg__github_response_clear(&resp);
	return rc;
}

int isg_github_get_repository(isg_repository **out, isg_github *gh,
                              const char *owner, const char *repo, isg_buf *raw)
{
	isg_buf url = ISG_BUF_INIT;
	cJSON *doc = NULL;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "get_repository: NULL out");
	*out = NULL;
	if ((rc = repo_url(&url, gh, owner, repo)) != ISG_OK ||
	    (rc = get_object(gh, ISG_GITHUB_EP_REPOSITORY, url.ptr, raw,
	                     &doc)) != ISG_OK ||
	    !doc)
		goto done;
	rc = isg__issue_repository_from_json(out, doc);
done:
	cJSON_Delete(doc);
	isg_buf_dispose(&url);
	return rc;
}

int isg_github_get_issue(isg_issue **out, isg_github *gh, const char *owner,
                         const char *repo, int64_t number, isg_buf *raw)
{
	isg_buf url = ISG_BUF_INIT;
	cJSON *doc = NULL;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "get_issue: NULL out");
	*out = NULL;
	if (number <= 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "issue number %" PRId64 " is not positive", number);
	if ((rc = repo_url(&url, gh, owner, repo)) != ISG_OK ||
	    (rc = isg__buf_printf(&url, "/issues/%" PRId64, number)) !=
	            ISG_OK ||
	    (rc = get_object(gh, ISG_GITHUB_EP_ISSUE, url.ptr, raw, &doc)) !=
	            ISG_OK ||
	    !doc)
		goto done;
	rc = isg__issue_from_json(out, doc);
done:
	cJSON_Delete(doc);
	isg_buf_dispose(&url);
	return rc;
}

/* ---- Listings ------------------------------------------------------- */

typedef int (*item_fn)(const cJSON *item, const char *raw, size_t len, void *cb,
                       void *payload);

static int item_issue(const cJSON *item, const char *raw, size_t len, void *cb,
                      void *payload)
{
	isg_github_issue_cb fn = *(isg_github_issue_cb *)cb;
	isg_issue *is = NULL;
	int rc = isg__issue_from_json(&is, item);

	if (rc == ISG_OK)
		rc = fn(is, raw, len, payload);
	isg_issue_free(is);
	return rc;
}

static int item_comment(const cJSON *item, const char *raw, size_t len,
                        void *cb, void *payload)
{
	isg_github_comment_cb fn = *(isg_github_comment_cb *)cb;
	isg_comment *c = NULL;
	int rc = isg__issue_comment_from_json(&c, item);

	if (rc == ISG_OK)
		rc = fn(c, raw, len, payload);
	isg_issue_comment_free(c);
	return rc;
}

static int item_label(const cJSON *item, const char *raw, size_t len, void *cb,
                      void *payload)
{
	isg_github_label_cb fn = *(isg_github_label_cb *)cb;
	isg_label *l = NULL;
	int rc = isg__issue_label_from_json(&l, item);

	/* A label without a name is useless to every caller: skip it. */
	if (rc == ISG_EPARSE)
		return ISG_OK;
	if (rc == ISG_OK)
		rc = fn(l, raw, len, payload);
	isg_issue_label_free(l);
	return rc;
}

static int deliver_page(isg_github *gh, const char *url,
                        const isg__github_response *resp, item_fn fn, void *cb,
                        void *payload)
{
	const char *what = url + strlen(gh->base_url);
	cJSON *doc, *item;
	int rc = ISG_OK;

	if (strncmp(url, gh->base_url, strlen(gh->base_url)) != 0)
		what = url;
	doc = isg__json_parse(resp->body.ptr ? resp->body.ptr : "",
	                      resp->body.size, MOD, what);
	if (!doc)
		return isg_error_last()->code;
	if (!cJSON_IsArray(doc)) {
		rc = isg__error_set(ISG_EPARSE, MOD,
		                    "%s: expected a JSON array, got %s", what,
		                    isg__json_type_name(doc));
		goto done;
	}
	cJSON_ArrayForEach(item, doc)
	{
		char *raw;

		if (!cJSON_IsObject(item) && fn != item_label)
			continue;
		if (!(raw = cJSON_PrintUnformatted(item))) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		rc = fn(item, raw, strlen(raw), cb, payload);
		cJSON_free(raw);
		if (rc != ISG_OK)
			goto done;
	}
done:
	cJSON_Delete(doc);
	return rc;
}

static int list_pages(isg_github *gh, int ep, const char *first_url,
                      const isg_github_list_options *lo, item_fn fn, void *cb,
                      void *payload)
{
	isg__github_response resp;
	char *url = isg__alloc_strdup(first_url);
	int pages = 0, rc = ISG_OK;

	memset(&resp, 0, sizeof(resp));
	isg__github_response_clear(&resp);
	if (!url)
		return isg__error_oom(MOD);
	while (url) {
		char *next;

		if ((rc = isg__github_get(gh, ep, url, &resp)) != ISG_OK)
			break;
		if (resp.status != 304 &&
		    ((rc = deliver_page(gh, url, &resp, fn, cb, payload)) !=
		             ISG_OK ||
		     (rc = isg__github_remember(gh, url, &resp)) != ISG_OK))
			break;
		next = resp.next_url;
		resp.next_url = NULL;
		if (next && strcmp(next, url) == 0) {
			rc = isg__error_set(
			        ISG_EUPSTREAM, MOD,
			        "the next link of a page points to the page itself");
			isg__alloc_free(next);
			break;
		}
		isg__alloc_free(url);
		url = next;
		/* Version 1 structs end before `page`. */
		if (lo->version >= 2 && lo->page &&
		    (rc = lo->page(url, lo->page_payload)) != ISG_OK)
			break;
		if (lo->max_pages > 0 && ++pages >= lo->max_pages)
			break;
	}
	isg__alloc_free(url);
	isg__github_response_clear(&resp);
	return rc;
}

static int check_list(const isg_github_list_options *lo, const void *cb)
{
	if (!cb)
		return isg__error_set(ISG_EINVALID, MOD, "NULL callback");
	if (lo->version < 1 || lo->version > ISG_GITHUB_LIST_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "list options.version %u is not 1 to %d",
		                      lo->version,
		                      ISG_GITHUB_LIST_OPTIONS_VERSION);
	if (lo->per_page < 0 || lo->per_page > 100)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "list options.per_page %d is not in 1..100",
		        lo->per_page);
	if (lo->state && strcmp(lo->state, "open") != 0 &&
	    strcmp(lo->state, "closed") != 0 && strcmp(lo->state, "all") != 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "list options.state '%s' is not open, closed or all",
		        lo->state);
	return ISG_OK;
}

/* Appends the query: state (when given), since, per_page and, when
 * `sorted`, sort=updated&direction=asc. */
static int put_query(isg_buf *b, const isg_github_list_options *lo,
                     const char *state, int with_since, int sorted)
{
	int rc = ISG_OK;
	char sep = '?';

	if (state) {
		rc = isg__buf_printf(b, "?state=%s", state);
		sep = '&';
	}
	if (rc == ISG_OK && with_since && lo->since && lo->since[0]) {
		if ((rc = isg__buf_printf(b, "%csince=", sep)) == ISG_OK)
			rc = put_escaped(b, lo->since);
		sep = '&';
	}
	if (rc == ISG_OK)
		rc = isg__buf_printf(b, "%cper_page=%d", sep,
		                     lo->per_page ? lo->per_page : 100);
	if (rc == ISG_OK && sorted)
		rc = isg__buf_puts(b, "&sort=updated&direction=asc");
	return rc;
}

static int list_common(isg_github *gh, int ep, const char *owner,
                       const char *repo, int64_t number,
                       const isg_github_list_options *opts, item_fn fn,
                       void *cb, void *payload)
{
	isg_github_list_options def = ISG_GITHUB_LIST_OPTIONS_INIT;
	const isg_github_list_options *lo = opts ? opts : &def;
	isg_buf url = ISG_BUF_INIT;
	int rc;

	if ((rc = check_list(lo, cb)) != ISG_OK ||
	    (rc = repo_url(&url, gh, owner, repo)) != ISG_OK)
		goto done;
	switch (ep) {
	case ISG_GITHUB_EP_ISSUES:
		if ((rc = isg__buf_puts(&url, "/issues")) == ISG_OK)
			rc = put_query(&url, lo, lo->state ? lo->state : "all",
			               1, 1);
		break;
	case ISG_GITHUB_EP_REPO_COMMENTS:
		if ((rc = isg__buf_puts(&url, "/issues/comments")) == ISG_OK)
			rc = put_query(&url, lo, NULL, 1, 1);
		break;
	case ISG_GITHUB_EP_ISSUE_COMMENTS:
		if (number <= 0) {
			rc = isg__error_set(ISG_EINVALID, MOD,
			                    "issue number %" PRId64
			                    " is not positive",
			                    number);
			goto done;
		}
		if ((rc = isg__buf_printf(&url, "/issues/%" PRId64 "/comments",
		                          number)) == ISG_OK)
			rc = put_query(&url, lo, NULL, 1, 0);
		break;
	default:
		if ((rc = isg__buf_puts(&url, "/labels")) == ISG_OK)
			rc = put_query(&url, lo, NULL, 0, 0);
		break;
	}
	if (rc != ISG_OK)
		goto done;
	if (lo->version >= 2 && lo->start_url) {
		/* A resumed listing: only a URL of this API, so that a stored
		 * cursor cannot send the token to another host. */
		size_t bl = strlen(gh->base_url);

		if (strncmp(lo->start_url, gh->base_url, bl) != 0 ||
		    lo->start_url[bl] != '/') {
			rc = isg__error_set(
			        ISG_EINVALID, MOD,
			        "list options.start_url is not a URL of the API at %s",
			        gh->base_url);
			goto done;
		}
		rc = list_pages(gh, ep, lo->start_url, lo, fn, cb, payload);
		goto done;
	}
	rc = list_pages(gh, ep, url.ptr, lo, fn, cb, payload);
done:
	isg_buf_dispose(&url);
	return rc;
}

int isg_github_list_issues(isg_github *gh, const char *owner, const char *repo,
                           const isg_github_list_options *opts,
                           isg_github_issue_cb cb, void *payload)
{
	return list_common(gh, ISG_GITHUB_EP_ISSUES, owner, repo, 0, opts,
	                   item_issue, cb ? (void *)&cb : NULL, payload);
}

int isg_github_list_repo_comments(isg_github *gh, const char *owner,
                                  const char *repo,
                                  const isg_github_list_options *opts,
                                  isg_github_comment_cb cb, void *payload)
{
	return list_common(gh, ISG_GITHUB_EP_REPO_COMMENTS, owner, repo, 0,
	                   opts, item_comment, cb ? (void *)&cb : NULL,
	                   payload);
}

int isg_github_list_issue_comments(isg_github *gh, const char *owner,
                                   const char *repo, int64_t number,
                                   const isg_github_list_options *opts,
                                   isg_github_comment_cb cb, void *payload)
{
	return list_common(gh, ISG_GITHUB_EP_ISSUE_COMMENTS, owner, repo,
	                   number, opts, item_comment, cb ? (void *)&cb : NULL,
	                   payload);
}

int isg_github_list_labels(isg_github *gh, const char *owner, const char *repo,
                           const isg_github_list_options *opts,
                           isg_github_label_cb cb, void *payload)
{
	return list_common(gh, ISG_GITHUB_EP_LABELS, owner, repo, 0, opts,
	                   item_label, cb ? (void *)&cb : NULL, payload);
}
