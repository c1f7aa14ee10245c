-- SPDX-License-Identifier: Apache-2.0
-- 0005_sync_resume: what `issuesight sync` needs to continue where the
-- last run ended (docs/collector.md, "Continuing a sync").
--
-- sync_cursor          where an unfinished full sync goes on: the URL of
--                      the next page of the issue or comment listing, or
--                      'comments' (the comment listing from its first
--                      page); NULL when no full sync is unfinished.
-- sync_cursor_started  when that unfinished sync started; it becomes
--                      last_synced_at when the sync completes.
-- sync_etags           the GitHub client's conditional-request entries
--                      for the URLs the next run sends: a JSON object
--                      {"_synced_at": time, url: {"etag", "last_modified",
--                      "next_url"}}, valid only while _synced_at equals
--                      last_synced_at (or sync_cursor_started).
--
-- Never edit this file once released; add NNNN_name.sql files instead.
ALTER TABLE projects
    ADD COLUMN sync_cursor text,
    ADD COLUMN sync_cursor_started timestamptz,
    ADD COLUMN sync_etags jsonb;
