/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The settings the library knows, as an X-macro table:
 *   ISG_CONFIG_KEY(name, type, default, min, max, flags, doc)
 * `type` is STRING, URL, CONNINFO, INT, BOOL or LOGLEVEL; `flags` is 0 or
 * SECRET. Keep docs/configuration.md in step: a test compares the two.
 * Append new keys anywhere; the dump order is this table's order.
 */
ISG_CONFIG_KEY(DATABASE_URL, CONNINFO, "postgresql:///issuesight", 0, 0, 0,
               "PostgreSQL connection string (URL or key=value form).")
ISG_CONFIG_KEY(DB_POOL_SIZE, INT, "4", 1, 256, 0,
               "Connections kept in the PostgreSQL pool.")
ISG_CONFIG_KEY(DB_CONNECT_TIMEOUT_S, INT, "5", 1, 600, 0,
               "Seconds to wait for a PostgreSQL connection.")
ISG_CONFIG_KEY(DB_STATEMENT_TIMEOUT_MS, INT, "30000", 0, 86400000, 0,
               "Server-side timeout of every SQL statement, in ms (0: none).")
ISG_CONFIG_KEY(REDIS_URL, URL, "redis://127.0.0.1:6379/0", 0, 0, 0,
               "Redis URL for the cache, locks and streams.")
ISG_CONFIG_KEY(MONGODB_URI, URL, "mongodb://127.0.0.1:27017/issuesight", 0, 0,
               0, "MongoDB URI for sessions, API tokens and quotas.")
ISG_CONFIG_KEY(GITHUB_TOKEN, STRING, NULL, 0, 0, SECRET,
               "GitHub token sent as a Bearer credential (optional).")
ISG_CONFIG_KEY(GITHUB_API_URL, URL, "https://api.github.com", 0, 0, 0,
               "Base URL of the GitHub REST API.")
ISG_CONFIG_KEY(GITHUB_CONNECT_TIMEOUT_S, INT, "10", 1, 600, 0,
               "Seconds to connect to the GitHub API.")
ISG_CONFIG_KEY(GITHUB_TIMEOUT_S, INT, "30", 1, 3600, 0,
               "Seconds for one whole GitHub API request.")
ISG_CONFIG_KEY(GITHUB_MAX_RESPONSE_BYTES, INT, "33554432", 1024, 1073741824, 0,
               "Largest GitHub API response body accepted, in bytes.")
ISG_CONFIG_KEY(GITHUB_MAX_RETRIES, INT, "5", 0, 100, 0,
               "Retries of GitHub 5xx, network errors and secondary limits.")
ISG_CONFIG_KEY(GITHUB_MAX_WAIT_S, INT, "3600", 0, 86400, 0,
               "Longest wait for a GitHub rate-limit reset, in seconds.")
ISG_CONFIG_KEY(OPENAI_API_KEY, STRING, NULL, 0, 0, SECRET,
               "API key of the OpenAI-compatible chat server.")
ISG_CONFIG_KEY(OPENAI_BASE_URL, URL, "https://api.openai.com/v1", 0, 0, 0,
               "Base URL of the OpenAI-compatible chat server.")
ISG_CONFIG_KEY(LLM_MODEL, STRING, "gpt-5", 0, 0, 0,
               "Chat model used by the llm engine.")
ISG_CONFIG_KEY(ISSUESIGHT_LOG_LEVEL, LOGLEVEL, "info", 0, 0, 0,
               "Minimum log level: trace, debug, info, warn, error, off.")
ISG_CONFIG_KEY(
        ISSUESIGHT_CACHE_DIR, STRING, NULL, 0, 0, 0,
        "Cache directory (default $XDG_CACHE_HOME/issuesight, ~/.cache/issuesight or /tmp/issuesight-<uid>).")
ISG_CONFIG_KEY(
        STREAM_PREFIX, STRING, "is:", 0, 0, 0,
        "Key prefix of the Redis streams (is:tasks, is:contexts, is:dead).")
ISG_CONFIG_KEY(
        STREAM_MAXLEN, INT, "100000", 0, 1000000000, 0,
        "Approximate length cap of each stream (XADD MAXLEN ~; 0: never trim).")
ISG_CONFIG_KEY(COLLECTOR_POLL_INTERVAL_S, INT, "300", 1, 86400, 0,
               "Seconds between polls of the tracked projects.")
ISG_CONFIG_KEY(
        COLLECTOR_LABELS, STRING, "good first issue,help wanted,beginner", 0, 0,
        0,
        "Comma-separated labels; a polled issue with one of them gets a context message (empty: every issue).")
ISG_CONFIG_KEY(
        COLLECTOR_CLAIM_IDLE_MS, INT, "60000", 10, 86400000, 0,
        "Tasks pending longer than this (ms) in a dead collector are claimed by another.")
