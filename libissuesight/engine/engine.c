/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine: the llm engine's driver. A job is a small state machine on top
 * of the chat client: ask, merge, maybe repair once, else fall back by
 * policy. Transient server trouble is handed back to the caller, whose
 * queue retries later; only answers that cannot be used, or refusals that
 * will not change, become the offline bridge or a failure.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "issuesight/engine.h"

#define MOD "engine"

typedef struct job {
	struct job *next;
	isg_engine *e;
	isg_bridge_llm_input in;
	char *tag;
	isg_buf prompt;
	int repaired;
	isg_engine_result res;
	isg_engine_callback cb;
	void *payload;
} job;

struct isg_engine {
	isg_llm *llm;
	int fallback;
	job *ready; /* finished, callbacks not yet run */
	long long live;
	int closing;
};

int isg_engine_new(isg_engine **out, isg_llm *llm, int fallback)
{
	isg_engine *e;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	*out = NULL;
	if (fallback != ISG_ENGINE_FALLBACK_OFFLINE &&
	    fallback != ISG_ENGINE_FALLBACK_FAIL)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "fallback %d is not offline or fail",
		                      fallback);
	e = isg__alloc_calloc(1, sizeof(*e));
	if (!e)
		return isg__error_oom(MOD);
	e->llm = llm;
	e->fallback = fallback;
	*out = e;
	return ISG_OK;
}

static void job_free(job *j)
{
	if (!j)
		return;
	isg_bridge_free(j->res.bridge);
	isg_buf_dispose(&j->prompt);
	isg__alloc_free(j->tag);
	isg__alloc_free(j);
}

void isg_engine_free(isg_engine *e)
{
	job *j;

	if (!e)
		return;
	e->closing = 1;
	if (e->llm && e->live > 0)
		isg_llm_cancel_all(e->llm);
	while ((j = e->ready) != NULL) {
		e->ready = j->next;
		job_free(j);
	}
	isg__alloc_free(e);
}

/* Queues a finished job for its callback in isg_engine_run(). */
static void finish(job *j)
{
	j->next = j->e->ready;
	j->e->ready = j;
}

/* A copy of the offline bridge as the job's result. */
static int use_offline(job *j, const char *reason)
{
	isg_buf json = ISG_BUF_INIT;
	int rc = isg_bridge_to_json(&json, j->in.offline, 0);

	if (rc == ISG_OK)
		rc = isg_bridge_from_json(&j->res.bridge, json.ptr, json.size);
	isg_buf_dispose(&json);
	j->res.status = rc;
	j->res.llm = 0;
	snprintf(j->res.reason, sizeof(j->res.reason), "%s",
	         rc == ISG_OK ? reason : isg_error_last()->message);
	return rc;
}

static void give_up(job *j, int status, const char *reason)
{
	if (j->e->fallback == ISG_ENGINE_FALLBACK_OFFLINE) {
		use_offline(j, reason);
	} else {
		j->res.status = status;
		snprintf(j->res.reason, sizeof(j->res.reason), "%.500s",
		         reason);
	}
	finish(j);
}

static int ask(job *j, const char *user);

static void on_answer(isg_llm_result *r, void *payload)
{
	job *j = payload;
	char reason[ISG_ERROR_MESSAGE_MAX + 64];
	int rc = r->status;
	isg_buf repair = ISG_BUF_INIT;

	j->e->live--;
	if (j->e->closing) {
		job_free(j);
		return;
	}
	j->res.requests++;
	j->res.attempts += r->attempts;
	j->res.prompt_tokens += r->prompt_tokens;
	j->res.completion_tokens += r->completion_tokens;
	j->res.llm_ms += r->elapsed_ms;
	if (rc == ISG_OK) {
		rc = isg_bridge_llm_merge(
		        &j->res.bridge, &j->res.report, &j->in, r->content.ptr,
		        r->content.size,
		        r->model[0] ? r->model : isg_llm_model(j->e->llm),
		        j->res.prompt_tokens, j->res.completion_tokens);
		if (rc == ISG_OK) {
			j->res.status = ISG_OK;
			j->res.llm = 1;
			finish(j);
			return;
		}
		snprintf(r->message, sizeof(r->message), "%s",
		         isg_error_last()->message);
	}
	if (rc == ISG_EPARSE || rc == ISG_ETOOBIG) {
		if (!j->repaired) {
			j->repaired = 1;
			if (isg_bridge_llm_repair_prompt(
			            &repair, j->prompt.ptr,
			            r->content.ptr ? r->content.ptr : "",
			            r->message) == ISG_OK &&
			    ask(j, repair.ptr) == ISG_OK) {
				isg_buf_dispose(&repair);
				return;
			}
			isg_buf_dispose(&repair);
		}
		snprintf(
		        reason, sizeof(reason),
		        "the model's answer stayed unusable after one repair: %s",
		        r->message);
		give_up(j, ISG_EPARSE, reason);
		return;
	}
	if (rc == ISG_EINVALID || rc == ISG_EAUTH || rc == ISG_EFORBIDDEN ||
	    rc == ISG_ENOTFOUND || rc == ISG_EQUOTA ||
	    (rc == ISG_EUPSTREAM && r->http_status < 500)) {
		snprintf(reason, sizeof(reason), "the model server refused: %s",
		         r->message);
		give_up(j, rc, reason);
		return;
	}
	/* Transient: the caller retries the job later. */
	j->res.status = rc;
	snprintf(j->res.reason, sizeof(j->res.reason), "%s", r->message);
	finish(j);
}

