// SPDX-License-Identifier: Apache-2.0
//
// The JavaScript each exported page loads, gzipped (level 9): every
// <script src> except noModule polyfills (modern browsers skip them), plus the
// inline scripts. Prints one line per page; with --check, exits 1 when the
// bridge page is over its budget (200 kB gzipped, issue 11).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const out = new URL("../out/", import.meta.url).pathname;
const BUDGET = 200 * 1024;
const gz = (b) => gzipSync(b, { level: 9 }).length;

export function pageScripts(html) {
  const srcs = [];
  let inline = 0;
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1];
    const src = /\bsrc="([^"]+)"/.exec(attrs);
    if (src) {
      if (!/\bnoModule\b/i.test(attrs)) srcs.push(src[1]);
    } else inline += gz(Buffer.from(m[2]));
  }
  return { srcs, inline };
}

export function measure(page) {
  const html = readFileSync(join(out, page), "utf8");
  const { srcs, inline } = pageScripts(html);
  let total = inline;
  let raw = 0;
  for (const s of srcs) {
    const b = readFileSync(join(out, s.replace(/^\//, "")));
    raw += b.length;
    total += gz(b);
  }
  return { page, files: srcs.length, raw, gzip: total };
}

const pages = readdirSync(out).filter((f) => f.endsWith(".html")).sort();
let bridge = null;
for (const p of pages) {
  const r = measure(p);
  if (p === "bridge.html") bridge = r;
  console.log(`${p.padEnd(16)} ${String(r.files).padStart(2)} scripts  ${(r.raw / 1024).toFixed(1).padStart(7)} kB raw  ${(r.gzip / 1024).toFixed(1).padStart(6)} kB gzipped`);
}
if (process.argv.includes("--check")) {
  if (!bridge) {
    console.error("js-size: out/bridge.html is missing (run next build)");
    process.exit(1);
  }
  if (bridge.gzip > BUDGET) {
    console.error(`js-size: bridge.html loads ${(bridge.gzip / 1024).toFixed(1)} kB gzipped, over the ${BUDGET / 1024} kB budget`);
    process.exit(1);
  }
  console.log(`js-size: bridge.html ${(bridge.gzip / 1024).toFixed(1)} kB gzipped, within ${BUDGET / 1024} kB`);
}
