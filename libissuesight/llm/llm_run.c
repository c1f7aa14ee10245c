/* SPDX-License-Identifier: Apache-2.0 */
/*
 * llm_run: the driver of the chat client. It starts attempts of the
 * requests that hold a slot and whose wait is over, moves bytes with
 * curl_multi_perform, and decides after each attempt: done, retry after a
 * wait (the server's hint, else full-jitter backoff), retry at once with
 * json_object when the server rejected json_schema, or fail with the
 * cause.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "json_int.h"
#include "llm_client_int.h"

#define MOD "llm"

/* ---- one attempt ----------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	isg__llm_job *j = ud;
	size_t len = size * n;

	if ((long long)(j->resp.size + len) > j->llm->max_response_bytes) {
		j->too_big = 1;
		return 0;
	}
	return isg_buf_put(&j->resp, data, len) == ISG_OK ? len : 0;
}

static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
	isg__llm_job *j = ud;
	size_t len = size * n;

	/* A new status line starts a new response (after a 100): its
	 * headers replace the previous ones. */
	if (len > 5 && memcmp(line, "HTTP/", 5) == 0)
		isg__llm_hints_init(&j->hints);
	else
		isg__llm_hints_line(&j->hints, line, len);
	return len;
}

static int build_body(isg__llm_job *j)
{
	isg_llm *l = j->llm;
	isg__llm_body_in in;
	isg_buf sys = ISG_BUF_INIT;
	int json_object = j->schema && l->schema_unsupported, rc;

	if (j->body_json_object == json_object)
		return ISG_OK;
	memset(&in, 0, sizeof(in));
	in.model = l->model;
	in.reasoning_effort = l->effort;
	in.max_output_tokens = l->max_output_tokens;
	in.temperature_x100 = l->temperature_x100;
	in.system = j->system;
	if (json_object) {
		/* json_object mode knows no schema: the instructions carry
		 * it (and the word JSON, which OpenAI requires there). */
		char *text = cJSON_PrintUnformatted(j->schema);

		rc = text ? isg__buf_printf(&sys,
		                            "%s\n\n" ISG__LLM_SCHEMA_INTRO "%s",
		                            j->system, text)
		          : ISG_ENOMEM;

		cJSON_free(text);
		if (rc != ISG_OK) {
			isg_buf_dispose(&sys);
			return ISG_ENOMEM;
		}
		in.system = sys.ptr;
	}
	in.user = j->user;
	in.schema = j->schema;
	in.schema_name = j->schema_name;
	in.json_object = json_object;
	rc = isg__llm_body_build(&j->body, &in);
	isg_buf_dispose(&sys);
	if (rc != ISG_OK)
		return ISG_ENOMEM;
	j->body_json_object = json_object;
	j->res.json_object_fallback = json_object;
	return ISG_OK;
}

static int build_headers(isg__llm_job *j)
{
	struct curl_slist *h = NULL, *t;
	isg_buf tag = ISG_BUF_INIT;

	if (j->headers)
		return ISG_OK;
	t = curl_slist_append(h, "Content-Type: application/json");
	if (t)
		h = t, t = curl_slist_append(h, "Accept: application/json");
	if (t)
		h = t, t = curl_slist_append(h, "Expect:");
	if (t && j->llm->auth)
		h = t, t = curl_slist_append(h, j->llm->auth);
	if (t && j->tag) {
		h = t;
		t = isg__buf_printf(&tag, "X-Client-Request-Id: %s", j->tag) ==
		                    ISG_OK
		            ? curl_slist_append(h, tag.ptr)
		            : NULL;
	}
	isg_buf_dispose(&tag);
	if (!t) {
		curl_slist_free_all(h);
		return ISG_ENOMEM;
	}
	j->headers = t;
	return ISG_OK;
}

