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

#include "bridge.h"
#include "buf.h"
#include "collector.h"
#include "common.h"
#include "concepts.h"
#include "config.h"
#include "difficulty.h"
#include "error.h"
#include "file.h"
#include "github.h"
#include "global.h"
#include "issue.h"
#include "locate.h"
#include "log.h"
#include "repo.h"
#include "store.h"
#include "store_concept.h"
#include "store_content.h"
#include "store_db.h"
#include "store_issue.h"
#include "store_project.h"
#include "store_user.h"
#include "stream.h"

#endif /* ISSUESIGHT_ISSUESIGHT_H */
