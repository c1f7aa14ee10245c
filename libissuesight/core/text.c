/* SPDX-License-Identifier: Apache-2.0 */
/*
 * text: locale-independent ASCII case comparison, strict decimal integer
 * parsing and UTF-8 validation.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "core_int.h"

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int isg__text_ncasecmp(const char *a, const char *b, size_t n)
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

int isg__text_casecmp(const char *a, const char *b)
{
	return isg__text_ncasecmp(a, b, SIZE_MAX);
}

int isg__text_parse_ll(const char *s, long long *out)
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

int isg__text_utf8_valid(const char *s, size_t len)
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
