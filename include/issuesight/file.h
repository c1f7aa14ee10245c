/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/file.h
 * @brief The one safe way to read a whole file, alone or inside a tree.
 *
 * Every file the library reads goes through these functions, and every file
 * it reads on a repository's behalf goes through isg_file_read_in_tree().
 * They exist because a repository is hostile: a committed symlink can point
 * at `/etc/passwd` or `/proc/self/environ`, a `CONTRIBUTING.md` can be a
 * link to `/dev/zero` (endless) or a FIFO (a read that never returns).
 *
 * The rules both functions follow:
 * - regular files only: a FIFO, character or block device, directory or
 *   socket is refused with ::ISG_EINVALID and a message naming the kind;
 * - the file is opened with `O_RDONLY | O_NONBLOCK | O_CLOEXEC`, so opening
 *   a FIFO or a device never blocks, and checked with `fstat()` after the
 *   open, so what is read is what was checked;
 * - at most `max_bytes` are read (0 means ::ISG_FILE_DEFAULT_MAX); a longer
 *   file is ::ISG_ETOOBIG, or cut at the cap with ::ISG_FILE_TRUNCATE.
 *   Files whose size the kernel reports as 0 (`/proc`) are read up to the
 *   cap too, never further.
 *
 * Thread rule: the functions keep no state; call them from any thread.
 */
#ifndef ISSUESIGHT_FILE_H
#define ISSUESIGHT_FILE_H

#include "buf.h"
#include "common.h"

ISG_BEGIN_DECLS

/** Flag: refuse a symlink as the last component (::ISG_EFORBIDDEN). */
#define ISG_FILE_NOFOLLOW 1u
/** Flag: stop at `max_bytes` and succeed instead of ::ISG_ETOOBIG. */
#define ISG_FILE_TRUNCATE 2u
/** The cap used when `max_bytes` is 0: 8 MiB. */
#define ISG_FILE_DEFAULT_MAX ((size_t)8 << 20)

/**
 * Read a whole regular file.
 *
 * A symlink is followed (the target must be a regular file) unless
 * ::ISG_FILE_NOFOLLOW is given. Use this for files the user named (a
 * configuration file, an issue JSON file); use isg_file_read_in_tree() for
 * files inside a repository.
 *
 * @param out receives the content, NUL-terminated (it may hold NUL bytes;
 *        `out->size` is the length). Replaced on success, left unchanged
 *        on failure. The caller releases it with isg_buf_dispose().
 * @param path the file.
 * @param max_bytes the most bytes to read; 0 means ::ISG_FILE_DEFAULT_MAX.
 * @param flags ::ISG_FILE_NOFOLLOW and ::ISG_FILE_TRUNCATE, or 0.
 * @return ::ISG_OK;
 *         ::ISG_EINVALID for a NULL argument, unknown flags, or a file that
 *         is not a regular file ("'p' is a FIFO, not a regular file");
 *         ::ISG_ENOTFOUND when it does not exist;
 *         ::ISG_EFORBIDDEN when permission is denied, or for a symlink
 *         under ::ISG_FILE_NOFOLLOW;
 *         ::ISG_ETOOBIG when it is longer than the cap (without
 *         ::ISG_FILE_TRUNCATE);
 *         ::ISG_EIO when the read fails;
 *         ::ISG_ENOMEM.
 */
ISG_API int isg_file_read(isg_buf *out, const char *path, size_t max_bytes,
                          unsigned flags);

/**
 * Read a whole regular file at `relpath` inside the directory tree `root`,
 * never reaching outside it.
 *
 * `relpath` is resolved one component at a time from `root` with
 * `openat()`, never as one string. A symlink met on the way (or as the
 * last component) is followed only while its target stays inside `root`:
 * relative targets are resolved from the link's directory, `..` in a target
 * may climb back up but not above `root`, and an absolute target is
 * accepted only when it lies under the real path of `root`. At most 40
 * symlinks are followed in one call. `root` itself is trusted and may be
 * or contain a symlink.
 *
 * @param out as for isg_file_read().
 * @param root the tree's top directory.
 * @param relpath a path relative to `root` ("docs/CONTRIBUTING.md"): not
 *        absolute, not empty, no `..` component. Empty and `.` components
 *        are ignored.
 * @param max_bytes the most bytes to read; 0 means ::ISG_FILE_DEFAULT_MAX.
 * @param flags ::ISG_FILE_NOFOLLOW (refuse a symlink as the last
 *        component, even one inside the tree) and ::ISG_FILE_TRUNCATE.
 * @return ::ISG_OK;
 *         ::ISG_EFORBIDDEN for a symlink whose target leaves the tree
 *         ("'p' is a symlink that leaves the tree"), a symlink under
 *         ::ISG_FILE_NOFOLLOW, or permission denied;
 *         ::ISG_EINVALID for a NULL argument, an absolute `relpath` or one
 *         with a `..` component, unknown flags, too many symlinks, or a
 *         file that is not a regular file (naming its kind);
 *         ::ISG_ENOTFOUND when `relpath` (or `root`) does not exist or a
 *         component on the way is not a directory;
 *         ::ISG_ETOOBIG, ::ISG_EIO, ::ISG_ENOMEM as for isg_file_read().
 */
ISG_API int isg_file_read_in_tree(isg_buf *out, const char *root,
                                  const char *relpath, size_t max_bytes,
                                  unsigned flags);

/**
 * Read an already open descriptor to its end, up to a cap.
 *
 * For a stream the caller chose to read, such as standard input given as
 * `-`: unlike isg_file_read() any kind of descriptor is accepted (a pipe is
 * the usual case) and the read blocks as the descriptor does. The
 * descriptor stays open.
 *
 * @param out as for isg_file_read().
 * @param fd a readable descriptor.
 * @param name what to call it in error messages ("standard input").
 * @param max_bytes the most bytes to read; 0 means ::ISG_FILE_DEFAULT_MAX.
 * @param flags ::ISG_FILE_TRUNCATE or 0.
 * @return ::ISG_OK, ::ISG_EINVALID (negative `fd`, NULL argument, unknown
 *         flags), ::ISG_ETOOBIG, ::ISG_EIO, ::ISG_ENOMEM.
 */
ISG_API int isg_file_read_fd(isg_buf *out, int fd, const char *name,
                             size_t max_bytes, unsigned flags);

ISG_END_DECLS

#endif /* ISSUESIGHT_FILE_H */
