/* SPDX-License-Identifier: Apache-2.0 */
/*
 * llm: the chat client. Requests wait in one FIFO; a request takes one of
 * max_in_flight slots when it starts and keeps it through its retries, so
 * that a rate-limited server is not hammered by the requests behind it.
 * One thread drives everything through curl's multi interface: an attempt
 * is an easy handle added to the multi handle, a wait is a deadline that
 * the next isg_llm_run() honours, and a 429 also closes a client-wide gate
 * until the server's hinted time.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core_int.h"
#include "issuesight/config.h"
#include "json_int.h"
#include "llm_client_int.h"

#define MOD "llm"

/* ---- creation -------------------------------------------------------- */

static int check_options(const isg_llm_options *o)
{
	if (o->version != ISG_LLM_OPTIONS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options version %u is not %d",
		                      o->version, ISG_LLM_OPTIONS_VERSION);
	if (!o->base_url || (strncmp(o->base_url, "http://", 7) != 0 &&
	                     strncmp(o->base_url, "https://", 8) != 0))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "option base_url '%.100s' is not an http(s) URL",
		        o->base_url ? o->base_url : "(null)");
	if (o->reasoning_effort && !isg__llm_effort_valid(o->reasoning_effort))
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "reasoning effort '%.40s' is not minimal, low, medium or high",
		        o->reasoning_effort);
	if (o->max_in_flight < 0 || o->max_in_flight > 4096 ||
	    o->connect_timeout_s < 0 || o->timeout_s < 0 ||
	    o->backoff_base_ms < 0 || o->max_backoff_ms < 0 ||
	    o->max_wait_s < 0 || o->max_response_bytes < 0 ||
	    o->max_output_tokens < 0)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "an llm option is out of range (max_in_flight %d, timeouts %d/%d)",
		        o->max_in_flight, o->connect_timeout_s, o->timeout_s);
	if (o->model && (!*o->model || strlen(o->model) >= ISG_LLM_ID_SIZE))
		return isg__error_set(ISG_EINVALID, MOD,
		                      "model name '%.40s' is empty or too long",
		                      o->model);
	return ISG_OK;
}

static int set_strings(isg_llm *l, const isg_llm_options *o)
{
	size_t n = strlen(o->base_url);
	isg_buf b = ISG_BUF_INIT;

	while (n > 0 && o->base_url[n - 1] == '/')
		n--;
	if (isg__buf_printf(&b, "%.*s/chat/completions", (int)n, o->base_url) !=
	    ISG_OK)
		goto oom;
	l->url = isg__buf_detach(&b);
	l->model = isg__alloc_strdup(o->model ? o->model : "gpt-5");
	l->effort = isg__alloc_strdup(o->reasoning_effort ? o->reasoning_effort
	                                                  : "low");
	if (!l->url || !l->model || !l->effort)
		goto oom;
	if (o->api_key && *o->api_key) {
		l->api_key = isg__alloc_strdup(o->api_key);
		if (!l->api_key ||
		    isg__buf_printf(&b, "Authorization: Bearer %s",
		                    o->api_key) != ISG_OK)
			goto oom;
		l->auth = isg__buf_detach(&b);
		if (!l->auth)
			goto oom;
	}
	return ISG_OK;
oom:
	isg_buf_dispose(&b);
	return isg__error_oom(MOD);
}

int isg_llm_new(isg_llm **out, const isg_llm_options *o)
{
	isg_llm *l;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (!o)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "options are required (base_url)");
	if ((rc = check_options(o)) != ISG_OK)
		return rc;
	l = isg__alloc_calloc(1, sizeof(*l));
	if (!l)
		return isg__error_oom(MOD);
	l->max_in_flight = o->max_in_flight ? o->max_in_flight : 8;
	l->connect_timeout_s = o->connect_timeout_s ? o->connect_timeout_s : 10;
	l->timeout_s = o->timeout_s ? o->timeout_s : 120;
	l->max_retries = o->max_retries < 0    ? 0
	                 : o->max_retries == 0 ? 4
	                                       : o->max_retries;
	l->backoff_base_ms = o->backoff_base_ms ? o->backoff_base_ms : 500;
	l->max_backoff_ms = o->max_backoff_ms ? o->max_backoff_ms : 30000;
	l->max_wait_ms = (o->max_wait_s ? o->max_wait_s : 600) * 1000LL;
	l->max_response_bytes =
	        o->max_response_bytes ? o->max_response_bytes : 8LL << 20;
	l->max_output_tokens =
	        o->max_output_tokens ? o->max_output_tokens : 8192;
	l->temperature_x100 = o->temperature_x100 < 0    ? 0
	                      : o->temperature_x100 == 0 ? 20
	                                                 : o->temperature_x100;
	l->rng = o->jitter_seed
	                 ? o->jitter_seed
	                 : (uint64_t)isg__clock_wall_ms() * 2654435761ULL ^
	                           (uint64_t)getpid();
	if ((rc = set_strings(l, o)) != ISG_OK)
		goto fail;
	l->multi = curl_multi_init();
	if (!l->multi) {
		rc = isg__error_oom(MOD);
		goto fail;
	}
	*out = l;
	return ISG_OK;
fail:
	isg_llm_free(l);
	return rc;
}

