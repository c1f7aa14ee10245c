/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fake GitHub's server: civetweb on 127.0.0.1, routing of the REST
 * paths, pagination with absolute link headers, strong ETags with 304s,
 * the primary rate limit and the injected faults. See fake_github.h.
 */
#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "fake_github_int.h"

static const char *const ep_names[FG_EP_COUNT] = {
	"repo",   "issues", "issue",  "repo_comments", "issue_comments",
	"labels", "other",  "commit", "tarball",       "codeload"
};

static const char primary_body[] =
        "{\"message\":\"API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.) If you reach out to GitHub Support for help, please include the request ID E19A:36FB4A:0813:0A62:67F1D9DD and timestamp 2025-04-06 01:33:17 UTC.\",\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\",\"status\":\"403\"}";

static const char secondary_body[] =
        "{\n  \"documentation_url\": \"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits\",\n  \"message\": \"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID D24F:221686:28BC1:9F91F:69D56197.\"\n}";

static const char not_found_body[] =
        "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}";

static const char gone_body[] =
        "{\"message\":\"This issue was deleted\",\"documentation_url\":\"https://docs.github.com/rest/issues/issues#get-an-issue\",\"status\":\"410\"}";

static const char bad_gateway_body[] =
        "{\"message\":\"Server Error\",\"status\":\"502\"}";

static void count(fake_github *fg, int ep, int status)
{
	int i;

	for (i = 0; i < FG_MAX_STATUS; i++) {
		if (fg->counts[ep][i].n == 0 ||
		    fg->counts[ep][i].status == status) {
			fg->counts[ep][i].status = status;
			fg->counts[ep][i].n++;
			return;
		}
	}
}

static void set_body(answer *a, const char *s)
{
	a->body = fg__strdup(s);
	a->len = a->body ? strlen(a->body) : 0;
}

static void set_json(answer *a, cJSON *doc)
{
	/* cJSON may allocate through the library's hooks: copy the text
	 * into memory that plain free() releases. */
	char *text = cJSON_PrintUnformatted(doc);

	set_body(a, text);
	cJSON_free(text);
	cJSON_Delete(doc);
}

static void etag_of(answer *a)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < a->len; i++) {
		h ^= (unsigned char)a->body[i];
		h *= 1099511628211ULL;
	}
	snprintf(a->etag, sizeof(a->etag), "\"%016llx\"",
	         (unsigned long long)h);
}

static int query_int(const char *q, const char *name, int def)
{
	char buf[32];

	if (!q || mg_get_var(q, strlen(q), name, buf, sizeof(buf)) <= 0)
		return def;
	return (int)strtol(buf, NULL, 10);
}

/* The query without its page parameter, for the link header. */
static void query_without_page(const char *q, char *out, size_t n)
{
	const char *p = q;
	size_t used = 0;

	out[0] = '\0';
	while (p && *p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (!(len >= 5 && strncmp(p, "page=", 5) == 0) && len > 0 &&
		    used + len + 2 < n) {
			if (used)
				out[used++] = '&';
			memcpy(out + used, p, len);
			used += len;
			out[used] = '\0';
		}
		p = amp ? amp + 1 : NULL;
	}
}

/* Pages `total` items: fills [*from, *to) and the link header. */
static void paginate(const fake_github *fg, const char *path, const char *q,
                     int total, int *from, int *to, answer *a)
{
	int per = query_int(q, "per_page", 30), page = query_int(q, "page", 1);
	int last, used = 0;
	char base[1024];

	if (per < 1)
		per = 30;
	if (per > 100)
		per = 100;
	if (page < 1)
		page = 1;
	last = total > 0 ? (total + per - 1) / per : 1;
	*from = (page - 1) * per;
	if (*from > total)
		*from = total;
	*to = *from + per > total ? total : *from + per;
	query_without_page(q, base, sizeof(base));
	a->link[0] = '\0';
#define LINK(p, rel)                                                           \
	used += snprintf(a->link + used, sizeof(a->link) - (size_t)used,       \
	                 "%s<%s%s?%s%spage=%d>; rel=\"%s\"", used ? ", " : "", \
	                 fg->url, path, base, base[0] ? "&" : "", (p), rel)
	if (page < last)
		LINK(page + 1, "next");
	if (page < last)
		LINK(last, "last");
	if (page > 1 && used < (int)sizeof(a->link))
		LINK(page - 1, "prev");
	if (page > 1 && used < (int)sizeof(a->link))
		LINK(1, "first");
#undef LINK
}