static int ask(job *j, const char *user)
{
	isg_llm_request req = ISG_LLM_REQUEST_INIT;
	int rc;

	req.system = isg_bridge_llm_instructions();
	req.user = user;
	req.schema_json = isg_bridge_llm_schema();
	req.schema_name = "context_bridge";
	req.tag = j->tag;
	rc = isg_llm_submit(j->e->llm, &req, on_answer, j);
	if (rc == ISG_OK)
		j->e->live++;
	return rc;
}

int isg_engine_submit(isg_engine *e, const isg_bridge_llm_input *in,
                      const char *tag, isg_engine_callback cb, void *payload)
{
	job *j;
	int rc;

	if (!e || !in || !in->offline || !cb)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_engine_submit: NULL argument");
	j = isg__alloc_calloc(1, sizeof(*j));
	if (!j)
		return isg__error_oom(MOD);
	j->e = e;
	j->in = *in;
	j->cb = cb;
	j->payload = payload;
	if (tag && !(j->tag = isg__alloc_strdup(tag))) {
		job_free(j);
		return isg__error_oom(MOD);
	}
	if (!e->llm) {
		if ((rc = use_offline(j, "no model configured")) != ISG_OK) {
			job_free(j);
			return rc;
		}
		finish(j);
		return ISG_OK;
	}
	rc = isg_bridge_llm_prompt(&j->prompt, in);
	if (rc == ISG_OK)
		rc = ask(j, j->prompt.ptr);
	if (rc != ISG_OK)
		job_free(j);
	return rc;
}

static void dispatch(isg_engine *e)
{
	job *j;

	while ((j = e->ready) != NULL) {
		e->ready = j->next;
		j->cb(&j->res, j->payload);
		job_free(j);
	}
}

int isg_engine_run(isg_engine *e, int timeout_ms, int *pending)
{
	int rc = ISG_OK, n = 0;

	if (pending)
		*pending = 0;
	if (!e)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_engine_run: NULL");
	dispatch(e);
	if (e->llm && e->live > 0)
		rc = isg_llm_run(e->llm, timeout_ms, &n);
	dispatch(e);
	if (pending)
		*pending = (int)e->live;
	return rc;
}

typedef struct sync_wait {
	isg_engine_result *out;
	int done;
} sync_wait;

static void on_sync(isg_engine_result *r, void *payload)
{
	sync_wait *w = payload;

	*w->out = *r;
	r->bridge = NULL;
	w->done = 1;
}

int isg_engine_generate(isg_engine_result *out, isg_engine *e,
                        const isg_bridge_llm_input *in, const char *tag)
{
	sync_wait w;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, MOD, "out is NULL");
	memset(out, 0, sizeof(*out));
	w.out = out;
	w.done = 0;
	rc = isg_engine_submit(e, in, tag, on_sync, &w);
	if (rc != ISG_OK) {
		out->status = rc;
		return rc;
	}
	while (!w.done) {
		if (isg_engine_run(e, 200, NULL) != ISG_OK && !w.done)
			isg__clock_sleep_ms(10);
	}
	if (out->status != ISG_OK)
		isg__error_set(out->status, MOD, "%s", out->reason);
	return out->status;
}
