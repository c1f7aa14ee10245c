/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fake OpenAI-compatible chat server (see fake_openai.h). It enforces
 * what the real API enforces for the model families (a gpt-5 model
 * refuses max_tokens and a non-default temperature), answers in the
 * recorded shapes, and plays the queued faults.
 */
#include <civetweb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fake_openai.h"

#define MAX_BODY (4 << 20)
#define MAX_TAGS 4096
#define MAX_ARRIVALS 100000

typedef struct tag_count {
	char *tag;
	long n;  /* requests */
	long ok; /* of them answered 200 */
} tag_count;

struct fake_openai {
	struct mg_context *ctx;
	pthread_mutex_t mu;
	char url[64];
	int port;
	char *api_key;
	int latency_ms, hang_ms, retry_after_ms, reject_schema;
	int faults[FAKE_OPENAI_FAULT_COUNT];
	fake_openai_responder responder;
	void *responder_payload;
	tag_count tags[MAX_TAGS];
	int ntags;
	long status_n[600];
	long total;
	int in_flight, peak;
	char **bodies;
	int keep, nbodies, first_body;
	long long *arrivals;
	int narrivals;
	char last_tag[256], last_auth[256];
	volatile int stopping;
	long seq;
	long long fail_until; /* mono_ms() before which every answer is 429 */
};

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* cJSON may allocate through the library's hooks in tests: copy printed
 * text into plain malloc'd memory. */
static char *print_json(const cJSON *doc)
{
	char *t = cJSON_PrintUnformatted(doc), *d;

	if (!t)
		return NULL;
	d = dup_str(t);
	cJSON_free(t);
	return d;
}

static void sleep_ms(fake_openai *fo, int ms)
{
	long long end = mono_ms() + ms;

	struct timespec step = { 0, 5000000 };

	while (!fo->stopping && mono_ms() < end)
		nanosleep(&step, NULL);
}

/* ---- minimal instance of a schema ----------------------------------- */

static cJSON *instance(const cJSON *s, int depth)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
	const char *type = "null";

	if (depth > 30)
		return cJSON_CreateNull();
	if (cJSON_IsArray(en) && cJSON_GetArraySize(en) > 0)
		return cJSON_Duplicate(cJSON_GetArrayItem(en, 0), 1);
	if (cJSON_IsString(t))
		type = t->valuestring;
	else if (cJSON_IsArray(t)) {
		const cJSON *e;

		cJSON_ArrayForEach(e, t)
		{
			if (cJSON_IsString(e) &&
			    strcmp(e->valuestring, "null") != 0) {
				type = e->valuestring;
				break;
			}
		}
	}
	if (strcmp(type, "object") == 0) {
		cJSON *o = cJSON_CreateObject();
		const cJSON *p;

		cJSON_ArrayForEach(
		        p, cJSON_GetObjectItemCaseSensitive(s, "properties"))
		{
			cJSON_AddItemToObject(o, p->string,
			                      instance(p, depth + 1));
		}
		return o;
	}
	if (strcmp(type, "array") == 0) {
		cJSON *a = cJSON_CreateArray();
		const cJSON *mn =
		        cJSON_GetObjectItemCaseSensitive(s, "minItems");
		int n = cJSON_IsNumber(mn) ? mn->valueint : 1, i;

		for (i = 0; i < n && i < 16; i++)
			cJSON_AddItemToArray(
			        a, instance(cJSON_GetObjectItemCaseSensitive(
			                            s, "items"),
			                    depth + 1));
		return a;
	}
	if (strcmp(type, "string") == 0)
		return cJSON_CreateString("text");
	if (strcmp(type, "number") == 0 || strcmp(type, "integer") == 0) {
		const cJSON *mn =
		        cJSON_GetObjectItemCaseSensitive(s, "minimum");

		return cJSON_CreateNumber(cJSON_IsNumber(mn) ? mn->valuedouble
		                                             : 0);
	}
	if (strcmp(type, "boolean") == 0)
		return cJSON_CreateFalse();
	return cJSON_CreateNull();
}

