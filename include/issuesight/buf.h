/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/buf.h
 * @brief Growable, always NUL-terminated byte buffers for returned strings.
 *
 * Functions that hand a string to the caller fill an ::isg_buf. The caller
 * owns it and releases it with isg_buf_dispose(). An ::isg_buf may be
 * reused: a function that fills one replaces its previous content.
 */
#ifndef ISSUESIGHT_BUF_H
#define ISSUESIGHT_BUF_H

#include "common.h"

ISG_BEGIN_DECLS

/**
 * A byte buffer. `ptr` is NUL-terminated whenever it is not NULL, and
 * `size` excludes that terminator. The content may contain NUL bytes.
 */
typedef struct isg_buf {
	char *ptr;    /**< The bytes, or NULL when nothing was ever stored. */
	size_t size;  /**< Bytes used, not counting the terminator. */
	size_t asize; /**< Bytes allocated; 0 when `ptr` is not owned. */
} isg_buf;

/** An empty buffer, ready to be filled. */
#define ISG_BUF_INIT       \
	{                  \
		NULL, 0, 0 \
	}

/**
 * Release a buffer's memory and reset it to ::ISG_BUF_INIT.
 *
 * @param buf the buffer; NULL is a no-op.
 */
ISG_API void isg_buf_dispose(isg_buf *buf);

/**
 * Replace a buffer's content with a copy of `len` bytes.
 *
 * @param buf the buffer to fill.
 * @param data the bytes (may be NULL when `len` is 0).
 * @param len how many bytes.
 * @return ::ISG_OK, ::ISG_EINVALID for a NULL buffer, or ::ISG_ENOMEM
 *         (the buffer keeps its previous content).
 */
ISG_API int isg_buf_set(isg_buf *buf, const void *data, size_t len);

/**
 * Append `len` bytes to a buffer.
 *
 * @return ::ISG_OK, ::ISG_EINVALID, or ::ISG_ENOMEM (content unchanged).
 */
ISG_API int isg_buf_put(isg_buf *buf, const void *data, size_t len);

ISG_END_DECLS

#endif /* ISSUESIGHT_BUF_H */
