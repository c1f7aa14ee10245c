/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/error.h
 * @brief Status codes and the per-thread last error.
 *
 * Every call that can fail returns an `int`: ::ISG_OK (zero) or one of the
 * negative codes below. The codes form one enum that is only ever appended
 * to: a value, once released, keeps its meaning forever.
 *
 * The detail of the most recent failure on the calling thread is available
 * from isg_error_last(). Filling it never allocates, so it is reliable even
 * after ::ISG_ENOMEM.
 */
#ifndef ISSUESIGHT_ERROR_H
#define ISSUESIGHT_ERROR_H

#include "common.h"

ISG_BEGIN_DECLS

/**
 * Status codes. Append only; never renumber, never reuse.
 */
typedef enum isg_status {
	ISG_OK = 0,         /**< Success. */
	ISG_ERROR = -1,     /**< An error without a more specific code. */
	ISG_EINVALID = -2,  /**< Bad argument, option or input. */
	ISG_ENOMEM = -3,    /**< An allocation failed. */
	ISG_ENOTFOUND = -4, /**< The object does not exist. */
	ISG_ECONFLICT = -5, /**< Unique key or concurrent-change conflict. */
	ISG_ESTATE = -6,    /**< Not allowed in the object's current state. */
	ISG_EIO = -7,       /**< A file or socket operation failed. */
	ISG_ETIMEOUT = -8,  /**< A deadline passed. */
	ISG_EUNAVAILABLE = -9,  /**< A backend (database, cache) is down. */
	ISG_ERATELIMIT = -10,   /**< Rate limited; see retry_after_s. */
	ISG_EQUOTA = -11,       /**< A user's quota is spent. */
	ISG_EUPSTREAM = -12,    /**< An upstream service answered wrongly. */
	ISG_EPARSE = -13,       /**< Outside data could not be parsed. */
	ISG_EAUTH = -14,        /**< Missing or invalid credentials. */
	ISG_EFORBIDDEN = -15,   /**< Authenticated but not allowed. */
	ISG_ETOOBIG = -16,      /**< Input or response over a size limit. */
	ISG_EGONE = -17,        /**< The object was deleted or moved away. */
	ISG_ECANCELLED = -18,   /**< The operation was cancelled. */
	ISG_EUNSUPPORTED = -19, /**< Not supported by this build or server. */
	ISG_EBACKEND = -20      /**< A backend rejected a query or command. */
} isg_status;

/** The longest message isg_error_last() keeps, terminator included. */
#define ISG_ERROR_MESSAGE_MAX 512

/**
 * Detail of the last failure on this thread.
 */
typedef struct isg_error {
	/** The status code, one of ::isg_status. ::ISG_OK when none. */
	int code;
	/** The module that failed ("store", "config", ...); never NULL. */
	const char *module;
	/** One sentence naming the problem and the offending value (never a
	 * secret); never NULL, may be empty. */
	const char *message;
	/** Seconds to wait before retrying, for ::ISG_ERATELIMIT and
	 * ::ISG_EQUOTA; 0 when it does not apply. */
	double retry_after_s;
} isg_error;

/**
 * The last error recorded on the calling thread.
 *
 * @return a pointer to thread-local storage, valid until the next library
 *         call on this thread; never NULL (code is ::ISG_OK when no error
 *         was recorded).
 */
ISG_API const isg_error *isg_error_last(void);

/**
 * Clear the calling thread's last error.
 */
ISG_API void isg_error_clear(void);

/**
 * A short, static description of a status code ("invalid argument").
 *
 * @param code a status code; unknown codes give "unknown error".
 * @return a static string; never NULL.
 */
ISG_API const char *isg_error_string(int code);

/** Deprecated: the 0.1 name of isg_error_string(), exported until 0.3. */
ISG_DEPRECATED("use isg_error_string")
ISG_API const char *isg_strerror(int code);

/**
 * The symbolic name of a status code ("ISG_EINVALID").
 *
 * @param code a status code; unknown codes give "ISG_EUNKNOWN".
 * @return a static string; never NULL.
 */
ISG_API const char *isg_error_name(int code);

/** Deprecated: the 0.1 name of isg_error_name(), exported until 0.3. */
ISG_DEPRECATED("use isg_error_name")
ISG_API const char *isg_status_name(int code);

ISG_END_DECLS

#endif /* ISSUESIGHT_ERROR_H */
