// SPDX-License-Identifier: Apache-2.0
//
// Checks the static export (out/) for what the gateway's Content-Security-
// Policy and the offline rule forbid: a script, style sheet, font or image
// from another origin, an inline event handler attribute, a javascript: URL,
// an inline style (attribute or element).
// Lists each page's inline scripts with the SHA-256 the gateway must allow
// (it computes them itself when it loads the files; this is for people).
// Exits 1 on a finding.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const out = new URL("../out/", import.meta.url).pathname;
const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(html|css|js)$/.test(f)) files.push(p);
  }
};
walk(out);

const findings = [];
let inline = 0;
for (const f of files) {
  const text = readFileSync(f, "utf8");
  const rel = relative(out, f);
  if (/fonts\.(googleapis|gstatic)\.com/.test(text)) findings.push(`${rel}: refers to Google Fonts`);
  if (!f.endsWith(".html")) continue;
  for (const m of text.matchAll(/<(script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)="([^"]*)"/g))
    if (/^(?:[a-z]+:)?\/\//i.test(m[2])) findings.push(`${rel}: <${m[1]}> loads ${m[2]}`);
  for (const m of text.matchAll(/<[a-z][^>]*\s(on[a-z]+)\s*=/gi)) findings.push(`${rel}: inline handler ${m[1]}`);
  if (/\b(?:href|src)\s*=\s*"\s*javascript:/i.test(text)) findings.push(`${rel}: javascript: URL`);
  // The CSP's style-src has no 'unsafe-inline': no style attribute or element.
  for (const m of text.matchAll(/<[a-z][^>]*\sstyle\s*=\s*"([^"]*)"/gi)) findings.push(`${rel}: style attribute "${m[1]}"`);
  if (/<style\b/i.test(text)) findings.push(`${rel}: <style> element`);
  for (const m of text.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    inline++;
    if (process.argv.includes("--hashes"))
      console.log(`${rel}: 'sha256-${createHash("sha256").update(m[1]).digest("base64")}'`);
  }
}
for (const x of findings) console.error(`check-export: ${x}`);
console.log(`check-export: ${files.length} files, ${inline} inline scripts, ${findings.length} findings`);
process.exit(findings.length ? 1 : 0);
