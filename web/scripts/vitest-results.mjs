// SPDX-License-Identifier: Apache-2.0
//
// Turns vitest's JSON report into the JSON lines scripts/test counts: one
// {"name": "web/vitest: <file> > <test>", "result": OK|FAIL|SKIP} per test.
// Exits 1 when the report is missing or holds no test.
import { readFileSync } from "node:fs";
import { basename } from "node:path";

let report;
try {
  report = JSON.parse(readFileSync(process.argv[2], "utf8"));
} catch (e) {
  console.error(`vitest-results: no report: ${e.message}`);
  process.exit(1);
}
const RESULT = { passed: "OK", failed: "FAIL", skipped: "SKIP", pending: "SKIP", todo: "SKIP" };
let n = 0;
for (const file of report.testResults ?? []) {
  const tests = file.assertionResults ?? [];
  if (!tests.length && file.status === "failed") {
    console.log(JSON.stringify({ name: `web/vitest: ${basename(file.name)}`, result: "FAIL" }));
    n++;
  }
  for (const t of tests) {
    console.log(JSON.stringify({ name: `web/vitest: ${basename(file.name)} > ${t.fullName}`, result: RESULT[t.status] ?? "FAIL" }));
    n++;
  }
}
process.exit(n ? 0 : 1);
