/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_offline: the offline engine. It reads the issue (bridge_issue.c),
 * localizes it in the repository (locate), matches concepts and estimates
 * the difficulty (bridge_inputs.c), and writes the verdict and the
 * prerequisites; bridge_architecture.c writes the architecture and
 * bridge_guide.c the guide.
 * Everything goes into a JSON tree that must pass the schema check before
 * it becomes a bridge, so the engine can never hand out a document the
 * schema rejects.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"
#include "json_int.h"

#define TITLE_MAX_CP 300

/* ---- verdict, prerequisites, engine ----------------------------------- */

static void write_issue(isg__bridge_gen *g)
{
	cJSON *o = isg__bridge_tree_obj(g, g->doc, "issue"), *a;
	size_t i;

	isg__bridge_tree_str(g, o, "repo", g->repo_name ? g->repo_name : "",
	                     256);
	if (g->number > 0)
		isg__bridge_tree_num(g, o, "number", (double)g->number);
	else
		isg__bridge_tree_str(g, o, "number", NULL, 0);
	isg__bridge_tree_str(g, o, "title", g->title, TITLE_MAX_CP);
	isg__bridge_tree_str(g, o, "url", g->url, 2048);
	isg__bridge_tree_str(g, o, "state", g->state, 0);
	a = isg__bridge_tree_arr(g, o, "labels");
	for (i = 0; i < g->nlabels && i < 100; i++)
		isg__bridge_tree_push(g, a, g->labels[i], 256);
}

static void write_verdict(isg__bridge_gen *g)
{
	cJSON *o = isg__bridge_tree_obj(g, g->doc, "verdict"), *a;
	size_t i, n = isg_difficulty_reason_count(g->diff);

	if (o && !cJSON_AddBoolToObject(
	                 o, "junior_friendly",
	                 isg_difficulty_junior_friendly(g->diff) != 0))
		g->oom = 1;
	isg__bridge_tree_str(
	        g, o, "difficulty",
	        isg_difficulty_level_name(isg_difficulty_level_of(g->diff)), 0);
	isg__bridge_tree_num(g, o, "score",
	                     isg__bridge_round3(isg_difficulty_score(g->diff)));
	a = isg__bridge_tree_arr(g, o, "reasons");
	for (i = 0; i < n && i < 50; i++) {
		const isg_difficulty_reason *r =
		        isg_difficulty_reason_at(g->diff, i);

		if (r && r->text && r->text[0])
			isg__bridge_tree_push(g, a, r->text, 1000);
	}
	if (a && cJSON_GetArraySize(a) == 0)
		isg__bridge_tree_push(
		        g, a,
		        "no feature moved the score: the estimate is the model's prior",
		        0);
}

/* Where an "import 'x'" evidence came from: a ranked file importing it. */
static const char *importer(const isg__bridge_gen *g, const char *ev,
                            char *name, size_t cap)
{
	const char *q;
	size_t i, j, n;

	if (strncmp(ev, "import '", 8) != 0)
		return NULL;
	q = strchr(ev + 8, '\'');
	n = q ? (size_t)(q - ev - 8) : 0;
	if (!n || n >= cap)
		return NULL;
	memcpy(name, ev + 8, n);
	name[n] = '\0';
	for (i = 0; i < g->nchange + g->nread; i++) {
		const isg__bridge_file *f = &g->files[i];

		if (!f->indexed)
			continue;
		for (j = 0; j < isg_repo_file_import_count(g->repo, f->idx);
		     j++) {
			const char *imp =
			        isg_repo_file_import(g->repo, f->idx, j);

			if (strncmp(imp, name, n) == 0 &&
			    (imp[n] == '\0' || imp[n] == '.' || imp[n] == '/'))
				return f->path;
		}
	}
	return NULL;
}

/* Whether two evidence strings quote the same term ('exception' and
 * 'exceptions'): their quoted parts share a prefix of all but one byte. */
static int same_term(const char *a, const char *b)
{
	const char *qa = strchr(a, '\''), *qb = strchr(b, '\'');
	size_t la, lb, n;

	if (!qa || !qb || qa - a != qb - b || memcmp(a, b, (size_t)(qa - a)))
		return 0;
	la = strcspn(qa + 1, "'");
	lb = strcspn(qb + 1, "'");
	n = la < lb ? la : lb;
	return n >= 3 && (la > lb ? la - lb : lb - la) <= 1 &&
	       memcmp(qa + 1, qb + 1, n) == 0;
}

