/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: read a Context Bridge through the cache-aside reader.
 *
 * Archives one issue with a completed bridge, then reads it twice: the
 * first read misses and goes to PostgreSQL, the second is a cache hit.
 * Uses ISG_TEST_DATABASE_URL and ISG_TEST_REDIS_URL; prints "skipped"
 * when they are not set.
 *
 *   cc reader_get.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

static int check(int rc, const char *what)
{
	if (rc != ISG_OK)
		fprintf(stderr, "%s: %s (%s)\n", what,
		        isg_error_last()->message, isg_error_name(rc));
	return rc;
}

/* One project, one issue, one completed bridge. */
static int archive(isg_store *st, const char *name, long long unique)
{
	isg_store_project p;
	isg_store_issue is;
	isg_store_content_ref ref;
	isg_store_completion c;
	char pid[ISG_STORE_ID_SIZE], iid[ISG_STORE_ID_SIZE];
	int version;

	memset(&p, 0, sizeof(p));
	memset(&is, 0, sizeof(is));
	memset(&c, 0, sizeof(c));
	p.gh_repo_id = unique;
	p.owner = "example";
	p.name = name;
	is.project_id = pid;
	is.gh_issue_id = unique;
	is.number = 1;
	is.title = "Add a --dry-run flag";
	is.state = "open";
	c.bridge_json = "{\"schema_version\": 1}";
	c.engine = "offline";
	if (check(isg_store_migrate(&version, st), "migrate") != ISG_OK ||
	    check(isg_store_project_upsert(pid, st, &p), "project") != ISG_OK ||
	    check(isg_store_issue_upsert(iid, st, &is), "issue") != ISG_OK ||
	    check(isg_store_content_ensure(&ref, st, iid), "content") != ISG_OK)
		return 1;
	return check(isg_store_content_complete(st, ref.id, &c), "complete");
}

int main(void)
{
	const char *db = getenv("ISG_TEST_DATABASE_URL");
	const char *redis = getenv("ISG_TEST_REDIS_URL");
	isg_store_options so = ISG_STORE_OPTIONS_INIT;
	isg_reader_options ro = ISG_READER_OPTIONS_INIT;
	isg_store *st = NULL;
	isg_reader *r = NULL;
	const isg_reader_bridge *b = NULL;
	isg_reader_stats s;
	long long unique = (long long)time(NULL) * 100000 + getpid() % 100000;
	char name[64];
	int i, rc = 1;

	if (!db || !redis) {
		printf("skipped: ISG_TEST_DATABASE_URL or ISG_TEST_REDIS_URL is not set\n");
		return 0;
	}
	if (isg_global_init() != ISG_OK)
		return 1;
	snprintf(name, sizeof(name), "reader-%lld", unique);
	so.conninfo = db;
	if (check(isg_store_new(&st, &so), "store") != ISG_OK ||
	    archive(st, name, unique) != ISG_OK)
		goto done;
	ro.store = st;
	ro.redis_url = redis;
	if (check(isg_reader_new(&r, &ro), "reader") != ISG_OK)
		goto done;
	for (i = 0; i < 2; i++) {
		if (check(isg_reader_get(&b, r, "example", name, 1), "get") !=
		    ISG_OK)
			goto done;
		printf("%s %s ETag %s: %.*s\n", name,
		       isg_store_status_name(b->status), b->etag, (int)b->len,
		       b->body);
		isg_reader_release(b);
	}
	isg_reader_stats_get(&s, r);
	printf("database reads %lld, Redis hits %lld, memory hits %lld\n",
	       s.store_reads, s.redis_hits, s.memory_hits);
	rc = s.store_reads == 1 ? 0 : 1;
done:
	isg_reader_free(r);
	isg_store_free(st);
	isg_global_shutdown();
	return rc;
}
