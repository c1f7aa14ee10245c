/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/config.h
 * @brief Typed settings from the environment and an optional file.
 *
 * Every setting has a name (`DATABASE_URL`, `REDIS_URL`, ...), a type, a
 * default and a line of documentation; `docs/configuration.md` lists them
 * all, and a test keeps the two in step. Values are read from, in order of
 * increasing precedence: the defaults, the file, the environment, and
 * isg_config_set(). Every value is validated when it is read: a malformed
 * value or an unknown key in the file is an ::ISG_EINVALID error that names
 * the key and where it came from.
 *
 * This is the only module of the library that reads the environment.
 */
#ifndef ISSUESIGHT_CONFIG_H
#define ISSUESIGHT_CONFIG_H

#include "buf.h"
#include "common.h"

ISG_BEGIN_DECLS

/**
 * A set of validated settings.
 *
 * Thread rule: concurrent reads (the getters) are safe once built;
 * isg_config_set() needs exclusive access.
 */
typedef struct isg_config isg_config;

/** The current version of ::isg_config_options. */
#define ISG_CONFIG_OPTIONS_VERSION 1

/** Options of isg_config_new(). Zero means the documented default. */
typedef struct isg_config_options {
	/** Must be ::ISG_CONFIG_OPTIONS_VERSION. */
	unsigned int version;
	/** A settings file (`KEY=value` lines, `#` comments). NULL: the file
	 * named by the `ISSUESIGHT_CONFIG` environment variable, if any. */
	const char *file;
	/** A NULL-terminated `NAME=value` array to read instead of the
	 * process environment (tests use it). NULL: the process environment. */
	const char *const *env;
	/** Non-zero: read no environment at all (defaults and file only). */
	int ignore_environment;
} isg_config_options;

/** Default options. */
#define ISG_CONFIG_OPTIONS_INIT                           \
	{                                                 \
		ISG_CONFIG_OPTIONS_VERSION, NULL, NULL, 0 \
	}

/**
 * Read and validate the settings.
 *
 * @param out receives the new handle, owned by the caller; NULL on error.
 * @param opts options, or NULL for the defaults.
 * @return ::ISG_OK; ::ISG_EINVALID naming the bad key, value and source;
 *         ::ISG_EIO when the file cannot be read; ::ISG_ENOMEM.
 */
ISG_API int isg_config_new(isg_config **out, const isg_config_options *opts);

/**
 * Free a configuration. NULL is a no-op. Strings returned by the getters
 * become invalid.
 */
ISG_API void isg_config_free(isg_config *cfg);

/**
 * The value of a setting as a string.
 *
 * @return the value (borrowed from `cfg`, valid until it is freed or the
 *         key is set again), or NULL when the key is unknown or the setting
 *         is unset and has no default.
 */
ISG_API const char *isg_config_get(const isg_config *cfg, const char *key);

/**
 * The value of an integer setting.
 *
 * @param out the value.
 * @return ::ISG_OK, ::ISG_ENOTFOUND for an unknown key or an unset value,
 *         ::ISG_EINVALID when the key is not an integer setting.
 */
ISG_API int isg_config_get_int(long long *out, const isg_config *cfg,
                               const char *key);

/**
 * The value of a boolean setting (`true/false`, `yes/no`, `on/off`, `1/0`).
 *
 * @param out 1 or 0.
 * @return ::ISG_OK, ::ISG_ENOTFOUND or ::ISG_EINVALID as isg_config_get_int().
 */
ISG_API int isg_config_get_bool(int *out, const isg_config *cfg,
                                const char *key);

/**
 * Set a value, validated like one read from the environment. Command-line
 * flags use this to override both file and environment.
 *
 * @return ::ISG_OK; ::ISG_EINVALID for an unknown key or a malformed value
 *         (the old value is kept); ::ISG_ENOMEM.
 */
ISG_API int isg_config_set(isg_config *cfg, const char *key, const char *value);

/**
 * Write every setting as `KEY=value` lines in key order, with the source of
 * each (`# default`, `# file`, `# env`, `# set`). Secret settings show
 * `***` and credentials inside URLs are masked.
 *
 * @param out replaced with the dump.
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_config_dump(isg_buf *out, const isg_config *cfg);

/**
 * How many settings the library knows.
 */
ISG_API size_t isg_config_key_count(void);

/**
 * The name of the i-th known setting, in the library's fixed order.
 *
 * @return a static string, or NULL when `i` is out of range.
 */
ISG_API const char *isg_config_key_name(size_t i);

/**
 * The one-line documentation of a known setting.
 *
 * @return a static string, or NULL for an unknown key.
 */
ISG_API const char *isg_config_key_doc(const char *key);

ISG_END_DECLS

#endif /* ISSUESIGHT_CONFIG_H */
