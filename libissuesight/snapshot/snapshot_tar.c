/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snapshot_tar: a tar reader for archives from outside. It knows ustar
 * headers, GNU long names ('L') and pax headers ('x' per entry, 'g'
 * global), checks every header's checksum, and refuses any name that is
 * absolute or climbs with "..". Links, devices and unknown types are read
 * past and counted, never handed on.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "snapshot_int.h"

#define MOD "snapshot"
#define BLOCK 512
#define PAX_MAX (1 << 20)

typedef struct reader {
	const isg__tar_ops *ops;
	void *src, *sink;
	isg_snapshot_stats *st;
	const isg_snapshot_limits *lim;
	long long offset, entries;
	char longname[ISG__TAR_NAME_MAX];
	int have_long;
} reader;

static int rd(reader *r, void *buf, size_t n)
{
	size_t got = 0;
	int rc = r->ops->read(r->src, buf, n, &got);

	r->offset += (long long)got;
	if (rc == ISG_EPARSE)
		return isg__error_set(
		        ISG_EPARSE, MOD,
		        "the archive ends inside an entry at byte %lld",
		        r->offset);
	return rc;
}

/* Parses an octal (or base-256) numeric field. -1 when malformed. */
static long long number(const unsigned char *f, size_t n)
{
	long long v = 0;
	size_t i = 0;

	if (f[0] & 0x80) {
		/* GNU base-256: positive values only. */
		if (f[0] != 0x80)
			return -1;
		for (i = 1; i < n; i++) {
			if (v > (1LL << 54))
				return -1;
			v = v * 256 + f[i];
		}
		return v;
	}
	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > (1LL << 54))
			return -1;
		v = v * 8 + (f[i] - '0');
	}
	for (; i < n; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	return v;
}

