/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fake GitHub's data: a project generated deterministically from a
 * seed, and its JSON in the shapes of GitHub's recorded payloads
 * (issue.get-2025.json, issues.list.mixed-prs-2024.json,
 * issue.comments.list-2025.json, repo.get.pygithub-2024.json): user
 * objects, labels, assignees, milestones, reactions, `pull_request` items,
 * null, empty, emoji and 65,536-character bodies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "fake_github_int.h"

static const char *const users[] = { "octocat",  "jacquev6",   "hubot",
	                             "monalisa", "newcomer-1", "sfdye" };
static const char *const assoc[] = {
	"OWNER", "MEMBER", "CONTRIBUTOR", "NONE", "FIRST_TIME_CONTRIBUTOR",
	"NONE"
};
static const struct {
	const char *name, *color, *desc;
} labels[] = {
	{ "bug", "e10c02", "Something isn't working" },
	{ "good first issue", "7057ff", "Good for newcomers" },
	{ "documentation", "0075ca", NULL },
	{ "enhancement", "a2eeef", "New feature or request" },
	{ "help wanted", "008672", "Extra attention is needed" },
	{ "question", "d876e3", NULL },
};
#define NLABELS ((int)(sizeof(labels) / sizeof(labels[0])))
#define NUSERS ((int)(sizeof(users) / sizeof(users[0])))

char *fg__strdup(const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

static uint32_t rnd(fake_github *fg)
{
	uint64_t x = fg->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	fg->rng = x;
	return (uint32_t)((x * 2685821657736338717ULL) >> 32);
}

double fg__now(const fake_github *fg)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6 + fg->clock_offset;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm), so that
 * no non-portable timegm() is needed. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t fg__parse_iso(const char *s)
{
	int y, mo, d, h, mi, se;
	char z = 0;

	if (!s ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se,
	           &z) != 7 ||
	    z != 'Z')
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

