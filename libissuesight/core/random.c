/* SPDX-License-Identifier: Apache-2.0 */
/*
 * random: bytes from the kernel's random source (getrandom), for the
 * secrets and tokens the library makes: API tokens, sessions and OAuth
 * states (account), lock owner tokens (lock).
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "core_int.h"

int isg__random_bytes(void *buf, size_t n, const char *module)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t k = getrandom(p + got, n - got, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return isg__error_set(ISG_EIO, module,
			                      "getrandom failed: %s",
			                      strerror(errno));
		got += (size_t)k;
	}
	return ISG_OK;
}