int isg_llm_new_from_config(isg_llm **out, const isg_config *cfg)
{
	isg_llm_options o = ISG_LLM_OPTIONS_INIT;
	long long v;

	if (!out || !cfg)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "out and cfg are required");
	*out = NULL;
	o.base_url = isg_config_get(cfg, "OPENAI_BASE_URL");
	o.api_key = isg_config_get(cfg, "OPENAI_API_KEY");
	o.model = isg_config_get(cfg, "LLM_MODEL");
	o.reasoning_effort = isg_config_get(cfg, "LLM_REASONING_EFFORT");
	if (isg_config_get_int(&v, cfg, "LLM_TIMEOUT_S") == ISG_OK)
		o.timeout_s = (int)v;
	if (isg_config_get_int(&v, cfg, "LLM_CONNECT_TIMEOUT_S") == ISG_OK)
		o.connect_timeout_s = (int)v;
	if (isg_config_get_int(&v, cfg, "LLM_MAX_RETRIES") == ISG_OK)
		o.max_retries = v == 0 ? -1 : (int)v;
	if (isg_config_get_int(&v, cfg, "WORKER_CONCURRENCY") == ISG_OK)
		o.max_in_flight = (int)v;
	return isg_llm_new(out, &o);
}

const char *isg_llm_model(const isg_llm *llm)
{
	return llm ? llm->model : "";
}

/* ---- jobs ------------------------------------------------------------ */

void isg__llm_job_free(isg__llm_job *j)
{
	if (!j)
		return;
	if (j->easy) {
		curl_multi_remove_handle(j->llm->multi, j->easy);
		curl_easy_cleanup(j->easy);
	}
	curl_slist_free_all(j->headers);
	isg__alloc_free(j->system);
	isg__alloc_free(j->user);
	isg__alloc_free(j->tag);
	cJSON_Delete(j->schema);
	isg_buf_dispose(&j->body);
	isg_buf_dispose(&j->resp);
	isg_llm_result_dispose(&j->res);
	isg__alloc_free(j);
}

void isg_llm_free(isg_llm *llm)
{
	isg__llm_job *j, *next;

	if (!llm)
		return;
	for (j = llm->head; j; j = next) {
		next = j->next;
		isg__llm_job_free(j);
	}
	if (llm->multi)
		curl_multi_cleanup(llm->multi);
	isg__alloc_free(llm->url);
	if (llm->api_key)
		memset(llm->api_key, 0, strlen(llm->api_key));
	if (llm->auth)
		memset(llm->auth, 0, strlen(llm->auth));
	isg__alloc_free(llm->api_key);
	isg__alloc_free(llm->auth);
	isg__alloc_free(llm->model);
	isg__alloc_free(llm->effort);
	isg__alloc_free(llm);
}

void isg_llm_result_dispose(isg_llm_result *r)
{
	if (!r)
		return;
	isg_buf_dispose(&r->content);
}

static int check_request(const isg_llm_request *r)
{
	const char *p;

	if (r->version != ISG_LLM_REQUEST_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "request version %u is not %d",
		                      r->version, ISG_LLM_REQUEST_VERSION);
	if (!r->system || !r->user)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "a request needs a system and a user message");
	if (r->tag) {
		if (strlen(r->tag) > 200)
			return isg__error_set(
			        ISG_EINVALID, MOD,
			        "request tag is longer than 200 bytes");
		for (p = r->tag; *p; p++)
			if (*p < 0x20 || *p > 0x7e)
				return isg__error_set(
				        ISG_EINVALID, MOD,
				        "request tag '%.60s' is not printable ASCII",
				        r->tag);
	}
	if (r->schema_name) {
		for (p = r->schema_name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || *p == '_' ||
			      *p == '-'))
				break;
		if (*p || !*r->schema_name || p - r->schema_name >= 64)
			return isg__error_set(
			        ISG_EINVALID, MOD,
			        "schema name '%.60s' is not [A-Za-z0-9_-]{1,63}",
			        r->schema_name);
	}
	return ISG_OK;
}

int isg_llm_submit(isg_llm *llm, const isg_llm_request *req,
                   isg_llm_callback cb, void *payload)
{
	isg__llm_job *j;
	int rc;

	if (!llm || !req || !cb)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_llm_submit: NULL argument");
	if ((rc = check_request(req)) != ISG_OK)
		return rc;
	j = isg__alloc_calloc(1, sizeof(*j));
	if (!j)
		return isg__error_oom(MOD);
	j->llm = llm;
	j->body_json_object = -1;
	j->system = isg__alloc_strdup(req->system);
	j->user = isg__alloc_strdup(req->user);
	j->tag = req->tag ? isg__alloc_strdup(req->tag) : NULL;
	if (!j->system || !j->user || (req->tag && !j->tag)) {
		rc = isg__error_oom(MOD);
		goto fail;
	}
	if (req->schema_json) {
		j->schema = isg__json_parse(req->schema_json,
		                            strlen(req->schema_json), MOD,
		                            "schema");
		if (!j->schema) {
			rc = isg_error_last()->code == ISG_ENOMEM
			             ? ISG_ENOMEM
			             : isg__error_set(
			                       ISG_EINVALID, MOD,
			                       "the request's schema is not JSON");
			goto fail;
		}
		if ((rc = isg__llm_schema_check(j->schema)) != ISG_OK)
			goto fail;
	}
	snprintf(j->schema_name, sizeof(j->schema_name), "%s",
	         req->schema_name ? req->schema_name : "answer");
	j->cb = cb;
	j->payload = payload;
	j->submitted_ms = isg__clock_now_ms();
	if (llm->tail)
		llm->tail->next = j;
	else
		llm->head = j;
	llm->tail = j;
	llm->stats.queued++;
	return ISG_OK;
fail:
	isg__llm_job_free(j);
	return rc;
}