static void write_prereqs(isg__bridge_gen *g)
{
	cJSON *a = isg__bridge_tree_arr(g, g->doc, "prerequisites");
	size_t i, j, shown, n = isg_concepts_matches_count(g->prereqs);
	isg_buf why = ISG_BUF_INIT;

	for (i = 0; i < n && i < 50 && a; i++) {
		const isg_concept_match *m =
		        isg_concepts_matches_at(g->prereqs, i);
		cJSON *o;
		int rc = ISG_OK;

		if (!m || !m->entry || !isg__bridge_is_slug(m->entry->slug))
			continue;
		o = isg__bridge_tree_obj(g, a, NULL);
		isg__bridge_tree_str(g, o, "concept", m->entry->slug, 128);
		isg__bridge_tree_str(g, o, "name", m->entry->name, 256);
		for (j = 0, shown = 0;
		     j < m->nevidence && shown < 2 && rc == ISG_OK; j++) {
			const char *ev = m->evidence[j];
			char name[128];
			const char *file;

			if (j && same_term(m->evidence[j - 1], ev))
				continue; /* 'exception' after 'exceptions' */
			file = importer(g, ev, name, sizeof(name));
			rc = isg__buf_puts(&why,
			                   shown++ ? "; " : "Needed here: ");
			if (rc == ISG_OK && file)
				rc = isg__buf_printf(&why, "%s imports '%s'",
				                     file, name);
			else if (rc == ISG_OK)
				rc = isg__buf_puts(&why, ev);
		}
		if (rc == ISG_OK && why.size)
			rc = isg__buf_puts(&why, ". ");
		if (rc == ISG_OK)
			rc = isg__bridge_tree_sentence(
			        &why, m->entry->description, 300);
		isg__bridge_tree_buf(g, o, "why", &why, rc, 4000);
	}
	isg_buf_dispose(&why);
}

static void write_engine(isg__bridge_gen *g)
{
	cJSON *o = isg__bridge_tree_obj(g, g->doc, "engine");

	isg__bridge_tree_str(g, o, "kind", "offline", 0);
	isg__bridge_tree_str(g, o, "model", NULL, 0);
	isg__bridge_tree_str(g, o, "repo_commit", isg_repo_commit(g->repo),
	                     256);
	isg__bridge_tree_num(g, o, "prompt_tokens", 0);
	isg__bridge_tree_num(g, o, "completion_tokens", 0);
}

/* ---- the engine -------------------------------------------------------- */

static int check_options(const isg_bridge_options *o)
{
	if (!o->repo == !o->repo_handle)
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "isg_bridge_options: set exactly one of repo and repo_handle");
	if (!o->issue_text == !o->issue_json)
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "isg_bridge_options: set exactly one of issue_text and issue_json");
	if (o->top_k > 50)
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "isg_bridge_options.top_k: %zu is over the maximum of 50",
		        o->top_k);
	return ISG_OK;
}

static void gen_dispose(isg__bridge_gen *g)
{
	size_t i;

	isg__alloc_free(g->title);
	isg__alloc_free(g->body);
	for (i = 0; i < g->nlabels; i++)
		isg__alloc_free(g->labels[i]);
	isg__alloc_free(g->labels);
	isg__alloc_free(g->url);
	isg__alloc_free(g->state);
	isg__alloc_free(g->repo_name);
	isg_locate_result_free(g->loc);
	isg_concepts_matches_free(g->prereqs);
	isg_concepts_matches_free(g->matches);
	isg_difficulty_free(g->diff);
	isg__alloc_free(g->files);
	isg__alloc_free(g->test_cmd);
	isg__alloc_free(g->comments);
	isg__alloc_free(g->wordbuf);
	isg__alloc_free(g->words);
	cJSON_Delete(g->doc);
}

static int locate(isg__bridge_gen *g, size_t top_k)
{
	isg_locate_options lo = ISG_LOCATE_OPTIONS_INIT;
	isg_buf text = ISG_BUF_INIT;
	int rc;

	lo.top_k = top_k ? top_k : 5;
	lo.top_k_read = 5;
	rc = isg__buf_printf(&text, "%s\n\n%s\n\n%s", g->title, g->body,
	                     g->comments);
	if (rc == ISG_OK)
		rc = isg_locate_run(&g->loc, g->repo, text.ptr, text.size, &lo);
	isg_buf_dispose(&text);
	return rc;
}

/* The ranked files, the concepts and their prerequisites, and the
 * difficulty, from the inputs bench/difficulty calibrates on. */
