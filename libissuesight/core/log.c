/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log: records go to the host's callback after credentials are redacted,
 * and servers format them as JSON lines. Redaction runs on every message
 * and field value, so a module cannot leak a token by forgetting to.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core_int.h"

static isg_log_cb log_cb;
static void *log_payload;
static int log_min_level = ISG_LOG_OFF;

static const char *const level_names[] = { "trace", "debug", "info",
	                                   "warn",  "error", "off" };

void isg_log_set_callback(isg_log_cb cb, int min_level, void *payload)
{
	log_cb = cb;
	log_payload = payload;
	log_min_level = cb ? min_level : ISG_LOG_OFF;
}

int isg_log_level_parse(int *out, const char *name)
{
	size_t i;

	if (!out || !name)
		return isg__error_set(ISG_EINVALID, "log", "NULL argument");
	for (i = 0; i < ISG__ARRAY_SIZE(level_names); i++) {
		if (isg__text_casecmp(name, level_names[i]) == 0) {
			*out = (int)i;
			return ISG_OK;
		}
	}
	if (isg__text_casecmp(name, "warning") == 0) {
		*out = ISG_LOG_WARN;
		return ISG_OK;
	}
	return isg__error_set(
	        ISG_EINVALID, "log",
	        "unknown log level '%.64s' (expected trace, debug, info, warn, error or off)",
	        name);
}

const char *isg_log_level_name(int level)
{
	if (level < 0 || (size_t)level >= ISG__ARRAY_SIZE(level_names))
		return "unknown";
	return level_names[level];
}

int isg__log_enabled(int level)
{
	return log_cb != NULL && level >= log_min_level && level < ISG_LOG_OFF;
}

/* ---- records ------------------------------------------------------------ */

#define LOG_MAX_FIELDS 16

void isg__log_write(int level, const char *module, const isg_log_field *fields,
                    size_t nfields, const char *fmt, ...)
{
	char raw[2048];
	isg_buf msg = ISG_BUF_INIT;
	isg_buf vals[LOG_MAX_FIELDS];
	isg_log_field red[LOG_MAX_FIELDS];
	const isg_error saved = *isg_error_last();
	char saved_module[32], saved_message[ISG_ERROR_MESSAGE_MAX];
	va_list ap;
	size_t i;

	if (!isg__log_enabled(level))
		return;
	/* Logging must not clobber the error a caller is about to return. */
	snprintf(saved_module, sizeof(saved_module), "%s", saved.module);
	snprintf(saved_message, sizeof(saved_message), "%s", saved.message);
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (nfields > LOG_MAX_FIELDS)
		nfields = LOG_MAX_FIELDS;
	for (i = 0; i < nfields; i++) {
		vals[i].ptr = NULL;
		vals[i].size = vals[i].asize = 0;
		red[i].key = fields[i].key ? fields[i].key : "";
		if (isg_log_redact(&vals[i], fields[i].value ? fields[i].value
		                                             : "") != ISG_OK)
			red[i].value = "<unredactable>";
		else
			red[i].value = vals[i].ptr;
	}
	if (isg_log_redact(&msg, raw) == ISG_OK)
		log_cb(level, module ? module : "", msg.ptr, red, nfields,
		       log_payload);
	else
		log_cb(level, module ? module : "",
		       "<log message dropped: out of memory while redacting>",
		       red, nfields, log_payload);
	isg_buf_dispose(&msg);
	for (i = 0; i < nfields; i++)
		isg_buf_dispose(&vals[i]);
	isg__error_set_retry(saved.code, saved_module, saved.retry_after_s,
	                     "%s", saved_message);
}

int isg_log_format_json(isg_buf *out, int level, const char *module,
                        const char *message, const isg_log_field *fields,
                        size_t nfields)
{
	isg_buf b = ISG_BUF_INIT;
	char ts[80]; /* room for any int fields, so no truncation */
	struct tm tm;
	int64_t now = isg__clock_wall_ms();
	time_t secs = (time_t)(now / 1000);
	size_t i;
	int rc;

	if (!out || !message || (nfields && !fields))
		return isg__error_set(ISG_EINVALID, "log",
		                      "isg_log_format_json: NULL argument");
	gmtime_r(&secs, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, (int)(now % 1000));
	rc = isg__buf_printf(&b,
	                     "{\"ts\":\"%s\",\"level\":\"%s\",\"module\":", ts,
	                     isg_log_level_name(level));
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(&b, module ? module : "",
		                              module ? strlen(module) : 0);
	if (rc == ISG_OK)
		rc = isg__buf_puts(&b, ",\"msg\":");
	if (rc == ISG_OK)
		rc = isg__buf_put_json_string(&b, message, strlen(message));
	for (i = 0; rc == ISG_OK && i < nfields; i++) {
		const char *k = fields[i].key ? fields[i].key : "";
		const char *v = fields[i].value ? fields[i].value : "";

		rc = isg__buf_putc(&b, ',');
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, k, strlen(k));
		if (rc == ISG_OK)
			rc = isg__buf_putc(&b, ':');
		if (rc == ISG_OK)
			rc = isg__buf_put_json_string(&b, v, strlen(v));
	}
	if (rc == ISG_OK)
		rc = isg__buf_puts(&b, "}\n");
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return rc;
	}
	isg_buf_dispose(out);
	*out = b;
	return ISG_OK;
}

static int put_buf(void *payload, const char *p, size_t n)
{
	return isg_buf_put(payload, p, n);
}

int isg_log_redact(isg_buf *out, const char *text)
{
	isg_buf res = ISG_BUF_INIT;
	int rc;

	if (!out || !text)
		return isg__error_set(ISG_EINVALID, "log",
		                      "isg_log_redact: NULL argument");
	rc = isg__redact_write(text, put_buf, &res);
	if (rc == ISG_OK && !res.ptr)
		rc = isg_buf_put(&res, "", 0);
	if (rc != ISG_OK) {
		isg_buf_dispose(&res);
		return rc;
	}
	isg_buf_dispose(out);
	*out = res;
	return ISG_OK;
}

/* The 0.1 name, exported until 0.3. */
int isg_redact(isg_buf *out, const char *text)
{
	return isg_log_redact(out, text);
}