static int cmp_issue(const void *x, const void *y)
{
	const fg_issue *a = *(const fg_issue *const *)x;
	const fg_issue *b = *(const fg_issue *const *)y;

	if (a->updated != b->updated)
		return a->updated < b->updated ? -1 : 1;
	return a->number - b->number;
}

static int cmp_comment(const void *x, const void *y)
{
	const fg_comment *a = *(const fg_comment *const *)x;
	const fg_comment *b = *(const fg_comment *const *)y;

	if (a->updated != b->updated)
		return a->updated < b->updated ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int cmp_comment_id(const void *x, const void *y)
{
	const fg_comment *a = *(const fg_comment *const *)x;
	const fg_comment *b = *(const fg_comment *const *)y;

	return a->id < b->id ? -1 : a->id > b->id;
}

static void list_issues(fake_github *fg, const char *path, const char *q,
                        answer *a)
{
	const fg_issue **sel = malloc(sizeof(*sel) * (size_t)(fg->nissues + 1));
	char state[16] = "open", since[64] = "";
	int64_t since_t = -1;
	int n = 0, i, from, to;
	cJSON *arr = cJSON_CreateArray();

	if (q) {
		mg_get_var(q, strlen(q), "state", state, sizeof(state));
		if (mg_get_var(q, strlen(q), "since", since, sizeof(since)) > 0)
			since_t = fg__parse_iso(since);
	}
	for (i = 0; sel && i < fg->nissues; i++) {
		const fg_issue *is = &fg->issues[i];

		if (is->status != 200 || is->updated < since_t)
			continue;
		if ((strcmp(state, "open") == 0 && is->closed) ||
		    (strcmp(state, "closed") == 0 && !is->closed))
			continue;
		sel[n++] = is;
	}
	if (sel)
		qsort(sel, (size_t)n, sizeof(*sel), cmp_issue);
	paginate(fg, path, q, n, &from, &to, a);
	for (i = from; sel && i < to; i++)
		cJSON_AddItemToArray(arr, fg__issue_json(fg, sel[i]));
	free(sel);
	a->status = 200;
	set_json(a, arr);
}

static void list_comments(fake_github *fg, const char *path, const char *q,
                          int issue, answer *a)
{
	const fg_comment **sel =
	        malloc(sizeof(*sel) * (size_t)(fg->ncomments + 1));
	char since[64] = "";
	int64_t since_t = -1;
	int n = 0, i, from, to;
	cJSON *arr = cJSON_CreateArray();

	if (q && mg_get_var(q, strlen(q), "since", since, sizeof(since)) > 0)
		since_t = fg__parse_iso(since);
	for (i = 0; sel && i < fg->ncomments; i++) {
		const fg_comment *c = &fg->comments[i];

		if ((issue && c->issue != issue) || c->updated < since_t)
			continue;
		sel[n++] = c;
	}
	if (sel)
		qsort(sel, (size_t)n, sizeof(*sel),
		      issue ? cmp_comment_id : cmp_comment);
	paginate(fg, path, q, n, &from, &to, a);
	for (i = from; sel && i < to; i++)
		cJSON_AddItemToArray(arr, fg__comment_json(fg, sel[i]));
	free(sel);
	a->status = 200;
	set_json(a, arr);
}

static void error_answer(answer *a, int status)
{
	a->status = status;
	set_body(a, status == 410 ? gone_body : not_found_body);
}

/* Routes a request (fg->mu held); returns the endpoint. */
static int route(fake_github *fg, const char *path, const char *q,
                 const char *accept, answer *a, int dry)
{
	char prefix[512];
	const char *rest;
	size_t plen;
	int n = 0, ep;
	char tail[16] = "";

	if ((ep = fg__codeload_route(fg, path, dry ? NULL : a)) >= 0)
		return ep;
	snprintf(prefix, sizeof(prefix), "/repos/%s/%s", fg->owner, fg->repo);
	plen = strlen(prefix);
	if (strncmp(path, prefix, plen) == 0 &&
	    (ep = fg__code_route(fg, path + plen, accept, dry ? NULL : a)) >= 0)
		return ep;
	if (strncmp(path, prefix, plen) != 0 ||
	    (path[plen] && path[plen] != '/')) {
		ep = FG_EP_OTHER;
	} else if (!*(rest = path + plen) || strcmp(rest, "/") == 0) {
		ep = FG_EP_REPO;
	} else if (strcmp(rest, "/issues") == 0) {
		ep = FG_EP_ISSUES;
	} else if (strcmp(rest, "/issues/comments") == 0) {
		ep = FG_EP_REPO_COMMENTS;
	} else if (strcmp(rest, "/labels") == 0) {
		ep = FG_EP_LABELS;
	} else if (sscanf(rest, "/issues/%d%15s", &n, tail) >= 1 && n > 0 &&
	           (!tail[0] || strcmp(tail, "/comments") == 0)) {
		ep = tail[0] ? FG_EP_ISSUE_COMMENTS : FG_EP_ISSUE;
	} else {
		ep = FG_EP_OTHER;
	}
	if (dry)
		return ep;
	switch (ep) {
	case FG_EP_REPO:
		a->status = 200;
		set_json(a, fg__repo_json(fg));
		break;
	case FG_EP_ISSUES:
		list_issues(fg, path, q, a);
		break;
	case FG_EP_REPO_COMMENTS:
		list_comments(fg, path, q, 0, a);
		break;
	case FG_EP_LABELS: {
		int from, to;
		cJSON *all = fg__labels_json(fg), *page = cJSON_CreateArray();
		int i;

		paginate(fg, path, q, cJSON_GetArraySize(all), &from, &to, a);
		for (i = from; i < to; i++)
			cJSON_AddItemToArray(
			        page,
			        cJSON_Duplicate(cJSON_GetArrayItem(all, i), 1));
		cJSON_Delete(all);
		a->status = 200;
		set_json(a, page);
		break;
	}
	case FG_EP_ISSUE:
	case FG_EP_ISSUE_COMMENTS: {
		const fg_issue *is = fg__find_issue(fg, n);

		if (!is || is->status != 200)
			error_answer(a, is ? is->status : 404);
		else if (ep == FG_EP_ISSUE)
			(a->status = 200, set_json(a, fg__issue_json(fg, is)));
		else
			list_comments(fg, path, q, n, a);
		break;
	}
	default:
		error_answer(a, 404);
	}
	return ep;
}

/* The next fault of the queue of the request's kind: codeload has its
 * own, so that a test can break a download without breaking the API
 * requests before it. */
static int take_fault(fake_github *fg, int ep)
{
	int *q = ep == FG_EP_CODELOAD ? fg->codeload_faults : fg->faults;
	int k;

	for (k = 0; k < FAKE_GITHUB_FAULT_COUNT; k++) {
		if (q[k] > 0) {
			q[k]--;
			return k;
		}
	}
	return -1;
}

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 302:
		return "Found";
	case 422:
		return "Unprocessable Entity";
	case 304:
		return "Not Modified";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 410:
		return "Gone";
	case 429:
		return "Too Many Requests";
	case 451:
		return "Unavailable For Legal Reasons";
	case 502:
		return "Bad Gateway";
	default:
		return "Status";
	}
}