static int assess(isg__bridge_gen *g)
{
	isg__bridge_issue_facts is;
	isg__bridge_inputs in;
	int rc;

	is.title = g->title;
	is.body = g->body;
	is.labels = (const char *const *)g->labels;
	is.nlabels = g->nlabels;
	is.comment_count = g->ncomments;
	is.comment_chars = g->comment_chars;
	rc = isg__bridge_inputs_build(&in, g->repo, g->loc, g->cat, &is);
	if (rc != ISG_OK)
		return rc;
	g->files = in.files;
	g->nchange = in.nchange;
	g->nread = in.nread;
	g->matches = in.matches;
	in.files = NULL;
	in.matches = NULL;
	rc = isg_concepts_prerequisites(&g->prereqs, g->matches, 8);
	if (rc == ISG_OK)
		rc = isg_difficulty_estimate(&g->diff, &in.input);
	isg__bridge_inputs_dispose(&in);
	return rc;
}

static int test_command(isg__bridge_gen *g)
{
	isg_buf cmd = ISG_BUF_INIT;
	int rc = isg_repo_test_command(&cmd, g->repo);

	if (rc == ISG_OK) {
		g->test_cmd = isg__buf_detach(&cmd);
		g->test_cmd_origin = isg_repo_test_command_origin(g->repo);
		rc = g->test_cmd ? ISG_OK : isg__error_oom("bridge");
	} else if (rc == ISG_ENOTFOUND) {
		rc = ISG_OK;
		isg_error_clear();
	}
	isg_buf_dispose(&cmd);
	return rc;
}

int isg__bridge_offline(isg_bridge **out, const isg_bridge_options *opts)
{
	isg__bridge_gen g;
	isg_repo *own_repo = NULL;
	isg_concepts *own_cat = NULL;
	int rc;

	memset(&g, 0, sizeof(g));
	rc = check_options(opts);
	if (rc == ISG_OK)
		rc = isg__bridge_issue_read(&g, opts);
	if (rc != ISG_OK)
		goto done;
	g.repo = opts->repo_handle;
	if (!g.repo) {
		isg_repo_options ro = ISG_REPO_OPTIONS_INIT;

		ro.path_or_url = opts->repo;
		ro.cache_dir = opts->cache_dir;
		ro.config = opts->config;
		rc = isg_repo_open(&own_repo, &ro);
		if (rc != ISG_OK)
			goto done;
		g.repo = own_repo;
	}
	g.cat = opts->concepts;
	if (!g.cat) {
		rc = isg_concepts_new(&own_cat, NULL);
		if (rc != ISG_OK)
			goto done;
		g.cat = own_cat;
	}
	if ((rc = isg__bridge_issue_words(&g)) != ISG_OK ||
	    (rc = locate(&g, opts->top_k)) != ISG_OK ||
	    (rc = assess(&g)) != ISG_OK || (rc = test_command(&g)) != ISG_OK)
		goto done;
	g.doc = cJSON_CreateObject();
	if (!g.doc) {
		rc = isg__error_oom("bridge");
		goto done;
	}
	isg__bridge_tree_str(&g, g.doc, "schema_version",
	                     ISG_BRIDGE_SCHEMA_VERSION, 0);
	write_issue(&g);
	write_verdict(&g);
	write_prereqs(&g);
	isg__bridge_architecture(&g);
	isg__bridge_guide(&g);
	write_engine(&g);
	if (g.oom) {
		rc = isg__error_oom("bridge");
		goto done;
	}
	rc = isg__bridge_check(g.doc);
	if (rc != ISG_OK) {
		/* A bug of this engine, not of the input: say so. */
		char why[ISG_ERROR_MESSAGE_MAX];

		snprintf(why, sizeof(why), "%s", isg_error_last()->message);
		rc = isg__error_set(
		        ISG_ERROR, "bridge",
		        "the offline engine built a document the schema rejects: %s",
		        why);
		goto done;
	}
	rc = isg__bridge_from_tree(out, g.doc);
done:
	gen_dispose(&g);
	isg_concepts_free(own_cat);
	isg_repo_free(own_repo);
	return rc;
}

int isg_bridge_generate(isg_bridge **out, const isg_bridge_options *opts)
{
	if (!out || !opts)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "isg_bridge_generate: NULL argument");
	*out = NULL;
	if (opts->version != ISG_BRIDGE_OPTIONS_VERSION)
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "isg_bridge_options.version is %u, expected %d",
		        opts->version, ISG_BRIDGE_OPTIONS_VERSION);
	if (opts->engine == ISG_BRIDGE_ENGINE_LLM)
		return isg__error_set(
		        ISG_EUNSUPPORTED, "bridge",
		        "isg_bridge_options.engine: the llm engine is not part of this build; use the offline engine (0)");
	if (opts->engine != ISG_BRIDGE_ENGINE_OFFLINE)
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "isg_bridge_options.engine: unknown engine %d",
		        opts->engine);
	return isg__bridge_offline(out, opts);
}
