/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the configuration reader (isg_config_new()): a
 * settings file of `KEY=value` lines and environment values, both written
 * by whoever deploys the servers (a compose env_file, a Kubernetes
 * Secret). Whatever is accepted must read back through the typed getters,
 * be accepted again by isg_config_set() and dump; whatever is refused
 * must say why. The same entry point replays the committed corpus in the
 * normal test run (fuzz_replay.c).
 *
 * Input: the file's text up to the first NUL byte; after it, one
 * `NAME=value` environment entry per NUL-separated piece.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <issuesight/issuesight.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ENV 32

static char file_path[64];
static int file_fd = -1;

static void remove_file(void)
{
	if (file_fd >= 0) {
		close(file_fd);
		unlink(file_path);
	}
}

/* One temporary file, rewritten for each input. */
static int write_file(const uint8_t *data, size_t n)
{
	if (file_fd < 0) {
		snprintf(file_path, sizeof(file_path),
		         "/tmp/isg-fuzz-config-XXXXXX");
		file_fd = mkstemp(file_path);
		if (file_fd < 0)
			return -1;
		atexit(remove_file);
	}
	if (ftruncate(file_fd, 0) != 0)
		return -1;
	return pwrite(file_fd, data, n, 0) == (ssize_t)n ? 0 : -1;
}

static void check_accepted(isg_config *cfg)
{
	isg_buf dump = ISG_BUF_INIT;
	size_t i;

	for (i = 0; i < isg_config_key_count(); i++) {
		const char *k = isg_config_key_name(i);
		const char *v = isg_config_get(cfg, k);
		long long n;
		int b;
		char *copy;

		if (!k || !isg_config_key_doc(k))
			abort();
		(void)isg_config_get_int(&n, cfg, k);
		(void)isg_config_get_bool(&b, cfg, k);
		if (!v)
			continue;
		/* A value that was accepted is accepted again. */
		copy = strdup(v);
		if (copy && isg_config_set(cfg, k, copy) != ISG_OK)
			abort();
		free(copy);
	}
	if (isg_config_dump(&dump, cfg) == ISG_OK &&
	    (!dump.ptr || dump.size != strlen(dump.ptr)))
		abort();
	isg_buf_dispose(&dump);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	isg_config_options o = ISG_CONFIG_OPTIONS_INIT;
	const char *env[MAX_ENV + 1];
	isg_config *cfg = NULL;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t flen = nul ? (size_t)(nul - data) : size, nenv = 0;
	char *rest = NULL;
	int rc;

	if (size > 65536 || write_file(data, flen) != 0)
		return 0;
	if (nul) {
		size_t rlen = size - flen - 1, at = 0;

		rest = malloc(rlen + 1);
		if (!rest)
			return 0;
		memcpy(rest, nul + 1, rlen);
		rest[rlen] = '\0';
		while (at <= rlen && nenv < MAX_ENV) {
			env[nenv++] = rest + at;
			at += strlen(rest + at) + 1;
		}
	}
	env[nenv] = NULL;
	o.file = file_path;
	o.env = env;
	rc = isg_config_new(&cfg, &o);
	if (rc == ISG_OK)
		check_accepted(cfg);
	else if (!isg_error_last()->message[0])
		abort();
	isg_config_free(cfg);
	free(rest);
	return 0;
}