static void send_answer(struct mg_connection *conn, const answer *a)
{
	mg_printf(
	        conn,
	        "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	        "X-GitHub-Media-Type: github.v3; format=json\r\n"
	        "x-github-api-version-selected: 2022-11-28\r\n",
	        a->status, reason(a->status),
	        a->content_type ? a->content_type
	                        : "application/json; charset=utf-8",
	        a->status == 304 ? 0 : a->len);
	if (a->location[0])
		mg_printf(conn, "Location: %s\r\n", a->location);
	if (a->etag[0])
		mg_printf(conn, "ETag: %s\r\n", a->etag);
	if (a->link[0])
		mg_printf(conn, "Link: %s\r\n", a->link);
	if (a->retry_after >= 0)
		mg_printf(conn, "Retry-After: %d\r\n", a->retry_after);
	if (a->with_rate)
		mg_printf(
		        conn,
		        "X-RateLimit-Limit: %d\r\nX-RateLimit-Remaining: %d\r\n"
		        "X-RateLimit-Reset: %lld\r\nX-RateLimit-Used: %d\r\n"
		        "X-RateLimit-Resource: core\r\n",
		        a->limit, a->remaining, a->reset,
		        a->limit - a->remaining);
	mg_printf(conn, "\r\n");
	if (a->status != 304 && a->len)
		mg_write(conn, a->body, a->len);
}

