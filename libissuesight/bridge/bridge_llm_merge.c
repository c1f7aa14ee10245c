/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_llm_merge: the model's answer joins the offline bridge. The
 * offline document is the skeleton and the source of every path, symbol
 * and line; the model contributes prose, an order of the files, the steps
 * and its judgement, each checked (schema, grounding, catalog) before it
 * replaces the offline part. The result is read back through
 * isg_bridge_from_json(), so it passes the bridge schema or is refused.
 */
#include <stdio.h>
#include <string.h>

#include "bridge_llm_int.h"
#include "issuesight/llm.h"
#include "json_int.h"

#define MOD "bridge"

typedef struct merge {
	const isg_bridge_llm_input *in;
	const isg_concepts *cat;
	isg__bridge_llm_ground g;
	isg_bridge_llm_report rep;
	cJSON *doc;          /* the offline bridge, becoming the result */
	const cJSON *answer; /* the model's object */
	isg_buf tmp;
	int oom;
} merge;

/* Model prose, scrubbed and cut to `max` bytes, as a new cJSON string. */
static cJSON *prose(merge *m, const char *s, size_t max)
{
	cJSON *v;

	if (isg__bridge_llm_scrub(&m->tmp, &m->g, s) != ISG_OK) {
		m->oom = 1;
		return NULL;
	}
	/* The answer is JSON, but its strings may hold any bytes (a raw
	 * 0xFF passes the parser and the schema); the bridge holds UTF-8. */
	if (!isg__text_utf8_valid(m->tmp.ptr, m->tmp.size)) {
		char *fixed = isg__bridge_tree_utf8(m->tmp.ptr, m->tmp.size);

		if (!fixed ||
		    isg_buf_set(&m->tmp, fixed, strlen(fixed)) != ISG_OK) {
			isg__alloc_free(fixed);
			m->oom = 1;
			return NULL;
		}
		isg__alloc_free(fixed);
	}
	if (m->tmp.size > max) {
		size_t n = max;

		while (n > 0 && ((unsigned char)m->tmp.ptr[n] & 0xC0) == 0x80)
			n--;
		m->tmp.ptr[n] = '\0';
	}
	v = cJSON_CreateString(m->tmp.ptr);
	if (!v)
		m->oom = 1;
	return v;
}

static void set(merge *m, cJSON *obj, const char *key, cJSON *v)
{
	if (!v) {
		m->oom = 1;
		return;
	}
	if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v)) {
		cJSON_Delete(v);
		m->oom = 1;
	}
}

static const char *str_of(const cJSON *o, const char *k)
{
	const char *s = isg__json_str(o, k);

	return s ? s : "";
}

/* ---- verdict --------------------------------------------------------- */

static void merge_verdict(merge *m)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(m->doc, "verdict");
	const cJSON *mv =
	        cJSON_GetObjectItemCaseSensitive(m->answer, "verdict");
	const char *d = str_of(mv, "difficulty");
	const cJSON *r, *reasons = isg__json_arr(mv, "reasons");
	double off = cJSON_GetObjectItemCaseSensitive(v, "score")->valuedouble;
	double model = strcmp(d, "beginner") == 0       ? 0.85
	               : strcmp(d, "intermediate") == 0 ? 0.5
	                                                : 0.15;
	double score = isg__bridge_round3(0.6 * off + 0.4 * model);
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(v, "reasons");
	char line[1100];
	int jf = 0;

	isg__json_bool(mv, "junior_friendly", &jf);
	set(m, v, "score", cJSON_CreateNumber(score));
	set(m, v, "difficulty",
	    cJSON_CreateString(score >= 0.6    ? "beginner"
	                       : score >= 0.35 ? "intermediate"
	                                       : "advanced"));
	/* Both must agree before an issue is called junior-friendly. */
	set(m, v, "junior_friendly", cJSON_CreateBool(jf && score >= 0.5));
	cJSON_ArrayForEach(r, reasons)
	{
		cJSON *s;

		if (!cJSON_IsString(r) || !r->valuestring[0] ||
		    cJSON_GetArraySize(arr) >= 50)
			continue;
		snprintf(line, sizeof(line), "Model: %.990s", r->valuestring);
		if (!(s = prose(m, line, 1000)))
			return;
		cJSON_AddItemToArray(arr, s);
	}
}

/* ---- prerequisites --------------------------------------------------- */

static int has_slug(const cJSON *arr, const char *slug)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
	{
		if (strcmp(str_of(e, "concept"), slug) == 0)
			return 1;
	}
	return 0;
}