void fg__iso(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

fg_issue *fg__find_issue(fake_github *fg, int number)
{
	if (number < 1 || number > fg->nissues)
		return NULL;
	return &fg->issues[number - 1]; /* numbers are dense from 1 */
}

int64_t fg__bump(fake_github *fg)
{
	int64_t now = (int64_t)fg__now(fg);

	if (now <= fg->newest)
		now = fg->newest + 1;
	fg->newest = now;
	return now;
}

static char *make_body(fake_github *fg, int n)
{
	static const char *const forms[] = {
		"When I call `get_issues()` on a repository with more than 100 issues, only the first page is returned.\n\n### Steps\n"
		"1. Create a client\n2. List issues\n\nExpected all pages.",
		"Crash in the parser 🐛🔥 when the title has emoji 😀👍🏽 and CJK 漢字; see the trace below.\n```\nSegmentation fault\n```",
		"",
		"Docs: the README mentions `--since` but the flag is called `--after`.",
	};
	uint32_t r = rnd(fg) % 10;

	if (r == 0)
		return NULL; /* GitHub sends "body": null */
	(void)n;
	return fg__strdup(forms[r % 4]);
}

int fg__generate(fake_github *fg, const fake_github_options *o)
{
	int n = o->issues, m = o->pulls, k = o->comments, i;
	/* Items start on 2024-01-01 and are an hour apart; comments follow
	 * their issue. */
	const int64_t base = 1704067200;

	fg->rng = (uint64_t)o->seed * 0x9E3779B97F4A7C15ULL + 1;
	fg->cap_issues = n + 16;
	fg->issues = calloc((size_t)fg->cap_issues, sizeof(fg_issue));
	fg->cap_comments = k + 16;
	fg->comments = calloc((size_t)fg->cap_comments, sizeof(fg_comment));
	if (!fg->issues || !fg->comments)
		return -1;
	for (i = 0; i < n; i++) {
		fg_issue *is = &fg->issues[i];
		char title[96];
		int j;

		is->number = i + 1;
		is->id = 1000000000LL + i * 7;
		snprintf(title, sizeof(title), "%s #%d",
		         i % 7 == 3 ? "Unicode título ✨" : "Issue title",
		         i + 1);
		is->title = fg__strdup(title);
		is->body = make_body(fg, i);
		is->status = 200;
		is->user = (int)(rnd(fg) % NUSERS);
		is->nlabels = (int)(rnd(fg) % 4);
		for (j = 0; j < is->nlabels; j++)
			is->labels[j] =
			        (int)((rnd(fg) + (uint32_t)j) % NLABELS);
		if (is->nlabels == 2 && is->labels[0] == is->labels[1])
			is->nlabels = 1;
		is->assignee = rnd(fg) % 3 == 0 ? (int)(rnd(fg) % NUSERS) : -1;
		is->milestone = rnd(fg) % 4 == 0 ? 1 + (int)(rnd(fg) % 3) : 0;
		is->reactions = (int)(rnd(fg) % 5);
		is->closed = rnd(fg) % 3 == 0;
		is->created = base + (int64_t)i * 3600;
		is->updated = is->created + 600 + (int64_t)(rnd(fg) % 600);
		is->closed_at = is->closed ? is->updated : 0;
		if (!is->title)
			return -1;
	}
	/* Mark M items, spread deterministically, as pull requests. */
	for (i = 0; i < m && i < n; i++) {
		int at = (int)((int64_t)i * n / (m > 0 ? m : 1));

		fg->issues[at].is_pr = 1;
	}
	/* One huge body, as GitHub allows: 65,536 characters. */
	if (n > 4) {
		fg_issue *is = &fg->issues[4];

		free(is->body);
		is->body = malloc(65537);
		if (!is->body)
			return -1;
		memset(is->body, 'x', 65536);
		is->body[65536] = '\0';
	}
	fg->nissues = n;
	fg->next_comment_id = 2000000000LL;
	for (i = 0; i < k && n > 0; i++) {
		fg_comment *c = &fg->comments[i];
		fg_issue *is = &fg->issues[rnd(fg) % (uint32_t)n];

		c->id = fg->next_comment_id++;
		c->issue = is->number;
		c->body =
		        (rnd(fg) % 8 == 0)
		                ? fg__strdup("")
		                : fg__strdup(
		                          "Thanks! I can reproduce this 👍 on main.");
		c->user = (int)(rnd(fg) % NUSERS);
		c->created = is->created + 60 + i;
		c->updated = c->created + (int64_t)(rnd(fg) % 120);
		is->ncomments++;
		if (!c->body)
			return -1;
	}
	fg->ncomments = k;
	fg->newest = base + (int64_t)n * 3600 + 86400;
	return 0;
}

void fg__free_data(fake_github *fg)
{
	int i;

	for (i = 0; i < fg->nissues; i++) {
		free(fg->issues[i].title);
		free(fg->issues[i].body);
	}
	for (i = 0; i < fg->ncomments; i++)
		free(fg->comments[i].body);
	free(fg->issues);
	free(fg->comments);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

/* Adds a formatted string member; the format stays a literal so that the
 * compiler checks it. */
#define ADDF(obj, key, ...)                                \
	do {                                               \
		char b_[512];                              \
		snprintf(b_, sizeof(b_), __VA_ARGS__);     \
		cJSON_AddStringToObject((obj), (key), b_); \
	} while (0)

static void add_time(cJSON *o, const char *k, int64_t t)
{
	char iso[32];

	if (!t) {
		cJSON_AddNullToObject(o, k);
		return;
	}
	fg__iso(iso, t);
	cJSON_AddStringToObject(o, k, iso);
}

static cJSON *user_json(int u)
{
	cJSON *o = cJSON_CreateObject();
	const char *l = users[u % NUSERS];
	char buf[256];

	cJSON_AddStringToObject(o, "login", l);
	cJSON_AddNumberToObject(o, "id", 327146 + u);
	cJSON_AddStringToObject(o, "node_id", "MDQ6VXNlcjMyNzE0Ng==");
	snprintf(buf, sizeof(buf),
	         "https://avatars.githubusercontent.com/u/%d?v=4", 327146 + u);
	cJSON_AddStringToObject(o, "avatar_url", buf);
	cJSON_AddStringToObject(o, "gravatar_id", "");
	snprintf(buf, sizeof(buf), "https://api.github.com/users/%s", l);
	cJSON_AddStringToObject(o, "url", buf);
	snprintf(buf, sizeof(buf), "https://github.com/%s", l);
	cJSON_AddStringToObject(o, "html_url", buf);
	cJSON_AddStringToObject(o, "type", u == 2 ? "Bot" : "User");
	cJSON_AddStringToObject(o, "user_view_type", "public");
	cJSON_AddFalseToObject(o, "site_admin");
	return o;
}

static cJSON *label_json(const fake_github *fg, int i)
{
	cJSON *o = cJSON_CreateObject();
	char buf[512];

	cJSON_AddNumberToObject(o, "id", 3330121 + i);
	cJSON_AddStringToObject(o, "node_id", "MDU6TGFiZWwzMzMwMTIx");
	snprintf(buf, sizeof(buf),
	         "https://api.github.com/repos/%s/%s/labels/%s", fg->owner,
	         fg->repo, labels[i].name);
	cJSON_AddStringToObject(o, "url", buf);
	cJSON_AddStringToObject(o, "name", labels[i].name);
	cJSON_AddStringToObject(o, "color", labels[i].color);
	cJSON_AddBoolToObject(o, "default", i == 0);
	add_str(o, "description", labels[i].desc);
	return o;
}

cJSON *fg__labels_json(const fake_github *fg)
{
	cJSON *a = cJSON_CreateArray();
	int i;

	for (i = 0; i < NLABELS; i++)
		cJSON_AddItemToArray(a, label_json(fg, i));
	return a;
}

static cJSON *reactions_json(const char *url, int total)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "url", url);
	cJSON_AddNumberToObject(o, "total_count", total);
	cJSON_AddNumberToObject(o, "+1", total);
	cJSON_AddNumberToObject(o, "-1", 0);
	cJSON_AddNumberToObject(o, "laugh", 0);
	cJSON_AddNumberToObject(o, "hooray", 0);
	cJSON_AddNumberToObject(o, "confused", 0);
	cJSON_AddNumberToObject(o, "heart", 0);
	cJSON_AddNumberToObject(o, "rocket", 0);
	cJSON_AddNumberToObject(o, "eyes", 0);
	return o;
}