static void record_request(fake_github *fg, const struct mg_request_info *ri)
{
	int i;

	for (i = 0; i < fg->nlast; i++) {
		free(fg->last_names[i]);
		free(fg->last_values[i]);
	}
	fg->nlast = 0;
	for (i = 0; i < ri->num_headers && i < FG_MAX_HEADERS; i++) {
		fg->last_names[i] = fg__strdup(ri->http_headers[i].name);
		fg->last_values[i] = fg__strdup(ri->http_headers[i].value);
		fg->nlast++;
	}
	snprintf(fg->last_uri, sizeof(fg->last_uri), "%s%s%s",
	         ri->local_uri ? ri->local_uri : "",
	         ri->query_string ? "?" : "",
	         ri->query_string ? ri->query_string : "");
}

/* Appends the last request's URI and its answer to the log (fg->mu
 * held; an allocation failure only loses the entry). */
static void log_request(fake_github *fg, int status)
{
	if (fg->nlog == fg->cap_log) {
		int cap = fg->cap_log ? fg->cap_log * 2 : 64;
		struct fg_logged *n =
		        realloc(fg->log, (size_t)cap * sizeof(*n));

		if (!n)
			return;
		fg->log = n;
		fg->cap_log = cap;
	}
	fg->log[fg->nlog].uri = fg__strdup(fg->last_uri);
	if (!fg->log[fg->nlog].uri)
		return;
	fg->log[fg->nlog++].status = status;
}

static void clear_log(fake_github *fg)
{
	int i;

	for (i = 0; i < fg->nlog; i++)
		free(fg->log[i].uri);
	fg->nlog = 0;
}

void fake_github_fail_after(fake_github *fg, int n)
{
	pthread_mutex_lock(&fg->mu);
	fg->fail_armed = n >= 0;
	fg->fail_left = n;
	pthread_mutex_unlock(&fg->mu);
}

long fake_github_count_uri(fake_github *fg, const char *uri, int status)
{
	long n = 0;
	int i;

	pthread_mutex_lock(&fg->mu);
	for (i = 0; i < fg->nlog; i++)
		if (strcmp(fg->log[i].uri, uri) == 0 &&
		    (status == -1 || fg->log[i].status == status))
			n++;
	pthread_mutex_unlock(&fg->mu);
	return n;
}

long fake_github_uri_max(fake_github *fg, int status)
{
	long best = 0;
	int i, j;

	pthread_mutex_lock(&fg->mu);
	for (i = 0; i < fg->nlog; i++) {
		long n = 0;

		if (status != -1 && fg->log[i].status != status)
			continue;
		for (j = 0; j < fg->nlog; j++)
			if (strcmp(fg->log[i].uri, fg->log[j].uri) == 0 &&
			    (status == -1 || fg->log[j].status == status))
				n++;
		if (n > best)
			best = n;
	}
	pthread_mutex_unlock(&fg->mu);
	return best;
}

