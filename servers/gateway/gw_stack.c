/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debian's civetweb is built with USE_STACK_SIZE=102400: its worker
 * threads get 100 KB stacks, which a request that goes through libpq,
 * libmongoc and hiredis (and AddressSanitizer's red zones) overflows.
 * civetweb offers no option for it, so the gateway interposes
 * pthread_attr_setstacksize (the executable's definition wins over
 * libc's for the shared libraries it loads) and raises every request to
 * at least GW_STACK_MIN.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>

#define GW_STACK_MIN (2u << 20)

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	int (*real)(pthread_attr_t *, size_t);

	*(void **)&real = dlsym(RTLD_NEXT, "pthread_attr_setstacksize");
	if (!real)
		return 0; /* keep the default (8 MB) stack */
	return real(attr, size < GW_STACK_MIN ? GW_STACK_MIN : size);
}