cJSON *fg__issue_json(const fake_github *fg, const fg_issue *is)
{
	const char *o = fg->owner, *r = fg->repo;
	cJSON *j = cJSON_CreateObject(), *a;
	char url[512];
	int i, n = is->number;

#define API "https://api.github.com/repos/%s/%s"
	ADDF(j, "url", API "/issues/%d", o, r, n);
	ADDF(j, "repository_url", API, o, r);
	ADDF(j, "labels_url", API "/issues/%d/labels{/name}", o, r, n);
	ADDF(j, "comments_url", API "/issues/%d/comments", o, r, n);
	ADDF(j, "events_url", API "/issues/%d/events", o, r, n);
	ADDF(j, "html_url", "https://github.com/%s/%s/%s/%d", o, r,
	     is->is_pr ? "pull" : "issues", n);
	cJSON_AddNumberToObject(j, "id", (double)is->id);
	cJSON_AddStringToObject(j, "node_id", "MDU6SXNzdWU1MzI2MDk5");
	cJSON_AddNumberToObject(j, "number", n);
	add_str(j, "title", is->title);
	cJSON_AddItemToObject(j, "user", user_json(is->user));
	a = cJSON_AddArrayToObject(j, "labels");
	for (i = 0; i < is->nlabels; i++)
		cJSON_AddItemToArray(a, label_json(fg, is->labels[i]));
	cJSON_AddStringToObject(j, "state", is->closed ? "closed" : "open");
	cJSON_AddFalseToObject(j, "locked");
	if (is->assignee >= 0)
		cJSON_AddItemToObject(j, "assignee", user_json(is->assignee));
	else
		cJSON_AddNullToObject(j, "assignee");
	a = cJSON_AddArrayToObject(j, "assignees");
	if (is->assignee >= 0)
		cJSON_AddItemToArray(a, user_json(is->assignee));
	if (is->milestone) {
		cJSON *m = cJSON_AddObjectToObject(j, "milestone");

		ADDF(m, "url", API "/milestones/%d", o, r, is->milestone);
		cJSON_AddNumberToObject(m, "id", 150933 + is->milestone);
		cJSON_AddNumberToObject(m, "number", is->milestone);
		ADDF(m, "title", "Version 1.%d", is->milestone);
		cJSON_AddStringToObject(m, "description", "");
		cJSON_AddItemToObject(m, "creator", user_json(0));
		cJSON_AddNumberToObject(m, "open_issues", 1);
		cJSON_AddNumberToObject(m, "closed_issues", 3);
		cJSON_AddStringToObject(m, "state", "open");
		cJSON_AddStringToObject(m, "created_at",
		                        "2023-07-24T16:04:28Z");
		cJSON_AddNullToObject(m, "due_on");
	} else {
		cJSON_AddNullToObject(j, "milestone");
	}
	cJSON_AddNumberToObject(j, "comments", is->ncomments);
	add_time(j, "created_at", is->created);
	add_time(j, "updated_at", is->updated);
	add_time(j, "closed_at", is->closed_at);
	cJSON_AddStringToObject(j, "author_association",
	                        assoc[is->user % NUSERS]);
	cJSON_AddNullToObject(j, "active_lock_reason");
	if (is->is_pr) {
		cJSON *p;

		cJSON_AddFalseToObject(j, "draft");
		p = cJSON_AddObjectToObject(j, "pull_request");
		ADDF(p, "url", API "/pulls/%d", o, r, n);
		ADDF(p, "html_url", "https://github.com/%s/%s/pull/%d", o, r,
		     n);
		ADDF(p, "diff_url", "https://github.com/%s/%s/pull/%d.diff", o,
		     r, n);
		ADDF(p, "patch_url", "https://github.com/%s/%s/pull/%d.patch",
		     o, r, n);
		cJSON_AddNullToObject(p, "merged_at");
	}
	add_str(j, "body", is->body);
	snprintf(url, sizeof(url), API "/issues/%d/reactions", o, r, n);
	cJSON_AddItemToObject(j, "reactions",
	                      reactions_json(url, is->reactions));
	ADDF(j, "timeline_url", API "/issues/%d/timeline", o, r, n);
	cJSON_AddNullToObject(j, "performed_via_github_app");
	if (is->closed)
		cJSON_AddStringToObject(j, "state_reason", "completed");
	else
		cJSON_AddNullToObject(j, "state_reason");
	return j;
}

