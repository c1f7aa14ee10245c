// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for the gateway's serving of web/out, used by the end-to-end test
// only while the gateway does not serve the export itself (stack.mjs checks
// GET / first). It maps addresses to files as web/README.md asks the gateway
// to, with the gateway's Content-Security-Policy (the page's inline scripts
// by SHA-256, nothing else inline), and passes every /api/ request to the
// real gateway untouched, except that a browser carrying the cookie
// e2e_user=1 gets "Authorization: Bearer <token>" added while no OAuth fake
// exists to sign in with. It answers nothing of the API itself.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".txt": "text/plain", ".ico": "image/x-icon", ".svg": "image/svg+xml" };

/** The export's file for an address (web/README.md), or null. */
export function pageFile(path) {
  if (path === "/") return "index.html";
  if (/^\/(discover|concepts|projects|me)\/?$/.test(path)) return `${path.replace(/\//g, "")}.html`;
  if (/^\/concepts\/[^/]+\/?$/.test(path)) return "concept.html";
  if (/^\/projects\/[^/]+\/[^/]+\/?$/.test(path)) return "project.html";
  if (/^\/[^/]+\/[^/]+\/issues\/[^/]+\/?$/.test(path)) return "bridge.html";
  return null;
}

function csp(file, body) {
  const hashes = [];
  if (file.endsWith(".html"))
    for (const m of body.toString("utf8").matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g))
      hashes.push(`'sha256-${createHash("sha256").update(m[1]).digest("base64")}'`);
  return `default-src 'self'; script-src 'self' ${hashes.join(" ")}; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'`;
}

async function proxy(req, res, api, token) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const headers = { ...req.headers };
  delete headers.host;
  if (token && /(?:^|;\s*)e2e_user=1(?:;|$)/.test(req.headers.cookie ?? "")) headers.authorization = `Bearer ${token}`;
  const r = await fetch(api + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, redirect: "manual" });
  const out = {};
  r.headers.forEach((v, k) => {
    if (!["content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive", "set-cookie"].includes(k)) out[k] = v;
  });
  const cookies = r.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  res.writeHead(r.status, out);
  res.end(Buffer.from(await r.arrayBuffer()));
}

export function startFront({ out, api, port, token }) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname.startsWith("/api/")) {
      proxy(req, res, api, token).catch((e) => {
        res.writeHead(502, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { code: "front", message: `the gateway did not answer: ${e.message}` } }));
      });
      return;
    }
    let file = pageFile(url.pathname);
    if (!file && url.pathname.startsWith("/_next/")) {
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, "");
      if (!rel.startsWith("..") && existsSync(join(out, rel)) && statSync(join(out, rel)).isFile()) file = rel;
    }
    const status = file ? 200 : 404;
    file ??= "404.html";
    const body = readFileSync(join(out, file));
    res.writeHead(status, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Content-Security-Policy": csp(file, body) });
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () =>
      resolve({
        close: () => new Promise((r) => {
          server.closeAllConnections();
          server.close(r);
        }),
      }),
    ),
  );
}
