/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file issuesight/store.h
 * @brief The PostgreSQL archive: every header of the store, one per noun.
 *
 * - store_db.h: the handle (a connection pool), errors, migrations;
 * - store_project.h: projects, tracking and polling leases;
 * - store_issue.h: issues and pull requests;
 * - store_content.h: Context Bridge contents and their status;
 * - store_user.h: users, identities and unlocked tutorials;
 * - store_concept.h: the concept tree and its links.
 */
#ifndef ISSUESIGHT_STORE_H
#define ISSUESIGHT_STORE_H

#include "store_concept.h"
#include "store_content.h"
#include "store_db.h"
#include "store_issue.h"
#include "store_project.h"
#include "store_user.h"

#endif /* ISSUESIGHT_STORE_H */
