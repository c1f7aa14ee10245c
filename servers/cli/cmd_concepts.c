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

#define PROG "issuesight concepts"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: issuesight concepts [--load] [--tree SLUG] "
	        "[--match FILE]\n\n"
	        "Without options, lists the concept catalog (slug, level, "
	        "name).\n"
	        "  --tree SLUG   print the subtree under SLUG as JSON ('all' "
	        "for everything)\n"
	        "  --match FILE  match an issue to concepts and estimate its "
	        "difficulty;\n"
	        "                FILE ('-' for stdin) holds a JSON object "
	        "{\"title\", \"body\",\n"
	        "                \"labels\": [...]} or plain text whose first "
	        "line is the title\n"
	        "  --load        write the catalog to PostgreSQL "
	        "(DATABASE_URL; run migrate first)\n\n"
	        "The catalog is built into the library; "
	        "ISSUESIGHT_CONCEPTS_FILE "
	        "replaces it.\n");
}

static char *slurp(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb || cap > (64u << 20)) {
				free(nb ? nb : buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (buf)
		buf[n] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

/* Pulls "key": "string" out of a small JSON object without a JSON library
 * (the CLI sees only the public API). Handles the common escapes. */
static char *json_field(const char *doc, const char *key)
{
	char pat[64], *out, *o;
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(doc, pat);
	if (!p)
		return NULL;
	p = strchr(p + strlen(pat), '"');
	if (!p)
		return NULL;
	out = o = malloc(strlen(p) + 1);
	if (!out)
		return NULL;
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			*o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static int do_match(const isg_concepts *cat, const char *file)
{
	char *text = slurp(file), *title = NULL, *body = NULL, *nl;
	isg_concepts_query q = ISG_CONCEPTS_QUERY_INIT;
	isg_difficulty_input in = ISG_DIFFICULTY_INPUT_INIT;
	isg_concepts_matches *m = NULL, *pre = NULL;
	isg_difficulty *d = NULL;
	isg_buf a = ISG_BUF_INIT, b = ISG_BUF_INIT, c = ISG_BUF_INIT;
	int rc = ISG_OK, ex = SRV_EXIT_OK;

	if (!text) {
		fprintf(stderr, PROG ": cannot read '%s'\n", file);
		return SRV_EXIT_FAILURE;
	}
	if (text[strspn(text, " \t\r\n")] == '{') {
		title = json_field(text, "title");
		body = json_field(text, "body");
		q.title = title;
		q.body = body;
	} else {
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		q.title = text;
		q.body = nl ? nl + 1 : "";
	}
	in.title = q.title;
	in.body = q.body;
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
		printf("{\"concepts\":%s,\"prerequisites\":%s,\"difficulty\":%"
		       "s}"
		       "\n",
		       a.ptr, b.ptr, c.ptr);
	else
		ex = srv_fail(PROG, "match", rc);
	isg_buf_dispose(&a);
	isg_buf_dispose(&b);
	isg_buf_dispose(&c);
	isg_difficulty_free(d);
	isg_concepts_matches_free(pre);
	isg_concepts_matches_free(m);
	free(title);
	free(body);
	free(text);
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

int cli_concepts(int argc, char **argv, isg_config *cfg)
{
	isg_concepts_options o = ISG_CONCEPTS_OPTIONS_INIT;
	const char *tree = NULL, *match = NULL;
	isg_concepts *cat = NULL;
	isg_buf out = ISG_BUF_INIT;
	int load = 0, i, rc, ex = SRV_EXIT_OK;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return SRV_EXIT_OK;
		} else if (strcmp(argv[i], "--load") == 0) {
			load = 1;
		} else if (strcmp(argv[i], "--tree") == 0 && i + 1 < argc) {
			tree = argv[++i];
		} else if (strcmp(argv[i], "--match") == 0 && i + 1 < argc) {
			match = argv[++i];
		} else {
			fprintf(stderr, PROG ": unexpected argument '%s'\n",
			        argv[i]);
			usage(stderr);
			return SRV_EXIT_USAGE;
		}
	}
	o.path = isg_config_get(cfg, "ISSUESIGHT_CONCEPTS_FILE");
	rc = isg_concepts_new(&cat, &o);
	if (rc != ISG_OK)
		return srv_fail(PROG, "catalog", rc);
	if (tree) {
		rc = isg_concepts_tree_json(
		        &out, cat, strcmp(tree, "all") == 0 ? NULL : tree);
		if (rc != ISG_OK)
			ex = srv_fail(PROG, "tree", rc);
		else
			printf("%s\n", out.ptr);
	}
	if (ex == SRV_EXIT_OK && match)
		ex = do_match(cat, match);
	if (ex == SRV_EXIT_OK && load)
		ex = do_load(cat, cfg);
	if (!tree && !match && !load)
		for (k = 0; k < isg_concepts_count(cat); k++) {
			const isg_concept *c = isg_concepts_at(cat, k);

			printf("%-28s %-13s %s\n", c->slug,
			       isg_concepts_level_name(c->level), c->name);
		}
	isg_buf_dispose(&out);
	isg_concepts_free(cat);
	return ex;
}
