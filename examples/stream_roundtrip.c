/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Example: Redis Streams round trip.
 *
 * Adds a message to a stream, reads it back as a member of a consumer
 * group, and acknowledges it by returning ISG_OK from the handler. Uses
 * the Redis named by ISG_TEST_REDIS_URL and a key prefix of its own;
 * prints "skipped" when the variable is not set.
 *
 *   cc stream_roundtrip.c $(pkg-config --cflags --libs issuesight)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <issuesight/issuesight.h>

static int on_message(const isg_stream_message *msg, void *payload)
{
	int *handled = payload;

	printf("received %s (delivery %lld): %s\n", msg->id, msg->deliveries,
	       msg->data);
	(*handled)++;
	return ISG_OK; /* the work is done: acknowledge the entry */
}

int main(void)
{
	const char *url = getenv("ISG_TEST_REDIS_URL");
	const char *msg =
	        "{\"schema_version\":1,\"owner\":\"octocat\",\"repo\":\"hello-world\",\"number\":1}";
	isg_stream_options so = ISG_STREAM_OPTIONS_INIT;
	isg_stream_consumer_options co = ISG_STREAM_CONSUMER_OPTIONS_INIT;
	isg_stream *s = NULL;
	isg_stream_consumer *c = NULL;
	isg_stream_group_info info;
	char prefix[64], id[ISG_STREAM_ID_SIZE];
	int handled = 0, rounds = 0, rc = 1;

	if (!url) {
		printf("skipped: ISG_TEST_REDIS_URL is not set\n");
		return 0;
	}
	if (isg_global_init() != ISG_OK)
		return 1;
	snprintf(prefix, sizeof(prefix), "example:%ld:%ld:", (long)time(NULL),
	         (long)clock());
	so.redis_url = url;
	so.prefix = prefix;
	so.maxlen = 1000;
	if (isg_stream_new(&s, &so) != ISG_OK)
		goto done;
	if (isg_stream_add(id, s, ISG_STREAM_TASKS, msg, strlen(msg)) != ISG_OK)
		goto done;
	printf("added %s to %stasks\n", id, prefix);
	co.stream = ISG_STREAM_TASKS;
	co.group = "example";
	co.consumer = "example-1";
	co.block_ms = 100;
	if (isg_stream_consumer_new(&c, s, &co) != ISG_OK)
		goto done;
	while (handled == 0 && rounds++ < 20)
		if (isg_stream_consumer_poll(NULL, c, on_message, &handled) !=
		    ISG_OK)
			goto done;
	if (isg_stream_group_info_get(&info, s, ISG_STREAM_TASKS, "example") !=
	    ISG_OK)
		goto done;
	printf("handled %d, pending %lld\n", handled, info.pending);
	rc = (handled == 1 && info.pending == 0) ? 0 : 1;
done:
	if (rc != 0)
		fprintf(stderr, "stream_roundtrip: %s (%s)\n",
		        isg_error_last()->message,
		        isg_error_name(isg_error_last()->code));
	isg_stream_consumer_free(c);
	isg_stream_free(s);
	isg_global_shutdown();
	return rc;
}
