/* SPDX-License-Identifier: Apache-2.0 */
/*
 * global: process-wide set-up of the library and of the dependencies that
 * need it (libcurl and libmongoc), reference counted so that nested users
 * (a host program and a plugin) can both call it.
 */
#include <curl/curl.h>
#include <mongoc/mongoc.h>

#include "core_int.h"
#include "issuesight/global.h"

static int init_count;

/* libmongoc's own messages go to the library's log (debug level): its
 * default handler prints to stderr, which the library never does. */
static void mongoc_to_log(mongoc_log_level_t level, const char *domain,
                          const char *message, void *payload)
{
	(void)payload;
	isg__log_write(level <= MONGOC_LOG_LEVEL_ERROR ? ISG_LOG_WARN
	                                               : ISG_LOG_DEBUG,
	               "mongoc", NULL, 0, "%s: %s", domain, message);
}

int isg_global_init(void)
{
	if (init_count++ > 0)
		return ISG_OK;
	isg__alloc_install_json_hooks();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		init_count = 0;
		return isg__error_set(ISG_ERROR, "global",
		                      "curl_global_init failed");
	}
	mongoc_init();
	mongoc_log_set_handler(mongoc_to_log, NULL);
	return ISG_OK;
}

void isg_global_shutdown(void)
{
	if (init_count <= 0)
		return;
	if (--init_count > 0)
		return;
	mongoc_cleanup();
	curl_global_cleanup();
}

const char *isg_global_version(void)
{
	return ISG_VERSION_STRING;
}

/* The 0.1 name, exported until 0.3. */
const char *isg_version(void)
{
	return isg_global_version();
}