static void add_prereq(merge *m, cJSON *arr, const isg_concept *c,
                       const char *why)
{
	cJSON *o;

	if (cJSON_GetArraySize(arr) >= 50 || has_slug(arr, c->slug))
		return;
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "concept", c->slug) ||
	    !cJSON_AddStringToObject(o, "name", c->name)) {
		cJSON_Delete(o);
		m->oom = 1;
		return;
	}
	cJSON_AddItemToObject(o, "why", prose(m, why, 4000));
	cJSON_AddItemToArray(arr, o);
}

static void merge_prereqs(merge *m)
{
	const cJSON *mp = isg__json_arr(m->answer, "prerequisites"), *e;
	cJSON *arr = cJSON_CreateArray();
	char slug[129], why[300];

	if (!arr) {
		m->oom = 1;
		return;
	}
	cJSON_ArrayForEach(e, mp)
	{
		const isg_concept *c, *parent = NULL;
		size_t i;

		isg__bridge_llm_slug(slug, sizeof(slug), str_of(e, "concept"));
		c = slug[0] ? isg_concepts_find(m->cat, slug) : NULL;
		if (!c) {
			m->rep.dropped_concepts++;
			continue;
		}
		for (i = 0; i < c->nparents; i++)
			if (has_slug(arr, c->parents[i]))
				break;
		if (c->nparents && i == c->nparents)
			parent = isg_concepts_find(m->cat, c->parents[0]);
		if (parent && !has_slug(arr, parent->slug)) {
			snprintf(why, sizeof(why), "The foundation of %.200s.",
			         c->name);
			add_prereq(m, arr, parent, why);
			m->rep.added_parents++;
		}
		add_prereq(m, arr, c, str_of(e, "why"));
	}
	/* Nothing usable: the offline prerequisites stay. */
	if (cJSON_GetArraySize(arr) == 0)
		cJSON_Delete(arr);
	else
		set(m, m->doc, "prerequisites", arr);
}

/* ---- architecture ---------------------------------------------------- */

static cJSON *offline_file(cJSON *files, const char *path)
{
	cJSON *f;

	cJSON_ArrayForEach(f, files)
	{
		if (strcmp(str_of(f, "path"), path) == 0)
			return f;
	}
	return NULL;
}

/* A file the index has but the offline ranking left out: no symbols (only
 * the index could give them), score 0. */
static cJSON *index_file(merge *m, const char *path)
{
	cJSON *f = cJSON_CreateObject();

	if (!f || !cJSON_AddStringToObject(f, "path", path) ||
	    !cJSON_AddStringToObject(f, "role", "") ||
	    !cJSON_AddNumberToObject(f, "score", 0) ||
	    !cJSON_AddArrayToObject(f, "symbols")) {
		cJSON_Delete(f);
		m->oom = 1;
		return NULL;
	}
	return f;
}

static void merge_files(merge *m, cJSON *arch)
{
	cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(arch, "files");
	cJSON *files = cJSON_CreateArray(), *f;
	const cJSON *e;

	if (!files || !old) {
		cJSON_Delete(files);
		cJSON_Delete(old);
		m->oom = 1;
		return;
	}
	cJSON_ArrayForEach(
	        e, isg__json_arr(isg__json_obj(m->answer, "architecture"),
	                         "files"))
	{
		const char *path = str_of(e, "path");

		if (!isg__bridge_llm_grounded(&m->g, path)) {
			m->g.dropped++;
			continue;
		}
		if (offline_file(files, path))
			continue; /* named twice */
		f = offline_file(old, path);
		f = f ? cJSON_DetachItemViaPointer(old, f)
		      : index_file(m, path);
		if (!f)
			continue;
		if (str_of(e, "role")[0])
			set(m, f, "role", prose(m, str_of(e, "role"), 4000));
		cJSON_AddItemToArray(files, f);
		m->rep.model_files++;
	}
	/* The offline ranking's other files follow, in their order. */
	while ((f = old->child) != NULL && cJSON_GetArraySize(files) < 50)
		cJSON_AddItemToArray(files, cJSON_DetachItemViaPointer(old, f));
	cJSON_Delete(old);
	cJSON_AddItemToObject(arch, "files", files);
}

static void merge_architecture(merge *m)
{
	cJSON *arch = cJSON_GetObjectItemCaseSensitive(m->doc, "architecture");
	const cJSON *ma = isg__json_obj(m->answer, "architecture");
	const char *entry = isg__json_str(ma, "entry_point");

	if (str_of(ma, "summary")[0])
		set(m, arch, "summary", prose(m, str_of(ma, "summary"), 65536));
	if (entry && *entry) {
		if (isg__bridge_llm_grounded(&m->g, entry))
			set(m, arch, "entry_point", cJSON_CreateString(entry));
		else
			m->g.dropped++;
	}
	merge_files(m, arch);
}

/* ---- guide ----------------------------------------------------------- */