cJSON *fg__comment_json(const fake_github *fg, const fg_comment *c)
{
	const char *o = fg->owner, *r = fg->repo;
	cJSON *j = cJSON_CreateObject();
	char url[512];

	snprintf(url, sizeof(url),
	         "https://api.github.com/repos/%s/%s/issues/comments/%lld", o,
	         r, (long long)c->id);
	cJSON_AddStringToObject(j, "url", url);
	snprintf(url, sizeof(url),
	         "https://github.com/%s/%s/issues/%d#issuecomment-%lld", o, r,
	         c->issue, (long long)c->id);
	cJSON_AddStringToObject(j, "html_url", url);
	ADDF(j, "issue_url", API "/issues/%d", o, r, c->issue);
	cJSON_AddNumberToObject(j, "id", (double)c->id);
	cJSON_AddStringToObject(j, "node_id", "IC_kwDOADYVqs7ENefH");
	cJSON_AddItemToObject(j, "user", user_json(c->user));
	add_time(j, "created_at", c->created);
	add_time(j, "updated_at", c->updated);
	add_str(j, "body", c->body);
	cJSON_AddStringToObject(j, "author_association",
	                        assoc[c->user % NUSERS]);
	snprintf(
	        url, sizeof(url),
	        "https://api.github.com/repos/%s/%s/issues/comments/%lld/reactions",
	        o, r, (long long)c->id);
	cJSON_AddItemToObject(j, "reactions", reactions_json(url, 0));
	cJSON_AddNullToObject(j, "performed_via_github_app");
	return j;
}

