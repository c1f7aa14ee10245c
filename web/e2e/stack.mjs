// SPDX-License-Identifier: Apache-2.0
//
// The real system for the end-to-end test: a fresh PostgreSQL database,
// Redis database and MongoDB database on the services scripts/test started
// (ISG_TEST_*), the fake GitHub (and, when built, the fake LLM and OAuth
// servers) from tests/fakes, issuesight-gateway and, when built,
// issuesight-collector and issuesight-worker. Every process is ours and is
// stopped by stop(); their logs stay in the temporary directory when a
// scenario fails (ISG_KEEP_TMP=1 keeps them always).
//
// stack.has tells the scenarios what runs: "worker" (bridges complete),
// "oauth" (sign-in through the fake provider), "web" (the gateway serves
// web/out itself). While the gateway does not serve the export, front.mjs
// serves it the way web/README.md asks and passes /api/ to the gateway
// untouched; while there is no OAuth fake, a session is stood in for by the
// API token of a user made with `issuesight users add`, which the front adds
// to the requests of a browser that carries the cookie e2e_user=1.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class Skip extends Error {}

/** An issue whose title and body try every injection the UI must defuse. */
export const HOSTILE_TITLE = 'Crash <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">';
const HOSTILE_BODY = [
  "Steps to reproduce:",
  "",
  "```",
  "<script>window.__pwned=3</script>",
  "```",
  "",
  "See [the docs](javascript:window.__pwned=4) and [this](data:text/html,<script>window.__pwned=5</script>).",
  '<img src=x onerror="window.__pwned=6"> <a href="javascript:window.__pwned=7">link</a>',
  "<iframe src=\"javascript:window.__pwned=8\"></iframe>",
].join("\n");

