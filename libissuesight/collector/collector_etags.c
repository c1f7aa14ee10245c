/* SPDX-License-Identifier: Apache-2.0 */
/*
 * collector_etags: the GitHub client's conditional-request memory (ETag,
 * Last-Modified and next link per URL) shared through Redis, so that a
 * restarted collector, or another collector polling the project next,
 * still gets 304s for an unchanged project.
 *
 * One hash per API base URL and project,
 * `<prefix>gh:etags:<base_url>:<owner>/<repo>`, holds one field per URL
 * (a JSON object {"etag", "last_modified", "next_url"}) and the field
 * `_synced_at`: the project's last_synced_at in PostgreSQL when the hash
 * was written. Entries are imported only when that time matches the
 * store's, so that ETags never outlive the archive they describe (a
 * restored or different database relists instead of trusting a 304).
 * A save replaces the whole hash with the URLs the next poll sends, so
 * that it does not grow with every `since`.
 */
#include <stdio.h>
#include <string.h>

#include "collector_int.h"
#include "core_int.h"
#include "github_int.h"
#include "json_int.h"
#include "redis_int.h"
#include "stream_int.h"

#define MOD "collector"
#define ETAGS_TTL_S "2592000" /* 30 days */

static int etags_key(isg_buf *out, isg_collector *c, const char *owner,
                     const char *repo)
{
	return isg__buf_printf(out, "%sgh:etags:%s:%s/%s",
	                       isg__stream_prefix(c->stream),
	                       isg__github_base_url(c->gh), owner, repo);
}

static int import_entry(isg_collector *c, const char *url, size_t url_len,
                        const char *val, size_t val_len)
{
	isg_github_cache_entry e;
	cJSON *doc = NULL;
	char *u = NULL;
	int rc = ISG_OK;

	doc = cJSON_ParseWithLength(val, val_len);
	if (!doc)
		goto done; /* not ours or damaged: skip it */
	u = isg__alloc_strndup(url, url_len);
	if (!u) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	e = (isg_github_cache_entry)ISG_GITHUB_CACHE_ENTRY_INIT;
	e.url = u;
	e.etag = isg__json_str(doc, "etag");
	e.last_modified = isg__json_str(doc, "last_modified");
	e.next_url = isg__json_str(doc, "next_url");
	if (e.etag || e.last_modified)
		rc = isg_github_cache_import(c->gh, &e);
done:
	isg__alloc_free(u);
	cJSON_Delete(doc);
	return rc;
}