static int start_attempt(isg__llm_job *j)
{
	isg_llm *l = j->llm;
	CURL *c;

	if (build_body(j) != ISG_OK || build_headers(j) != ISG_OK)
		return isg__error_oom(MOD);
	c = curl_easy_init();
	if (!c)
		return isg__error_oom(MOD);
	isg_buf_dispose(&j->resp);
	j->too_big = 0;
	j->errbuf[0] = '\0';
	isg__llm_hints_init(&j->hints);
	curl_easy_setopt(c, CURLOPT_URL, l->url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, j->body.ptr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
	                 (curl_off_t)j->body.size);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, j->headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT,
	                 "libissuesight/" ISG_VERSION_STRING);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)l->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)l->timeout_s);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(c, CURLOPT_PRIVATE, j);
	if (curl_multi_add_handle(l->multi, c) != CURLM_OK) {
		curl_easy_cleanup(c);
		return isg__error_set(ISG_ERROR, MOD,
		                      "curl refused a new transfer");
	}
	j->easy = c;
	j->state = ISG__LLM_RUNNING;
	j->attempt_ms = isg__clock_now_ms();
	j->res.attempts++;
	l->stats.attempts++;
	if (j->res.attempts > 1)
		l->stats.retries++;
	return ISG_OK;
}

/* ---- deciding after an attempt -------------------------------------- */

static void set_message(isg__llm_job *j, const char *fmt, ...)
        ISG__PRINTF(2, 3);
static void set_message(isg__llm_job *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->res.message, sizeof(j->res.message), fmt, ap);
	va_end(ap);
	isg__llm_mask(j->res.message, j->llm->api_key);
}

/* Schedules another attempt after `wait_ms`, or returns 0 when the
 * retries are spent. */
static int schedule_retry(isg__llm_job *j, long long wait_ms, int gate)
{
	isg_llm *l = j->llm;
	int64_t now = isg__clock_now_ms();

	if (j->retries >= l->max_retries)
		return 0;
	j->retries++;
	j->state = ISG__LLM_WAITING;
	j->not_before_ms = now + wait_ms;
	if (gate && j->not_before_ms > l->gate_ms)
		l->gate_ms = j->not_before_ms;
	if (isg__log_enabled(ISG_LOG_WARN)) {
		char w[32], a[16];
		isg_log_field f[3] = { { "tag", j->tag ? j->tag : "" },
			               { "wait_ms", w },
			               { "attempt", a } };

		snprintf(w, sizeof(w), "%lld", wait_ms);
		snprintf(a, sizeof(a), "%d", j->res.attempts);
		isg__log_write(ISG_LOG_WARN, MOD, f, 3,
		               "model request failed (%s); retrying",
		               j->res.message);
	}
	return 1;
}

static int network_status(CURLcode cc)
{
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		return ISG_ETIMEOUT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return ISG_EUNAVAILABLE;
	default:
		return 0; /* not retried */
	}
}

/* After a 2xx: read the completion and check the content. */
static void finish_success(isg__llm_job *j)
{
	cJSON *doc;
	int rc;

	rc = isg__llm_response_parse(&j->res, j->resp.ptr ? j->resp.ptr : "",
	                             j->resp.size);
	if (rc != ISG_OK || !j->schema) {
		j->res.status = rc;
		if (rc == ISG_ENOMEM)
			set_message(j, "out of memory reading the answer");
		return;
	}
	doc = isg__json_parse(j->res.content.ptr, j->res.content.size, MOD,
	                      "model output");
	if (!doc) {
		j->res.status = isg_error_last()->code == ISG_ENOMEM
		                        ? ISG_ENOMEM
		                        : ISG_EPARSE;
		set_message(j, "the model's output is not JSON: %s",
		            isg_error_last()->message);
		return;
	}
	rc = isg__llm_schema_validate(doc, j->schema);
	cJSON_Delete(doc);
	j->res.status = rc;
	if (rc != ISG_OK)
		set_message(j, "the model's output violates the schema: %s",
		            isg_error_last()->message);
}

