/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: build a Context Bridge with the offline engine.
 *
 * Writes a two-file Python project and an issue into a temporary
 * directory (ISG_EXAMPLE_TMPDIR, else /tmp), generates the bridge, reads a
 * few of its parts, and prints it as Markdown and as JSON. No network and
 * no service are needed.
 *
 *   cc bridge_generate.c $(pkg-config --cflags --libs issuesight)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <issuesight/issuesight.h>

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

int main(void)
{
	const char *base = getenv("ISG_EXAMPLE_TMPDIR");
	const char *issue =
	        "parse_port accepts port 0\n\n"
	        "`parse_port(\"0\")` in netcfg/ports.py returns 0 instead of raising ValueError.\n";
	isg_bridge_options opts = ISG_BRIDGE_OPTIONS_INIT;
	const isg_bridge_architecture *arch;
	isg_buf md = ISG_BUF_INIT, json = ISG_BUF_INIT;
	isg_bridge *bridge = NULL;
	char dir[512], sub[600], cache[600];
	int rc;

	snprintf(dir, sizeof(dir), "%s/bridge_example_repo",
	         base ? base : "/tmp");
	snprintf(sub, sizeof(sub), "%s/netcfg", dir);
	snprintf(cache, sizeof(cache), "%s.cache", dir);
	mkdir(dir, 0755);
	mkdir(sub, 0755);
	if (write_file(dir, "netcfg/ports.py",
	               "\"\"\"Port number parsing.\"\"\"\n\n"
	               "def parse_port(text):\n"
	               "    \"\"\"Parse a TCP port (1-65535).\"\"\"\n"
	               "    return int(text)\n") != 0 ||
	    write_file(dir, "Makefile", "test:\n\tpython3 -m pytest\n") != 0) {
		fprintf(stderr, "cannot write the example project in %s\n",
		        dir);
		return 1;
	}
	if (isg_global_init() != ISG_OK)
		return 1;

	opts.repo = dir;
	opts.cache_dir = cache;
	opts.issue_text = issue;
	opts.issue_text_len = strlen(issue);
	rc = isg_bridge_generate(&bridge, &opts);
	if (rc != ISG_OK) {
		fprintf(stderr, "bridge: %s (%s)\n", isg_error_last()->message,
		        isg_error_name(rc));
		isg_global_shutdown();
		return 1;
	}
	arch = isg_bridge_get_architecture(bridge);
	printf("verdict: %s (score %.2f)\n",
	       isg_bridge_get_verdict(bridge)->difficulty,
	       isg_bridge_get_verdict(bridge)->score);
	printf("open first: %s\n",
	       arch->entry_point ? arch->entry_point : "(none)");
	printf("test command: %s\n",
	       isg_bridge_get_guide(bridge)->test_command
	               ? isg_bridge_get_guide(bridge)->test_command
	               : "(none)");

	if (isg_bridge_to_markdown(&md, bridge) != ISG_OK ||
	    isg_bridge_to_json(&json, bridge, 0) != ISG_OK ||
	    isg_bridge_validate(json.ptr, json.size) != ISG_OK) {
		fprintf(stderr, "render: %s\n", isg_error_last()->message);
		rc = 1;
	} else {
		fwrite(md.ptr, 1, md.size, stdout);
		printf("\nJSON: %zu bytes, valid against the schema\n",
		       json.size);
	}
	isg_buf_dispose(&md);
	isg_buf_dispose(&json);
	isg_bridge_free(bridge);
	isg_global_shutdown();
	return rc == ISG_OK ? 0 : 1;
}
