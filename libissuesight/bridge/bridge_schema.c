/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge_schema: the rules of docs/bridge.schema.json, as a table, and the
 * check that applies them to a parsed document. The table and the schema
 * file must say the same thing; a unit test compares them key by key.
 *
 * Errors name the JSON path of the first violation in document order
 * ("verdict.score: 1.7 is out of [0,1]"), so that a bad document from the
 * database or from a language model can be fixed at the right place.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bridge_int.h"
#include "core_int.h"
#include "json_int.h"

enum { T_OBJ = 1, T_ARR, T_STR, T_NUM, T_INT, T_BOOL };

typedef struct rule rule;
struct rule {
	const char *key; /* member name; NULL ends an object's list */
	int type;
	int nullable;
	const char *const *enums; /* NULL-terminated allowed strings */
	int ranged;               /* numbers: min/max apply */
	double min, max;
	size_t min_len, max_len; /* code points of strings, items of arrays */
	int slug;                /* strings: ^[a-z0-9]+(-[a-z0-9]+)*$ */
	const rule *kids;        /* object members, or an array's item rule */
};

/* Long enough for quoted code and a contribution guide's excerpt. */
#define TEXT_MAX 65536
#define NAME_MAX_CP 1024

static const char *const versions[] = { ISG_BRIDGE_SCHEMA_VERSION, NULL };
static const char *const states[] = { "open", "closed", "unknown", NULL };
static const char *const levels[] = { "beginner", "intermediate", "advanced",
	                              NULL };
static const char *const rel_kinds[] = { "imports", "tests", "documents",
	                                 NULL };
static const char *const read_kinds[] = { "test", "doc", "example", NULL };
static const char *const engines[] = { "offline", "llm", NULL };

#define STR(k, lo, hi)                                                \
	{                                                             \
		.key = k, .type = T_STR, .min_len = lo, .max_len = hi \
	}
#define NSTR(k, hi)                                                   \
	{                                                             \
		.key = k, .type = T_STR, .nullable = 1, .max_len = hi \
	}
#define ENUM(k, e)                                  \
	{                                           \
		.key = k, .type = T_STR, .enums = e \
	}
#define ARR(k, hi, item)                                             \
	{                                                            \
		.key = k, .type = T_ARR, .max_len = hi, .kids = item \
	}
#define OBJ(k, members)                                  \
	{                                                \
		.key = k, .type = T_OBJ, .kids = members \
	}
#define END                 \
	{                   \
		.key = NULL \
	}

static const rule label_item[] = { STR(NULL, 0, 256) };
static const rule issue_rules[] = { STR("repo", 0, 256),
	                            { .key = "number",
	                              .type = T_INT,
	                              .nullable = 1,
	                              .ranged = 1,
	                              .min = 1,
	                              .max = 9007199254740991.0 },
	                            STR("title", 1, NAME_MAX_CP * 4),
	                            NSTR("url", 2048),
	                            ENUM("state", states),
	                            ARR("labels", 100, label_item),
	                            END };

static const rule reason_item[] = { STR(NULL, 1, 1000) };
static const rule verdict_rules[] = {
	{ .key = "junior_friendly", .type = T_BOOL },
	ENUM("difficulty", levels),
	{ .key = "score", .type = T_NUM, .ranged = 1, .min = 0, .max = 1 },
	ARR("reasons", 50, reason_item),
	END
};

static const rule prereq_members[] = { { .key = "concept",
	                                 .type = T_STR,
	                                 .min_len = 1,
	                                 .max_len = 128,
	                                 .slug = 1 },
	                               STR("name", 1, 256),
	                               STR("why", 0, 4000),
	                               END };
static const rule prereq_item[] = { OBJ(NULL, prereq_members) };

static const rule symbol_members[] = { STR("name", 1, NAME_MAX_CP),
	                               { .key = "line",
	                                 .type = T_INT,
	                                 .ranged = 1,
	                                 .min = 0,
	                                 .max = 4294967295.0 },
	                               END };
static const rule symbol_item[] = { OBJ(NULL, symbol_members) };
static const rule file_members[] = {
	STR("path", 1, 4096),
	STR("role", 0, 4000),
	{ .key = "score", .type = T_NUM, .ranged = 1, .min = 0, .max = 1 },
	ARR("symbols", 50, symbol_item),
	END
};
static const rule file_item[] = { OBJ(NULL, file_members) };
static const rule relation_members[] = { STR("from", 1, 4096),
	                                 STR("to", 1, 4096),
	                                 ENUM("kind", rel_kinds), END };