/* After an HTTP error status. Returns 1 when another attempt follows. */
static int after_http_error(isg__llm_job *j, int http)
{
	isg_llm *l = j->llm;
	isg__llm_error_body e;
	long long hint;
	int status;

	isg__llm_error_body_parse(&e, j->resp.ptr, j->resp.size);
	status = isg__llm_http_status(http, &e);
	set_message(j, "the model server answered %d%s%s%s: %s", http,
	            e.code[0] ? " (" : "", e.code, e.code[0] ? ")" : "",
	            e.message[0] ? e.message : "no error message");
	j->res.status = status;
	if (http == 400 && j->schema && !j->body_json_object &&
	    isg__llm_rejects_json_schema(&e)) {
		/* The server cannot do strict schemas: ask for JSON and
		 * validate here, now and for every later request. */
		l->schema_unsupported = 1;
		l->stats.fallbacks++;
		j->state = ISG__LLM_WAITING;
		j->not_before_ms = isg__clock_now_ms();
		return 1;
	}
	if (!isg__llm_http_retryable(http) || status == ISG_EQUOTA)
		return 0;
	hint = isg__llm_hint_ms(&j->hints, http);
	if (hint > l->max_wait_ms) {
		j->res.status = ISG_ERATELIMIT;
		set_message(
		        j,
		        "the model server asks to wait %lld s, longer than the %lld s accepted",
		        hint / 1000, l->max_wait_ms / 1000);
		return 0;
	}
	if (hint >= 0)
		/* Never earlier than asked; a little jitter after it. */
		hint += isg__llm_backoff_ms(&l->rng, 0, 50, 50);
	else
		hint = isg__llm_backoff_ms(&l->rng, j->retries,
		                           l->backoff_base_ms,
		                           l->max_backoff_ms);
	return schedule_retry(j, hint, http == 429);
}

/* Decides what follows a finished transfer. Returns 1 when the job goes
 * on (another attempt), 0 when it is finished. */
static int after_attempt(isg__llm_job *j, CURLcode cc)
{
	isg_llm *l = j->llm;
	long http = 0;
	int st;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &http);
	curl_multi_remove_handle(l->multi, j->easy);
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
	j->res.http_status = (int)http;
	j->res.last_attempt_ms = isg__clock_now_ms() - j->attempt_ms;
	if (j->hints.request_id[0])
		memcpy(j->res.request_id, j->hints.request_id,
		       sizeof(j->res.request_id));
	if (cc != CURLE_OK) {
		if (j->too_big) {
			j->res.status = ISG_ETOOBIG;
			set_message(
			        j,
			        "the model server's answer is larger than %lld bytes",
			        l->max_response_bytes);
			return 0;
		}
		st = network_status(cc);
		j->res.status = st ? st : ISG_EUPSTREAM;
		set_message(j, "cannot reach the model server: %s",
		            j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc));
		return st ? schedule_retry(
		                    j,
		                    isg__llm_backoff_ms(&l->rng, j->retries,
		                                        l->backoff_base_ms,
		                                        l->max_backoff_ms),
		                    0)
		          : 0;
	}
	if (http >= 200 && http < 300) {
		finish_success(j);
		return 0;
	}
	return after_http_error(j, (int)http);
}

/* ---- the loop -------------------------------------------------------- */

/* Unlinks a finished job, releases its slot and runs its callback. */
static void finish(isg__llm_job *j, isg__llm_job *prev)
{
	isg_llm *l = j->llm;

	if (prev)
		prev->next = j->next;
	else
		l->head = j->next;
	if (l->tail == j)
		l->tail = prev;
	if (j->state != ISG__LLM_QUEUED)
		l->slots--;
	else
		l->stats.queued--;
	j->res.elapsed_ms = isg__clock_now_ms() - j->submitted_ms;
	if (j->res.status == ISG_OK)
		j->res.message[0] = '\0', l->stats.succeeded++;
	l->stats.requests++;
	j->cb(&j->res, j->payload);
	isg__llm_job_free(j);
}

/* Takes slots for queued jobs and starts attempts whose wait is over. */
static int start_ready(isg_llm *l)
{
	isg__llm_job *j, *prev = NULL, *next;
	int64_t now = isg__clock_now_ms();
	int rc = ISG_OK;

	for (j = l->head; j; j = next) {
		next = j->next;
		if (j->state == ISG__LLM_QUEUED &&
		    l->slots < l->max_in_flight) {
			l->slots++;
			l->stats.queued--;
			j->state = ISG__LLM_WAITING;
			j->not_before_ms = now;
		}
		if (j->state == ISG__LLM_WAITING && now >= j->not_before_ms &&
		    now >= l->gate_ms) {
			rc = start_attempt(j);
			if (rc != ISG_OK) {
				j->res.status = rc;
				set_message(j, "%s", isg_error_last()->message);
				finish(j, prev);
				continue;
			}
		}
		prev = j;
	}
	return ISG_OK;
}

