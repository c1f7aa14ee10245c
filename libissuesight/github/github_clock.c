/* SPDX-License-Identifier: Apache-2.0 */
/*
 * github_clock: the clock, the sleep and the jitter the request engine
 * uses, through the client's hooks when it has them, so that tests and the
 * collector control every wait.
 */
#include <string.h>

#include "core_int.h"
#include "github_int.h"

#define MOD "github"

double isg__github_now(const isg_github *gh)
{
	if (gh->clock_fn)
		return gh->clock_fn(gh->clock_payload);
	return (double)isg__clock_wall_ms() / 1000.0;
}

int isg__github_wait(isg_github *gh, double seconds)
{
	if (seconds < 0)
		seconds = 0;
	gh->stats.waits++;
	gh->stats.seconds_waited += seconds;
	if (gh->sleep_fn) {
		if (gh->sleep_fn(seconds, gh->sleep_payload) != 0)
			return isg__error_set(
			        ISG_ECANCELLED, MOD,
			        "wait of %.1f s cancelled by the sleep function",
			        seconds);
		return ISG_OK;
	}
	isg__clock_sleep_ms((int64_t)(seconds * 1000.0 + 0.5));
	return ISG_OK;
}

double isg__github_random(isg_github *gh)
{
	/* xorshift64*: plenty for jitter, and reproducible from a seed. */
	uint64_t x = gh->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	gh->rng = x;
	return (double)((x * 2685821657736338717ULL) >> 11) /
	       9007199254740992.0;
}
