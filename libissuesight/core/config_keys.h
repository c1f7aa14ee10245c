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
ISG_CONFIG_KEY(ISSUESIGHT_CACHE_DIR, STRING, NULL, 0, 0, 0,
               "Cache directory (default $XDG_CACHE_HOME/issuesight, "
               "~/.cache/issuesight or /tmp/issuesight-<uid>).")
ISG_CONFIG_KEY(STREAM_PREFIX, STRING, "is:", 0, 0, 0,
               "Key prefix of the Redis streams (is:tasks, is:contexts, "
               "is:dead).")
ISG_CONFIG_KEY(STREAM_MAXLEN, INT, "100000", 0, 1000000000, 0,
               "Approximate length cap of each stream (XADD MAXLEN ~; 0: "
               "never trim).")
ISG_CONFIG_KEY(COLLECTOR_POLL_INTERVAL_S, INT, "300", 1, 86400, 0,
               "Seconds between polls of the tracked projects.")
ISG_CONFIG_KEY(COLLECTOR_LABELS, STRING,
               "good first issue,help wanted,beginner", 0, 0, 0,
               "Comma-separated labels; a polled issue with one of them "
               "gets a context message (empty: every issue).")
ISG_CONFIG_KEY(COLLECTOR_CLAIM_IDLE_MS, INT, "60000", 10, 86400000, 0,
               "Tasks pending longer than this (ms) in a dead collector are "
               "claimed by another.")
ISG_CONFIG_KEY(COLLECTOR_MAX_DELIVERIES, INT, "5", 1, 1000, 0,
               "Deliveries of a task before it moves to the dead-letter "
               "stream.")
ISG_CONFIG_KEY(COLLECTOR_HTTP_PORT, INT, "9102", 0, 65535, 0,
               "Port of the collector's /healthz and /metrics endpoint (0: "
               "off).")
ISG_CONFIG_KEY(ISSUESIGHT_CONCEPTS_FILE, STRING, NULL, 0, 0, 0,
               "Concept catalog JSON to use instead of the embedded one.")
/* ---- hostile inputs: git network limits and the cache (issue 13) ---- */
ISG_CONFIG_KEY(REPO_GIT_CONNECT_TIMEOUT_S, INT, "15", 0, 600, 0,
               "Seconds for a git server to accept a connection before a "
               "clone or fetch fails (0: no check, e.g. behind a proxy).")
ISG_CONFIG_KEY(REPO_GIT_LOW_SPEED_BYTES, INT, "1000", 1, 1073741824, 0,
               "An http(s) clone or fetch slower than this many bytes per "
               "second for REPO_GIT_LOW_SPEED_S fails.")
ISG_CONFIG_KEY(REPO_GIT_LOW_SPEED_S, INT, "30", 1, 3600, 0,
               "Seconds a clone or fetch may stay under "
               "REPO_GIT_LOW_SPEED_BYTES per second.")
ISG_CONFIG_KEY(REPO_GIT_TIMEOUT_S, INT, "600", 1, 86400, 0,
               "Longest a whole clone or fetch may take, in seconds (git is "
               "killed then).")
ISG_CONFIG_KEY(ISSUESIGHT_CACHE_MAX_BYTES, INT, "2147483648", 0,
               1125899906842624LL, 0,
               "Size cap of the cache directory: least recently used clones "
               "and indexes are evicted past it (0: no cap).")
/* worker and llm (issue 9) */
ISG_CONFIG_KEY(WORKER_CONCURRENCY, INT, "8", 1, 1024, 0,
               "LLM requests in flight per worker process.")
ISG_CONFIG_KEY(WORKER_HTTP_PORT, INT, "9103", 0, 65535, 0,
               "Port of the worker's /healthz and /metrics endpoint (0: off).")
ISG_CONFIG_KEY(WORKER_CLAIM_IDLE_MS, INT, "120000", 10, 86400000, 0,
               "Contexts pending longer than this (ms) in a dead worker are "
               "claimed by another.")
ISG_CONFIG_KEY(WORKER_MAX_DELIVERIES, INT, "5", 1, 1000, 0,
               "Deliveries of a context before its bridge is FAILED and the "
               "entry moves to the dead-letter stream.")
ISG_CONFIG_KEY(LLM_TIMEOUT_S, INT, "120", 1, 3600, 0,
               "Seconds for one whole model request.")
ISG_CONFIG_KEY(LLM_CONNECT_TIMEOUT_S, INT, "10", 1, 600, 0,
               "Seconds to connect to the model server.")
ISG_CONFIG_KEY(LLM_REASONING_EFFORT, STRING, "low", 0, 0, 0,
               "Reasoning effort of gpt-5-family models: minimal, low, "
               "medium, high.")
ISG_CONFIG_KEY(LLM_MAX_RETRIES, INT, "4", 0, 100, 0,
               "Retries of a model request after 408, 409, 429, 5xx or a "
               "network error.")
ISG_CONFIG_KEY(LLM_ON_INVALID, STRING, "offline", 0, 0, 0,
               "When the model's output stays invalid after one repair: "
               "offline (the offline bridge, marked so) or failed.")