ISG_CONFIG_KEY(
        COLLECTOR_MAX_DELIVERIES, INT, "5", 1, 1000, 0,
        "Deliveries of a task before it moves to the dead-letter stream.")
ISG_CONFIG_KEY(
        COLLECTOR_HTTP_PORT, INT, "9102", 0, 65535, 0,
        "Port of the collector's /healthz and /metrics endpoint (0: off).")
ISG_CONFIG_KEY(ISSUESIGHT_CONCEPTS_FILE, STRING, NULL, 0, 0, 0,
               "Concept catalog JSON to use instead of the embedded one.")
/* ---- hostile inputs: git network limits and the cache (issue 13) ---- */
ISG_CONFIG_KEY(
        REPO_GIT_CONNECT_TIMEOUT_S, INT, "15", 0, 600, 0,
        "Seconds for a git server to accept a connection before a clone or fetch fails (0: no check, e.g. behind a proxy).")
ISG_CONFIG_KEY(
        REPO_GIT_LOW_SPEED_BYTES, INT, "1000", 1, 1073741824, 0,
        "An http(s) clone or fetch slower than this many bytes per second for REPO_GIT_LOW_SPEED_S fails.")
ISG_CONFIG_KEY(
        REPO_GIT_LOW_SPEED_S, INT, "30", 1, 3600, 0,
        "Seconds a clone or fetch may stay under REPO_GIT_LOW_SPEED_BYTES per second.")
ISG_CONFIG_KEY(
        REPO_GIT_TIMEOUT_S, INT, "600", 1, 86400, 0,
        "Longest a whole clone or fetch may take, in seconds (git is killed then).")
ISG_CONFIG_KEY(
        ISSUESIGHT_CACHE_MAX_BYTES, INT, "2147483648", 0, 1125899906842624LL, 0,
        "Size cap of the cache directory: least recently used clones and indexes are evicted past it (0: no cap).")
/* worker and llm (issue 9) */
ISG_CONFIG_KEY(WORKER_CONCURRENCY, INT, "8", 1, 1024, 0,
               "LLM requests in flight per worker process.")
ISG_CONFIG_KEY(WORKER_HTTP_PORT, INT, "9103", 0, 65535, 0,
               "Port of the worker's /healthz and /metrics endpoint (0: off).")
ISG_CONFIG_KEY(
        WORKER_CLAIM_IDLE_MS, INT, "120000", 10, 86400000, 0,
        "Contexts pending longer than this (ms) in a dead worker are claimed by another.")
ISG_CONFIG_KEY(
        WORKER_MAX_DELIVERIES, INT, "5", 1, 1000, 0,
        "Deliveries of a context before its bridge is FAILED and the entry moves to the dead-letter stream.")
ISG_CONFIG_KEY(LLM_TIMEOUT_S, INT, "120", 1, 3600, 0,
               "Seconds for one whole model request.")
ISG_CONFIG_KEY(LLM_CONNECT_TIMEOUT_S, INT, "10", 1, 600, 0,
               "Seconds to connect to the model server.")
ISG_CONFIG_KEY(
        LLM_REASONING_EFFORT, STRING, "low", 0, 0, 0,
        "Reasoning effort of gpt-5-family models: minimal, low, medium, high.")
ISG_CONFIG_KEY(
        LLM_MAX_RETRIES, INT, "4", 0, 100, 0,
        "Retries of a model request after 408, 409, 429, 5xx or a network error.")
ISG_CONFIG_KEY(
        LLM_ON_INVALID, STRING, "offline", 0, 0, 0,
        "When the model's output stays invalid after one repair: offline (the offline bridge, marked so) or failed.")
/* ---- gateway, reader, auth, quota (issue 10) ---- */
ISG_CONFIG_KEY(GATEWAY_LISTEN, STRING, "127.0.0.1:8080", 0, 0, 0,
               "Address and port the gateway listens on (host:port).")
ISG_CONFIG_KEY(
        GATEWAY_THREADS, INT, "128", 2, 4096, 0,
        "Gateway worker threads (each serves one connection at a time, keep-alive included).")
ISG_CONFIG_KEY(
        GATEWAY_REQUEST_TIMEOUT_MS, INT, "30000", 100, 3600000, 0,
        "Longest time the gateway waits for a request to arrive and to be answered, in ms.")
ISG_CONFIG_KEY(
        GATEWAY_ANON_RATE_PER_MIN, INT, "600", 0, 1000000, 0,
        "Requests per minute per IP for callers without credentials (0: no limit).")
ISG_CONFIG_KEY(
        QUOTA_PER_DAY, INT, "5", 0, 1000000, 0,
        "New Context Bridges per user per rolling 24 h (admins are exempt).")