static cJSON *step(merge *m, const cJSON *e)
{
	cJSON *s = cJSON_CreateObject(), *files;
	const cJSON *f;

	if (!s) {
		m->oom = 1;
		return NULL;
	}
	cJSON_AddItemToObject(s, "title", prose(m, str_of(e, "title"), 200));
	cJSON_AddItemToObject(s, "detail",
	                      prose(m, str_of(e, "detail"), 65536));
	files = cJSON_AddArrayToObject(s, "files");
	cJSON_ArrayForEach(f, isg__json_arr(e, "files"))
	{
		if (!cJSON_IsString(f) ||
		    !isg__bridge_llm_grounded(&m->g, f->valuestring)) {
			m->g.dropped++;
			continue;
		}
		if (files && cJSON_GetArraySize(files) < 50)
			cJSON_AddItemToArray(
			        files, cJSON_CreateString(f->valuestring));
	}
	return s;
}

static void merge_guide(merge *m)
{
	cJSON *guide = cJSON_GetObjectItemCaseSensitive(m->doc, "guide");
	const cJSON *e;
	cJSON *steps = cJSON_CreateArray(), *s;

	if (!steps) {
		m->oom = 1;
		return;
	}
	cJSON_ArrayForEach(
	        e, isg__json_arr(isg__json_obj(m->answer, "guide"), "steps"))
	{
		if (!str_of(e, "title")[0] || cJSON_GetArraySize(steps) >= 20)
			continue;
		if ((s = step(m, e)) != NULL)
			cJSON_AddItemToArray(steps, s);
	}
	if (cJSON_GetArraySize(steps) == 0)
		cJSON_Delete(steps); /* keep the offline guide's steps */
	else
		set(m, guide, "steps", steps);
}

/* ---- driver ---------------------------------------------------------- */

static void set_engine(merge *m, const char *model, long long pt, long long ct)
{
	cJSON *eng = cJSON_GetObjectItemCaseSensitive(m->doc, "engine");

	set(m, eng, "kind", cJSON_CreateString("llm"));
	set(m, eng, "model",
	    model ? cJSON_CreateString(model) : cJSON_CreateNull());
	set(m, eng, "prompt_tokens", cJSON_CreateNumber((double)pt));
	set(m, eng, "completion_tokens", cJSON_CreateNumber((double)ct));
}

static int check_answer(cJSON **out, const char *answer, size_t len)
{
	int rc = isg_llm_validate(answer, len, isg_bridge_llm_schema());

	*out = NULL;
	if (rc == ISG_ENOMEM)
		return rc;
	if (rc != ISG_OK)
		return isg__error_set(
		        ISG_EPARSE, MOD,
		        "the model's answer breaks the schema: %s",
		        isg_error_last()->message);
	*out = cJSON_ParseWithLength(answer, len);
	return *out ? ISG_OK : isg__error_oom(MOD);
}

int isg_bridge_llm_merge(isg_bridge **out, isg_bridge_llm_report *report,
                         const isg_bridge_llm_input *in, const char *answer,
                         size_t len, const char *model, long long prompt_tokens,
                         long long completion_tokens)
{
	isg_buf json = ISG_BUF_INIT;
	isg_concepts *own_cat = NULL;
	cJSON *ans = NULL;
	merge m;
	int rc;

	if (out)
		*out = NULL;
	if (report)
		memset(report, 0, sizeof(*report));
	if (!out || !in || !in->offline || !answer || prompt_tokens < 0 ||
	    completion_tokens < 0 ||
	    in->version != ISG_BRIDGE_LLM_INPUT_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "isg_bridge_llm_merge: bad argument");
	memset(&m, 0, sizeof(m));
	m.in = in;
	m.g.offline = in->offline;
	m.g.repo = in->repo;
	if ((rc = check_answer(&ans, answer, len)) != ISG_OK)
		return rc;
	m.answer = ans;
	m.cat = in->concepts;
	if (!m.cat && (rc = isg_concepts_new(&own_cat, NULL)) != ISG_OK)
		goto done;
	if (!m.cat)
		m.cat = own_cat;
	if ((rc = isg_bridge_to_json(&json, in->offline, 0)) != ISG_OK)
		goto done;
	m.doc = cJSON_ParseWithLength(json.ptr, json.size);
	if (!m.doc) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	merge_verdict(&m);
	merge_prereqs(&m);
	merge_architecture(&m);
	merge_guide(&m);
	set_engine(&m, model, prompt_tokens, completion_tokens);
	if (m.oom || isg__json_print(&json, m.doc) != ISG_OK) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	rc = isg_bridge_from_json(out, json.ptr, json.size);
	m.rep.dropped_paths = m.g.dropped;
	if (report)
		*report = m.rep;
done:
	isg_concepts_free(own_cat);
	cJSON_Delete(ans);
	cJSON_Delete(m.doc);
	isg_buf_dispose(&json);
	isg_buf_dispose(&m.tmp);
	return rc;
}
