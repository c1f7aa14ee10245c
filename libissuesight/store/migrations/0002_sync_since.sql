-- SPDX-License-Identifier: Apache-2.0
-- 0002_sync_since: the polling state of a project lives in PostgreSQL, the
-- record, instead of Redis only (docs/collector.md).
--
-- sync_since       the `since` the next listing of the project sends;
--                  NULL: a full listing.
-- sync_since_next  what sync_since becomes after the next poll (the start
--                  of the poll before); NULL: it stays.
--
-- Never edit this file once released; add NNNN_name.sql files instead.
ALTER TABLE projects
    ADD COLUMN sync_since timestamptz,
    ADD COLUMN sync_since_next timestamptz;
