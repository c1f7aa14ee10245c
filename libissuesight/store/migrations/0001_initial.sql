-- SPDX-License-Identifier: Apache-2.0
-- 0001_initial: the relational archive of IssueSight (docs/schema.md).
--
-- Applied once, in one transaction, by isg_store_migrate(). Never edit a
-- released migration: its checksum is recorded in schema_migrations and a
-- changed file is refused. Add NNNN_name.sql files instead.

-- People who log in. Email is stored lower-case; it is the account key.
CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL,
    display_name  text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_check CHECK (email <> '' AND email = lower(email))
);

-- OAuth identities (github, google) linked to a user. An identity without
-- its user means nothing: deleting the user deletes them.
CREATE TABLE user_identities (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider     text NOT NULL CHECK (provider <> ''),
    provider_id  text NOT NULL CHECK (provider_id <> ''),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_identities_provider_key UNIQUE (provider, provider_id)
);
CREATE INDEX user_identities_user_idx ON user_identities (user_id);

-- GitHub repositories. Structured columns for what is queried, raw_data for
-- GitHub's payload. lease_owner/lease_until let one collector at a time poll
-- a tracked project.
CREATE TABLE projects (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    gh_repo_id      bigint NOT NULL CHECK (gh_repo_id > 0),
    owner           text NOT NULL CHECK (owner <> ''),
    name            text NOT NULL CHECK (name <> ''),
    full_name       text NOT NULL CHECK (full_name <> ''),
    default_branch  text,
    description     text,
    language        text,
    tracked         boolean NOT NULL DEFAULT false,
    last_synced_at  timestamptz,
    lease_owner     text,
    lease_until     timestamptz,
    raw_data        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projects_gh_repo_id_key UNIQUE (gh_repo_id),
    CONSTRAINT projects_full_name_key UNIQUE (full_name)
);
CREATE INDEX projects_full_name_lower_idx ON projects (lower(full_name));
CREATE INDEX projects_due_idx ON projects (last_synced_at NULLS FIRST)
    WHERE tracked;

-- Issues and pull requests. Hybrid: indexed columns for filtering, the
-- whole GitHub payload in raw_data. Issues go with their project.
CREATE TABLE github_issues (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id       uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    gh_issue_id      bigint NOT NULL CHECK (gh_issue_id > 0),
    issue_number     integer NOT NULL CHECK (issue_number > 0),
    title            text NOT NULL,
    state            text NOT NULL CHECK (state IN ('open', 'closed')),
    labels           text[] NOT NULL DEFAULT '{}',
    is_pull_request  boolean NOT NULL DEFAULT false,
    difficulty       text CHECK (difficulty IN ('beginner', 'intermediate',
                                                'advanced')),
    junior_friendly  boolean,
    gh_created_at    timestamptz,
    -- Never NULL: it is the keyset pagination key (falls back to the
    -- creation time, then to the time of archiving).
    gh_updated_at    timestamptz NOT NULL,
    body_length      bigint NOT NULL DEFAULT 0 CHECK (body_length >= 0),
    comments_count   integer NOT NULL DEFAULT 0 CHECK (comments_count >= 0),
    raw_data         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT github_issues_gh_issue_id_key UNIQUE (gh_issue_id),
    CONSTRAINT github_issues_project_number_key
        UNIQUE (project_id, issue_number)
);
CREATE INDEX github_issues_state_idx ON github_issues (state);
CREATE INDEX github_issues_title_idx ON github_issues
    USING gin (to_tsvector('simple', title));
CREATE INDEX github_issues_labels_idx ON github_issues USING gin (labels);
CREATE INDEX github_issues_difficulty_idx ON github_issues (difficulty);
CREATE INDEX github_issues_junior_idx ON github_issues (junior_friendly);
CREATE INDEX github_issues_updated_idx
    ON github_issues (gh_updated_at DESC, id DESC);

-- One Context Bridge per issue, shared by every user who unlocks it.
-- status moves PENDING -> COMPLETED | FAILED and FAILED -> PENDING only;
-- the store's UPDATEs guard the transition, this CHECK guards the values.
CREATE TABLE tutorial_contents (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issue_id           uuid NOT NULL
                       REFERENCES github_issues (id) ON DELETE CASCADE,
    status             text NOT NULL DEFAULT 'PENDING',
    bridge             jsonb,
    engine             text CHECK (engine IN ('offline', 'llm')),
    model              text,
    prompt_tokens      bigint NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens  bigint NOT NULL DEFAULT 0
                       CHECK (completion_tokens >= 0),
    error              text,
    attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The highest lock token (fencing value) of a worker that wrote here.
    fence              bigint NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz,
    CONSTRAINT tutorial_contents_issue_id_key UNIQUE (issue_id),
    CONSTRAINT tutorial_contents_status_check
        CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
    CONSTRAINT tutorial_contents_bridge_check
        CHECK (status <> 'COMPLETED' OR (bridge IS NOT NULL
                                         AND engine IS NOT NULL))
);
CREATE INDEX tutorial_contents_status_idx ON tutorial_contents (status);

-- A user's unlocked bridges. A bridge someone unlocked is not deleted
-- behind their back: deleting a content with tutorials is refused.
CREATE TABLE tutorials (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                uuid NOT NULL
                           REFERENCES users (id) ON DELETE CASCADE,
    content_id             uuid NOT NULL
                           REFERENCES tutorial_contents (id) ON DELETE RESTRICT,
    is_original_requester  boolean NOT NULL DEFAULT false,
    unlocked_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tutorials_user_content_key UNIQUE (user_id, content_id)
);
-- At most one original requester per content, whatever the races.
CREATE UNIQUE INDEX tutorials_original_key ON tutorials (content_id)
    WHERE is_original_requester;
CREATE INDEX tutorials_content_idx ON tutorials (content_id);

-- The concept catalog: a graph of slugs (parent -> child).
CREATE TABLE concepts (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug         text NOT NULL,
    name         text NOT NULL CHECK (name <> ''),
    description  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT concepts_slug_key UNIQUE (slug),
    CONSTRAINT concepts_slug_check
        CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100)
);

CREATE TABLE concept_relationships (
    parent_id   uuid NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    child_id    uuid NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT concept_relationships_pkey PRIMARY KEY (parent_id, child_id),
    CONSTRAINT concept_relationships_no_self_loop
        CHECK (parent_id <> child_id)
);
CREATE INDEX concept_relationships_child_idx
    ON concept_relationships (child_id);

CREATE TABLE project_concepts (
    project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    concept_id  uuid NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    confidence  real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    CONSTRAINT project_concepts_pkey PRIMARY KEY (project_id, concept_id)
);
CREATE INDEX project_concepts_concept_idx ON project_concepts (concept_id);

-- Concepts a Context Bridge teaches (its prerequisites).
CREATE TABLE tutorial_concepts (
    content_id  uuid NOT NULL
                REFERENCES tutorial_contents (id) ON DELETE CASCADE,
    concept_id  uuid NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    relevance   real NOT NULL CHECK (relevance >= 0 AND relevance <= 1),
    CONSTRAINT tutorial_concepts_pkey PRIMARY KEY (content_id, concept_id)
);
CREATE INDEX tutorial_concepts_concept_idx ON tutorial_concepts (concept_id);