cJSON *fg__repo_json(const fake_github *fg)
{
	const char *o = fg->owner, *r = fg->repo;
	cJSON *j = cJSON_CreateObject(), *t, *lic;
	int open = 0, i;

	for (i = 0; i < fg->nissues; i++)
		open += !fg->issues[i].closed;
	cJSON_AddNumberToObject(j, "id", (double)fg->repo_id);
	cJSON_AddStringToObject(j, "node_id", "MDEwOlJlcG9zaXRvcnkzNTQ0NDkw");
	cJSON_AddStringToObject(j, "name", r);
	ADDF(j, "full_name", "%s/%s", o, r);
	cJSON_AddFalseToObject(j, "private");
	cJSON_AddItemToObject(j, "owner", user_json(0));
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "owner"), "login",
	                          cJSON_CreateString(o));
	ADDF(j, "html_url", "https://github.com/%s/%s", o, r);
	cJSON_AddStringToObject(j, "description",
	                        "Typed interactions with the GitHub API v3");
	cJSON_AddFalseToObject(j, "fork");
	ADDF(j, "url", API, o, r);
	cJSON_AddStringToObject(j, "created_at", "2012-02-25T12:53:47Z");
	cJSON_AddStringToObject(j, "updated_at", "2024-09-17T08:17:56Z");
	cJSON_AddStringToObject(j, "pushed_at", "2024-09-16T19:42:46Z");
	cJSON_AddStringToObject(j, "homepage",
	                        "https://pygithub.readthedocs.io/");
	cJSON_AddNumberToObject(j, "size", 15575);
	cJSON_AddNumberToObject(j, "stargazers_count", 6969);
	cJSON_AddNumberToObject(j, "watchers_count", 6969);
	cJSON_AddStringToObject(j, "language", "Python");
	cJSON_AddTrueToObject(j, "has_issues");
	cJSON_AddNumberToObject(j, "forks_count", 1763);
	cJSON_AddFalseToObject(j, "archived");
	cJSON_AddFalseToObject(j, "disabled");
	cJSON_AddNumberToObject(j, "open_issues_count", open);
	lic = cJSON_AddObjectToObject(j, "license");
	cJSON_AddStringToObject(lic, "key", "lgpl-3.0");
	cJSON_AddStringToObject(lic, "name",
	                        "GNU Lesser General Public License v3.0");
	cJSON_AddStringToObject(lic, "spdx_id", "LGPL-3.0");
	t = cJSON_AddArrayToObject(j, "topics");
	cJSON_AddItemToArray(t, cJSON_CreateString("github"));
	cJSON_AddItemToArray(t, cJSON_CreateString("python"));
	cJSON_AddItemToArray(t, cJSON_CreateString("pygithub"));
	cJSON_AddStringToObject(j, "visibility", "public");
	cJSON_AddNumberToObject(j, "forks", 1763);
	cJSON_AddNumberToObject(j, "open_issues", open);
	cJSON_AddNumberToObject(j, "watchers", 6969);
	cJSON_AddStringToObject(j, "default_branch", "main");
	return j;
}

/* ---- Mutations (the control API of fake_github.h) ------------------- */

