/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util: clocks, locale-independent ASCII helpers, strict integer parsing
 * and UTF-8 validation used across the library.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include "core_int.h"

int64_t isg__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t isg__wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void isg__sleep_ms(int64_t ms)
{
	struct timespec req, rem;

	if (ms <= 0)
		return;
	req.tv_sec = (time_t)(ms / 1000);
	req.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&req, &rem) != 0 && errno == EINTR)
		req = rem;
}

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int isg__ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int ca = ascii_lower((unsigned char)a[i]);
		int cb = ascii_lower((unsigned char)b[i]);

		if (ca != cb || ca == 0)
			return ca - cb;
	}
	return 0;
}

int isg__ascii_casecmp(const char *a, const char *b)
{
	return isg__ascii_ncasecmp(a, b, SIZE_MAX);
}

int isg__parse_ll(const char *s, long long *out)
{
	char *end = NULL;
	long long v;

	if (!s || !*s || *s == ' ' || *s == '\t')
		return ISG_EINVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || !end || *end != '\0')
		return ISG_EINVALID;
	*out = v;
	return ISG_OK;
}

int isg__utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n, k;
		unsigned int cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n > len - i - 1)
			return 0; /* truncated sequence */
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}