static const rule relation_item[] = { OBJ(NULL, relation_members) };
static const rule reading_members[] = { STR("path", 1, 4096),
	                                ENUM("kind", read_kinds),
	                                STR("why", 0, 4000), END };
static const rule reading_item[] = { OBJ(NULL, reading_members) };
static const rule arch_rules[] = { STR("summary", 0, TEXT_MAX),
	                           NSTR("entry_point", 4096),
	                           ARR("files", 50, file_item),
	                           ARR("relations", 200, relation_item),
	                           ARR("read_these", 50, reading_item),
	                           END };

static const rule path_item[] = { STR(NULL, 1, 4096) };
static const rule step_members[] = { STR("title", 1, 200),
	                             STR("detail", 0, TEXT_MAX),
	                             ARR("files", 50, path_item), END };
static const rule step_item[] = { OBJ(NULL, step_members) };
static const rule rule_members[] = { STR("path", 1, 4096),
	                             STR("summary", 0, 4000), END };
static const rule rule_item[] = { OBJ(NULL, rule_members) };
static const rule guide_rules[] = { ARR("steps", 20, step_item),
	                            NSTR("test_command", 1000),
	                            ARR("contributing", 20, rule_item), END };

static const rule engine_rules[] = { ENUM("kind", engines),
	                             NSTR("model", 256),
	                             NSTR("repo_commit", 256),
	                             { .key = "prompt_tokens",
	                               .type = T_INT,
	                               .ranged = 1,
	                               .min = 0,
	                               .max = 9007199254740991.0 },
	                             { .key = "completion_tokens",
	                               .type = T_INT,
	                               .ranged = 1,
	                               .min = 0,
	                               .max = 9007199254740991.0 },
	                             END };

static const rule root_rules[] = {
	ENUM("schema_version", versions), OBJ("issue", issue_rules),
	OBJ("verdict", verdict_rules),    ARR("prerequisites", 50, prereq_item),
	OBJ("architecture", arch_rules),  OBJ("guide", guide_rules),
	OBJ("engine", engine_rules),      END
};

/* The JSON path being checked, built in place as the walk descends. */
typedef struct path {
	char s[256];
	size_t n;
} path;

static size_t path_push_key(path *p, const char *key)
{
	size_t old = p->n;
	int w = snprintf(p->s + p->n, sizeof(p->s) - p->n, "%s%s",
	                 p->n ? "." : "", key);

	if (w > 0)
		p->n += (size_t)w < sizeof(p->s) - p->n
		                ? (size_t)w
		                : sizeof(p->s) - p->n - 1;
	return old;
}

static size_t path_push_index(path *p, size_t i)
{
	size_t old = p->n;
	int w = snprintf(p->s + p->n, sizeof(p->s) - p->n, "[%zu]", i);

	if (w > 0)
		p->n += (size_t)w < sizeof(p->s) - p->n
		                ? (size_t)w
		                : sizeof(p->s) - p->n - 1;
	return old;
}

static void path_pop(path *p, size_t old)
{
	p->n = old;
	p->s[old] = '\0';
}

static const char *where(const path *p)
{
	return p->n ? p->s : "(document)";
}

static const char *type_name(int t)
{
	switch (t) {
	case T_OBJ:
		return "object";
	case T_ARR:
		return "array";
	case T_STR:
		return "string";
	case T_NUM:
		return "number";
	case T_INT:
		return "integer";
	default:
		return "boolean";
	}
}

static size_t utf8_codepoints(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int isg__bridge_is_slug(const char *s)
{
	int prev_dash = 1; /* no leading dash */

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s == '-') {
			if (prev_dash)
				return 0;
			prev_dash = 1;
		} else if ((*s >= 'a' && *s <= 'z') ||
		           (*s >= '0' && *s <= '9')) {
			prev_dash = 0;
		} else {
			return 0;
		}
	}
	return !prev_dash;
}

static int bad(const path *p, const char *what)
{
	return isg__error_set(ISG_EINVALID, "bridge", "%s: %s", where(p), what);
}

static int check_value(const cJSON *v, const rule *r, path *p);

