/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the tar reader of repository snapshots
 * (isg__snapshot_tar_read()): the input is an uncompressed tar stream read from
 * memory, and the sink only checks what the reader promises (relative
 * names without "..", sizes within the caps, data matching the size).
 * The same entry point replays the committed corpus in the normal test
 * run (fuzz_replay.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

#include "core_int.h"
#include "snapshot_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct mem {
	const uint8_t *p;
	size_t n, at;
} mem;

typedef struct check {
	long long want, got;
} check;

static int mem_read(void *src, void *buf, size_t n, size_t *got)
{
	mem *m = src;
	size_t k = m->n - m->at < n ? m->n - m->at : n;

	memcpy(buf, m->p + m->at, k);
	m->at += k;
	*got = k;
	return k == n ? ISG_OK : ISG_EPARSE;
}

/* 1 when a segment of `name` is "..": `a../b` is a harmless name. */
static int has_dotdot(const char *name)
{
	const char *seg = name;

	for (;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);

		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			return 1;
		if (!end)
			return 0;
		seg = end + 1;
	}
}

static int on_begin(void *sink, const isg__tar_entry *e)
{
	check *c = sink;

	if (e->name[0] == '/' || !e->name[0] || has_dotdot(e->name) ||
	    e->size < 0 || e->size > 1 << 20)
		abort();
	c->want = e->size;
	c->got = 0;
	return ISG_OK;
}

static int on_data(void *sink, const void *buf, size_t n)
{
	check *c = sink;

	(void)buf;
	c->got += (long long)n;
	return ISG_OK;
}

static int on_end(void *sink)
{
	check *c = sink;

	if (c->got != c->want)
		abort();
	return ISG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const isg__tar_ops ops = { mem_read, on_begin, on_data, on_end };
	isg_snapshot_limits lim = ISG_SNAPSHOT_LIMITS_INIT;
	isg_snapshot_stats st;
	mem m = { data, size, 0 };
	check c = { 0, 0 };

	memset(&st, 0, sizeof(st));
	lim.max_bytes = 4 << 20;
	lim.max_file_bytes = 1 << 20;
	lim.max_entries = 1000;
	lim.strip_components = 1;
	isg__snapshot_tar_read(&ops, &m, &c, &st, &lim);
	if (st.commit[sizeof(st.commit) - 1] != '\0')
		abort();
	return 0;
}
