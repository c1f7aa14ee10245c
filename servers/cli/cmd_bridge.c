/* SPDX-License-Identifier: Apache-2.0 */
/*
 * issuesight bridge: build the Context Bridge of one issue with the
 * offline engine and print it as Markdown or JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Issue files larger than this are refused (the library reads 1 MiB). */
#define ISSUE_FILE_MAX ((size_t)16 << 20)

static void bridge_usage(FILE *f)
{
	fprintf(f,
	        "usage: issuesight bridge --repo DIR|URL (--issue-text FILE | "
	        "--issue-json FILE)\n"
	        "                         [--format md|json] [--top K] "
	        "[--compact] [--issue-repo OWNER/NAME]\n\n"
	        "Builds the Context Bridge of an issue with the offline engine "
	        "(no network,\nno key) and prints it on stdout.\n\n"
	        "  --repo DIR|URL       the repository: a directory or a git "
	        "URL (cloned into\n"
	        "                       ISSUESIGHT_CACHE_DIR)\n"
	        "  --issue-text FILE    the issue as text: first line title, "
	        "then the body\n"
	        "  --issue-json FILE    a GitHub issue object (title, body, "
	        "labels, comments)\n"
	        "  --format md|json     Markdown (default) or the JSON "
	        "document of\n"
	        "                       docs/bridge.schema.json\n"
	        "  --top K              how many files to rank, 1-50 (default "
	        "5)\n"
	        "  --compact            JSON on one line\n"
	        "  --issue-repo O/N     the issue's repository when the issue "
	        "does not say\n\n"
	        "FILE may be '-' for standard input.\n");
}

/* Reads a whole file (or stdin for "-"); prints the error itself. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *data = NULL, *p;
	size_t cap = 0, n = 0, got;

	if (!f) {
		fprintf(stderr, "issuesight bridge: cannot open '%s': %s\n",
		        path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(data, cap);
			if (!p) {
				fprintf(stderr,
				        "issuesight bridge: out of "
				        "memory reading '%s'\n",
				        path);
				goto fail;
			}
			data = p;
		}
		got = fread(data + n, 1, cap - n - 1, f);
		n += got;
		if (n > ISSUE_FILE_MAX) {
			fprintf(stderr,
			        "issuesight bridge: '%s' is larger than %zu "
			        "bytes\n",
			        path, ISSUE_FILE_MAX);
			goto fail;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "issuesight bridge: cannot read '%s': %s\n",
		        path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
fail:
	if (f != stdin)
		fclose(f);
	free(data);
	return NULL;
}

int cli_bridge(int argc, char **argv, isg_config *cfg)
{
	isg_bridge_options opts = ISG_BRIDGE_OPTIONS_INIT;
	const char *text_file = NULL, *json_file = NULL, *format = "md";
	isg_buf out = ISG_BUF_INIT;
	isg_bridge *b = NULL;
	char *issue = NULL, *end;
	size_t len = 0;
	int i, rc, compact = 0, ret = SRV_EXIT_OK;
	long top = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			bridge_usage(stdout);
			return SRV_EXIT_OK;
		} else if (strcmp(a, "--compact") == 0) {
			compact = 1;
			continue;
		}
		if (!v || (strcmp(a, "--repo") && strcmp(a, "--issue-text") &&
		           strcmp(a, "--issue-json") && strcmp(a, "--format") &&
		           strcmp(a, "--top") && strcmp(a, "--issue-repo"))) {
			fprintf(stderr, "issuesight bridge: %s '%s'\n",
			        v ? "unknown option" : "missing value after",
			        a);
			bridge_usage(stderr);
			return SRV_EXIT_USAGE;
		}
		i++;
		if (strcmp(a, "--repo") == 0)
			opts.repo = v;
		else if (strcmp(a, "--issue-text") == 0)
			text_file = v;
		else if (strcmp(a, "--issue-json") == 0)
			json_file = v;
		else if (strcmp(a, "--format") == 0)
			format = v;
		else if (strcmp(a, "--issue-repo") == 0)
			opts.issue_repo = v;
		else {
			errno = 0;
			top = strtol(v, &end, 10);
			if (errno || *end || end == v || top < 1 || top > 50) {
				fprintf(stderr,
				        "issuesight bridge: --top '%s' is not "
				        "a "
				        "number from 1 to 50\n",
				        v);
				return SRV_EXIT_USAGE;
			}
		}
	}
	if (!opts.repo || !text_file == !json_file) {
		fprintf(stderr, "issuesight bridge: %s\n",
		        !opts.repo ? "--repo is required"
		                   : "give exactly one of --issue-text and "
		                     "--issue-json");
		bridge_usage(stderr);
		return SRV_EXIT_USAGE;
	}
	if (strcmp(format, "md") && strcmp(format, "json")) {
		fprintf(stderr,
		        "issuesight bridge: --format '%s' is not md or json\n",
		        format);
		return SRV_EXIT_USAGE;
	}
	issue = read_all(text_file ? text_file : json_file, &len);
	if (!issue)
		return SRV_EXIT_FAILURE;
	if (text_file) {
		opts.issue_text = issue;
		opts.issue_text_len = len;
	} else {
		opts.issue_json = issue;
		opts.issue_json_len = len;
	}
	opts.top_k = (size_t)top;
	opts.config = cfg;
	rc = isg_bridge_generate(&b, &opts);
	if (rc != ISG_OK) {
		ret = srv_fail("issuesight bridge",
		               json_file && rc == ISG_EPARSE ? json_file
		                                             : "generate",
		               rc);
		goto done;
	}
	if (strcmp(format, "json") == 0)
		rc = isg_bridge_to_json(&out, b,
		                        compact ? 0 : ISG_BRIDGE_JSON_PRETTY);
	else
		rc = isg_bridge_to_markdown(&out, b);
	if (rc != ISG_OK) {
		ret = srv_fail("issuesight bridge", "render", rc);
		goto done;
	}
	fwrite(out.ptr, 1, out.size, stdout);
	if (compact && strcmp(format, "json") == 0)
		fputc('\n', stdout);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "issuesight bridge: writing: %s\n",
		        strerror(errno));
		ret = SRV_EXIT_FAILURE;
	}
done:
	isg_buf_dispose(&out);
	isg_bridge_free(b);
	free(issue);
	return ret;
}
