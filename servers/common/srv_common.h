/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the executables: JSON-lines logging to stderr, reading
 * the configuration with a clear message, and printing the last error.
 * They use only the public API of libissuesight.
 */
#ifndef ISSUESIGHT_SRV_COMMON_H
#define ISSUESIGHT_SRV_COMMON_H

#include <issuesight/issuesight.h>

/* Exit codes every executable shares. */
enum {
	SRV_EXIT_OK = 0,         /* success */
	SRV_EXIT_FAILURE = 1,    /* the operation failed */
	SRV_EXIT_USAGE = 2,      /* bad command line */
	SRV_EXIT_CONFIG = 3,     /* bad configuration */
	SRV_EXIT_UNAVAILABLE = 4 /* a backend could not be reached */
};

/* Installs a log callback writing JSON lines to stderr at `level` and
 * above. */
void srv_log_to_stderr(int level);

/* Reads the configuration (file from `config_file` when not NULL), sets the
 * log level from it, and reports errors on stderr. Returns SRV_EXIT_OK or
 * SRV_EXIT_CONFIG; *out is NULL on error. */
int srv_config_load(isg_config **out, const char *config_file);

/* Prints "<prog>: <what>: <message> (<ISG_CODE>)" for the last error and
 * returns the exit code that fits the status. */
int srv_fail(const char *prog, const char *what, int status);

/* 1 when stdout (fd 1) or stderr (fd 2) is a terminal. */
int srv_isatty(int fd);

#endif /* ISSUESIGHT_SRV_COMMON_H */
