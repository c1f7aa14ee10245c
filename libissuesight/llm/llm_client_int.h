/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The chat client's state, shared by its lifecycle and queue (llm.c) and
 * the driver that runs attempts through curl multi (llm_run.c).
 */
#ifndef ISSUESIGHT_LLM_CLIENT_INT_H
#define ISSUESIGHT_LLM_CLIENT_INT_H

#include <curl/curl.h>

#include "llm_int.h"

typedef enum isg__llm_job_state {
	ISG__LLM_QUEUED,  /* waiting for a slot */
	ISG__LLM_WAITING, /* holds a slot; next attempt at not_before_ms */
	ISG__LLM_RUNNING  /* an attempt is in the multi handle */
} isg__llm_job_state;

typedef struct isg__llm_job {
	struct isg__llm_job *next;
	isg_llm *llm;
	isg__llm_job_state state;
	char *system, *user, *tag;
	cJSON *schema;
	char schema_name[64];
	isg_buf body;
	int body_json_object; /* -1: not built yet */
	CURL *easy;
	struct curl_slist *headers;
	isg_buf resp;
	int too_big;
	isg__llm_hints hints;
	char errbuf[CURL_ERROR_SIZE];
	int64_t submitted_ms, attempt_ms, not_before_ms;
	int retries;
	isg_llm_result res;
	isg_llm_callback cb;
	void *payload;
} isg__llm_job;

struct isg_llm {
	CURLM *multi;
	char *url, *api_key, *auth, *model, *effort;
	int max_in_flight, connect_timeout_s, timeout_s, max_retries;
	long long backoff_base_ms, max_backoff_ms, max_wait_ms;
	long long max_response_bytes;
	int max_output_tokens, temperature_x100;
	isg__llm_job *head, *tail;
	int slots;
	int64_t gate_ms;
	int schema_unsupported;
	uint64_t rng;
	isg_llm_stats stats;
};

/* Frees a job, removing its easy handle from the multi handle. */
void isg__llm_job_free(isg__llm_job *j);

#endif /* ISSUESIGHT_LLM_CLIENT_INT_H */