/* ---- answers --------------------------------------------------------- */

typedef struct answer {
	int status;
	char *body;
	char extra[512]; /* extra header lines, CRLF-terminated */
	const char *content_type;
} answer;

static void error_answer(answer *a, int status, const char *type,
                         const char *code, const char *param,
                         const char *message)
{
	cJSON *doc = cJSON_CreateObject(),
	      *e = cJSON_AddObjectToObject(doc, "error");

	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddStringToObject(e, "type", type);
	if (param)
		cJSON_AddStringToObject(e, "param", param);
	else
		cJSON_AddNullToObject(e, "param");
	if (code)
		cJSON_AddStringToObject(e, "code", code);
	else
		cJSON_AddNullToObject(e, "code");
	a->status = status;
	a->body = print_json(doc);
	cJSON_Delete(doc);
}

static const char *user_text(const cJSON *req)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(req, "messages"))
	{
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(m, "role");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(m, "content");

		if (cJSON_IsString(r) && strcmp(r->valuestring, "user") == 0 &&
		    cJSON_IsString(c))
			return c->valuestring;
	}
	return "";
}

/* Checks what the real API refuses for the model family. */
static int family_refusal(answer *a, const cJSON *req, const char *model)
{
	const cJSON *temp =
	        cJSON_GetObjectItemCaseSensitive(req, "temperature");
	int reasoning = strncmp(model, "gpt-5", 5) == 0 ||
	                (model[0] == 'o' && model[1] >= '1' && model[1] <= '9');

	if (reasoning && cJSON_GetObjectItemCaseSensitive(req, "max_tokens")) {
		error_answer(
		        a, 400, "invalid_request_error",
		        "unsupported_parameter", "max_tokens",
		        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.");
		return 1;
	}
	if (reasoning && cJSON_IsNumber(temp) && temp->valuedouble != 1.0) {
		error_answer(
		        a, 400, "invalid_request_error", "unsupported_value",
		        "temperature",
		        "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.");
		return 1;
	}
	if (!reasoning &&
	    cJSON_GetObjectItemCaseSensitive(req, "reasoning_effort")) {
		error_answer(
		        a, 400, "invalid_request_error",
		        "unsupported_parameter", "reasoning_effort",
		        "Unrecognized request argument supplied: reasoning_effort");
		return 1;
	}
	return 0;
}

static cJSON *schema_in_instructions(const cJSON *req)
{
	static const char intro[] = "satisfies this JSON Schema:\n";
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(req, "messages"))
	{
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(m, "content");
		const char *p;

		if (cJSON_IsString(c) &&
		    (p = strstr(c->valuestring, intro)) != NULL)
			return cJSON_Parse(p + strlen(intro));
	}
	return NULL;
}

static char *make_content(fake_openai *fo, const cJSON *req, const char *body,
                          int fault, int *structured)
{
	const cJSON *rf =
	        cJSON_GetObjectItemCaseSensitive(req, "response_format");
	const cJSON *rft = cJSON_GetObjectItemCaseSensitive(rf, "type");
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(rf, "json_schema"), "schema");
	fake_openai_responder fn;
	void *payload;
	char *text = NULL;
	cJSON *inst;

	*structured = cJSON_IsString(rft);
	if (fault == FAKE_OPENAI_INVALID_JSON)
		return dup_str(
		        "Sure! Here is the bridge you asked for: {not json");
	if (fault == FAKE_OPENAI_SCHEMA_VIOLATION)
		return dup_str("{\"unexpected\": true}");
	if (!*structured)
		return dup_str("It is 2024-01-01.");
	pthread_mutex_lock(&fo->mu);
	fn = fo->responder;
	payload = fo->responder_payload;
	pthread_mutex_unlock(&fo->mu);
	if (fn)
		text = fn(body, user_text(req), payload);
	if (text)
		return text;
	if (schema) {
		inst = instance(schema, 0);
	} else {
		/* json_object: the client puts the schema at the end of its
		 * instructions. */
		cJSON *s = schema_in_instructions(req);

		inst = s ? instance(s, 0) : cJSON_CreateObject();
		cJSON_Delete(s);
	}
	text = print_json(inst);
	cJSON_Delete(inst);
	return text;
}

