/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lock_token: the owner tokens of locks. A token is 128 bits from the
 * kernel's random source, written as hex; its text form with the fence,
 * `<hex>.<fence>`, travels in stream messages from the process that took
 * the lock to the one that releases it.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "lock_int.h"

int isg__lock_token_random(char out[ISG_LOCK_TOKEN_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[16];
	int i, rc;

	out[0] = '\0';
	rc = isg__random_bytes(raw, sizeof(raw), "lock");
	if (rc != ISG_OK)
		return rc;
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[32] = '\0';
	return ISG_OK;
}

int isg__lock_token_valid(const char *s)
{
	int i;

	if (!s)
		return 0;
	for (i = 0; i < 32; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[32] == '\0';
}

int isg_lock_token_format(char *out, size_t n, const isg_lock_token *token)
{
	int w;

	if (!out || n == 0 || !token)
		return isg__error_set(ISG_EINVALID, "lock",
		                      "isg_lock_token_format: NULL argument");
	out[0] = '\0';
	if (!isg__lock_token_valid(token->token) || token->fence <= 0)
		return isg__error_set(ISG_EINVALID, "lock",
		                      "malformed lock token (fence %lld)",
		                      token->fence);
	w = snprintf(out, n, "%s.%lld", token->token, token->fence);
	if (w < 0 || (size_t)w >= n) {
		out[0] = '\0';
		return isg__error_set(
		        ISG_EINVALID, "lock",
		        "buffer of %zu bytes is too small for a lock token", n);
	}
	return ISG_OK;
}

int isg_lock_token_parse(isg_lock_token *out, const char *text)
{
	char hex[ISG_LOCK_TOKEN_SIZE];
	long long fence;

	if (!out)
		return isg__error_set(ISG_EINVALID, "lock",
		                      "isg_lock_token_parse: out is NULL");
	memset(out, 0, sizeof(*out));
	if (!text || strlen(text) < 34 || text[32] != '.')
		return isg__error_set(
		        ISG_EINVALID, "lock",
		        "lock token '%.60s' is not <32 hex>.<fence>",
		        text ? text : "(null)");
	memcpy(hex, text, 32);
	hex[32] = '\0';
	if (!isg__lock_token_valid(hex))
		return isg__error_set(
		        ISG_EINVALID, "lock",
		        "lock token '%.60s' has a non-hex owner part", text);
	if (isg__text_parse_ll(text + 33, &fence) != ISG_OK || fence <= 0 ||
	    text[33] == '+' || text[33] == '-')
		return isg__error_set(ISG_EINVALID, "lock",
		                      "lock token '%.60s' has a bad fence",
		                      text);
	memcpy(out->token, hex, sizeof(hex));
	out->fence = fence;
	return ISG_OK;
}
