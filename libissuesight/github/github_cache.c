/* SPDX-License-Identifier: Apache-2.0 */
/*
 * github_cache: the per-URL ETag / Last-Modified memory that makes
 * repeated requests conditional, with its export and import.
 */
#include <string.h>

#include "core_int.h"
#include "github_int.h"

#define MOD "github"

static void entry_clear(isg__github_cache_entry *e)
{
	isg__alloc_free(e->url);
	isg__alloc_free(e->etag);
	isg__alloc_free(e->last_modified);
	isg__alloc_free(e->next_url);
	isg__alloc_free(e->value);
	memset(e, 0, sizeof(*e));
}

static long find_index(const isg_github *gh, const char *url)
{
	size_t i;

	/* Newest entries are at the end and are the likeliest hits. */
	for (i = gh->ncache; i-- > 0;)
		if (strcmp(gh->cache[i].url, url) == 0)
			return (long)i;
	return -1;
}

const isg__github_cache_entry *isg__github_cache_find(const isg_github *gh,
                                                      const char *url)
{
	long i = find_index(gh, url);

	return i < 0 ? NULL : &gh->cache[i];
}

static void remove_at(isg_github *gh, size_t i)
{
	entry_clear(&gh->cache[i]);
	memmove(&gh->cache[i], &gh->cache[i + 1],
	        (gh->ncache - i - 1) * sizeof(*gh->cache));
	gh->ncache--;
}

void isg__github_cache_remove(isg_github *gh, const char *url)
{
	long i = find_index(gh, url);

	if (i >= 0)
		remove_at(gh, (size_t)i);
}

static int dup_opt(char **dst, const char *s)
{
	*dst = NULL;
	if (!s)
		return ISG_OK;
	*dst = isg__alloc_strdup(s);
	return *dst ? ISG_OK : isg__error_oom(MOD);
}

int isg__github_cache_put(isg_github *gh, const char *url, const char *etag,
                          const char *last_modified, const char *next_url)
{
	isg__github_cache_entry e = { NULL, NULL, NULL, NULL, NULL };
	int rc;

	if (!etag && !last_modified) {
		isg__github_cache_remove(gh, url);
		return ISG_OK;
	}
	if ((rc = dup_opt(&e.url, url)) != ISG_OK ||
	    (rc = dup_opt(&e.etag, etag)) != ISG_OK ||
	    (rc = dup_opt(&e.last_modified, last_modified)) != ISG_OK ||
	    (rc = dup_opt(&e.next_url, next_url)) != ISG_OK)
		goto done;
	isg__github_cache_remove(gh, url);
	if (gh->ncache >= (size_t)gh->cache_max)
		remove_at(gh, 0); /* the oldest */
	if (gh->ncache == gh->cache_cap) {
		size_t cap = gh->cache_cap ? gh->cache_cap * 2 : 16;
		isg__github_cache_entry *n;

		if (cap > (size_t)gh->cache_max)
			cap = (size_t)gh->cache_max;
		n = isg__alloc_realloc(gh->cache, cap * sizeof(*n));
		if (!n) {
			rc = isg__error_oom(MOD);
			goto done;
		}
		gh->cache = n;
		gh->cache_cap = cap;
	}
	gh->cache[gh->ncache++] = e;
	memset(&e, 0, sizeof(e));
done:
	entry_clear(&e);
	return rc;
}

int isg__github_cache_set_value(isg_github *gh, const char *url,
                                const char *value)
{
	long i = find_index(gh, url);
	char *v = NULL;

	if (i < 0)
		return ISG_OK;
	if (value && !(v = isg__alloc_strdup(value)))
		return isg__error_oom(MOD);
	isg__alloc_free(gh->cache[i].value);
	gh->cache[i].value = v;
	return ISG_OK;
}

int isg_github_cache_export(const isg_github *gh, isg_github_cache_cb cb,
                            void *payload)
{
	size_t i;
	int rc;

	if (!gh || !cb)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "cache_export: NULL argument");
	for (i = 0; i < gh->ncache; i++) {
		const isg__github_cache_entry *e = &gh->cache[i];
		isg_github_cache_entry pub = { ISG_GITHUB_CACHE_ENTRY_VERSION,
			                       e->url, e->etag,
			                       e->last_modified, e->next_url };

		if ((rc = cb(&pub, payload)) != 0)
			return rc;
	}
	return ISG_OK;
}

int isg_github_cache_import(isg_github *gh, const isg_github_cache_entry *entry)
{
	if (!gh || !entry || !entry->url)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "cache_import: NULL client, entry or url");
	if (entry->version > ISG_GITHUB_CACHE_ENTRY_VERSION)
		return isg__error_set(
		        ISG_EINVALID, MOD,
		        "isg_github_cache_entry.version %u is newer than this library's %d",
		        entry->version, ISG_GITHUB_CACHE_ENTRY_VERSION);
	return isg__github_cache_put(gh, entry->url, entry->etag,
	                             entry->last_modified, entry->next_url);
}

void isg_github_cache_clear(isg_github *gh)
{
	size_t i;

	if (!gh)
		return;
	for (i = 0; i < gh->ncache; i++)
		entry_clear(&gh->cache[i]);
	gh->ncache = 0;
}