int fake_github_edit_issue(fake_github *fg, int number, const char *title,
                           const char *body)
{
	fg_issue *is;
	int rc = -1;

	pthread_mutex_lock(&fg->mu);
	if ((is = fg__find_issue(fg, number)) != NULL) {
		if (title) {
			free(is->title);
			is->title = fg__strdup(title);
		}
		if (body) {
			free(is->body);
			is->body = fg__strdup(body);
		}
		is->updated = fg__bump(fg);
		rc = 0;
	}
	pthread_mutex_unlock(&fg->mu);
	return rc;
}

int64_t fake_github_add_comment(fake_github *fg, int number, const char *body)
{
	fg_issue *is;
	int64_t id = -1;

	pthread_mutex_lock(&fg->mu);
	is = fg__find_issue(fg, number);
	if (is && fg->ncomments == fg->cap_comments) {
		int cap = fg->cap_comments * 2 + 16;
		fg_comment *n = realloc(fg->comments, sizeof(*n) * (size_t)cap);

		if (n) {
			fg->comments = n;
			fg->cap_comments = cap;
		}
	}
	if (is && fg->ncomments < fg->cap_comments) {
		fg_comment *c = &fg->comments[fg->ncomments];

		memset(c, 0, sizeof(*c));
		c->id = id = fg->next_comment_id++;
		c->issue = number;
		c->body = fg__strdup(body ? body : "");
		c->user = 4;
		c->created = c->updated = fg__bump(fg);
		fg->ncomments++;
		is->ncomments++;
		is->updated = c->updated; /* a comment updates its issue */
	}
	pthread_mutex_unlock(&fg->mu);
	return id;
}

int fake_github_add_issue(fake_github *fg, const char *title, const char *body,
                          int is_pull_request)
{
	int number = -1;

	pthread_mutex_lock(&fg->mu);
	if (fg->nissues == fg->cap_issues) {
		int cap = fg->cap_issues * 2 + 16;
		fg_issue *n = realloc(fg->issues, sizeof(*n) * (size_t)cap);

		if (n) {
			fg->issues = n;
			fg->cap_issues = cap;
		}
	}
	if (fg->nissues < fg->cap_issues) {
		fg_issue *is = &fg->issues[fg->nissues];

		memset(is, 0, sizeof(*is));
		is->number = number = fg->nissues + 1;
		is->id = 1000000000LL + (int64_t)fg->nissues * 7;
		is->title = fg__strdup(title ? title : "New issue");
		is->body = body ? fg__strdup(body) : NULL;
		is->is_pr = is_pull_request != 0;
		is->status = 200;
		is->assignee = -1;
		is->created = is->updated = fg__bump(fg);
		fg->nissues++;
	}
	pthread_mutex_unlock(&fg->mu);
	return number;
}

int fake_github_set_issue_status(fake_github *fg, int number, int status)
{
	fg_issue *is;
	int rc = -1;

	pthread_mutex_lock(&fg->mu);
	if ((is = fg__find_issue(fg, number)) != NULL) {
		is->status = status;
		rc = 0;
	}
	pthread_mutex_unlock(&fg->mu);
	return rc;
}

int fake_github_set_issue_body_size(fake_github *fg, int number, size_t n)
{
	fg_issue *is;
	char *b = malloc(n + 1);
	int rc = -1;

	if (!b)
		return -1;
	memset(b, 'x', n);
	b[n] = '\0';
	pthread_mutex_lock(&fg->mu);
	if ((is = fg__find_issue(fg, number)) != NULL) {
		free(is->body);
		is->body = b;
		b = NULL;
		is->updated = fg__bump(fg);
		rc = 0;
	}
	pthread_mutex_unlock(&fg->mu);
	free(b);
	return rc;
}

int fake_github_issue_count(fake_github *fg)
{
	int n;

	pthread_mutex_lock(&fg->mu);
	n = fg->nissues;
	pthread_mutex_unlock(&fg->mu);
	return n;
}

int fake_github_comment_count(fake_github *fg)
{
	int n;

	pthread_mutex_lock(&fg->mu);
	n = fg->ncomments;
	pthread_mutex_unlock(&fg->mu);
	return n;
}