static void completion(fake_openai *fo, answer *a, const cJSON *req,
                       const char *body, size_t body_len, int fault)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(req, "model");
	const char *model = cJSON_IsString(m) ? m->valuestring : "gpt-5";
	char *content, served[160], id[64];
	cJSON *doc, *choices, *ch, *msg, *u, *d;
	int structured;
	long seq;
	size_t clen;

	if (family_refusal(a, req, model))
		return;
	content = make_content(fo, req, body, fault, &structured);
	if (!content) {
		error_answer(a, 500, "server_error", NULL, NULL,
		             "out of memory");
		return;
	}
	if (fault == FAKE_OPENAI_LENGTH)
		content[strlen(content) / 2] = '\0';
	clen = strlen(content);
	pthread_mutex_lock(&fo->mu);
	seq = ++fo->seq;
	pthread_mutex_unlock(&fo->mu);
	snprintf(served, sizeof(served), "%s%s", model,
	         strncmp(model, "gpt-5", 5) == 0 ? "-2025-08-07"
	                                         : "-2024-08-06");
	snprintf(id, sizeof(id), "chatcmpl-fake%08ld", seq);
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "id", id);
	cJSON_AddStringToObject(doc, "object", "chat.completion");
	cJSON_AddNumberToObject(doc, "created", (double)time(NULL));
	cJSON_AddStringToObject(doc, "model", served);
	choices = cJSON_AddArrayToObject(doc, "choices");
	ch = cJSON_CreateObject();
	cJSON_AddItemToArray(choices, ch);
	cJSON_AddNumberToObject(ch, "index", 0);
	msg = cJSON_AddObjectToObject(ch, "message");
	cJSON_AddStringToObject(msg, "role", "assistant");
	cJSON_AddStringToObject(msg, "content", content);
	cJSON_AddNullToObject(msg, "refusal");
	cJSON_AddArrayToObject(msg, "annotations");
	cJSON_AddNullToObject(ch, "logprobs");
	cJSON_AddStringToObject(ch, "finish_reason",
	                        fault == FAKE_OPENAI_LENGTH ? "length"
	                                                    : "stop");
	u = cJSON_AddObjectToObject(doc, "usage");
	cJSON_AddNumberToObject(u, "prompt_tokens", (double)(body_len / 4));
	cJSON_AddNumberToObject(
	        u, "completion_tokens",
	        (double)(clen / 4 + 1 +
	                 (strncmp(model, "gpt-5", 5) == 0 ? 64 : 0)));
	cJSON_AddNumberToObject(u, "total_tokens",
	                        (double)(body_len / 4 + clen / 4 + 1));
	d = cJSON_AddObjectToObject(u, "prompt_tokens_details");
	cJSON_AddNumberToObject(d, "cached_tokens",
	                        (double)(body_len / 4 > 1024 ? 1024 : 0));
	cJSON_AddNumberToObject(d, "audio_tokens", 0);
	d = cJSON_AddObjectToObject(u, "completion_tokens_details");
	cJSON_AddNumberToObject(d, "reasoning_tokens",
	                        strncmp(model, "gpt-5", 5) == 0 ? 64 : 0);
	cJSON_AddNumberToObject(d, "audio_tokens", 0);
	cJSON_AddNumberToObject(d, "accepted_prediction_tokens", 0);
	cJSON_AddNumberToObject(d, "rejected_prediction_tokens", 0);
	cJSON_AddStringToObject(doc, "service_tier", "default");
	cJSON_AddNullToObject(doc, "system_fingerprint");
	a->status = 200;
	a->body = print_json(doc);
	cJSON_Delete(doc);
	free(content);
	if (fault == FAKE_OPENAI_BROKEN_BODY && a->body)
		a->body[strlen(a->body) / 2] = '\0';
}

