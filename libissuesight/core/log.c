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
	return isg__error_set(ISG_EINVALID, "log",
	                      "unknown log level '%.64s' (expected trace, "
	                      "debug, info, warn, error or off)",
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

/* ---- redaction ---------------------------------------------------------- */

static int is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int ends_with_ci(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && isg__text_ncasecmp(s + len - n, suffix, n) == 0;
}

/* Keys whose values are secrets, matched on the end of the key name so that
 * GITHUB_TOKEN, client_secret and db_password are all caught. */
static int secret_key(const char *k, size_t len)
{
	static const char *const suffixes[] = {
		"password",    "passwd",     "pwd",      "token",
		"secret",      "api_key",    "apikey",   "api-key",
		"private_key", "access_key", "verifier", "cookie"
	};
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(suffixes); i++)
		if (ends_with_ci(k, len, suffixes[i]))
			return 1;
	return 0;
}

/* Well-known token shapes that are secret wherever they appear. */
static size_t token_prefix_len(const char *s)
{
	static const char *const prefixes[] = { "ghp_", "gho_", "ghu_",
		                                "ghs_", "ghr_", "github_pat_",
		                                "sk-" };
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(prefixes); i++) {
		size_t n = strlen(prefixes[i]);
		size_t k = n;

		if (strncmp(s, prefixes[i], n) != 0)
			continue;
		while (is_word_char((unsigned char)s[k]))
			k++;
		if (k - n >= 8)
			return k;
	}
	return 0;
}

/* End of a value that starts at s: up to white space, a separator or a
 * quote. A value that starts with a quote ends at the closing quote. */
static size_t value_len(const char *s)
{
	size_t n = 0;

	if (*s == '"' || *s == '\'') {
		char q = *s;

		n = 1;
		while (s[n] && s[n] != q)
			n++;
		return n < 2 ? 0 : n - 1; /* without the quotes */
	}
	while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' &&
	       s[n] != '\r' && s[n] != '&' && s[n] != ',' && s[n] != ';' &&
	       s[n] != '"' && s[n] != '\'' && s[n] != '}')
		n++;
	return n;
}

/* The redaction rules, tried in order at each position of the text. A rule
 * that applies writes what it read (secrets as "***") to `b`, advances *p
 * past it, sets *rc and returns 1; otherwise it returns 0 and writes
 * nothing. `text` is the start of the whole text, for word boundaries. */
typedef int (*redact_rule)(isg_buf *b, const char *text, const char **p,
                           int *rc);

static int at_word_start(const char *text, const char *p)
{
	return p == text || !is_word_char((unsigned char)p[-1]);
}

/* scheme://user:password@host */
static int redact_url(isg_buf *b, const char *text, const char **pp, int *rc)
{
	const char *p = *pp, *auth = p + 3, *end = auth, *at = NULL,
	           *colon = NULL, *c;

	(void)text;
	if (!(p[0] == ':' && p[1] == '/' && p[2] == '/'))
		return 0;
	while (*end && !strchr("/?# \t\r\n\"'", *end)) {
		if (*end == '@')
			at = end;
		end++;
	}
	for (c = auth; at && c < at; c++)
		if (*c == ':') {
			colon = c;
			break;
		}
	if (colon) {
		*rc = isg_buf_put(b, p, (size_t)(colon + 1 - p));
		if (*rc == ISG_OK)
			*rc = isg__buf_puts(b, "***");
		*pp = at;
		return 1;
	}
	*rc = isg_buf_put(b, p, 3);
	*pp = p + 3;
	return 1;
}

