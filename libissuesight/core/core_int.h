/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private helpers shared by every module of the library: error recording,
 * allocation through the installed hooks, buffer building, logging, the
 * arena, vector and string map, path helpers and clocks (defensive JSON
 * access is in json_int.h). Nothing here is exported.
 */
#ifndef ISSUESIGHT_CORE_INT_H
#define ISSUESIGHT_CORE_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "issuesight/buf.h"
#include "issuesight/error.h"
#include "issuesight/log.h"

#if defined(__GNUC__)
#define ISG__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ISG__UNUSED __attribute__((unused))
#else
#define ISG__PRINTF(fmt, args)
#define ISG__UNUSED
#endif

#define ISG__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Errors: record the detail for this thread and return `code`. */
int isg__error_set(int code, const char *module, const char *fmt, ...)
        ISG__PRINTF(3, 4);
int isg__error_set_retry(int code, const char *module, double retry_after_s,
                         const char *fmt, ...) ISG__PRINTF(4, 5);
int isg__error_vset(int code, const char *module, double retry_after_s,
                    const char *fmt, va_list ap);
/* Records ISG_ENOMEM for `module` without allocating. */
int isg__error_oom(const char *module);

/* Allocation through the installed hooks. Sizes of zero allocate one byte. */
void *isg__alloc_malloc(size_t size);
void *isg__alloc_calloc(size_t n, size_t size);
void *isg__alloc_realloc(void *ptr, size_t size);
void isg__alloc_free(void *ptr);
char *isg__alloc_strdup(const char *s);
char *isg__alloc_strndup(const char *s, size_t n);
/* Multiplies with overflow check; returns 0 on overflow. */
int isg__alloc_mul_ok(size_t a, size_t b, size_t *out);
/* How many allocations failed on this thread so far (a counter to compare
 * before and after a call). */
unsigned long isg__alloc_failures(void);
void isg__alloc_install_json_hooks(void);

/* Buffers. Each returns ISG_OK or ISG_ENOMEM and keeps the old content on
 * failure. */
int isg__buf_grow(isg_buf *buf, size_t target);
int isg__buf_puts(isg_buf *buf, const char *s);
int isg__buf_putc(isg_buf *buf, char c);
int isg__buf_printf(isg_buf *buf, const char *fmt, ...) ISG__PRINTF(2, 3);
int isg__buf_vprintf(isg_buf *buf, const char *fmt, va_list ap);
/* Appends `s` as a JSON string literal, quotes included. Invalid UTF-8 is
 * replaced by U+FFFD so that the output is always valid JSON. */
int isg__buf_put_json_string(isg_buf *buf, const char *s, size_t len);
void isg__buf_clear(isg_buf *buf);
/* Moves the content out: returns the pointer (never NULL: an empty buffer
 * gives an allocated "") or NULL on allocation failure. */
char *isg__buf_detach(isg_buf *buf);

/* Redaction (redact.c): isg_log_redact() into a fixed array, cut at `n`
 * bytes, without allocating. */
void isg__redact_fixed(char *dst, size_t n, const char *src);
/* Writes `text` (NULL: "") redacted through `put`, which returns ISG_OK or
 * a status that stops the writing and is returned. */
typedef int (*isg__redact_put_fn)(void *payload, const char *p, size_t n);
int isg__redact_write(const char *text, isg__redact_put_fn put, void *payload);

/* Logging: formats and redacts only when a callback wants the level. */
int isg__log_enabled(int level);
void isg__log_write(int level, const char *module, const isg_log_field *fields,
                    size_t nfields, const char *fmt, ...) ISG__PRINTF(5, 6);

/* Monotonic and wall clocks (clock.c). */
int64_t isg__clock_now_ms(void);  /* CLOCK_MONOTONIC, milliseconds */
int64_t isg__clock_wall_ms(void); /* CLOCK_REALTIME, milliseconds since epoch */
void isg__clock_sleep_ms(int64_t ms); /* restarts after signals */

/* Fills `buf` with `n` bytes from the kernel's random source (random.c);
 * ISG_OK, or ISG_EIO recorded for `module`. */
int isg__random_bytes(void *buf, size_t n, const char *module);

