/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/issuesight.h
 * @brief Umbrella header: includes every public header of libissuesight.
 *
 * libissuesight turns a GitHub issue into a Context Bridge. Start with
 * isg_global_init() (global.h), read settings with isg_config_new()
 * (config.h), and check every returned status against ::ISG_OK (error.h).
 */
#ifndef ISSUESIGHT_ISSUESIGHT_H
#define ISSUESIGHT_ISSUESIGHT_H

#include "auth.h"
#include "bridge.h"
#include "bridge_llm.h"
#include "buf.h"
#include "cache.h"
#include "collector.h"
#include "common.h"
#include "concepts.h"
#include "config.h"
#include "difficulty.h"
#include "engine.h"
#include "error.h"
#include "file.h"
#include "github.h"
#include "global.h"
#include "issue.h"
#include "llm.h"
#include "locate.h"
#include "lock.h"
#include "log.h"
#include "repo.h"
#include "oauth.h"
#include "quota.h"
#include "reader.h"
#include "snapshot.h"
#include "store.h"
#include "store_bridge.h"
#include "store_account.h"
#include "store_concept.h"
#include "store_content.h"
#include "store_db.h"
#include "store_discover.h"
#include "store_issue.h"
#include "store_project.h"
#include "store_user.h"
#include "stream.h"
#include "worker.h"

#endif /* ISSUESIGHT_ISSUESIGHT_H */
