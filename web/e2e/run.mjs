// SPDX-License-Identifier: Apache-2.0
//
// End-to-end test of the web UI: playwright-core drives Debian's chromium
// against the REAL issuesight-gateway (serving web/out and the API) with
// PostgreSQL, Redis and the MongoDB-wire server of scripts/test and the fake
// GitHub, LLM and OAuth servers. Nothing in here fakes the API.
//
//   node e2e/run.mjs [--results FILE]
//
// Each scenario appends {"name": "web/e2e: ...", "result": ...} to FILE.
// Screenshots of every page go to web/test-results/ (a test artifact).
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const resultsFile = args.includes("--results") ? args[args.indexOf("--results") + 1] : null;
const root = process.env.ISG_SOURCE_ROOT ?? new URL("../..", import.meta.url).pathname;
const build = process.env.ISG_BUILD_DIR ?? join(root, "build-test");

function record(name, result) {
  const line = JSON.stringify({ name: `web/e2e: ${name}`, result });
  if (resultsFile) appendFileSync(resultsFile, line + "\n");
  console.log(line);
}

const gateway = join(build, "servers/gateway/issuesight-gateway");
const missing = [];
if (!existsSync("/usr/bin/chromium")) missing.push("/usr/bin/chromium (Debian package chromium)");
if (!existsSync(gateway)) missing.push(`the gateway executable ${gateway}`);
if (!process.env.ISG_TEST_DATABASE_URL) missing.push("the services of scripts/test (ISG_TEST_*)");
if (missing.length) {
  console.error(`e2e: skipped: missing ${missing.join(", ")}`);
  record("all scenarios", "SKIP");
  process.exit(0);
}
const { runScenarios } = await import("./scenarios.mjs");
process.exit((await runScenarios({ root, build, gateway, record })) ? 0 : 1);
