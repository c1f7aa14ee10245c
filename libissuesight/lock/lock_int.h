/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the lock module: token generation, shared by the lock
 * (lock.c) and the token text format (lock_token.c).
 */
#ifndef ISSUESIGHT_LOCK_INT_H
#define ISSUESIGHT_LOCK_INT_H

#include "issuesight/lock.h"

/* Fills `out` (ISG_LOCK_TOKEN_SIZE) with 32 random lower-case hex digits
 * from the kernel's random source. ISG_EIO when it cannot be read. */
int isg__lock_token_random(char out[ISG_LOCK_TOKEN_SIZE]);

/* 1 when `s` is exactly 32 lower-case hex digits. */
int isg__lock_token_valid(const char *s);

#endif /* ISSUESIGHT_LOCK_INT_H */
