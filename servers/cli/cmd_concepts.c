/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight concepts: list the concept catalog, print a subtree, match an
 * issue file to concepts (with its difficulty estimate), or load the
 * catalog into PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/concepts.h>
#include <issuesight/difficulty.h>
#include <issuesight/store.h>

#include "cli.h"
#include "cli_issue.h"

#define PROG "issuesight concepts"

typedef struct concepts_args {
	const char *tree, *match;
	int load;
} concepts_args;

static const cli_opt concepts_opts[] = {
	CLI_OPT_STR("tree", "SLUG", concepts_args, tree,
	            "print the subtree under SLUG as JSON ('all' for\n"
	            "everything)"),
	CLI_OPT_STR("match", "FILE", concepts_args, match,
	            "match an issue to concepts and estimate its difficulty;\n"
	            "FILE ('-' for stdin) holds a GitHub issue object\n"
	            "(title, body, labels, comments) or plain text whose\n"
	            "first line is the title"),
	CLI_OPT_FLAG("load", concepts_args, load,
	             "write the catalog to PostgreSQL (DATABASE_URL)"),
};

const cli_spec cli_concepts_spec = {
	.name = "concepts",
	.summary = "list, match or load the concept catalog",
	.synopsis = "[--tree SLUG] [--match FILE] [--load]",
	.description =
	        "Without options, lists the concept catalog (slug, level, name).",
	.opts = concepts_opts,
	.nopts = sizeof(concepts_opts) / sizeof(concepts_opts[0]),
	.epilog =
	        "The catalog is built into the library; ISSUESIGHT_CONCEPTS_FILE replaces it.",
};

static int print_match(const isg_concepts *cat, const cli_issue *is)
{
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	isg_concepts_matches *m = NULL, *pre = NULL;
	isg_difficulty *d = NULL;
	isg_buf a = ISG_BUF_INIT, b = ISG_BUF_INIT, c = ISG_BUF_INIT;
	int rc, ex = SRV_EXIT_OK;

	q.title = in.title = is->title;
	q.body = in.body = is->body;
	q.labels = in.labels = is->labels;
	q.nlabels = in.nlabels = is->nlabels;
	in.comment_count = is->ncomments;
	in.comment_chars = is->comment_chars;
	rc = isg_concepts_match(&m, cat, &q);
	if (rc == ISG_OK)
		rc = isg_concepts_prerequisites(&pre, m, 10);
	in.concepts = m;
	if (rc == ISG_OK)
		rc = isg_difficulty_estimate(&d, &in);
	if (rc == ISG_OK)
		rc = isg_concepts_matches_to_json(&a, m);
	if (rc == ISG_OK)
		rc = isg_concepts_matches_to_json(&b, pre);
	if (rc == ISG_OK)
		rc = isg_difficulty_to_json(&c, d);
	if (rc == ISG_OK)
		printf("{\"concepts\":%s,\"prerequisites\":%s,\"difficulty\":%s}\n",
		       a.ptr, b.ptr, c.ptr);
	else
		ex = srv_fail(PROG, "match", rc);
	isg_buf_dispose(&a);
	isg_buf_dispose(&b);
	isg_buf_dispose(&c);
	isg_difficulty_free(d);
	isg_concepts_matches_free(pre);
	isg_concepts_matches_free(m);
	return ex;
}

static int do_match(const isg_concepts *cat, const char *file)
{
	cli_issue is;
	int ex = cli_issue_load(&is, PROG, file, CLI_ISSUE_AUTO);

	if (ex == SRV_EXIT_OK)
		ex = print_match(cat, &is);
	cli_issue_dispose(&is);
	return ex;
}

static int do_load(const isg_concepts *cat, isg_config *cfg)
{
	isg_store *st = NULL;
	size_t n = 0;
	int rc;

	rc = isg_store_new_from_config(&st, cfg);
	if (rc == ISG_OK)
		rc = isg_concepts_store_load(&n, st, cat);
	isg_store_free(st);
	if (rc != ISG_OK)
		return srv_fail(PROG, "load", rc);
	printf("loaded %zu concepts\n", n);
	return SRV_EXIT_OK;
}

static void print_catalog(const isg_concepts *cat)
{
	size_t k;

	for (k = 0; k < isg_concepts_count(cat); k++) {
		const isg_concept *c = isg_concepts_at(cat, k);

		printf("%-28s %-13s %s\n", c->slug,
		       isg_concepts_level_name(c->level), c->name);
	}
}

int cli_concepts(int argc, char **argv, isg_config *cfg)
{
	isg_concepts_options o = ISG_CONCEPTS_OPTIONS_INIT;
	concepts_args args;
	isg_concepts *cat = NULL;
	isg_buf out = ISG_BUF_INIT;
	int rc, ex;

	memset(&args, 0, sizeof(args));
	ex = cli_parse(&cli_concepts_spec, argc, argv, &args, NULL);
	if (ex != SRV_EXIT_OK)
		return ex == CLI_HELP_SHOWN ? SRV_EXIT_OK : ex;
	o.path = isg_config_get(cfg, "ISSUESIGHT_CONCEPTS_FILE");
	rc = isg_concepts_new(&cat, &o);
	if (rc != ISG_OK)
		return srv_fail(PROG, "catalog", rc);
	if (args.tree) {
		rc = isg_concepts_tree_json(
		        &out, cat,
		        strcmp(args.tree, "all") == 0 ? NULL : args.tree);
		if (rc != ISG_OK)
			ex = srv_fail(PROG, "tree", rc);
		else
			printf("%s\n", out.ptr);
	}
	if (ex == SRV_EXIT_OK && args.match)
		ex = do_match(cat, args.match);
	if (ex == SRV_EXIT_OK && args.load)
		ex = do_load(cat, cfg);
	if (!args.tree && !args.match && !args.load)
		print_catalog(cat);
	if (ex == SRV_EXIT_OK)
		ex = cli_finish_output(PROG);
	isg_buf_dispose(&out);
	isg_concepts_free(cat);
	return ex;
}