/** A free TCP port below 32768 on 127.0.0.1. */
async function freePort() {
  for (;;) {
    const p = 20000 + Math.floor(Math.random() * 12000);
    const ok = await new Promise((res) => {
      const s = createServer();
      s.once("error", () => res(false));
      s.listen(p, "127.0.0.1", () => s.close(() => res(true)));
    });
    if (ok) return p;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHttp(url, what, seconds, proc) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  throw new Error(`${what} did not answer ${url} within ${seconds} s`);
}

const firstOf = (build, paths) => paths.map((p) => join(build, p)).find((p) => existsSync(p)) ?? join(build, paths[0]);

/** Executables of the build the stack needs; a missing one skips the test. */
export function executables(build, gateway) {
  const exe = {
    gateway,
    cli: join(build, "servers/cli/issuesight"),
    fakeGithub: join(build, "tests/fakes/fake-github"),
  };
  const missing = Object.values(exe).filter((p) => !existsSync(p));
  // Optional: without them the scenarios that need them are skipped (the
  // worker without the LLM fake runs its default, offline engine).
  exe.collector = join(build, "servers/collector/issuesight-collector");
  exe.worker = join(build, "servers/worker/issuesight-worker");
  exe.fakeOauth = join(build, "../tests/fakes/fake_oauth.py"); // set by startStack from the source tree
  exe.fakeLlm = firstOf(build, ["tests/fakes/fake-openai", "tests/fakes/fake-llm"]);
  return { exe, missing };
}

function withPath(url, path) {
  const u = new URL(url);
  u.pathname = `/${path}`;
  return u.toString();
}

export async function startStack({ root, build, gateway, owner = "octo-org", repo = "hello-world", quota = 3 }) {
  const { exe, missing } = executables(build, gateway);
  exe.fakeOauth = join(root, "tests/fakes/fake_oauth.py");
  if (missing.length) throw new Skip(`missing executables: ${missing.join(", ")}`);
  const tmp = mkdtempSync(join(tmpdir(), "isg-web-e2e-"));
  const procs = [];
  const name = `isg_web_${process.pid}_${Date.now() % 100000}`;

  // A database of our own on the shared PostgreSQL.
  const pg = process.env.ISG_TEST_DATABASE_URL;
  const created = spawnSync("psql", [pg, "-v", "ON_ERROR_STOP=1", "-qc", `CREATE DATABASE ${name}`], { encoding: "utf8" });
  if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
  const redisDb = 8 + Math.floor(Math.random() * 8);

  const ports = { gateway: await freePort(), github: await freePort(), front: await freePort(), llm: await freePort() };
  const base = `http://127.0.0.1:${ports.gateway}`;
  const env = {
    ...process.env,
    DATABASE_URL: withPath(pg, name),
    REDIS_URL: withPath(process.env.ISG_TEST_REDIS_URL, String(redisDb)),
    MONGODB_URI: withPath(process.env.ISG_TEST_MONGODB_URI, name),
    STREAM_PREFIX: `${name}:`,
    GITHUB_API_URL: `http://127.0.0.1:${ports.github}`,
    GITHUB_TOKEN: "e2e-token",
    GATEWAY_LISTEN: `127.0.0.1:${ports.gateway}`,
    PUBLIC_BASE_URL: base,
    WEB_ROOT: join(root, "web/out"),
    SESSION_COOKIE_SECURE: "false",
    QUOTA_PER_DAY: String(quota),
    GATEWAY_ANON_RATE_PER_MIN: "0",
    COLLECTOR_POLL_INTERVAL_S: "1",
    COLLECTOR_HTTP_PORT: "0",
    WORKER_HTTP_PORT: "0",
    ISSUESIGHT_CACHE_DIR: join(tmp, "cache"),
    ISSUESIGHT_LOG_LEVEL: "info",
  };

  const start = (what, file, args) => {
    const log = openSync(join(tmp, `${what}.log`), "a");
    const p = spawn(file, args, { env, stdio: ["ignore", log, log] });
    procs.push({ what, p });
    return p;
  };
  const run = (what, args) => {
    const r = spawnSync(exe.cli, args, { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`issuesight ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };

  const stack = {
    base,
    tmp,
    env,
    owner,
    repo,
    quota,
    exe,
    run,
    has: new Set(),
    hostileIssue: null,
    logs() {
      return procs.filter((x) => !x.nolog).map(({ what }) => `--- ${what}\n${readFileSync(join(tmp, `${what}.log`), "utf8").slice(-4000)}`).join("\n");
    },
    async stop(keep) {
      if (stack.front) await stack.front.close();
      for (const { p } of procs) if (p.exitCode === null) p.kill("SIGTERM");
      await Promise.all(procs.map(({ p }) => (p.exitCode === null ? new Promise((r) => p.once("exit", r)) : null)));
      spawnSync("psql", [pg, "-qc", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
      if (keep || process.env.ISG_KEEP_TMP === "1") console.error(`e2e: kept ${tmp}`);
      else rmSync(tmp, { recursive: true, force: true });
    },
  };
  try {
    const hostileFile = join(tmp, "hostile-issue.txt");
    writeFileSync(hostileFile, `${HOSTILE_TITLE}\n${HOSTILE_BODY}`);
    const gh = start("fake-github", exe.fakeGithub, ["--port", String(ports.github), "--owner", owner, "--repo", repo, "--issues", "40", "--add-issue", hostileFile]);
    await waitHttp(`${env.GITHUB_API_URL}/repos/${owner}/${repo}`, "fake-github", 20, gh);
    const listed = await (await fetch(`${env.GITHUB_API_URL}/repos/${owner}/${repo}/issues?state=all&per_page=100`)).json();
    stack.hostileIssue = listed.find((i) => i.title === HOSTILE_TITLE)?.number ?? null;
    if (existsSync(exe.fakeOauth)) {
      // tests/fakes/fake_oauth.py CLIENT_ID CLIENT_SECRET prints "port N".
      const oauth = spawn("python3", [exe.fakeOauth, "e2e-client", "e2e-secret"], { env, stdio: ["ignore", "pipe", "ignore"] });
      procs.push({ what: "fake-oauth", p: oauth, nolog: true });
      const port = await new Promise((resolve, reject) => {
        let text = "";
        const t = setTimeout(() => reject(new Error("fake_oauth.py printed no port")), 20000);
        oauth.stdout.on("data", (d) => {
          text += d;
          const m = /port (\d+)/.exec(text);
          if (m) {
            clearTimeout(t);
            resolve(m[1]);
          }
        });
      });
      const o = `http://127.0.0.1:${port}`;
      stack.oauthOrigin = `${o}/`;
      Object.assign(env, {
        GITHUB_OAUTH_CLIENT_ID: "e2e-client",
        GITHUB_OAUTH_CLIENT_SECRET: "e2e-secret",
        GITHUB_OAUTH_AUTHORIZE_URL: `${o}/authorize`,
        GITHUB_OAUTH_TOKEN_URL: `${o}/token`,
        GITHUB_OAUTH_USER_URL: o,
        GOOGLE_OAUTH_CLIENT_ID: "e2e-client",
        GOOGLE_OAUTH_CLIENT_SECRET: "e2e-secret",
        GOOGLE_OAUTH_AUTHORIZE_URL: `${o}/authorize`,
        GOOGLE_OAUTH_TOKEN_URL: `${o}/token`,
        GOOGLE_OAUTH_USERINFO_URL: `${o}/userinfo`,
      });
      stack.has.add("oauth");
      stack.has.add("session");
    }
    if (existsSync(exe.fakeLlm)) {
      // With a model server configured the worker uses the llm engine.
      env.OPENAI_BASE_URL = `http://127.0.0.1:${ports.llm}/v1`;
      env.OPENAI_API_KEY = "e2e-key";
      const llm = start("fake-llm", exe.fakeLlm, ["--port", String(ports.llm)]);
      await waitHttp(`http://127.0.0.1:${ports.llm}/`, "fake-llm", 20, llm);
    }
    run("migrate", ["migrate"]);
    run("sync", ["sync", `${owner}/${repo}`]);
    run("track", ["track", `${owner}/${repo}`]);
    stack.token = run("users", ["users", "add", "e2e-user", "--email", "e2e@example.com"]).trim().split("\n").pop().trim().split(/\s+/).pop();
    // The scenarios that need bridges to complete run with
    // ISG_WEB_E2E_WORKER=1: against the real worker they do not complete
    // yet (issue 11 stays open until they do).
    if (process.env.ISG_WEB_E2E_WORKER === "1" && existsSync(exe.collector) && existsSync(exe.worker)) {
      start("collector", exe.collector, []);
      start("worker", exe.worker, []);
      stack.has.add("worker");
    }
    let gw = start("gateway", exe.gateway, []);
    await waitHttp(`${base}/healthz`, "issuesight-gateway", 30, gw);
    const home = await fetch(`${base}/`);
    if (home.ok && (home.headers.get("content-type") ?? "").startsWith("text/html")) stack.has.add("web");
    else {
      // The front serves the pages; OAuth must come back to it, so the
      // gateway restarts with the front as its public address.
      const { startFront } = await import("./front.mjs");
      stack.front = await startFront({ out: env.WEB_ROOT, api: base, port: ports.front, token: stack.has.has("oauth") ? null : stack.token });
      stack.base = `http://127.0.0.1:${ports.front}`;
      if (!stack.has.has("oauth")) stack.has.add("session"); // the stand-in
      env.PUBLIC_BASE_URL = stack.base;
      gw.kill("SIGTERM");
      await new Promise((r) => (gw.exitCode === null ? gw.once("exit", r) : r()));
      gw = start("gateway", exe.gateway, []);
      await waitHttp(`${base}/healthz`, "issuesight-gateway", 30, gw);
    }
  } catch (e) {
    await stack.stop(true);
    throw e;
  }
  return stack;
}