int fake_github_serve(struct mg_connection *conn, void *cbdata)
{
	fake_github *fg = cbdata;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *path = ri->local_uri ? ri->local_uri : "/";
	const char *inm = mg_get_header(conn, "If-None-Match");
	answer a;
	int fault, ep;
	double now;

	memset(&a, 0, sizeof(a));
	a.retry_after = -1;
	pthread_mutex_lock(&fg->mu);
	record_request(fg, ri);
	ep = route(fg, path, NULL, NULL, NULL, 1);
	fault = take_fault(fg, ep);
	if (fault < 0 && fg->fail_armed && fg->fail_left-- <= 0)
		fault = FAKE_GITHUB_502;
	pthread_mutex_unlock(&fg->mu);
	if (fault == FAKE_GITHUB_SLOW) {
		struct timespec ts = { fg->delay_ms / 1000,
			               (long)(fg->delay_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	pthread_mutex_lock(&fg->mu);
	now = fg__now(fg);
	if (now >= (double)fg->reset) {
		fg->remaining = fg->rate_limit;
		fg->reset = (long long)now + fg->rate_window_s;
	}
	a.with_rate = 1;
	a.limit = fg->rate_limit;
	a.reset = fg->reset;
	if (fault == FAKE_GITHUB_SECONDARY_RETRY_AFTER ||
	    fault == FAKE_GITHUB_SECONDARY_NO_RETRY_AFTER ||
	    fault == FAKE_GITHUB_SECONDARY_429) {
		a.status = fault == FAKE_GITHUB_SECONDARY_429 ? 429 : 403;
		if (fault != FAKE_GITHUB_SECONDARY_NO_RETRY_AFTER)
			a.retry_after = fg->retry_after_s;
		a.with_rate = 0; /* as recorded: no x-ratelimit-* */
		set_body(&a, secondary_body);
	} else if (fault == FAKE_GITHUB_502) {
		a.status = 502;
		a.with_rate = 0;
		set_body(&a, bad_gateway_body);
	} else if (ep == FG_EP_CODELOAD) {
		/* codeload.github.com is not the API: no rate limit. */
		a.with_rate = 0;
		route(fg, path, NULL, NULL, &a, 0);
		if (fault == FAKE_GITHUB_TRUNCATED && a.status == 200)
			a.len /= 2;
	} else if (fg->remaining <= 0) {
		a.status = 403;
		set_body(&a, primary_body);
	} else {
		route(fg, path, ri->query_string, mg_get_header(conn, "Accept"),
		      &a, 0);
		etag_of(&a);
		if (a.status == 200 && inm && strcmp(inm, a.etag) == 0) {
			a.status = 304; /* free: the limit is not spent */
		} else {
			fg->remaining--;
			if (a.status != 200)
				a.etag[0] = '\0';
		}
		if (fault == FAKE_GITHUB_TRUNCATED && a.status == 200)
			a.len /= 2;
	}
	a.remaining = fg->remaining;
	count(fg, ep, a.status);
	log_request(fg, a.status);
	pthread_mutex_unlock(&fg->mu);
	send_answer(conn, &a);
	free(a.body);
	return a.status;
}

static int quiet_log(const struct mg_connection *conn, const char *msg)
{
	(void)conn;
	(void)msg;
	return 1;
}

int fake_github_start(fake_github **out, const fake_github_options *opts)
{
	fake_github_options o = { 0 };
	struct mg_callbacks cb;
	fake_github *fg;
	char ports[64], threads[16];
	int attempt;

	*out = NULL;
	if (opts)
		o = *opts;
	if (o.issues <= 0)
		o.issues = 250;
	if (o.pulls == 0)
		o.pulls = o.issues / 5;
	else if (o.pulls < 0)
		o.pulls = 0;
	if (o.comments <= 0)
		o.comments = 2 * o.issues;
	if (!o.seed)
		o.seed = 1;
	if (o.rate_limit <= 0)
		o.rate_limit = 5000;
	if (o.rate_window_s <= 0)
		o.rate_window_s = 3600;
	if (o.threads <= 0)
		o.threads = 4;
	fg = calloc(1, sizeof(*fg));
	if (!fg)
		return -1;
	pthread_mutex_init(&fg->mu, NULL);
	fg->owner = fg__strdup(o.owner ? o.owner : "octo-org");
	fg->repo = fg__strdup(o.repo ? o.repo : "hello-world");
	fg->rate_limit = fg->remaining = o.rate_limit;
	fg->repo_id = o.repo_id > 0 ? o.repo_id : 3544490;
	fg->rate_window_s = o.rate_window_s;
	fg->reset = (long long)fg__now(fg) + o.rate_window_s;
	fg->retry_after_s = 3;
	fg->delay_ms = 200;
	if (!fg->owner || !fg->repo || fg__generate(fg, &o) != 0) {
		fprintf(stderr, "fake_github: out of memory\n");
		fake_github_stop(fg);
		return -1;
	}
	memset(&cb, 0, sizeof(cb));
	cb.log_message = quiet_log;
	snprintf(threads, sizeof(threads), "%d", o.threads);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	/* Ports below 32768: the ephemeral range above it invites
	 * self-connections when nothing listens (see ENVIRONMENT.md). */
	for (attempt = 0; attempt < 64 && !fg->ctx; attempt++) {
		const char *cfg[] = { "listening_ports", ports, "num_threads",
			              threads, "enable_keep_alive", "yes",
			              "request_timeout_ms", "30000",
			              /* Without it, Nagle's algorithm and
			               * the client's delayed ACK hold each
			               * small answer back ~40 ms. */
			              "tcp_nodelay", "1", NULL };

		fg->port = o.port ? o.port : 20000 + rand() % 12768;
		snprintf(ports, sizeof(ports), "127.0.0.1:%d", fg->port);
		fg->ctx = mg_start(&cb, fg, cfg);
		if (o.port)
			break;
	}
	if (!fg->ctx) {
		fprintf(stderr, "fake_github: cannot listen on 127.0.0.1:%d\n",
		        fg->port);
		fake_github_stop(fg);
		return -1;
	}
	snprintf(fg->url, sizeof(fg->url), "http://127.0.0.1:%d", fg->port);
	if (o.code_dir && fake_github_set_tree(fg, o.code_dir, NULL) != 0) {
		fake_github_stop(fg);
		return -1;
	}
	mg_set_request_handler(fg->ctx, "/", fake_github_serve, fg);
	*out = fg;
	return 0;
}

void fake_github_stop(fake_github *fg)
{
	int i;

	if (!fg)
		return;
	if (fg->ctx)
		mg_stop(fg->ctx);
	fg__free_data(fg);
	fg__code_free(fg);
	clear_log(fg);
	free(fg->log);
	for (i = 0; i < fg->nlast; i++) {
		free(fg->last_names[i]);
		free(fg->last_values[i]);
	}
	free(fg->owner);
	free(fg->repo);
	pthread_mutex_destroy(&fg->mu);
	free(fg);
}

void fake_github_route(fake_github *fg, const char *uri,
                       fake_github_route_fn fn, void *payload)
{
	mg_set_request_handler(fg->ctx, uri, fn, payload);
}

const char *fake_github_url(const fake_github *fg)
{
	return fg->url;
}

int fake_github_port(const fake_github *fg)
{
	return fg->port;
}

void fake_github_inject(fake_github *fg, fake_github_fault kind, int n)
{
	if ((int)kind < 0 || kind >= FAKE_GITHUB_FAULT_COUNT)
		return;
	pthread_mutex_lock(&fg->mu);
	fg->faults[kind] += n;
	pthread_mutex_unlock(&fg->mu);
}

void fake_github_inject_codeload(fake_github *fg, fake_github_fault kind, int n)
{
	if ((int)kind < 0 || kind >= FAKE_GITHUB_FAULT_COUNT)
		return;
	pthread_mutex_lock(&fg->mu);
	fg->codeload_faults[kind] += n;
	pthread_mutex_unlock(&fg->mu);
}

void fake_github_set_retry_after(fake_github *fg, int seconds)
{
	pthread_mutex_lock(&fg->mu);
	fg->retry_after_s = seconds;
	pthread_mutex_unlock(&fg->mu);
}

void fake_github_set_delay_ms(fake_github *fg, int ms)
{
	pthread_mutex_lock(&fg->mu);
	fg->delay_ms = ms;
	pthread_mutex_unlock(&fg->mu);
}

void fake_github_set_rate(fake_github *fg, int remaining, int reset_in_s)
{
	pthread_mutex_lock(&fg->mu);
	fg->remaining = remaining;
	fg->reset = (long long)fg__now(fg) + reset_in_s;
	pthread_mutex_unlock(&fg->mu);
}

void fake_github_advance(fake_github *fg, double seconds)
{
	pthread_mutex_lock(&fg->mu);
	fg->clock_offset += seconds;
	pthread_mutex_unlock(&fg->mu);
}

double fake_github_now(fake_github *fg)
{
	double now;

	pthread_mutex_lock(&fg->mu);
	now = fg__now(fg);
	pthread_mutex_unlock(&fg->mu);
	return now;
}

long fake_github_count(fake_github *fg, const char *endpoint, int status)
{
	long n = 0;
	int ep, i;

	pthread_mutex_lock(&fg->mu);
	for (ep = 0; ep < FG_EP_COUNT; ep++) {
		if (endpoint && strcmp(endpoint, ep_names[ep]) != 0)
			continue;
		for (i = 0; i < FG_MAX_STATUS; i++)
			if (status == -1 || fg->counts[ep][i].status == status)
				n += fg->counts[ep][i].n;
	}
	pthread_mutex_unlock(&fg->mu);
	return n;
}

void fake_github_reset_counts(fake_github *fg)
{
	pthread_mutex_lock(&fg->mu);
	memset(fg->counts, 0, sizeof(fg->counts));
	clear_log(fg);
	pthread_mutex_unlock(&fg->mu);
}

int fake_github_last_header(fake_github *fg, const char *name, char *out,
                            size_t n)
{
	int i, found = 0;

	pthread_mutex_lock(&fg->mu);
	for (i = 0; i < fg->nlast && !found; i++) {
		if (fg->last_names[i] && fg->last_values[i] &&
		    strcasecmp(fg->last_names[i], name) == 0) {
			snprintf(out, n, "%s", fg->last_values[i]);
			found = 1;
		}
	}
	pthread_mutex_unlock(&fg->mu);
	return found;
}

void fake_github_last_uri(fake_github *fg, char *out, size_t n)
{
	pthread_mutex_lock(&fg->mu);
	snprintf(out, n, "%s", fg->last_uri);
	pthread_mutex_unlock(&fg->mu);
}