/* Text (text.c): case-insensitive ASCII comparison that does not depend
 * on the locale. */
int isg__text_casecmp(const char *a, const char *b);
int isg__text_ncasecmp(const char *a, const char *b, size_t n);
/* Parses a whole decimal integer (optional sign, no spaces). */
int isg__text_parse_ll(const char *s, long long *out);
/* Files: the kind of a stat mode in words ("FIFO", "directory"), for
 * messages. The readers themselves are public: issuesight/file.h. */
const char *isg__file_kind(unsigned mode);
/* Returns 1 when the bytes are valid UTF-8. */
int isg__text_utf8_valid(const char *s, size_t len);

/* The arena (arena.c): allocations released together by
 * isg__arena_free(). Zero-initialize it (`isg__arena a = { 0 };`). Each
 * allocating call returns NULL when the allocation fails and records
 * nothing: the caller records ISG_ENOMEM for its module. */
typedef struct isg__arena {
	struct isg__arena_block *head;
} isg__arena;

/* Zeroed memory aligned for any object (16 bytes), freed with the arena. */
void *isg__arena_alloc(isg__arena *a, size_t size);
/* Zeroed room for `n` items of `size` bytes (n = 0 counts as 1); NULL on
 * overflow. */
void *isg__arena_array(isg__arena *a, size_t n, size_t size);
/* Copies `n` bytes of `s` (NULL with n = 0 gives "") and a NUL. */
char *isg__arena_strndup(isg__arena *a, const char *s, size_t n);
/* Copies a string; NULL copies as "". */
char *isg__arena_strdup(isg__arena *a, const char *s);
/* Frees every block; the arena is empty and reusable afterwards.
 * NULL is a no-op. */
void isg__arena_free(isg__arena *a);

/* The vector (vector.c): a growable array of borrowed pointers.
 * Zero-initialize it. */
typedef struct isg__vector {
	void **items;
	size_t len, cap;
} isg__vector;

/* Appends `item`; ISG_OK or ISG_ENOMEM (recorded for "core"). */
int isg__vector_push(isg__vector *v, void *item);
/* Frees the array (not the items) and empties the vector. NULL is a
 * no-op. */
void isg__vector_free(isg__vector *v);

/* The string map (strmap.c): string keys (borrowed, they must outlive the
 * map) to long values, open addressing, sized once for `n` keys by
 * isg__strmap_init() (ISG_OK or ISG_ENOMEM); it never grows, so never put
 * more keys than that. */
typedef struct isg__strmap {
	const char **keys;
	long *vals;
	size_t cap;
} isg__strmap;

int isg__strmap_init(isg__strmap *m, size_t n);
void isg__strmap_free(isg__strmap *m);
/* The value of `key`, or -1 when absent. */
long isg__strmap_get(const isg__strmap *m, const char *key);
/* Inserts `key` when absent; an existing key keeps its first value. */
void isg__strmap_put(isg__strmap *m, const char *key, long val);

/* Path helpers (path.c) for '/'-separated paths. */
/* The part after the last '/' (the whole path when there is none). */
const char *isg__path_basename(const char *path);
/* The length of the part before the last '/' (0 when there is none). */
size_t isg__path_dirname_len(const char *path);
/* The base name's extension, from its last '.' (".py"); NULL when the base
 * name has no '.' or only a leading one (".bashrc"). */
const char *isg__path_extension(const char *path);
/* The length of the base name without its extension. */
size_t isg__path_stem_len(const char *path);
/* Sets `out` to `dir` + '/' + `name` (no '/' added after an empty `dir`
 * or one ending in '/'); ISG_OK or ISG_ENOMEM. */
int isg__path_join(isg_buf *out, const char *dir, const char *name);

/* Directory trees on disk (tree.c); symbolic links are never followed. */
/* The bytes of the regular files under `path`: ISG_OK or ISG_EIO. */
int isg__tree_size(const char *path, long long *out);
/* Removes `path` and everything under it (a file or link: itself).
 * ISG_OK when it is gone (or was never there), else ISG_EIO. Records no
 * error detail: callers clean up on paths that are already failing. */
int isg__tree_remove(const char *path);

#endif /* ISSUESIGHT_CORE_INT_H */
