-- SPDX-License-Identifier: Apache-2.0
-- 0004_accounts: what the gateway needs of a user. A login name (unique,
-- case-insensitive) for users created by `issuesight users add` and for
-- sign-in, an admin flag, and last_requested_at, the quota anchor: when
-- the user last caused a new Context Bridge.
ALTER TABLE users
    ADD COLUMN login text CHECK (login IS NULL OR login <> ''),
    ADD COLUMN is_admin boolean NOT NULL DEFAULT false,
    ADD COLUMN last_requested_at timestamptz;
CREATE UNIQUE INDEX users_login_key ON users (lower(login));
