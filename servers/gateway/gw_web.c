/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The web UI: a Next.js static export (WEB_ROOT, e.g. web/out) served by
 * the gateway. Pages are loaded once at start, each with a
 * Content-Security-Policy that allows exactly its inline scripts by their
 * SHA-256 (never 'unsafe-inline'); dynamic addresses map to their shell
 * page (/{owner}/{repo}/issues/{n} -> bridge.html); /_next/ assets are
 * read from the export, inside it only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gw.h"

#define PAGE_MAX (4u << 20)
#define ASSET_MAX (16u << 20)

static const char *const page_names[GW_WEB_PAGES] = {
	"index",   "discover", "concepts", "concept", "projects",
	"project", "me",       "bridge",   "404",
};

/* A file of the export, read with the library's one safe reader: inside
 * the web root, regular files only, up to `max` bytes. The bytes come from
 * the library's allocator, which is malloc: the gateway installs no hooks. */
static char *slurp(const char *root, const char *rel, size_t max, size_t *len)
{
	isg_buf b = ISG_BUF_INIT;

	if (isg_file_read_in_tree(&b, root, rel, max, 0) != ISG_OK) {
		isg_buf_dispose(&b);
		return NULL;
	}
	*len = b.size;
	return b.ptr;
}

/* The page's Content-Security-Policy header around its script hashes. */
static const char csp_head[] =
        "Content-Security-Policy: default-src 'self'; script-src 'self'";
static const char csp_tail[] =
        "; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'\r\n";

/* 1 when the tag [open, gt) has a src attribute. */
static int has_src(const char *open, const char *gt)
{
	for (; open + 5 <= gt; open++)
		if (strncmp(open, " src=", 5) == 0)
			return 1;
	return 0;
}

/* Appends 'sha256-...' (standard base64) of each inline script. */
static int script_hashes(isg_buf *out, const char *html)
{
	char b64[ISG_AUTH_SECRET_SIZE], *body;
	const char *p = html, *open, *gt, *close;
	size_t i, n;

	while ((open = strstr(p, "<script")) != NULL) {
		gt = strchr(open, '>');
		if (!gt)
			break;
		close = strstr(gt, "</script>");
		if (!close)
			break;
		p = close + 9;
		/* <script src=...> runs a file from 'self', not inline code. */
		if (has_src(open, gt))
			continue;
		n = (size_t)(close - (gt + 1));
		body = malloc(n + 1);
		if (!body)
			return -1;
		memcpy(body, gt + 1, n);
		body[n] = '\0';
		isg_auth_pkce_challenge(b64, body);
		free(body);
		for (i = 0; b64[i]; i++)
			b64[i] = b64[i] == '-'   ? '+'
			         : b64[i] == '_' ? '/'
			                         : b64[i];
		if (isg_buf_put(out, " 'sha256-", 9) != ISG_OK ||
		    isg_buf_put(out, b64, i) != ISG_OK ||
		    isg_buf_put(out, "='", 2) != ISG_OK)
			return -1;
	}
	return 0;
}

int gw_web_load(gw *g, const char *root)
{
	char path[4096];
	int i;

	snprintf(g->web_root, sizeof(g->web_root), "%s", root);
	for (i = 0; i < GW_WEB_PAGES; i++) {
		struct gw_page *pg = &g->pages[i];
		isg_buf *csp = &pg->csp;

		snprintf(path, sizeof(path), "%s.html", page_names[i]);
		pg->body = slurp(root, path, PAGE_MAX, &pg->len);
		if (!pg->body)
			continue;
		if (isg_buf_put(csp, csp_head, sizeof(csp_head) - 1) !=
		            ISG_OK ||
		    script_hashes(csp, pg->body) != 0 ||
		    isg_buf_put(csp, csp_tail, sizeof(csp_tail) - 1) != ISG_OK)
			return -1;
	}
	return g->pages[0].body ? 0 : -1;
}

void gw_web_free(gw *g)
{
	int i;

	for (i = 0; i < GW_WEB_PAGES; i++) {
		free(g->pages[i].body);
		isg_buf_dispose(&g->pages[i].csp);
	}
}

/* The page of a path (segments), or -1. */
static int page_of(gw_req *r)
{
	char **s = r->seg;
	int n = r->nseg, i;

	if (n == 0)
		return 0;
	for (i = 1; i <= 6; i++)
		if (n == 1 && strcmp(s[0], page_names[i]) == 0 &&
		    (i == 1 || i == 2 || i == 4 || i == 6))
			return i;
	if (n == 2 && strcmp(s[0], "concepts") == 0)
		return 3;
	if (n == 3 && strcmp(s[0], "projects") == 0)
		return 5;
	if (n == 4 && strcmp(s[2], "issues") == 0)
		return 7;
	return -1;
}

static const char *asset_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".js"))
		return "text/javascript";
	if (!strcmp(dot, ".css"))
		return "text/css";
	if (!strcmp(dot, ".woff2"))
		return "font/woff2";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".json"))
		return "application/json";
	return "application/octet-stream";
}

/* /_next/...: the segments were checked by gw_split_path (no "..", no
 * empty one, URL-safe characters); hidden names are refused too. */
static int serve_asset(gw_req *r)
{
	char path[4096];
	size_t len = 0, o;
	char *body;
	int i, rc;

	for (o = 0, i = 0; i < r->nseg && o < sizeof(path); i++) {
		if (r->seg[i][0] == '.')
			return -1;
		o += (size_t)snprintf(path + o, sizeof(path) - o, "%s%s",
		                      i ? "/" : "", r->seg[i]);
	}
	if (o >= sizeof(path) ||
	    !(body = slurp(r->g->web_root, path, ASSET_MAX, &len)))
		return -1;
	rc = gw_send(r, 200, asset_type(path),
	             "Cache-Control: public, max-age=31536000, immutable\r\n",
	             body, len);
	free(body);
	return rc;
}

int gw_web_serve(gw_req *r)
{
	const struct gw_page *pg;
	int i = page_of(r), status = 200;

	if (i < 0 && r->nseg > 1 && strcmp(r->seg[0], "_next") == 0 &&
	    serve_asset(r) > 0)
		return r->status;
	if (i < 0 || !r->g->pages[i].body) {
		i = 8;
		status = 404;
	}
	pg = &r->g->pages[i];
	if (!pg->body)
		return gw_error(r, 404, "not_found", "no such resource");
	r->csp = pg->csp.ptr;
	return gw_send(r, status, "text/html; charset=utf-8",
	               "Cache-Control: no-cache\r\n", pg->body, pg->len);
}