static int checksum_ok(const unsigned char *h)
{
	long long want = number(h + 148, 8);
	long long sum = 0;
	int i;

	for (i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return want == sum;
}

static int all_zero(const unsigned char *h)
{
	int i;

	for (i = 0; i < BLOCK; i++)
		if (h[i])
			return 0;
	return 1;
}

/* Reads and drops `size` bytes of data plus the padding. */
static int skip(reader *r, long long size)
{
	unsigned char buf[BLOCK];
	long long left = (size + BLOCK - 1) / BLOCK * BLOCK;
	int rc = ISG_OK;

	while (rc == ISG_OK && left > 0) {
		rc = rd(r, buf, BLOCK);
		left -= BLOCK;
	}
	return rc;
}

/* Checks a name and strips the leading components into `out`. Returns
 * ISG_OK, ISG_EFORBIDDEN, or ISG_ENOTFOUND for a name that strips to
 * nothing (the top folder itself). */
static int clean_name(char *out, const char *name, int strip)
{
	const char *p = name, *seg;
	size_t used = 0;
	int depth = 0;

	if (name[0] == '/' || name[0] == '\\')
		return isg__error_set(
		        ISG_EFORBIDDEN, MOD,
		        "archive entry '%.200s' is an absolute path", name);
	out[0] = '\0';
	while (*p) {
		size_t n;

		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (*p == '/')
			p++;
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			return isg__error_set(
			        ISG_EFORBIDDEN, MOD,
			        "archive entry '%.200s' climbs with '..'",
			        name);
		if (memchr(seg, '\\', n))
			return isg__error_set(
			        ISG_EFORBIDDEN, MOD,
			        "archive entry '%.200s' has a backslash", name);
		if (depth++ < strip)
			continue;
		if (used + n + 2 > ISG__TAR_NAME_MAX)
			return isg__error_set(ISG_EFORBIDDEN, MOD,
			                      "archive entry name is too long");
		if (used)
			out[used++] = '/';
		memcpy(out + used, seg, n);
		used += n;
		out[used] = '\0';
	}
	return used ? ISG_OK : ISG_ENOTFOUND;
}

/* Reads a pax header's records, keeping `path` (per entry) and `comment`
 * (global: GitHub's commit). */
static int pax(reader *r, long long size, int global)
{
	char *buf, *p, *end;
	int rc;

	if (size > PAX_MAX)
		return isg__error_set(ISG_ETOOBIG, MOD,
		                      "pax header of %lld bytes", size);
	buf = isg__alloc_malloc((size_t)size + 1);
	if (!buf)
		return isg__error_oom(MOD);
	rc = rd(r, buf, (size_t)size);
	if (rc == ISG_OK && size % BLOCK) {
		unsigned char pad[BLOCK];

		rc = rd(r, pad, (size_t)(BLOCK - size % BLOCK));
	}
	buf[size > 0 ? size : 0] = '\0';
	for (p = buf, end = buf + size; rc == ISG_OK && p < end;) {
		long long len = 0;
		char *sp = p, *kv, *eq;

		while (sp < end && *sp >= '0' && *sp <= '9' && len < PAX_MAX)
			len = len * 10 + (*sp++ - '0');
		if (sp >= end || *sp != ' ' || len <= sp - p + 1 ||
		    len > end - p || p[len - 1] != '\n') {
			rc = isg__error_set(
			        ISG_EPARSE, MOD,
			        "malformed pax record near byte %lld",
			        r->offset);
			break;
		}
		kv = sp + 1;
		p[len - 1] = '\0';
		eq = strchr(kv, '=');
		if (eq) {
			*eq = '\0';
			if (!global && strcmp(kv, "path") == 0) {
				snprintf(r->longname, sizeof(r->longname), "%s",
				         eq + 1);
				r->have_long = 1;
			} else if (global && strcmp(kv, "comment") == 0) {
				snprintf(r->st->commit, sizeof(r->st->commit),
				         "%.63s", eq + 1);
			}
		}
		p += len;
	}
	isg__alloc_free(buf);
	return rc;
}

/* A GNU long name: the next entry's name is the data. */
static int long_name(reader *r, long long size)
{
	char buf[BLOCK];
	long long left = size;
	size_t used = 0;
	int rc = ISG_OK;

	if (size >= ISG__TAR_NAME_MAX)
		return isg__error_set(ISG_EFORBIDDEN, MOD,
		                      "archive entry name of %lld bytes", size);
	while (rc == ISG_OK && left > 0) {
		size_t n = left > BLOCK ? BLOCK : (size_t)left;

		rc = rd(r, buf, BLOCK);
		memcpy(r->longname + used, buf, n);
		used += n;
		left -= (long long)n;
	}
	r->longname[used] = '\0';
	r->have_long = 1;
	return rc;
}

/* Hands a file's data to the sink, block by block. */
static int file_data(reader *r, long long size)
{
	unsigned char buf[BLOCK * 16];
	long long left = size;
	int rc = ISG_OK;

	while (rc == ISG_OK && left > 0) {
		size_t want = left > (long long)sizeof(buf) ? sizeof(buf)
		                                            : (size_t)left;
		size_t padded = (want + BLOCK - 1) / BLOCK * BLOCK;

		rc = rd(r, buf, padded);
		if (rc == ISG_OK)
			rc = r->ops->data(r->sink, buf, want);
		left -= (long long)want;
	}
	return rc;
}

static int entry(reader *r, const unsigned char *h)
{
	char raw[ISG__TAR_NAME_MAX + 200];
	isg__tar_entry e;
	long long size = number(h + 124, 12);
	char type = (char)h[156];
	int rc;

	if (size < 0)
		return isg__error_set(ISG_EPARSE, MOD,
		                      "bad size field at byte %lld", r->offset);
	if (++r->entries > r->lim->max_entries)
		return isg__error_set(ISG_ETOOBIG, MOD,
		                      "the archive has more than %lld entries",
		                      r->lim->max_entries);
	if (type == 'x' || type == 'g')
		return pax(r, size, type == 'g');
	if (type == 'L')
		return long_name(r, size);
	if (r->have_long) {
		snprintf(raw, sizeof(raw), "%s", r->longname);
		r->have_long = 0;
	} else if (h[345] && memcmp(h + 257, "ustar", 5) == 0) {
		snprintf(raw, sizeof(raw), "%.155s/%.100s",
		         (const char *)h + 345, (const char *)h);
	} else {
		snprintf(raw, sizeof(raw), "%.100s", (const char *)h);
	}
	rc = clean_name(e.name, raw, r->lim->strip_components);
	if (rc == ISG_ENOTFOUND)
		return skip(r, size); /* the stripped top folder itself */
	if (rc != ISG_OK)
		return rc;
	if (type == '1' || type == '2' || type == 'K') {
		r->st->skipped_links++;
		return skip(r, size);
	}
	if (type != '0' && type != '\0' && type != '7' && type != '5') {
		r->st->skipped_other++;
		return skip(r, size);
	}
	e.type = type == '5' ? 'd' : 'f';
	e.size = e.type == 'd' ? 0 : size;
	if (e.size > r->lim->max_file_bytes)
		return isg__error_set(
		        ISG_ETOOBIG, MOD,
		        "archive file '%.200s' has %lld bytes (cap %lld)",
		        e.name, e.size, r->lim->max_file_bytes);
	if (r->st->bytes + e.size > r->lim->max_bytes)
		return isg__error_set(
		        ISG_ETOOBIG, MOD,
		        "the archive unpacks to more than %lld bytes",
		        r->lim->max_bytes);
	if ((rc = r->ops->begin(r->sink, &e)) != ISG_OK)
		return rc;
	if (e.type == 'f') {
		rc = file_data(r, size);
		r->st->files++;
		r->st->bytes += size;
	} else {
		rc = size > 0 ? skip(r, size) : ISG_OK;
		r->st->dirs++;
	}
	return rc == ISG_OK ? r->ops->end(r->sink) : rc;
}

int isg__snapshot_tar_read(const isg__tar_ops *ops, void *src, void *sink,
                           isg_snapshot_stats *st,
                           const isg_snapshot_limits *lim)
{
	unsigned char h[BLOCK];
	reader r;
	size_t got;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ops = ops;
	r.src = src;
	r.sink = sink;
	r.st = st;
	r.lim = lim;
	for (;;) {
		got = 0;
		rc = ops->read(src, h, BLOCK, &got);
		r.offset += (long long)got;
		if (rc == ISG_EPARSE && got == 0 && r.entries > 0)
			return ISG_OK; /* no end blocks: tolerated */
		if (rc != ISG_OK)
			return rc == ISG_EPARSE
			               ? isg__error_set(
			                         ISG_EPARSE, MOD,
			                         "truncated tar header at byte %lld",
			                         r.offset)
			               : rc;
		if (all_zero(h))
			return ISG_OK;
		if (!checksum_ok(h))
			return isg__error_set(
			        ISG_EPARSE, MOD,
			        "bad tar header checksum at byte %lld",
			        r.offset - BLOCK);
		if ((rc = entry(&r, h)) != ISG_OK)
			return rc;
	}
}