static void fault_answer(fake_openai *fo, answer *a, int fault)
{
	int ra;

	pthread_mutex_lock(&fo->mu);
	ra = fo->retry_after_ms;
	pthread_mutex_unlock(&fo->mu);
	switch (fault) {
	case FAKE_OPENAI_429:
	case FAKE_OPENAI_429_MS:
	case FAKE_OPENAI_429_RESET:
		error_answer(
		        a, 429, "requests", "rate_limit_exceeded", NULL,
		        "Rate limit reached for gpt-5 in organization org-fake on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again later.");
		if (fault == FAKE_OPENAI_429)
			snprintf(
			        a->extra, sizeof(a->extra),
			        "retry-after: %d\r\nx-ratelimit-remaining-requests: 0\r\nx-ratelimit-reset-requests: %dms\r\n",
			        (ra + 999) / 1000, ra);
		else if (fault == FAKE_OPENAI_429_MS)
			snprintf(a->extra, sizeof(a->extra),
			         "retry-after-ms: %d\r\n", ra);
		else
			snprintf(a->extra, sizeof(a->extra),
			         "x-ratelimit-remaining-requests: 0\r\n"
			         "x-ratelimit-reset-requests: %dms\r\n"
			         "x-ratelimit-remaining-tokens: 149000\r\n"
			         "x-ratelimit-reset-tokens: 0s\r\n",
			         ra);
		break;
	case FAKE_OPENAI_429_QUOTA:
		error_answer(
		        a, 429, "insufficient_quota", "insufficient_quota",
		        NULL,
		        "You exceeded your current quota, please check your plan and billing details.");
		break;
	case FAKE_OPENAI_500:
		error_answer(
		        a, 500, "server_error", NULL, NULL,
		        "The server had an error while processing your request. Sorry about that!");
		break;
	case FAKE_OPENAI_503:
		a->status = 503;
		a->body = dup_str(
		        "<html><body><h1>503 Service Unavailable</h1></body></html>");
		a->content_type = "text/html";
		break;
	default:
		error_answer(
		        a, 400, "invalid_request_error", "unsupported_value",
		        "messages[0].role",
		        "Unsupported value: 'messages[0].role' does not support 'system' with this model.");
		break;
	}
}

/* ---- the request handler --------------------------------------------- */