static void collect_done(isg_llm *l)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(l->multi, &left)) != NULL) {
		isg__llm_job *j = NULL, *p, *prev = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
		                  (char **)&j);
		if (!j)
			continue;
		if (after_attempt(j, m->data.result))
			continue;
		for (p = l->head; p && p != j; p = p->next)
			prev = p;
		finish(j, prev);
	}
}

/* Milliseconds until the earliest waiting job may start (-1: none). */
static long long next_wake(const isg_llm *l)
{
	const isg__llm_job *j;
	int64_t now = isg__clock_now_ms(), best = -1;

	for (j = l->head; j; j = j->next) {
		int64_t t;

		if (j->state != ISG__LLM_WAITING &&
		    !(j->state == ISG__LLM_QUEUED &&
		      l->slots < l->max_in_flight))
			continue;
		t = j->not_before_ms > l->gate_ms ? j->not_before_ms
		                                  : l->gate_ms;
		if (j->state == ISG__LLM_QUEUED)
			t = now > l->gate_ms ? now : l->gate_ms;
		if (best < 0 || t < best)
			best = t;
	}
	return best < 0 ? -1 : (best > now ? best - now : 0);
}

static int count_pending(const isg_llm *l)
{
	const isg__llm_job *j;
	int n = 0;

	for (j = l->head; j; j = j->next)
		n++;
	return n;
}

int isg_llm_run(isg_llm *l, int timeout_ms, int *pending)
{
	int running = 0;
	long long wake;
	CURLMcode mc;

	if (pending)
		*pending = 0;
	if (!l)
		return isg__error_set(ISG_EINVALID, MOD, "isg_llm_run: NULL");
	start_ready(l);
	mc = curl_multi_perform(l->multi, &running);
	collect_done(l);
	start_ready(l);
	wake = next_wake(l);
	if (timeout_ms > 0) {
		int wait =
		        wake >= 0 && wake < timeout_ms ? (int)wake : timeout_ms;

		if (wait > 0)
			mc = curl_multi_poll(l->multi, NULL, 0, wait, NULL);
		start_ready(l);
		if (mc == CURLM_OK)
			mc = curl_multi_perform(l->multi, &running);
		collect_done(l);
	}
	l->stats.in_flight = l->slots;
	if (pending)
		*pending = count_pending(l);
	if (mc != CURLM_OK)
		return isg__error_set(
		        mc == CURLM_OUT_OF_MEMORY ? ISG_ENOMEM : ISG_ERROR, MOD,
		        "curl multi failed: %s", curl_multi_strerror(mc));
	return ISG_OK;
}

void isg_llm_cancel_all(isg_llm *l)
{
	if (!l)
		return;
	while (l->head) {
		isg__llm_job *j = l->head;

		if (j->easy) {
			curl_multi_remove_handle(l->multi, j->easy);
			curl_easy_cleanup(j->easy);
			j->easy = NULL;
		}
		j->res.status = ISG_ECANCELLED;
		snprintf(j->res.message, sizeof(j->res.message),
		         "the model request was cancelled");
		finish(j, NULL);
	}
}

typedef struct sync_wait {
	isg_llm_result *out;
	int done;
} sync_wait;

static void on_sync_done(isg_llm_result *r, void *payload)
{
	sync_wait *w = payload;

	*w->out = *r;
	memset(&r->content, 0, sizeof(r->content));
	w->done = 1;
}

int isg_llm_complete(isg_llm_result *out, isg_llm *l,
                     const isg_llm_request *req)
{
	sync_wait w;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	memset(out, 0, sizeof(*out));
	w.out = out;
	w.done = 0;
	rc = isg_llm_submit(l, req, on_sync_done, &w);
	if (rc != ISG_OK) {
		out->status = rc;
		snprintf(out->message, sizeof(out->message), "%s",
		         isg_error_last()->message);
		return rc;
	}
	while (!w.done) {
		rc = isg_llm_run(l, 200, NULL);
		if (rc != ISG_OK && !w.done)
			isg__clock_sleep_ms(10);
	}
	if (out->status != ISG_OK)
		isg__error_set(out->status, MOD, "%s", out->message);
	return out->status;
}

void isg_llm_stats_get(isg_llm_stats *out, const isg_llm *l)
{
	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!l)
		return;
	*out = l->stats;
	out->in_flight = l->slots;
}
