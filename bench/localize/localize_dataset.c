/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The benchmark's data set: one JSON object a line with instance_id, repo,
 * base_commit, problem_statement and gold_files (other fields ignored).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "localize_int.h"

static char *dup_field(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsString(v) || !v->valuestring || !v->valuestring[0])
		return NULL;
	return strdup(v->valuestring);
}

static void issue_clear(lb_issue *is)
{
	size_t i;

	free(is->instance_id);
	free(is->repo);
	free(is->base_commit);
	free(is->problem_statement);
	for (i = 0; i < is->ngold; i++)
		free(is->gold[i]);
	free(is->gold);
	for (i = 0; i < is->ngold_defs; i++)
		free(is->gold_defs[i]);
	free(is->gold_defs);
	free(is->language);
	memset(is, 0, sizeof(*is));
}

/* gold_spans: {"path": ["Class.method", "function", "docstring",
 * "imports:23"]} -> "path:Class.method", "path:function". Optional. */
static int gold_defs_from_json(lb_issue *is, const cJSON *obj)
{
	const cJSON *spans =
	        cJSON_GetObjectItemCaseSensitive(obj, "gold_spans");
	const cJSON *file, *sp;
	size_t cap = 0;

	if (!cJSON_IsObject(spans))
		return 0;
	cJSON_ArrayForEach(file, spans)
	{
		cJSON_ArrayForEach(sp, file)
		{
			char *name;
			size_t len;

			if (!cJSON_IsString(sp) || !file->string ||
			    strcmp(sp->valuestring, "docstring") == 0 ||
			    strncmp(sp->valuestring, "imports", 7) == 0)
				continue;
			if (is->ngold_defs == cap) {
				size_t nc = cap ? cap * 2 : 4;
				char **nv = realloc(is->gold_defs,
				                    nc * sizeof(*nv));

				if (!nv)
					return -1;
				is->gold_defs = nv;
				cap = nc;
			}
			len = strlen(file->string) + strlen(sp->valuestring) +
			      2;
			name = malloc(len);
			if (!name)
				return -1;
			snprintf(name, len, "%s:%s", file->string,
			         sp->valuestring);
			is->gold_defs[is->ngold_defs++] = name;
		}
	}
	return 0;
}

/* Fills `is` from one parsed line; on failure names the missing field. */
static int issue_from_json(lb_issue *is, const cJSON *obj, const char **bad)
{
	static const char *const keys[] = { "instance_id", "repo",
		                            "base_commit",
		                            "problem_statement" };
	char **dst[4];
	const cJSON *gold, *g;
	size_t i, n;

	dst[0] = &is->instance_id;
	dst[1] = &is->repo;
	dst[2] = &is->base_commit;
	dst[3] = &is->problem_statement;
	for (i = 0; i < 4; i++) {
		*dst[i] = dup_field(obj, keys[i]);
		if (!*dst[i]) {
			*bad = keys[i];
			return -1;
		}
	}
	*bad = "gold_files";
	gold = cJSON_GetObjectItemCaseSensitive(obj, "gold_files");
	if (!cJSON_IsArray(gold) || (n = (size_t)cJSON_GetArraySize(gold)) == 0)
		return -1;
	is->gold = calloc(n, sizeof(*is->gold));
	if (!is->gold)
		return -1;
	cJSON_ArrayForEach(g, gold)
	{
		if (!cJSON_IsString(g) || !g->valuestring[0])
			return -1;
		is->gold[is->ngold] = strdup(g->valuestring);
		if (!is->gold[is->ngold])
			return -1;
		is->ngold++;
	}
	*bad = "gold_spans";
	if (gold_defs_from_json(is, obj) != 0)
		return -1;
	is->language = dup_field(obj, "language");
	return 0;
}

int lb_dataset_read(lb_issue **out, size_t *n, const char *path, char *err,
                    size_t errlen)
{
	FILE *f = fopen(path, "rb");
	lb_issue *v = NULL;
	size_t nv = 0, av = 0, lineno = 0, cap = 0, len;
	char *line = NULL;
	int c = 0, rc = -1;

	*out = NULL;
	*n = 0;
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		         strerror(errno));
		return -1;
	}
	while (c != EOF) {
		cJSON *obj;
		const char *bad = NULL;
		size_t i;
		int blank = 1;

		len = 0;
		while ((c = fgetc(f)) != EOF && c != '\n') {
			if (len + 1 >= cap) {
				size_t nc = cap ? cap * 2 : 4096;
				char *p = realloc(line, nc);

				if (!p)
					goto oom;
				line = p;
				cap = nc;
			}
			line[len++] = (char)c;
		}
		lineno++;
		for (i = 0; i < len; i++)
			if (line[i] != ' ' && line[i] != '\t' &&
			    line[i] != '\r')
				blank = 0;
		if (blank)
			continue;
		if (nv == av) {
			size_t na = av ? av * 2 : 128;
			lb_issue *p = realloc(v, na * sizeof(*p));

			if (!p)
				goto oom;
			v = p;
			av = na;
		}
		memset(&v[nv], 0, sizeof(v[nv]));
		obj = cJSON_ParseWithLength(line, len);
		if (!cJSON_IsObject(obj)) {
			cJSON_Delete(obj);
			snprintf(err, errlen, "%s:%zu: not a JSON object", path,
			         lineno);
			goto done;
		}
		if (issue_from_json(&v[nv], obj, &bad) != 0) {
			cJSON_Delete(obj);
			issue_clear(&v[nv]);
			snprintf(
			        err, errlen,
			        "%s:%zu: field '%s' missing, empty or not a string%s",
			        path, lineno, bad,
			        strcmp(bad, "gold_files") == 0 ? " list" : "");
			goto done;
		}
		cJSON_Delete(obj);
		nv++;
	}
	*out = v;
	*n = nv;
	v = NULL;
	nv = 0;
	rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory reading %s", path);
done:
	lb_dataset_free(v, nv);
	free(line);
	fclose(f);
	return rc;
}

void lb_dataset_free(lb_issue *issues, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		issue_clear(&issues[i]);
	free(issues);
}