/* Authorization: <anything up to end of line> */
static int redact_authorization(isg_buf *b, const char *text, const char **pp,
                                int *rc)
{
	const char *p = *pp, *q = p + 13;

	if (!at_word_start(text, p) ||
	    isg__text_ncasecmp(p, "authorization", 13) != 0)
		return 0;
	while (*q == '"' || *q == '\'')
		q++;
	if (*q != ':' && *q != '=')
		return 0;
	q++;
	while (*q == ' ' || *q == '"' || *q == '\'')
		q++;
	*rc = isg_buf_put(b, p, (size_t)(q - p));
	if (*rc == ISG_OK)
		*rc = isg__buf_puts(b, "***");
	while (*q && *q != '\n' && *q != '\r' && *q != '"' && *q != '\'')
		q++;
	*pp = q;
	return 1;
}

/* Bearer <token> */
static int redact_bearer(isg_buf *b, const char *text, const char **pp, int *rc)
{
	const char *p = *pp;

	if (!at_word_start(text, p) ||
	    isg__text_ncasecmp(p, "bearer ", 7) != 0 ||
	    !is_word_char((unsigned char)p[7]))
		return 0;
	*rc = isg_buf_put(b, p, 7);
	if (*rc == ISG_OK)
		*rc = isg__buf_puts(b, "***");
	p += 7;
	while (*p && !strchr(" \t\r\n\"',;", *p))
		p++;
	*pp = p;
	return 1;
}

/* ghp_..., sk-... */
static int redact_token(isg_buf *b, const char *text, const char **pp, int *rc)
{
	size_t n;

	if (!at_word_start(text, *pp) || (n = token_prefix_len(*pp)) == 0)
		return 0;
	*rc = isg__buf_puts(b, "***");
	*pp += n;
	return 1;
}

/* key=value, key: value, "key": "value"; any other word is copied whole
 * so that the rules above never start inside it. */
static int redact_key_value(isg_buf *b, const char *text, const char **pp,
                            int *rc)
{
	const char *p = *pp, *q;
	size_t klen = 0;

	if (!is_word_char((unsigned char)*p) || !at_word_start(text, p))
		return 0;
	while (is_word_char((unsigned char)p[klen]))
		klen++;
	q = p + klen;
	if (*q == '"' || *q == '\'')
		q++;
	if ((*q == '=' || *q == ':') && secret_key(p, klen)) {
		size_t vlen;

		q++;
		while (*q == ' ')
			q++;
		vlen = value_len(q);
		if (vlen > 0) {
			int quoted = (*q == '"' || *q == '\'');

			*rc = isg_buf_put(b, p,
			                  (size_t)(q - p) + (quoted ? 1 : 0));
			if (*rc == ISG_OK)
				*rc = isg__buf_puts(b, "***");
			*pp = q + vlen + (quoted ? 1 : 0);
			return 1;
		}
	}
	*rc = isg_buf_put(b, p, klen);
	*pp = p + klen;
	return 1;
}

static const redact_rule redact_rules[] = {
	redact_url,   redact_authorization, redact_bearer,
	redact_token, redact_key_value,
};

int isg_redact(isg_buf *out, const char *text)
{
	isg_buf b = ISG_BUF_INIT;
	const char *p;
	int rc = ISG_OK;

	if (!out || !text)
		return isg__error_set(ISG_EINVALID, "log",
		                      "isg_redact: NULL argument");
	p = text;
	while (*p && rc == ISG_OK) {
		size_t i;

		for (i = 0; i < ISG__ARRAY_SIZE(redact_rules); i++)
			if (redact_rules[i](&b, text, &p, &rc))
				break;
		if (i == ISG__ARRAY_SIZE(redact_rules)) {
			rc = isg__buf_putc(&b, *p);
			p++;
		}
	}
	if (rc == ISG_OK && !b.ptr)
		rc = isg_buf_put(&b, "", 0);
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return rc;
	}
	isg_buf_dispose(out);
	*out = b;
	return ISG_OK;
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
		if (isg_redact(&vals[i], fields[i].value ? fields[i].value
		                                         : "") != ISG_OK)
			red[i].value = "<unredactable>";
		else
			red[i].value = vals[i].ptr;
	}
	if (isg_redact(&msg, raw) == ISG_OK)
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
