/* SPDX-License-Identifier: Apache-2.0 */
/*
 * llm_retry: when to retry a chat request and how long to wait. Servers'
 * hints come first (retry-after-ms, retry-after, and on a 429 OpenAI's
 * x-ratelimit-reset-* durations); without one the wait is exponential
 * backoff with full jitter, so that many clients limited at once do not
 * come back in step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "llm_int.h"

void isg__llm_hints_init(isg__llm_hints *h)
{
	memset(h, 0, sizeof(*h));
	h->retry_after_ms = -1;
	h->reset_requests_ms = -1;
	h->reset_tokens_ms = -1;
	h->remaining_requests = -1;
	h->remaining_tokens = -1;
}

long long isg__llm_duration_ms(const char *s, size_t n)
{
	double total = 0;
	size_t i = 0;
	int parts = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (i == n)
		return -1;
	while (i < n) {
		double v = 0, scale = 1;
		int digits = 0, dot = 0;

		while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) {
			if (s[i] == '.') {
				if (dot++)
					return -1;
			} else if (dot) {
				scale /= 10;
				v += (s[i] - '0') * scale;
				digits++;
			} else {
				v = v * 10 + (s[i] - '0');
				digits++;
			}
			if (v > 1e9)
				return -1;
			i++;
		}
		if (!digits)
			return -1;
		if (i == n) {
			/* A bare number: seconds (retry-after style). */
			if (parts)
				return -1;
			return (long long)(v * 1000 + 0.5);
		}
		if (n - i >= 2 && s[i] == 'm' && s[i + 1] == 's') {
			total += v;
			i += 2;
		} else if (s[i] == 'h') {
			total += v * 3600000;
			i++;
		} else if (s[i] == 'm') {
			total += v * 60000;
			i++;
		} else if (s[i] == 's') {
			total += v * 1000;
			i++;
		} else {
			return -1;
		}
		parts++;
	}
	return (long long)(total + 0.5);
}

static int name_is(const char *line, size_t nlen, const char *name)
{
	return strlen(name) == nlen &&
	       isg__text_ncasecmp(line, name, nlen) == 0;
}

void isg__llm_hints_line(isg__llm_hints *h, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len), *v;
	size_t nlen, vlen;
	long long ll;
	char num[32];

	if (!colon)
		return;
	nlen = (size_t)(colon - line);
	v = colon + 1;
	vlen = len - nlen - 1;
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
	                v[vlen - 1] == ' '))
		vlen--;
	if (name_is(line, nlen, "x-request-id")) {
		snprintf(h->request_id, sizeof(h->request_id), "%.*s",
		         (int)(vlen < sizeof(h->request_id)
		                       ? vlen
		                       : sizeof(h->request_id) - 1),
		         v);
	} else if (name_is(line, nlen, "retry-after-ms")) {
		ll = isg__llm_duration_ms(v, vlen);
		/* A plain number here is milliseconds, not seconds. */
		if (ll >= 0)
			h->retry_after_ms = (ll + 500) / 1000;
	} else if (name_is(line, nlen, "retry-after")) {
		/* retry-after-ms wins when both are sent. An HTTP date is
		 * not used: the server's clock may differ from ours. */
		ll = isg__llm_duration_ms(v, vlen);
		if (ll >= 0 && h->retry_after_ms < 0)
			h->retry_after_ms = ll;
	} else if (name_is(line, nlen, "x-ratelimit-reset-requests")) {
		h->reset_requests_ms = isg__llm_duration_ms(v, vlen);
	} else if (name_is(line, nlen, "x-ratelimit-reset-tokens")) {
		h->reset_tokens_ms = isg__llm_duration_ms(v, vlen);
	} else if (name_is(line, nlen, "x-ratelimit-remaining-requests") ||
	           name_is(line, nlen, "x-ratelimit-remaining-tokens")) {
		if (vlen >= sizeof(num))
			return;
		memcpy(num, v, vlen);
		num[vlen] = '\0';
		if (isg__text_parse_ll(num, &ll) != ISG_OK || ll < 0)
			return;
		if (line[nlen - 1] == 's' && line[nlen - 2] == 't')
			h->remaining_requests = ll;
		else
			h->remaining_tokens = ll;
	}
}

long long isg__llm_hint_ms(const isg__llm_hints *h, int http)
{
	long long best = -1;

	if (h->retry_after_ms >= 0)
		return h->retry_after_ms;
	if (http != 429)
		return -1;
	if (h->remaining_requests == 0 && h->reset_requests_ms >= 0)
		best = h->reset_requests_ms;
	if (h->remaining_tokens == 0 && h->reset_tokens_ms > best)
		best = h->reset_tokens_ms;
	if (best < 0) {
		best = h->reset_requests_ms > h->reset_tokens_ms
		               ? h->reset_requests_ms
		               : h->reset_tokens_ms;
	}
	return best;
}

int isg__llm_http_retryable(int http)
{
	return http == 408 || http == 409 || http == 429 || http == 500 ||
	       http == 502 || http == 503 || http == 504;
}

int isg__llm_http_status(int http, const isg__llm_error_body *e)
{
	switch (http) {
	case 400:
	case 422:
		return ISG_EINVALID;
	case 401:
		return ISG_EAUTH;
	case 403:
		return ISG_EFORBIDDEN;
	case 404:
		return ISG_ENOTFOUND;
	case 413:
		return ISG_ETOOBIG;
	case 429:
		return e && (strcmp(e->code, "insufficient_quota") == 0 ||
		             strcmp(e->type, "insufficient_quota") == 0)
		               ? ISG_EQUOTA
		               : ISG_ERATELIMIT;
	case 408:
	case 504:
		return ISG_ETIMEOUT;
	default:
		return ISG_EUPSTREAM;
	}
}

uint64_t isg__llm_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9E3779B97F4A7C15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

long long isg__llm_backoff_ms(uint64_t *state, int attempt, long long base,
                              long long cap)
{
	long long ceiling = base;
	int i;

	for (i = 0; i < attempt && ceiling < cap; i++)
		ceiling *= 2;
	if (ceiling > cap)
		ceiling = cap;
	if (ceiling <= 0)
		return 0;
	return (long long)(isg__llm_rand(state) % (uint64_t)(ceiling + 1));
}