static int check_string(const cJSON *v, const rule *r, path *p)
{
	const char *s = v->valuestring;
	size_t cp, i;

	if (!isg__text_utf8_valid(s, strlen(s)))
		return bad(p, "string is not valid UTF-8");
	if (r->enums) {
		for (i = 0; r->enums[i]; i++)
			if (strcmp(s, r->enums[i]) == 0)
				return ISG_OK;
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "%s: '%.80s' is not one of the allowed values (%s%s%s%s%s)",
		        where(p), s, r->enums[0], r->enums[1] ? ", " : "",
		        r->enums[1] ? r->enums[1] : "",
		        r->enums[1] && r->enums[2] ? ", " : "",
		        r->enums[1] && r->enums[2] ? r->enums[2] : "");
	}
	cp = utf8_codepoints(s);
	if (cp < r->min_len)
		return bad(p, "must not be empty");
	if (r->max_len && cp > r->max_len)
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "%s: string of %zu characters is longer than %zu",
		        where(p), cp, r->max_len);
	if (r->slug && !isg__bridge_is_slug(s))
		return isg__error_set(
		        ISG_EINVALID, "bridge",
		        "%s: '%.80s' is not a kebab-case concept slug",
		        where(p), s);
	return ISG_OK;
}

static int check_number(const cJSON *v, const rule *r, path *p)
{
	double d = v->valuedouble;

	if (!isfinite(d))
		return bad(p, "number is not finite");
	if (r->type == T_INT && floor(d) != d)
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "%s: %g is not an integer", where(p), d);
	if (r->ranged && (d < r->min || d > r->max))
		return isg__error_set(ISG_EINVALID, "bridge",
		                      "%s: %g is out of [%g,%g]", where(p), d,
		                      r->min, r->max);
	return ISG_OK;
}

static int check_object(const cJSON *v, const rule *kids, path *p)
{
	const cJSON *c, *d;
	const rule *r;
	size_t old;
	int rc;

	for (c = v->child; c; c = c->next) {
		const char *k = c->string ? c->string : "";

		for (r = kids; r->key; r++)
			if (strcmp(r->key, k) == 0)
				break;
		old = path_push_key(p, k);
		if (!r->key) {
			rc = bad(p, "unknown key");
			path_pop(p, old);
			return rc;
		}
		for (d = v->child; d != c; d = d->next)
			if (d->string && strcmp(d->string, k) == 0)
				break;
		if (d != c) {
			rc = bad(p, "duplicate key");
			path_pop(p, old);
			return rc;
		}
		rc = check_value(c, r, p);
		path_pop(p, old);
		if (rc != ISG_OK)
			return rc;
	}
	for (r = kids; r->key; r++) {
		if (cJSON_GetObjectItemCaseSensitive(v, r->key))
			continue;
		old = path_push_key(p, r->key);
		rc = bad(p, "required key is missing");
		path_pop(p, old);
		return rc;
	}
	return ISG_OK;
}

static int check_value(const cJSON *v, const rule *r, path *p)
{
	int ok;

	if (r->nullable && cJSON_IsNull(v))
		return ISG_OK;
	switch (r->type) {
	case T_OBJ:
		ok = cJSON_IsObject(v);
		break;
	case T_ARR:
		ok = cJSON_IsArray(v);
		break;
	case T_STR:
		ok = cJSON_IsString(v) && v->valuestring;
		break;
	case T_NUM:
	case T_INT:
		ok = cJSON_IsNumber(v);
		break;
	default:
		ok = cJSON_IsBool(v);
	}
	if (!ok)
		return isg__error_set(
		        ISG_EINVALID, "bridge", "%s: expected %s%s, got %s",
		        where(p), type_name(r->type),
		        r->nullable ? " or null" : "", isg__json_type_name(v));
	switch (r->type) {
	case T_OBJ:
		return check_object(v, r->kids, p);
	case T_ARR: {
		const cJSON *c;
		size_t i = 0;

		for (c = v->child; c; c = c->next, i++) {
			size_t old;
			int rc;

			if (r->max_len && i >= r->max_len)
				return isg__error_set(ISG_EINVALID, "bridge",
				                      "%s: more than %zu items",
				                      where(p), r->max_len);
			old = path_push_index(p, i);
			rc = check_value(c, r->kids, p);
			path_pop(p, old);
			if (rc != ISG_OK)
				return rc;
		}
		return ISG_OK;
	}
	case T_STR:
		return check_string(v, r, p);
	case T_NUM:
	case T_INT:
		return check_number(v, r, p);
	default:
		return ISG_OK;
	}
}

int isg__bridge_check(const cJSON *doc)
{
	path p;
	rule root = { .key = NULL, .type = T_OBJ, .kids = root_rules };

	p.n = 0;
	p.s[0] = '\0';
	return check_value(doc, &root, &p);
}