int isg__collector_etags_load(isg_collector *c, const char *owner,
                              const char *repo, const char *synced_at)
{
	isg_buf key = ISG_BUF_INIT;
	const char *argv[2];
	redisReply *rep = NULL;
	const char *stamp = NULL;
	size_t i;
	int rc;

	if (!c->stream)
		return ISG_OK;
	if ((rc = etags_key(&key, c, owner, repo)) != ISG_OK)
		goto done;
	argv[0] = "HGETALL";
	argv[1] = key.ptr;
	rc = isg__redis_command(&rep, isg__stream_redis(c->stream), 2, argv,
	                        NULL, 1, 0);
	if (rc != ISG_OK)
		goto done;
	if (rep->type != REDIS_REPLY_ARRAY)
		goto done;
	for (i = 0; i + 1 < rep->elements; i += 2) {
		const char *k = isg__redis_str(rep->element[i], NULL);

		if (k && strcmp(k, "_synced_at") == 0)
			stamp = isg__redis_str(rep->element[i + 1], NULL);
	}
	if (!stamp || !synced_at || strcmp(stamp, synced_at) != 0)
		goto done; /* written for another state of the archive */
	for (i = 0; rc == ISG_OK && i + 1 < rep->elements; i += 2) {
		size_t klen = 0, vlen = 0;
		const char *k = isg__redis_str(rep->element[i], &klen);
		const char *v = isg__redis_str(rep->element[i + 1], &vlen);

		if (k && v && k[0] != '_')
			rc = import_entry(c, k, klen, v, vlen);
	}
done:
	if (rep)
		freeReplyObject(rep);
	isg_buf_dispose(&key);
	return rc;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The decoded value of the query parameter `name` of `url` into `out`;
 * 0 when absent. */
static int query_param(char *out, size_t n, const char *url, const char *name)
{
	const char *q = strchr(url, '?');
	size_t nl = strlen(name), k = 0;

	while (q) {
		q++;
		if (strncmp(q, name, nl) == 0 && q[nl] == '=') {
			const char *v = q + nl + 1;

			while (*v && *v != '&' && k + 1 < n) {
				int hi = v[0] == '%' ? hexval(v[1]) : -1;
				int lo = hi >= 0 ? hexval(v[2]) : -1;

				if (lo >= 0) {
					out[k++] = (char)(hi * 16 + lo);
					v += 3;
				} else {
					out[k++] = *v == '+' ? ' ' : *v;
					v++;
				}
			}
			out[k] = '\0';
			return 1;
		}
		q = strchr(q, '&');
	}
	return 0;
}

/* Whether the next poll of the project sends `url`: the repository, or
 * one page of the issue or comment listing with the given `since`. GitHub's
 * next links may name the repository by id (/repositories/{id}/...). */
int isg__collector_etags_wanted(const char *url, const char *base,
                                const char *owner, const char *repo,
                                long long repo_id, const char *since)
{
	char pfx[400], got[64];
	const char *rest = NULL;
	size_t bl = strlen(base), pl;

	if (strncmp(url, base, bl) != 0)
		return 0;
	url += bl;
	snprintf(pfx, sizeof(pfx), "/repos/%s/%s", owner, repo);
	pl = strlen(pfx);
	if (strncmp(url, pfx, pl) == 0) {
		rest = url + pl;
		if (*rest == '\0')
			return 1;
	} else {
		snprintf(pfx, sizeof(pfx), "/repositories/%lld", repo_id);
		pl = strlen(pfx);
		if (repo_id > 0 && strncmp(url, pfx, pl) == 0)
			rest = url + pl;
	}
	if (!rest || (strncmp(rest, "/issues?", 8) != 0 &&
	              strncmp(rest, "/issues/comments?", 17) != 0))
		return 0;
	if (!query_param(got, sizeof(got), rest, "since"))
		return since == NULL;
	return since != NULL && strcmp(got, since) == 0;
}

typedef struct save_ctx {
	isg_collector *c;
	const char *owner, *repo, *since;
	long long repo_id;
	const char **argv;
	size_t *lens;
	char **vals;
	size_t n, cap;
	int rc;
} save_ctx;

static int on_entry(const isg_github_cache_entry *e, void *payload)
{
	save_ctx *x = payload;
	cJSON *o = NULL;
	isg_buf v = ISG_BUF_INIT;

	if (!isg__collector_etags_wanted(e->url, isg__github_base_url(x->c->gh),
	                                 x->owner, x->repo, x->repo_id,
	                                 x->since))
		return 0;
	if (x->n + 2 > x->cap) {
		size_t cap = x->cap * 2 + 16;
		const char **a = isg__alloc_realloc(x->argv, cap * sizeof(*a));
		size_t *l;
		char **vs;

		if (a)
			x->argv = a;
		l = a ? isg__alloc_realloc(x->lens, cap * sizeof(*l)) : NULL;
		if (l)
			x->lens = l;
		vs = l ? isg__alloc_realloc(x->vals, cap * sizeof(*vs)) : NULL;
		if (!vs)
			goto oom;
		x->vals = vs;
		x->cap = cap;
	}
	o = cJSON_CreateObject();
	if (!o || (e->etag && !cJSON_AddStringToObject(o, "etag", e->etag)) ||
	    (e->last_modified &&
	     !cJSON_AddStringToObject(o, "last_modified", e->last_modified)) ||
	    (e->next_url &&
	     !cJSON_AddStringToObject(o, "next_url", e->next_url)) ||
	    isg__json_print(&v, o) != ISG_OK)
		goto oom;
	cJSON_Delete(o);
	x->vals[x->n] = NULL;
	x->argv[x->n] = e->url;
	x->lens[x->n++] = strlen(e->url);
	/* The buffer's string is handed over; released with the others. */
	x->vals[x->n] = v.asize ? v.ptr : NULL;
	x->argv[x->n] = v.ptr;
	x->lens[x->n++] = v.size;
	return 0;
oom:
	cJSON_Delete(o);
	isg_buf_dispose(&v);
	x->rc = isg__error_oom(MOD);
	return 1;
}

/* Replace the hash atomically: readers see the old or the new set. */
static const char save_lua[] =
        "redis.call('DEL', KEYS[1])\n"
        "redis.call('HSET', KEYS[1], '_synced_at', ARGV[1])\n"
        "for i = 3, #ARGV, 2 do\n"
        "  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])\n"
        "end\n"
        "redis.call('EXPIRE', KEYS[1], ARGV[2])\n"
        "return #ARGV\n";

int isg__collector_etags_save(isg_collector *c, const char *owner,
                              const char *repo, long long repo_id,
                              const char *synced_at, const char *since)
{
	/* The command's head: EVAL script 1 key synced_at ttl. */
	enum { HEAD = 6 };
	isg_buf key = ISG_BUF_INIT;
	redisReply *rep = NULL;
	save_ctx x;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	if (!c->stream)
		return ISG_OK;
	x.c = c;
	x.owner = owner;
	x.repo = repo;
	x.since = since;
	x.repo_id = repo_id;
	x.rc = ISG_OK;
	/* Reserve the head, then collect the pairs after it. */
	x.cap = HEAD + 16;
	x.argv = isg__alloc_calloc(x.cap, sizeof(*x.argv));
	x.lens = isg__alloc_calloc(x.cap, sizeof(*x.lens));
	x.vals = isg__alloc_calloc(x.cap, sizeof(*x.vals));
	if (!x.argv || !x.lens || !x.vals) {
		rc = isg__error_oom(MOD);
		goto done;
	}
	x.n = HEAD;
	rc = isg_github_cache_export(c->gh, on_entry, &x);
	if (rc != ISG_OK) {
		rc = x.rc != ISG_OK ? x.rc : rc;
		goto done;
	}
	if ((rc = etags_key(&key, c, owner, repo)) != ISG_OK)
		goto done;
	x.argv[0] = "EVAL";
	x.argv[1] = save_lua;
	x.argv[2] = "1";
	x.argv[3] = key.ptr;
	x.argv[4] = synced_at;
	x.argv[5] = ETAGS_TTL_S;
	for (i = 0; i < HEAD; i++)
		x.lens[i] = strlen(x.argv[i]);
	rc = isg__redis_command(&rep, isg__stream_redis(c->stream), (int)x.n,
	                        x.argv, x.lens, 1, 0);
done:
	if (rep)
		freeReplyObject(rep);
	for (i = 0; x.vals && i < x.n; i++)
		isg__alloc_free(x.vals[i]);
	isg__alloc_free(x.vals);
	isg__alloc_free(x.argv);
	isg__alloc_free(x.lens);
	isg_buf_dispose(&key);
	return rc;
}
