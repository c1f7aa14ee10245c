// SPDX-License-Identifier: Apache-2.0
//
// A developer preview, NOT a test and not the product: serves out/ with the
// gateway's address-to-file mapping (web/README.md) and answers /api/v1 from
// canned sample data, so the pages can be looked at without the backend.
//
//   node scripts/preview.mjs [PORT] [--api URL [--token T]]
//
// PORT defaults to 3005 (127.0.0.1 only). With --api, /api/* goes to that
// real gateway instead (with "Authorization: Bearer T" when --token is given,
// standing in for a browser session), for looking at pages with real data
// while the gateway does not serve the export itself.
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, extname, normalize } from "node:path";
import { createHash } from "node:crypto";

const out = new URL("../out/", import.meta.url).pathname;
const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : null);
const port = Number(/^\d+$/.test(argv[0] ?? "") ? argv[0] : 3005);
const upstream = opt("--api");
const token = opt("--token");

async function proxy(req, res) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const headers = { ...req.headers };
  delete headers.host;
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(upstream + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
  const out = {};
  r.headers.forEach((v, k) => {
    if (k !== "content-encoding" && k !== "content-length" && k !== "transfer-encoding") out[k] = v;
  });
  res.writeHead(r.status, out);
  res.end(Buffer.from(await r.arrayBuffer()));
}
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".txt": "text/plain", ".ico": "image/x-icon", ".svg": "image/svg+xml", ".woff2": "font/woff2" };

/** The gateway's mapping from an address to a file of the export. */
export function pageFile(path) {
  if (path === "/") return "index.html";
  if (/^\/(discover|concepts|projects|me)\/?$/.test(path)) return `${path.replace(/\//g, "")}.html`;
  if (/^\/concepts\/[^/]+\/?$/.test(path)) return "concept.html";
  if (/^\/projects\/[^/]+\/[^/]+\/?$/.test(path)) return "project.html";
  if (/^\/[^/]+\/[^/]+\/issues\/[^/]+\/?$/.test(path)) return "bridge.html";
  return null;
}

const iso = (h) => new Date(Date.now() + h * 3600e3).toISOString();
const bridge = JSON.parse(readFileSync(new URL("./preview-bridge.json", import.meta.url)));
const issues = [
  { owner: "octo", repo: "widgets", number: 42, title: "TimeSeries.remove_column gives a misleading error", state: "open", language: "Python", difficulty: "beginner", junior_friendly: true, concepts: ["python", "exceptions"], last_activity_at: iso(-2), assignee: null },
  { owner: "octo", repo: "queue", number: 7, title: "Consumer group does not reclaim idle entries <script>alert(1)</script>", state: "open", language: "Go", difficulty: "intermediate", junior_friendly: true, concepts: ["message-queues"], last_activity_at: iso(-30), assignee: "ada" },
];
const concepts = [
  { slug: "programming", name: "Programming", parent: null },
  { slug: "python", name: "Python", parent: "programming" },
  { slug: "exceptions", name: "Exceptions", parent: "python" },
  { slug: "distributed-systems", name: "Distributed systems", parent: null },
  { slug: "message-queues", name: "Message queues", parent: "distributed-systems" },
];
let signedIn = true;
function api(method, url) {
  const p = url.pathname;
  if (p === "/api/v1/bridges" && method === "GET") return [200, { items: issues.map((i) => ({ ...i, status: "COMPLETED" })) }];
  if (p === "/api/v1/bridges/octo/widgets/42") return [200, bridge];
  if (p === "/api/v1/bridges/octo/queue/7") return [202, { status: "PENDING" }];
  if (p === "/api/v1/bridges/octo/queue/8") return [200, { status: "FAILED", reason: "The repository archive could not be downloaded (GitHub answered 502)." }];
  if (p.startsWith("/api/v1/bridges/")) return [404, { error: { code: "not_found", message: "No bridge for this issue." } }];
  if (p === "/api/v1/bridges") return [429, { error: { code: "quota_exceeded", message: "Quota exceeded." }, quota: { limit: 5, used: 5, remaining: 0, reset_at: iso(3) } }];
  if (p === "/api/v1/issues") return [200, { items: issues, next_cursor: null }];
  if (p === "/api/v1/concepts") return [200, { concepts }];
  if (p.startsWith("/api/v1/concepts/")) return [200, { slug: "message-queues", name: "Message queues", description: "Producers put messages on a queue; consumers take them off at their own pace, so the two sides are decoupled.", parent: { slug: "distributed-systems", name: "Distributed systems" }, children: [{ slug: "redis-streams", name: "Redis Streams" }], issues: [issues[1]] }];
  if (p === "/api/v1/projects") return [200, { projects: [{ owner: "octo", repo: "widgets", language: "Python", description: "Widgets for time series.", tracked: true, open_issues: 120 }, { owner: "octo", repo: "queue", language: "Go", description: "A small queue.", tracked: true, open_issues: 14 }] }];
  if (p.startsWith("/api/v1/projects/")) return [200, { owner: "octo", repo: "widgets", language: "Python", description: "Widgets for time series.", tracked: true, open_issues: 120, issues: [issues[0]], concepts: concepts.slice(1, 3) }];
  if (!signedIn && p.startsWith("/api/v1/me")) return [401, { error: { code: "unauthorized", message: "Sign in." } }];
  if (p === "/api/v1/me") return [200, { id: "u1", login: "ada", email: "ada@example.com", csrf_token: "preview" }];
  if (p === "/api/v1/me/quota") return [200, { limit: 5, used: 3, remaining: 2, reset_at: iso(5) }];
  if (p === "/api/v1/me/tutorials") return [200, { tutorials: [{ owner: "octo", repo: "widgets", number: 42, title: "TimeSeries.remove_column gives a misleading error", status: "COMPLETED", is_original_requester: true, created_at: iso(-20) }] }];
  if (p === "/api/v1/me/tokens") return [200, { tokens: [{ id: "t1", name: "ci", created_at: iso(-100), last_used_at: iso(-1) }] }];
  if (p === "/api/v1/auth/logout") { signedIn = false; return [204, null]; }
  return [404, { error: { code: "not_found", message: "No such endpoint." } }];
}

/** The policy the gateway sends: the page's own inline scripts by hash, nothing inline else. */
function csp(file, body) {
  const hashes = [];
  if (file.endsWith(".html"))
    for (const m of body.toString("utf8").matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g))
      hashes.push(`'sha256-${createHash("sha256").update(m[1]).digest("base64")}'`);
  return `default-src 'self'; script-src 'self' ${hashes.join(" ")}; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'`;
}

createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname.startsWith("/api/") && upstream) {
    proxy(req, res).catch((e) => {
      res.writeHead(502, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "proxy", message: String(e) } }));
    });
    return;
  }
  if (url.pathname.startsWith("/api/")) {
    const [status, body] = api(req.method, url);
    res.writeHead(status, { "Content-Type": "application/json" });
    return res.end(body === null ? "" : JSON.stringify(body));
  }
  let file = pageFile(url.pathname);
  if (!file) {
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, "");
    if (!rel.startsWith("..") && existsSync(join(out, rel)) && statSync(join(out, rel)).isFile()) file = rel;
  }
  const status = file ? 200 : 404;
  file ??= "404.html";
  const body = readFileSync(join(out, file));
  res.writeHead(status, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Content-Security-Policy": csp(file, body) });
  res.end(body);
}).listen(port, "127.0.0.1", () => console.log(`preview: http://127.0.0.1:${port}/`));
