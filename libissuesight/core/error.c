/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error: the status names and the per-thread last error. The detail lives
 * in fixed thread-local storage so that recording an error never allocates,
 * which keeps ISG_ENOMEM reports reliable.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"

typedef struct error_state {
	isg_error err;
	char module[32];
	char message[ISG_ERROR_MESSAGE_MAX];
} error_state;

static _Thread_local error_state tls_error = { { ISG_OK, "", "", 0.0 },
	                                       "",
	                                       "" };

static const struct {
	int code;
	const char *name;
	const char *text;
} status_table[] = {
	{ ISG_OK, "ISG_OK", "success" },
	{ ISG_ERROR, "ISG_ERROR", "error" },
	{ ISG_EINVALID, "ISG_EINVALID", "invalid argument" },
	{ ISG_ENOMEM, "ISG_ENOMEM", "out of memory" },
	{ ISG_ENOTFOUND, "ISG_ENOTFOUND", "not found" },
	{ ISG_ECONFLICT, "ISG_ECONFLICT", "conflict" },
	{ ISG_ESTATE, "ISG_ESTATE", "not allowed in the current state" },
	{ ISG_EIO, "ISG_EIO", "input/output error" },
	{ ISG_ETIMEOUT, "ISG_ETIMEOUT", "timed out" },
	{ ISG_EUNAVAILABLE, "ISG_EUNAVAILABLE", "backend unavailable" },
	{ ISG_ERATELIMIT, "ISG_ERATELIMIT", "rate limited" },
	{ ISG_EQUOTA, "ISG_EQUOTA", "quota exceeded" },
	{ ISG_EUPSTREAM, "ISG_EUPSTREAM", "upstream error" },
	{ ISG_EPARSE, "ISG_EPARSE", "parse error" },
	{ ISG_EAUTH, "ISG_EAUTH", "authentication required" },
	{ ISG_EFORBIDDEN, "ISG_EFORBIDDEN", "forbidden" },
	{ ISG_ETOOBIG, "ISG_ETOOBIG", "too big" },
	{ ISG_EGONE, "ISG_EGONE", "gone" },
	{ ISG_ECANCELLED, "ISG_ECANCELLED", "cancelled" },
	{ ISG_EUNSUPPORTED, "ISG_EUNSUPPORTED", "not supported" },
	{ ISG_EBACKEND, "ISG_EBACKEND", "backend error" },
};

const isg_error *isg_error_last(void)
{
	tls_error.err.module = tls_error.module;
	tls_error.err.message = tls_error.message;
	return &tls_error.err;
}

void isg_error_clear(void)
{
	tls_error.err.code = ISG_OK;
	tls_error.err.retry_after_s = 0.0;
	tls_error.module[0] = '\0';
	tls_error.message[0] = '\0';
}

const char *isg_strerror(int code)
{
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(status_table); i++)
		if (status_table[i].code == code)
			return status_table[i].text;
	return "unknown error";
}

const char *isg_status_name(int code)
{
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(status_table); i++)
		if (status_table[i].code == code)
			return status_table[i].name;
	return "ISG_EUNKNOWN";
}

int isg__error_vset(int code, const char *module, double retry_after_s,
                    const char *fmt, va_list ap)
{
	/* Format into a local first: an argument may point into the previous
	 * message (wrapping an error), and vsnprintf must not read what it is
	 * writing. */
	char tmp[ISG_ERROR_MESSAGE_MAX];

	if (fmt)
		vsnprintf(tmp, sizeof(tmp), fmt, ap);
	else
		tmp[0] = '\0';
	tls_error.err.code = code;
	tls_error.err.retry_after_s = retry_after_s;
	snprintf(tls_error.module, sizeof(tls_error.module), "%s",
	         module ? module : "");
	/* Every message is redacted where it is recorded, so no module can
	 * leak a credential through an error by forgetting to. */
	isg__redact_fixed(tls_error.message, sizeof(tls_error.message), tmp);
	return code;
}

int isg__error_set(int code, const char *module, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	isg__error_vset(code, module, 0.0, fmt, ap);
	va_end(ap);
	return code;
}

int isg__error_set_retry(int code, const char *module, double retry_after_s,
                         const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	isg__error_vset(code, module, retry_after_s, fmt, ap);
	va_end(ap);
	return code;
}

int isg__error_oom(const char *module)
{
	return isg__error_set(ISG_ENOMEM, module, "out of memory");
}
