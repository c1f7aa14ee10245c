/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf: growable byte buffers. Every function keeps the buffer valid and
 * NUL-terminated, and leaves the old content in place when it fails.
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"

void isg_buf_dispose(isg_buf *buf)
{
	if (!buf)
		return;
	if (buf->asize)
		isg__alloc_free(buf->ptr);
	buf->ptr = NULL;
	buf->size = 0;
	buf->asize = 0;
}

int isg__buf_grow(isg_buf *buf, size_t target)
{
	size_t nsize;
	char *p;

	if (target == SIZE_MAX)
		return isg__error_oom("buf");
	if (buf->asize > target)
		return ISG_OK;
	nsize = buf->asize ? buf->asize : 64;
	while (nsize <= target) {
		if (nsize > SIZE_MAX / 2) {
			nsize = target + 1;
			break;
		}
		nsize *= 2;
	}
	if (buf->asize == 0 && buf->ptr) {
		/* Borrowed content: copy it into owned memory. */
		p = isg__alloc_malloc(nsize);
		if (!p)
			return isg__error_oom("buf");
		memcpy(p, buf->ptr, buf->size);
	} else {
		p = isg__alloc_realloc(buf->ptr, nsize);
		if (!p)
			return isg__error_oom("buf");
	}
	buf->ptr = p;
	buf->asize = nsize;
	buf->ptr[buf->size] = '\0';
	return ISG_OK;
}

int isg_buf_put(isg_buf *buf, const void *data, size_t len)
{
	if (!buf || (!data && len))
		return isg__error_set(ISG_EINVALID, "buf",
		                      "isg_buf_put: NULL buffer or data");
	if (len > SIZE_MAX - buf->size - 1)
		return isg__error_oom("buf");
	if (isg__buf_grow(buf, buf->size + len) != ISG_OK)
		return ISG_ENOMEM;
	if (len)
		memmove(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return ISG_OK;
}

int isg_buf_set(isg_buf *buf, const void *data, size_t len)
{
	isg_buf tmp = ISG_BUF_INIT;

	if (!buf || (!data && len))
		return isg__error_set(ISG_EINVALID, "buf",
		                      "isg_buf_set: NULL buffer or data");
	/* Build aside so that a failure keeps the old content, and so that
	 * `data` may point into `buf` itself. */
	if (isg_buf_put(&tmp, data, len) != ISG_OK)
		return ISG_ENOMEM;
	isg_buf_dispose(buf);
	*buf = tmp;
	return ISG_OK;
}

int isg__buf_puts(isg_buf *buf, const char *s)
{
	return isg_buf_put(buf, s, s ? strlen(s) : 0);
}

int isg__buf_putc(isg_buf *buf, char c)
{
	return isg_buf_put(buf, &c, 1);
}

int isg__buf_vprintf(isg_buf *buf, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return isg__error_set(ISG_EINVALID, "buf", "bad format string");
	if (isg__buf_grow(buf, buf->size + (size_t)n) != ISG_OK)
		return ISG_ENOMEM;
	vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	buf->size += (size_t)n;
	return ISG_OK;
}

int isg__buf_printf(isg_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = isg__buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return rc;
}

void isg__buf_clear(isg_buf *buf)
{
	buf->size = 0;
	if (buf->asize)
		buf->ptr[0] = '\0';
	else
		buf->ptr = NULL;
}

char *isg__buf_detach(isg_buf *buf)
{
	char *p;

	if (!buf->asize) {
		p = isg__alloc_strndup(buf->ptr ? buf->ptr : "", buf->size);
		if (!p)
			return NULL;
	} else {
		p = buf->ptr;
	}
	buf->ptr = NULL;
	buf->size = 0;
	buf->asize = 0;
	return p;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t left)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		n = 2;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4;
	else
		return 0;
	if (n > left || !isg__text_utf8_valid((const char *)s, n))
		return 0;
	return n;
}

int isg__buf_put_json_string(isg_buf *buf, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = buf->size;
	int rc = ISG_OK;

	rc = isg__buf_putc(buf, '"');
	while (rc == ISG_OK && i < len) {
		unsigned char c = p[i];
		char esc[7];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			rc = isg_buf_put(buf, esc, 2);
			i++;
		} else if (c < 0x20) {
			const char *named = c == '\n'   ? "\\n"
			                    : c == '\r' ? "\\r"
			                    : c == '\t' ? "\\t"
			                    : c == '\b' ? "\\b"
			                    : c == '\f' ? "\\f"
			                                : NULL;
			if (named) {
				rc = isg__buf_puts(buf, named);
			} else {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				rc = isg_buf_put(buf, esc, 6);
			}
			i++;
		} else if (c < 0x80) {
			rc = isg__buf_putc(buf, (char)c);
			i++;
		} else {
			size_t n = utf8_seq_len(p + i, len - i);

			if (n == 0) {
				rc = isg__buf_puts(buf, "\xEF\xBF\xBD");
				i++;
			} else {
				rc = isg_buf_put(buf, p + i, n);
				i += n;
			}
		}
	}
	if (rc == ISG_OK)
		rc = isg__buf_putc(buf, '"');
	if (rc != ISG_OK) {
		buf->size = start;
		if (buf->ptr)
			buf->ptr[start] = '\0';
	}
	return rc;
}