ISG_CONFIG_KEY(
        PUBLIC_BASE_URL, URL, "http://127.0.0.1:8080", 0, 0, 0,
        "The gateway's public URL (OAuth redirect URIs, Location headers).")
ISG_CONFIG_KEY(
        WEB_ROOT, STRING, NULL, 0, 0, 0,
        "Directory of the web UI's static export served by the gateway (unset: no web UI).")
/* The minimum is 1 s (not a minute) so that a test can watch a session
 * expire; production sets days. */
ISG_CONFIG_KEY(SESSION_TTL_S, INT, "604800", 1, 31536000, 0,
               "Lifetime of a sign-in session, in seconds.")
ISG_CONFIG_KEY(SESSION_COOKIE_NAME, STRING, "isg_session", 0, 0, 0,
               "Name of the session cookie.")
ISG_CONFIG_KEY(
        SESSION_COOKIE_SECURE, BOOL, "true", 0, 0, 0,
        "Mark the session cookie Secure (turn off only for plain HTTP on localhost).")
ISG_CONFIG_KEY(API_TOKEN_TTL_DAYS, INT, "365", 1, 36500, 0,
               "Lifetime of a new API token, in days.")
ISG_CONFIG_KEY(
        GITHUB_OAUTH_CLIENT_ID, STRING, NULL, 0, 0, 0,
        "OAuth client id of the GitHub sign-in (unset: GitHub sign-in off).")
ISG_CONFIG_KEY(GITHUB_OAUTH_CLIENT_SECRET, STRING, NULL, 0, 0, SECRET,
               "OAuth client secret of the GitHub sign-in.")
ISG_CONFIG_KEY(GITHUB_OAUTH_AUTHORIZE_URL, URL,
               "https://github.com/login/oauth/authorize", 0, 0, 0,
               "GitHub's OAuth authorization endpoint.")
ISG_CONFIG_KEY(GITHUB_OAUTH_TOKEN_URL, URL,
               "https://github.com/login/oauth/access_token", 0, 0, 0,
               "GitHub's OAuth token endpoint.")
ISG_CONFIG_KEY(GITHUB_OAUTH_USER_URL, URL, "https://api.github.com", 0, 0, 0,
               "Base URL of GitHub's user API (/user, /user/emails).")
ISG_CONFIG_KEY(
        GOOGLE_OAUTH_CLIENT_ID, STRING, NULL, 0, 0, 0,
        "OAuth client id of the Google sign-in (unset: Google sign-in off).")
ISG_CONFIG_KEY(GOOGLE_OAUTH_CLIENT_SECRET, STRING, NULL, 0, 0, SECRET,
               "OAuth client secret of the Google sign-in.")
ISG_CONFIG_KEY(GOOGLE_OAUTH_AUTHORIZE_URL, URL,
               "https://accounts.google.com/o/oauth2/v2/auth", 0, 0, 0,
               "Google's OAuth authorization endpoint.")
ISG_CONFIG_KEY(GOOGLE_OAUTH_TOKEN_URL, URL,
               "https://oauth2.googleapis.com/token", 0, 0, 0,
               "Google's OAuth token endpoint.")
ISG_CONFIG_KEY(GOOGLE_OAUTH_USERINFO_URL, URL,
               "https://openidconnect.googleapis.com/v1/userinfo", 0, 0, 0,
               "Google's OpenID Connect userinfo endpoint.")
ISG_CONFIG_KEY(
        CACHE_TTL_S, INT, "3600", 1, 2592000, 0,
        "Lifetime of a cached Context Bridge in Redis, in seconds (plus up to 10% random jitter).")
ISG_CONFIG_KEY(
        CACHE_NEGATIVE_TTL_S, INT, "5", 0, 3600, 0,
        "Lifetime of a cached \"no such bridge\" answer, in seconds (0: none).")
ISG_CONFIG_KEY(
        CACHE_MEMORY_BYTES, INT, "67108864", 0, 17179869184, 0,
        "Bytes of completed bridges kept in the gateway's memory (0: no in-process tier).")
/* snapshot: repository snapshots fetched from GitHub. */
ISG_CONFIG_KEY(
        SNAPSHOT_CACHE_MAX_BYTES, INT, "2147483648", 1048576,
        1125899906842624LL, 0,
        "Size cap of the unpacked repository snapshots under <cache>/snapshots/ (2 GiB): the least recently used are evicted past it.")
/* gateway (issue 10, finish) */
ISG_CONFIG_KEY(
        GATEWAY_ISSUE_LOCK_TTL_S, INT, "900", 1, 86400, 0,
        "Lifetime of the issue lock a submission takes for the worker, in seconds, until the worker takes it over.")
