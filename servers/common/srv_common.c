/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the executables: logging, configuration, errors. */
#include "srv_common.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;

static void stderr_log(int level, const char *module, const char *message,
                       const isg_log_field *fields, size_t nfields,
                       void *payload)
{
	isg_buf line = ISG_BUF_INIT;

	(void)payload;
	if (isg_log_format_json(&line, level, module, message, fields,
	                        nfields) != ISG_OK)
		return;
	/* One write per line under a lock keeps lines whole across threads. */
	pthread_mutex_lock(&log_mutex);
	fwrite(line.ptr, 1, line.size, stderr);
	fflush(stderr);
	pthread_mutex_unlock(&log_mutex);
	isg_buf_dispose(&line);
}

void srv_log_to_stderr(int level)
{
	isg_log_set_callback(stderr_log, level, NULL);
}

int srv_config_load(isg_config **out, const char *config_file)
{
	isg_config_options opts = ISG_CONFIG_OPTIONS_INIT;
	const char *lvl;
	int level = ISG_LOG_INFO;

	*out = NULL;
	opts.file = config_file;
	if (isg_config_new(out, &opts) != ISG_OK) {
		fprintf(stderr, "configuration error: %s\n",
		        isg_error_last()->message);
		return SRV_EXIT_CONFIG;
	}
	lvl = isg_config_get(*out, "ISSUESIGHT_LOG_LEVEL");
	if (lvl)
		isg_log_level_parse(&level, lvl);
	srv_log_to_stderr(level);
	return SRV_EXIT_OK;
}

int srv_fail(const char *prog, const char *what, int status)
{
	const isg_error *e = isg_error_last();
	isg_buf shown = ISG_BUF_INIT;

	/* `what` is often a URL the user gave: it is redacted like the
	 * library's messages (which are redacted where they are recorded). */
	if (isg_redact(&shown, what ? what : "") != ISG_OK)
		isg_buf_set(&shown, "(hidden)", 8);
	fprintf(stderr, "%s: %s: %s (%s)\n", prog,
	        shown.ptr ? shown.ptr : "(hidden)",
	        e->code == status && e->message[0] ? e->message
	                                           : isg_strerror(status),
	        isg_status_name(status));
	isg_buf_dispose(&shown);
	switch (status) {
	case ISG_EUNAVAILABLE:
	case ISG_ETIMEOUT:
		return SRV_EXIT_UNAVAILABLE;
	case ISG_EINVALID:
		return SRV_EXIT_USAGE;
	default:
		return SRV_EXIT_FAILURE;
	}
}

int srv_isatty(int fd)
{
	return isatty(fd);
}
