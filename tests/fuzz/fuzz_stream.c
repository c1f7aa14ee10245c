/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for what a stream consumer reads from outside: the
 * fields of a Redis Streams entry (isg__stream_entry_check(): the `data`
 * field and its JSON payload with schema_version) and the collector's task
 * message (isg__collector_parse_task()). Both are pure functions, so no
 * Redis is needed. The same entry point replays the committed corpus in
 * the normal test run (fuzz_replay.c).
 *
 * Input: the first byte picks the supported schema_version (1 + b % 3);
 * the rest is the entry's name/value strings separated by NUL bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

#include "collector_int.h"
#include "core_int.h"
#include "stream_int.h"

#define MAX_FIELDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_task(const char *text, size_t len)
{
	isg__collector_task t;
	cJSON *doc = NULL;
	int rc = isg__collector_parse_task(&t, &doc, "0-1", text, len);

	if (rc == ISG_OK) {
		/* A valid task names a repository and a positive number. */
		if (!doc || !t.owner || !t.repo || t.number <= 0 ||
		    t.number > 2147483647 ||
		    isg__collector_check_name(t.owner, "owner") != ISG_OK ||
		    isg__collector_check_name(t.repo, "repo") != ISG_OK)
			abort();
	} else if (doc) {
		abort(); /* nothing is kept on failure */
	}
	cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *fv[MAX_FIELDS];
	size_t lens[MAX_FIELDS], n = 0, start = 1, i;
	char reason[ISG_ERROR_MESSAGE_MAX + 64];
	isg__stream_entry ent;
	int want, rc, version = 0;

	if (size < 1)
		return 0;
	want = 1 + data[0] % 3;
	for (i = 1; i <= size && n < MAX_FIELDS; i++) {
		if (i == size || data[i] == '\0') {
			fv[n] = (const char *)data + start;
			lens[n++] = i - start;
			start = i + 1;
		}
	}
	rc = isg__stream_entry_check(&ent, fv, lens, n, want, reason,
	                             sizeof(reason));
	if (rc == ISG_OK) {
		/* Accepted: a data field whose JSON has the wanted version. */
		if (!ent.data || ent.version != want ||
		    isg__stream_check_message(ent.data, ent.len, &version) !=
		            ISG_OK ||
		    version != want)
			abort();
		check_task(ent.data, ent.len);
	} else if (rc == ISG_EINVALID) {
		if (!reason[0] || strncmp(reason, "malformed message", 17) != 0)
			abort();
	} else if (rc != ISG_ENOMEM) {
		abort();
	}
	/* The whole input as one payload, too. */
	isg__stream_check_message((const char *)data + 1, size - 1, &version);
	check_task((const char *)data + 1, size - 1);
	return 0;
}
