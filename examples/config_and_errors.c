/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: global set-up, settings, logging and error handling.
 *
 * Reads the settings from an explicit environment, prints them with secrets
 * masked, shows how a bad value is reported, and logs one JSON line.
 *
 *   cc config_and_errors.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <string.h>

#include <issuesight/issuesight.h>

static void to_stdout(int level, const char *module, const char *message,
                      const isg_log_field *fields, size_t nfields,
                      void *payload)
{
	isg_buf line = ISG_BUF_INIT;

	(void)payload;
	if (isg_log_format_json(&line, level, module, message, fields,
	                        nfields) == ISG_OK)
		fputs(line.ptr, stdout);
	isg_buf_dispose(&line);
}

int main(void)
{
	const char *env[] = { "GITHUB_TOKEN=ghp_exampletoken1234567",
		              "DB_POOL_SIZE=8", NULL };
	const char *bad_env[] = { "DB_POOL_SIZE=eight", NULL };
	isg_config_options opts = ISG_CONFIG_OPTIONS_INIT;
	isg_config *cfg = NULL;
	isg_buf dump = ISG_BUF_INIT, red = ISG_BUF_INIT;
	long long pool = 0;
	int rc;

	if (isg_global_init() != ISG_OK)
		return 1;
	isg_log_set_callback(to_stdout, ISG_LOG_INFO, NULL);
	printf("libissuesight %s\n", isg_global_version());

	opts.env = env;
	rc = isg_config_new(&cfg, &opts);
	if (rc != ISG_OK) {
		fprintf(stderr, "config: %s\n", isg_error_last()->message);
		return 1;
	}
	if (isg_config_get_int(&pool, cfg, "DB_POOL_SIZE") != ISG_OK ||
	    pool != 8)
		return 1;
	if (isg_config_dump(&dump, cfg) != ISG_OK)
		return 1;
	fputs(dump.ptr, stdout);
	if (strstr(dump.ptr, "exampletoken"))
		return 1; /* the secret must be masked */

	opts.env = bad_env;
	isg_config_free(cfg);
	cfg = NULL;
	rc = isg_config_new(&cfg, &opts);
	printf("bad value -> %s: %s\n", isg_error_name(rc),
	       isg_error_last()->message);
	if (rc != ISG_EINVALID)
		return 1;

	if (isg_log_redact(&red, "Authorization: Bearer abc") != ISG_OK)
		return 1;
	printf("redacted: %s\n", red.ptr);

	isg_buf_dispose(&dump);
	isg_buf_dispose(&red);
	isg_config_free(cfg);
	isg_global_shutdown();
	return 0;
}
