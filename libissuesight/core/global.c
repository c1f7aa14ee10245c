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
