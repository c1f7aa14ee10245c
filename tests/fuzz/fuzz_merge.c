/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the merge of a model's answer into the offline
 * bridge (isg_bridge_llm_merge()): the answer is outside data, shaped by
 * whatever the issue's text talked the model into. Whatever the answer,
 * the merge either refuses it with a message (ISG_EPARSE, the text of the
 * repair prompt) or yields a bridge that passes the bridge schema and
 * names no file the repository lacks. The offline bridge and the
 * repository are the bundled sample's (examples/sample), made once. The
 * same entry point replays the committed corpus in the normal test run
 * (fuzz_replay.c).
 *
 * Input: the model's answer (JSON text).
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

#ifndef ISG_FUZZ_SOURCE_ROOT
#error "ISG_FUZZ_SOURCE_ROOT (the source tree) is set by tests/fuzz/meson.build"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char cache_dir[64];
static isg_repo *repo;
static isg_bridge *offline;
static int ready;

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void teardown(void)
{
	isg_bridge_free(offline);
	isg_repo_free(repo);
	nftw(cache_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *read_all(const char *path, size_t *len)
{
	isg_buf b = ISG_BUF_INIT;
	char *out;

	if (isg_file_read(&b, path, 1 << 20, 0) != ISG_OK)
		return NULL;
	out = malloc(b.size + 1);
	if (out) {
		memcpy(out, b.ptr, b.size + 1);
		*len = b.size;
	}
	isg_buf_dispose(&b);
	return out;
}

/* The sample's repository and offline bridge, made on the first input. */
static int setup(void)
{
	isg_repo_options ro = ISG_REPO_OPTIONS_INIT;
	isg_bridge_options bo = ISG_BRIDGE_OPTIONS_INIT;
	char *issue;
	size_t len = 0;
	int rc;

	snprintf(cache_dir, sizeof(cache_dir), "/tmp/isg-fuzz-merge-XXXXXX");
	if (!mkdtemp(cache_dir))
		abort();
	atexit(teardown);
	ro.path_or_url = ISG_FUZZ_SOURCE_ROOT "/examples/sample/repo";
	ro.cache_dir = cache_dir;
	if (isg_repo_open(&repo, &ro) != ISG_OK)
		abort();
	issue = read_all(ISG_FUZZ_SOURCE_ROOT "/examples/sample/issue.json",
	                 &len);
	if (!issue)
		abort();
	bo.repo_handle = repo;
	bo.issue_json = issue;
	bo.issue_json_len = len;
	rc = isg_bridge_generate(&offline, &bo);
	free(issue);
	if (rc != ISG_OK)
		abort();
	return 0;
}

/* Every file of the merged architecture is one the repository has. */
static void check_grounded(const isg_bridge *b)
{
	const isg_bridge_architecture *a = isg_bridge_get_architecture(b);
	size_t i;

	for (i = 0; a && i < a->nfiles; i++) {
		size_t at;

		if (isg_repo_file_find(&at, repo, a->files[i].path) != ISG_OK)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	isg_bridge_llm_input in = ISG_BRIDGE_LLM_INPUT_INIT;
	isg_bridge_llm_report rep;
	isg_bridge *b = NULL;
	isg_buf js = ISG_BUF_INIT;
	int rc;

	if (!ready)
		ready = setup() == 0;
	in.offline = offline;
	in.repo = repo;
	rc = isg_bridge_llm_merge(&b, &rep, &in, (const char *)data, size,
	                          "fuzz-model", 10, 10);
	if (rc == ISG_OK) {
		if (!b || isg_bridge_to_json(&js, b, 0) != ISG_OK ||
		    isg_bridge_validate(js.ptr, js.size) != ISG_OK)
			abort();
		check_grounded(b);
	} else if (b || (rc != ISG_EPARSE && rc != ISG_ENOMEM) ||
	           !isg_error_last()->message[0]) {
		fprintf(stderr, "fuzz_merge: status %d: %s\n", rc,
		        isg_error_last()->message);
		abort();
	}
	isg_buf_dispose(&js);
	isg_bridge_free(b);
	return 0;
}
