/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/log.h
 * @brief Structured logging through a callback the host installs.
 *
 * The library never prints. It hands each record to the callback installed
 * with isg_log_set_callback(): a level, the module, a message and key/value
 * fields. Credentials in URLs, `Authorization` headers and `token=`-style
 * pairs are redacted before a record reaches the callback.
 */
#ifndef ISSUESIGHT_LOG_H
#define ISSUESIGHT_LOG_H

#include "buf.h"
#include "common.h"

ISG_BEGIN_DECLS

/** Log levels, in increasing severity. */
typedef enum isg_log_level {
	ISG_LOG_TRACE = 0, /**< Very detailed tracing. */
	ISG_LOG_DEBUG = 1, /**< Diagnostics. */
	ISG_LOG_INFO = 2,  /**< Normal operation. */
	ISG_LOG_WARN = 3,  /**< Something unusual that was handled. */
	ISG_LOG_ERROR = 4, /**< An operation failed. */
	ISG_LOG_OFF = 5    /**< As a minimum level: log nothing. */
} isg_log_level;

/** One key/value pair of a log record. */
typedef struct isg_log_field {
	const char *key;   /**< Field name. */
	const char *value; /**< Field value, already redacted. */
} isg_log_field;

/**
 * A log callback. Pointers are valid only during the call.
 *
 * It may be called from any thread that uses the library, concurrently:
 * it must be thread-safe.
 */
typedef void (*isg_log_cb)(int level, const char *module, const char *message,
                           const isg_log_field *fields, size_t nfields,
                           void *payload);

/**
 * Install the log callback and the minimum level, or remove it with NULL.
 *
 * Thread rule: call before starting threads that use the library.
 *
 * @param cb the callback, or NULL to discard every record.
 * @param min_level records below this level are not formatted at all.
 * @param payload passed to each call of `cb`.
 */
ISG_API void isg_log_set_callback(isg_log_cb cb, int min_level, void *payload);

/**
 * Parse a level name ("trace", "debug", "info", "warn", "error", "off").
 *
 * @param out the level.
 * @param name the name, case-insensitive.
 * @return ::ISG_OK, or ::ISG_EINVALID naming the value.
 */
ISG_API int isg_log_level_parse(int *out, const char *name);

/**
 * The lower-case name of a level ("info").
 *
 * @return a static string; "unknown" for values out of range.
 */
ISG_API const char *isg_log_level_name(int level);

/**
 * Format a record as one JSON object on one line, with `ts` (UTC, ISO 8601
 * with milliseconds), `level`, `module`, `msg` and each field, and a
 * trailing newline. Servers write this to stderr.
 *
 * @param out replaced with the line.
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_log_format_json(isg_buf *out, int level, const char *module,
                                const char *message,
                                const isg_log_field *fields, size_t nfields);

/**
 * Copy `text` with credentials replaced by `***`: the password of
 * `scheme://user:password@host` URLs, the value of `Authorization:` and
 * `Bearer`/`token` words, and values of keys such as `password=`,
 * `token=`, `secret=`, `api_key=`, `access_token=` and `client_secret=`.
 *
 * @param out replaced with the redacted text.
 * @param text the text to redact.
 * @return ::ISG_OK, ::ISG_EINVALID or ::ISG_ENOMEM.
 */
ISG_API int isg_log_redact(isg_buf *out, const char *text);

/** Deprecated: the 0.1 name of isg_log_redact(), exported until 0.3. */
ISG_DEPRECATED("use isg_log_redact")
ISG_API int isg_redact(isg_buf *out, const char *text);

ISG_END_DECLS

#endif /* ISSUESIGHT_LOG_H */