static char *read_body(struct mg_connection *conn, size_t *len)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	size_t cap = ri->content_length > 0 && ri->content_length < MAX_BODY
	                     ? (size_t)ri->content_length + 1
	                     : 65536,
	       used = 0;
	char *buf = malloc(cap);
	int n;

	while (buf && (n = mg_read(conn, buf + used, cap - used - 1)) > 0) {
		used += (size_t)n;
		if (used + 1 == cap) {
			char *nb =
			        cap < MAX_BODY ? realloc(buf, cap * 2) : NULL;

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	if (buf)
		buf[used] = '\0';
	*len = used;
	return buf;
}

static void count_tag(fake_openai *fo, const char *tag)
{
	int i;

	for (i = 0; i < fo->ntags; i++)
		if (strcmp(fo->tags[i].tag, tag) == 0) {
			fo->tags[i].n++;
			return;
		}
	if (fo->ntags < MAX_TAGS && (fo->tags[i].tag = dup_str(tag))) {
		fo->tags[i].n = 1;
		fo->tags[i].ok = 0;
		fo->ntags++;
	}
}

static void record(fake_openai *fo, const char *body, const char *tag,
                   const char *auth)
{
	fo->total++;
	fo->in_flight++;
	if (fo->in_flight > fo->peak)
		fo->peak = fo->in_flight;
	if (fo->narrivals < MAX_ARRIVALS)
		fo->arrivals[fo->narrivals++] = mono_ms();
	count_tag(fo, tag ? tag : "");
	snprintf(fo->last_tag, sizeof(fo->last_tag), "%s", tag ? tag : "");
	snprintf(fo->last_auth, sizeof(fo->last_auth), "%s", auth ? auth : "");
	if (fo->keep > 0) {
		int slot = (fo->first_body + fo->nbodies) % fo->keep;

		if (fo->nbodies == fo->keep) {
			free(fo->bodies[fo->first_body]);
			fo->first_body = (fo->first_body + 1) % fo->keep;
			slot = (fo->first_body + fo->nbodies - 1) % fo->keep;
		} else {
			fo->nbodies++;
		}
		fo->bodies[slot] = dup_str(body);
	}
}

/* Counts a 200 answer for the request's tag (fo->mu held). */
static void count_ok(fake_openai *fo, const char *tag)
{
	int i;

	for (i = 0; i < fo->ntags; i++)
		if (strcmp(fo->tags[i].tag, tag ? tag : "") == 0) {
			fo->tags[i].ok++;
			return;
		}
}

static int next_fault(fake_openai *fo)
{
	int i;

	if (fo->fail_until && mono_ms() < fo->fail_until)
		return FAKE_OPENAI_429;

	for (i = 0; i < FAKE_OPENAI_FAULT_COUNT; i++)
		if (fo->faults[i] > 0) {
			fo->faults[i]--;
			return i;
		}
	return -1;
}

static void send_answer(struct mg_connection *conn, const answer *a, long seq)
{
	size_t len = a->body ? strlen(a->body) : 0;

	mg_printf(
	        conn,
	        "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nx-request-id: req_fake%08ld\r\n"
	        "openai-processing-ms: 1\r\n"
	        "x-ratelimit-limit-requests: 500\r\n%s%s\r\n",
	        a->status, mg_get_response_code_text(conn, a->status),
	        a->content_type ? a->content_type : "application/json", len,
	        seq,
	        a->status == 200 ? "x-ratelimit-remaining-requests: 499\r\n"
	                           "x-ratelimit-reset-requests: 120ms\r\n"
	                         : "",
	        a->extra);
	if (len)
		mg_write(conn, a->body, len);
}

static void answer_request(fake_openai *fo, answer *a, const char *body,
                           size_t len, const char *auth, int fault)
{
	char want[300];
	cJSON *req;
	int reject;

	if (fo->api_key) {
		snprintf(want, sizeof(want), "Bearer %s", fo->api_key);
		if (!auth || strcmp(auth, want) != 0) {
			error_answer(
			        a, 401, "invalid_request_error",
			        "invalid_api_key", NULL,
			        "Incorrect API key provided: sk-wrong-0123456789abcdef. You can find your API key at https://platform.openai.com/account/api-keys.");
			return;
		}
	}
	if (fault >= 0 && fault <= FAKE_OPENAI_500) {
		fault_answer(fo, a, fault);
		return;
	}
	if (fault == FAKE_OPENAI_503 || fault == FAKE_OPENAI_400) {
		fault_answer(fo, a, fault);
		return;
	}
	req = cJSON_ParseWithLength(body, len);
	if (!cJSON_IsObject(req)) {
		cJSON_Delete(req);
		error_answer(
		        a, 400, "invalid_request_error", NULL, NULL,
		        "We could not parse the JSON body of your request.");
		return;
	}
	pthread_mutex_lock(&fo->mu);
	reject = fo->reject_schema;
	pthread_mutex_unlock(&fo->mu);
	if (reject) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(
		        cJSON_GetObjectItemCaseSensitive(req,
		                                         "response_format"),
		        "type");

		if (cJSON_IsString(t) &&
		    strcmp(t->valuestring, "json_schema") == 0) {
			cJSON_Delete(req);
			error_answer(
			        a, 400, "invalid_request_error", NULL,
			        "response_format",
			        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.");
			return;
		}
	}
	completion(fo, a, req, body, len, fault);
	cJSON_Delete(req);
}

static int handler(struct mg_connection *conn, void *ud)
{
	fake_openai *fo = ud;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *tag = mg_get_header(conn, "X-Client-Request-Id");
	const char *auth = mg_get_header(conn, "Authorization");
	answer a;
	size_t len = 0;
	char *body;
	int fault, latency, hang;
	long seq;

	memset(&a, 0, sizeof(a));
	if (strcmp(ri->request_method, "POST") != 0 ||
	    strcmp(ri->local_uri, "/v1/chat/completions") != 0) {
		char msg[300];

		snprintf(msg, sizeof(msg), "Invalid URL (%s %.200s)",
		         ri->request_method, ri->local_uri);
		error_answer(&a, 404, "invalid_request_error", NULL, NULL, msg);
		send_answer(conn, &a, 0);
		free(a.body);
		return 404;
	}
	body = read_body(conn, &len);
	if (!body)
		return 500;
	pthread_mutex_lock(&fo->mu);
	record(fo, body, tag, auth);
	fault = next_fault(fo);
	latency = fo->latency_ms;
	hang = fo->hang_ms;
	seq = fo->total;
	pthread_mutex_unlock(&fo->mu);
	sleep_ms(fo, fault == FAKE_OPENAI_HANG ? hang : latency);
	answer_request(fo, &a, body, len, auth, fault);
	/* Counted out before the answer leaves: once the client has it, it
	 * may start its next request before this thread runs again. */
	pthread_mutex_lock(&fo->mu);
	fo->in_flight--;
	if (a.status >= 0 && a.status < 600)
		fo->status_n[a.status]++;
	if (a.status == 200)
		count_ok(fo, tag);
	pthread_mutex_unlock(&fo->mu);
	send_answer(conn, &a, seq);
	free(a.body);
	free(body);
	return a.status;
}

/* ---- control --------------------------------------------------------- */

static int quiet_log(const struct mg_connection *conn, const char *msg)
{
	(void)conn;
	(void)msg;
	return 1;
}

int fake_openai_start(fake_openai **out, const fake_openai_options *opts)
{
	fake_openai_options o;
	struct mg_callbacks cb;
	fake_openai *fo;
	char ports[64], threads[16];
	int attempt;

	*out = NULL;
	memset(&o, 0, sizeof(o));
	if (opts)
		o = *opts;
	fo = calloc(1, sizeof(*fo));
	if (!fo)
		return -1;
	pthread_mutex_init(&fo->mu, NULL);
	fo->latency_ms = o.latency_ms;
	fo->hang_ms = 5000;
	fo->retry_after_ms = 1000;
	fo->keep = o.keep_bodies ? o.keep_bodies : 256;
	fo->bodies = calloc((size_t)fo->keep, sizeof(char *));
	fo->arrivals = calloc(MAX_ARRIVALS, sizeof(long long));
	fo->api_key = o.api_key ? dup_str(o.api_key) : NULL;
	if (!fo->bodies || !fo->arrivals || (o.api_key && !fo->api_key)) {
		fake_openai_stop(fo);
		return -1;
	}
	memset(&cb, 0, sizeof(cb));
	cb.log_message = quiet_log;
	snprintf(threads, sizeof(threads), "%d", o.threads ? o.threads : 64);
	srand((unsigned)time(NULL) ^ (unsigned)getpid() ^ 0x5eed);
	for (attempt = 0; attempt < 64 && !fo->ctx; attempt++) {
		const char *cfg[] = { "listening_ports",
			              ports,
			              "num_threads",
			              threads,
			              "enable_keep_alive",
			              "yes",
			              "request_timeout_ms",
			              "60000",
			              "tcp_nodelay",
			              "1",
			              NULL };

		fo->port = o.port ? o.port : 20000 + rand() % 12768;
		snprintf(ports, sizeof(ports), "127.0.0.1:%d", fo->port);
		fo->ctx = mg_start(&cb, fo, cfg);
		if (o.port)
			break;
	}
	if (!fo->ctx) {
		fprintf(stderr, "fake_openai: cannot listen on 127.0.0.1:%d\n",
		        fo->port);
		fake_openai_stop(fo);
		return -1;
	}
	snprintf(fo->url, sizeof(fo->url), "http://127.0.0.1:%d/v1", fo->port);
	mg_set_request_handler(fo->ctx, "/", handler, fo);
	*out = fo;
	return 0;
}

void fake_openai_stop(fake_openai *fo)
{
	int i;

	if (!fo)
		return;
	fo->stopping = 1;
	if (fo->ctx)
		mg_stop(fo->ctx);
	for (i = 0; i < fo->ntags; i++)
		free(fo->tags[i].tag);
	for (i = 0; fo->bodies && i < fo->keep; i++)
		free(fo->bodies[i]);
	free(fo->bodies);
	free(fo->arrivals);
	free(fo->api_key);
	pthread_mutex_destroy(&fo->mu);
	free(fo);
}

const char *fake_openai_url(const fake_openai *fo)
{
	return fo->url;
}

int fake_openai_port(const fake_openai *fo)
{
	return fo->port;
}

#define SETTER(name, field)                    \
	void name(fake_openai *fo, int v)      \
	{                                      \
		pthread_mutex_lock(&fo->mu);   \
		fo->field = v;                 \
		pthread_mutex_unlock(&fo->mu); \
	}
SETTER(fake_openai_set_retry_after, retry_after_ms)
SETTER(fake_openai_set_hang_ms, hang_ms)
SETTER(fake_openai_set_latency_ms, latency_ms)
SETTER(fake_openai_reject_json_schema, reject_schema)
#undef SETTER

void fake_openai_inject(fake_openai *fo, fake_openai_fault kind, int count)
{
	if ((int)kind < 0 || kind >= FAKE_OPENAI_FAULT_COUNT)
		return;
	pthread_mutex_lock(&fo->mu);
	fo->faults[kind] += count;
	pthread_mutex_unlock(&fo->mu);
}

void fake_openai_set_responder(fake_openai *fo, fake_openai_responder fn,
                               void *payload)
{
	pthread_mutex_lock(&fo->mu);
	fo->responder = fn;
	fo->responder_payload = payload;
	pthread_mutex_unlock(&fo->mu);
}

long fake_openai_count(fake_openai *fo, const char *tag, int status)
{
	long n = 0;
	int i;

	pthread_mutex_lock(&fo->mu);
	if (tag) {
		for (i = 0; i < fo->ntags; i++)
			if (strcmp(fo->tags[i].tag, tag) == 0)
				n = fo->tags[i].n;
	} else if (status >= 0 && status < 600) {
		n = fo->status_n[status];
	} else {
		n = fo->total;
	}
	pthread_mutex_unlock(&fo->mu);
	return n;
}

int fake_openai_in_flight(fake_openai *fo, int *peak)
{
	int n;

	pthread_mutex_lock(&fo->mu);
	n = fo->in_flight;
	if (peak)
		*peak = fo->peak;
	pthread_mutex_unlock(&fo->mu);
	return n;
}

void fake_openai_reset(fake_openai *fo)
{
	int i;

	pthread_mutex_lock(&fo->mu);
	for (i = 0; i < fo->ntags; i++)
		free(fo->tags[i].tag);
	fo->ntags = 0;
	for (i = 0; i < fo->keep; i++) {
		free(fo->bodies[i]);
		fo->bodies[i] = NULL;
	}
	fo->nbodies = fo->first_body = 0;
	memset(fo->status_n, 0, sizeof(fo->status_n));
	memset(fo->faults, 0, sizeof(fo->faults));
	fo->total = 0;
	fo->fail_until = 0;
	fo->peak = fo->in_flight;
	fo->narrivals = 0;
	pthread_mutex_unlock(&fo->mu);
}

char *fake_openai_body(fake_openai *fo, int k)
{
	char *b = NULL;

	pthread_mutex_lock(&fo->mu);
	if (k >= 0 && k < fo->nbodies)
		b = dup_str(fo->bodies[(fo->first_body + k) % fo->keep]);
	pthread_mutex_unlock(&fo->mu);
	return b;
}

int fake_openai_body_count(fake_openai *fo)
{
	int n;

	pthread_mutex_lock(&fo->mu);
	n = fo->nbodies;
	pthread_mutex_unlock(&fo->mu);
	return n;
}

int fake_openai_last_header(fake_openai *fo, const char *name, char *out,
                            size_t n)
{
	int found = 0;

	pthread_mutex_lock(&fo->mu);
	if (strcasecmp(name, "X-Client-Request-Id") == 0) {
		snprintf(out, n, "%s", fo->last_tag);
		found = fo->last_tag[0] != '\0';
	} else if (strcasecmp(name, "Authorization") == 0) {
		snprintf(out, n, "%s", fo->last_auth);
		found = fo->last_auth[0] != '\0';
	}
	pthread_mutex_unlock(&fo->mu);
	return found;
}

long long fake_openai_arrival_ms(fake_openai *fo, int k)
{
	long long t = -1;

	pthread_mutex_lock(&fo->mu);
	if (k >= 0 && k < fo->narrivals)
		t = fo->arrivals[k];
	pthread_mutex_unlock(&fo->mu);
	return t;
}

void fake_openai_fail_for_ms(fake_openai *fo, int ms)
{
	pthread_mutex_lock(&fo->mu);
	fo->fail_until = ms > 0 ? mono_ms() + ms : 0;
	pthread_mutex_unlock(&fo->mu);
}

void fake_openai_route(fake_openai *fo, const char *uri,
                       fake_openai_route_fn fn, void *payload)
{
	mg_set_request_handler(fo->ctx, uri, fn, payload);
}

/* Adds {"tag": {"requests": n, "ok": m}, ...} (fo->mu held). */
static void add_tags(const fake_openai *fo, cJSON *doc)
{
	cJSON *tags = cJSON_AddObjectToObject(doc, "tags");
	int i;

	for (i = 0; tags && i < fo->ntags; i++) {
		cJSON *t = cJSON_AddObjectToObject(tags, fo->tags[i].tag);

		if (t) {
			cJSON_AddNumberToObject(t, "requests",
			                        (double)fo->tags[i].n);
			cJSON_AddNumberToObject(t, "ok",
			                        (double)fo->tags[i].ok);
		}
	}
}

char *fake_openai_stats_json(fake_openai *fo)
{
	cJSON *doc = cJSON_CreateObject(), *st;
	char key[8], *out = NULL;
	int i;

	if (!doc)
		return NULL;
	pthread_mutex_lock(&fo->mu);
	cJSON_AddNumberToObject(doc, "total", (double)fo->total);
	cJSON_AddNumberToObject(doc, "in_flight", fo->in_flight);
	cJSON_AddNumberToObject(doc, "peak", fo->peak);
	cJSON_AddNumberToObject(doc, "latency_ms", fo->latency_ms);
	cJSON_AddBoolToObject(doc, "failing",
	                      fo->fail_until && mono_ms() < fo->fail_until);
	st = cJSON_AddObjectToObject(doc, "status");
	for (i = 0; st && i < 600; i++)
		if (fo->status_n[i]) {
			snprintf(key, sizeof(key), "%d", i);
			cJSON_AddNumberToObject(st, key,
			                        (double)fo->status_n[i]);
		}
	add_tags(fo, doc);
	pthread_mutex_unlock(&fo->mu);
	out = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	return out;
}
