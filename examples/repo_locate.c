/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: index a small repository and rank its files for an issue.
 *
 * Writes a three-file Python project under $ISG_EXAMPLE_TMPDIR (or /tmp),
 * indexes it (the index is cached next to it), prints what the index knows
 * about the project, then the ranking for an issue with a stack trace.
 *
 *   cc repo_locate.c $(pkg-config --cflags --libs issuesight)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

static int write_file(const char *dir, const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

int main(void)
{
	const char *tmp = getenv("ISG_EXAMPLE_TMPDIR");
	const char *issue = "Shapes: area() of a Circle is wrong\n\n"
	                    "Traceback (most recent call last):\n"
	                    "  File \"demo.py\", line 2, in <module>\n"
	                    "  File \"shapes/circle.py\", line 6, in area\n"
	                    "ZeroDivisionError: division by zero\n";
	char root[512], src[600], cache[600];
	isg_repo_options ro = ISG_REPO_OPTIONS_INIT;
	isg_locate_options lo = ISG_LOCATE_OPTIONS_INIT;
	isg_locate_result *res = NULL;
	isg_buf json = ISG_BUF_INIT, cmd = ISG_BUF_INIT;
	isg_repo *repo = NULL;
	size_t i, j;
	int rc = 1;

	snprintf(root, sizeof(root), "%s/isg-example-%ld", tmp ? tmp : "/tmp",
	         (long)getpid());
	snprintf(src, sizeof(src), "%s/project", root);
	snprintf(cache, sizeof(cache), "%s/cache", root);
	mkdir(root, 0755);
	mkdir(src, 0755);
	snprintf(cache, sizeof(cache), "%s/project/shapes", root);
	mkdir(cache, 0755);
	snprintf(cache, sizeof(cache), "%s/project/tests", root);
	mkdir(cache, 0755);
	snprintf(cache, sizeof(cache), "%s/cache", root);
	if (write_file(src, "shapes/circle.py",
	               "\"\"\"Circles.\"\"\"\nimport math\n\n\nclass Circle:\n"
	               "    def area(self):\n        return math.pi / 0\n") ||
	    write_file(
	            src, "shapes/square.py",
	            "class Square:\n    def area(self):\n        return 1\n") ||
	    write_file(src, "tests/test_circle.py",
	               "from shapes.circle import Circle\n\n"
	               "def test_area():\n    Circle().area()\n") ||
	    write_file(src, "setup.py", "from setuptools import setup\n")) {
		fprintf(stderr, "cannot write the example project under %s\n",
		        root);
		return 1;
	}
	if (isg_global_init() != ISG_OK)
		return 1;
	ro.path_or_url = src;
	ro.cache_dir = cache;
	if (isg_repo_open(&repo, &ro) != ISG_OK) {
		fprintf(stderr, "open: %s\n", isg_error_last()->message);
		goto done;
	}
	printf("indexed %zu files, %zu definitions, identity %s\n",
	       isg_repo_file_count(repo), isg_repo_definition_count(repo),
	       isg_repo_commit(repo));
	if (isg_repo_test_command(&cmd, repo) == ISG_OK)
		printf("test command: %s (from %s)\n", cmd.ptr,
		       isg_repo_test_command_origin(repo));
	lo.top_k = 3;
	if (isg_locate_run(&res, repo, issue, strlen(issue), &lo) != ISG_OK) {
		fprintf(stderr, "locate: %s\n", isg_error_last()->message);
		goto done;
	}
	for (i = 0; i < isg_locate_result_count(res, ISG_LOCATE_CHANGE); i++) {
		printf("%zu. %s (%.2f)\n", i + 1,
		       isg_locate_result_path(res, ISG_LOCATE_CHANGE, i),
		       isg_locate_result_score(res, ISG_LOCATE_CHANGE, i));
		for (j = 0; j < isg_locate_result_reason_count(
		                        res, ISG_LOCATE_CHANGE, i);
		     j++)
			printf("   - %s\n",
			       isg_locate_result_reason(res, ISG_LOCATE_CHANGE,
			                                i, j));
		for (j = 0; j < isg_locate_result_symbol_count(
		                        res, ISG_LOCATE_CHANGE, i);
		     j++)
			printf("   symbol %s (line %u)%s\n",
			       isg_locate_result_symbol_name(
			               res, ISG_LOCATE_CHANGE, i, j),
			       isg_locate_result_symbol_line(
			               res, ISG_LOCATE_CHANGE, i, j),
			       isg_locate_result_symbol_mentioned(
			               res, ISG_LOCATE_CHANGE, i, j)
			               ? ", named in the issue"
			               : "");
	}
	for (i = 0; i < isg_locate_result_count(res, ISG_LOCATE_READ); i++)
		printf("read: %s [%s]\n",
		       isg_locate_result_path(res, ISG_LOCATE_READ, i),
		       isg_locate_result_role(res, ISG_LOCATE_READ, i));
	/* The definitions to open, across files, best first. */
	for (i = 0; i < isg_locate_result_definition_count(res) && i < 3; i++)
		printf("open: %s (%s, %s line %u, %.2f)\n",
		       isg_locate_result_definition(res, i),
		       isg_locate_result_definition_kind(res, i),
		       isg_locate_result_definition_path(res, i),
		       isg_locate_result_definition_line(res, i),
		       isg_locate_result_definition_score(res, i));
	if (isg_locate_result_json(&json, res) != ISG_OK)
		goto done;
	printf("%s\n", json.ptr);
	rc = strcmp(isg_locate_result_path(res, ISG_LOCATE_CHANGE, 0),
	            "shapes/circle.py") == 0
	             ? 0
	             : 1;
done:
	isg_buf_dispose(&json);
	isg_buf_dispose(&cmd);
	isg_locate_result_free(res);
	isg_repo_free(repo);
	isg_global_shutdown();
	return rc;
}
