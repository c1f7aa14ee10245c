/* SPDX-License-Identifier: Apache-2.0 */
/*
 * github (cache and counters): the per-URL ETag / Last-Modified memory that
 * makes repeated requests conditional, its export and import, the request
 * counters, and the clock, sleep and jitter the request engine uses.
 */
#include <string.h>

#include "core_int.h"
#include "github_int.h"

#define MOD "github"

static void entry_clear(isg__gh_cache_entry *e)
{
	isg__free(e->url);
	isg__free(e->etag);
	isg__free(e->last_modified);
	isg__free(e->next_url);
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

const isg__gh_cache_entry *isg__gh_cache_find(const isg_github *gh,
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

void isg__gh_cache_remove(isg_github *gh, const char *url)
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
	*dst = isg__strdup(s);
	return *dst ? ISG_OK : isg__error_oom(MOD);
}

int isg__gh_cache_put(isg_github *gh, const char *url, const char *etag,
                      const char *last_modified, const char *next_url)
{
	isg__gh_cache_entry e = { NULL, NULL, NULL, NULL };
	int rc;

	if (!etag && !last_modified) {
		isg__gh_cache_remove(gh, url);
		return ISG_OK;
	}
	if ((rc = dup_opt(&e.url, url)) != ISG_OK ||
	    (rc = dup_opt(&e.etag, etag)) != ISG_OK ||
	    (rc = dup_opt(&e.last_modified, last_modified)) != ISG_OK ||
	    (rc = dup_opt(&e.next_url, next_url)) != ISG_OK)
		goto done;
	isg__gh_cache_remove(gh, url);
	if (gh->ncache >= (size_t)gh->cache_max)
		remove_at(gh, 0); /* the oldest */
	if (gh->ncache == gh->cache_cap) {
		size_t cap = gh->cache_cap ? gh->cache_cap * 2 : 16;
		isg__gh_cache_entry *n;

		if (cap > (size_t)gh->cache_max)
			cap = (size_t)gh->cache_max;
		n = isg__realloc(gh->cache, cap * sizeof(*n));
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

int isg_github_cache_export(const isg_github *gh, isg_github_cache_cb cb,
                            void *payload)
{
	size_t i;
	int rc;

	if (!gh || !cb)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "cache_export: NULL argument");
	for (i = 0; i < gh->ncache; i++) {
		const isg__gh_cache_entry *e = &gh->cache[i];
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
		        "isg_github_cache_entry.version %u is newer "
		        "than this library's %d",
		        entry->version, ISG_GITHUB_CACHE_ENTRY_VERSION);
	return isg__gh_cache_put(gh, entry->url, entry->etag,
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

void isg__gh_count_status(isg_github *gh, int endpoint, int status)
{
	size_t i;

	for (i = 0; i < gh->ncounts; i++) {
		if (gh->counts[i].endpoint == endpoint &&
		    gh->counts[i].status == status) {
			gh->counts[i].n++;
			return;
		}
	}
	if (gh->ncounts < ISG__GH_MAX_COUNTS) {
		gh->counts[gh->ncounts].endpoint = endpoint;
		gh->counts[gh->ncounts].status = status;
		gh->counts[gh->ncounts].n = 1;
		gh->ncounts++;
	}
}

int isg_github_stats_get(isg_github_stats *out, const isg_github *gh)
{
	if (!out || !gh)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "stats_get: NULL argument");
	if (out->version != ISG_GITHUB_STATS_VERSION)
		return isg__error_set(ISG_EINVALID, MOD,
		                      "stats_get: version %u is not %d",
		                      out->version, ISG_GITHUB_STATS_VERSION);
	*out = gh->stats;
	return ISG_OK;
}

uint64_t isg_github_stats_count(const isg_github *gh, int endpoint,
                                int http_status)
{
	uint64_t n = 0;
	size_t i;

	if (!gh || endpoint < -1 || endpoint >= ISG_GITHUB_EP_COUNT)
		return 0;
	for (i = 0; i < gh->ncounts; i++) {
		const isg__gh_count *c = &gh->counts[i];

		if ((endpoint == -1 || c->endpoint == endpoint) &&
		    (http_status == -1 || c->status == http_status))
			n += c->n;
	}
	return n;
}

void isg_github_stats_reset(isg_github *gh)
{
	isg_github_stats keep;

	if (!gh)
		return;
	keep = gh->stats;
	memset(&gh->stats, 0, sizeof(gh->stats));
	gh->stats.version = ISG_GITHUB_STATS_VERSION;
	gh->stats.rate_limit = keep.rate_limit;
	gh->stats.rate_remaining = keep.rate_remaining;
	gh->stats.rate_used = keep.rate_used;
	gh->stats.rate_reset = keep.rate_reset;
	memcpy(gh->stats.rate_resource, keep.rate_resource,
	       sizeof(keep.rate_resource));
	gh->ncounts = 0;
}

double isg__gh_now(const isg_github *gh)
{
	if (gh->clock_fn)
		return gh->clock_fn(gh->clock_payload);
	return (double)isg__wall_ms() / 1000.0;
}

int isg__gh_wait(isg_github *gh, double seconds)
{
	if (seconds < 0)
		seconds = 0;
	gh->stats.waits++;
	gh->stats.seconds_waited += seconds;
	if (gh->sleep_fn) {
		if (gh->sleep_fn(seconds, gh->sleep_payload) != 0)
			return isg__error_set(ISG_ECANCELLED, MOD,
			                      "wait of %.1f s cancelled by the "
			                      "sleep function",
			                      seconds);
		return ISG_OK;
	}
	isg__sleep_ms((int64_t)(seconds * 1000.0 + 0.5));
	return ISG_OK;
}

double isg__gh_random(isg_github *gh)
{
	/* xorshift64*: plenty for jitter, and reproducible from a seed. */
	uint64_t x = gh->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	gh->rng = x;
	return (double)((x * 2685821657736338717ULL) >> 11) /
	       9007199254740992.0;
}
