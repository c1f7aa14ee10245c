// SPDX-License-Identifier: Apache-2.0
//
// The end-to-end scenarios of issue 11, in one browser profile (the session
// cookie carries from one to the next), against the stack of stack.mjs:
// pages render; sign in with GitHub; submit an issue, watch it complete and
// read its bridge at /{owner}/{repo}/issues/{n}; follow a prerequisite to its
// concept page; filter Discover; a FAILED bridge and its retry; hostile issue
// text renders as text and runs nothing; hit the quota and read its reset
// time. A screenshot of each page goes to web/test-results/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, watchPage } from "./browser.mjs";
import { Skip, startStack } from "./stack.mjs";

const GENERATION_S = 180;

export async function runScenarios({ root, build, gateway, record }) {
  let stack;
  try {
    stack = await startStack({ root, build, gateway });
  } catch (e) {
    if (e instanceof Skip) {
      console.error(`e2e: skipped: ${e.message}`);
      record("all scenarios", "SKIP");
      return true;
    }
    console.error(`e2e: the stack did not start: ${e.stack ?? e}`);
    record("start the stack", "FAIL");
    return false;
  }
  const shots = join(root, "web/test-results");
  mkdirSync(shots, { recursive: true });
  const browser = await launch();
  const { base, owner, repo } = stack;
  console.error(`e2e: ${base}; running: gateway${[...stack.has].map((h) => `, ${h}`).join("")}`);
  let ok = true;
  let shotN = 0;
  const shot = (page, what) => page.screenshot({ path: join(shots, `${String(++shotN).padStart(2, "0")}-${what}.png`), fullPage: true });

  async function scenario(name, fn, needs = []) {
    const lacking = needs.filter((n) => !stack.has.has(n));
    if (lacking.length) {
      console.error(`e2e: ${name}: skipped: needs ${lacking.join(", ")}`);
      record(name, "SKIP");
      return;
    }
    const page = await browser.context.newPage();
    // The OAuth provider (the fake) is the one other origin a page may reach.
    const problems = watchPage(page, base, stack.oauthOrigin ? [stack.oauthOrigin] : []);
    try {
      await fn(page);
      if (problems.length) throw new Error(problems.join("; "));
      record(name, "OK");
    } catch (e) {
      ok = false;
      record(name, "FAIL");
      console.error(`e2e: ${name}: ${e.stack ?? e}`);
      await shot(page, `FAILED-${name.replace(/\W+/g, "-")}`).catch(() => {});
    } finally {
      await page.close();
    }
  }
  const issueUrl = (n) => `https://github.com/${owner}/${repo}/issues/${n}`;
  const bridgePath = (n) => `/${owner}/${repo}/issues/${n}`;
  // Issues of the fake project that are not pull requests, from the API.
  const open = await (await fetch(`${stack.env.GITHUB_API_URL}/repos/${owner}/${repo}/issues?state=all&per_page=100`)).json();
  const numbers = open.filter((i) => !i.pull_request && i.number !== stack.hostileIssue).map((i) => i.number);
  let submitted = 0;

  async function submit(page, n) {
    await page.goto(`${base}/`);
    await page.getByLabel("GitHub issue").fill(issueUrl(n));
    await page.getByRole("button", { name: "Get the bridge" }).click();
  }

  await scenario("pages render signed out", async (page) => {
    for (const [path, what] of [
      ["/", "home"],
      ["/discover", "discover"],
      ["/concepts", "concepts"],
      ["/projects", "projects"],
      [`/projects/${owner}/${repo}`, "project"],
      ["/me", "me-signed-out"],
    ]) {
      const res = await page.goto(base + path, { waitUntil: "networkidle" });
      if (res.status() !== 200) throw new Error(`${path}: HTTP ${res.status()}`);
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      if (what === "project") await page.getByRole("heading", { level: 1, name: `${owner}/${repo}` }).waitFor();
      await shot(page, what);
    }
    const res = await page.goto(`${base}/no/such/page/here/x`);
    if (res.status() !== 404) throw new Error(`unknown page: HTTP ${res.status()}`);
  });

  await scenario(
    "sign in with GitHub",
    async (page) => {
      await page.goto(`${base}/me`);
      await page.getByRole("link", { name: "Sign in with GitHub" }).click();
      await page.waitForURL(`${base}/me`, { timeout: 20000 });
      await page.getByRole("button", { name: "Sign out" }).waitFor();
      await page.getByRole("heading", { level: 1, name: "octo" }).waitFor(); // the fake provider's user
    },
    ["oauth"],
  );
  if (!stack.has.has("oauth")) {
    // The stand-in session of front.mjs (see stack.mjs).
    await browser.context.addCookies([{ name: "e2e_user", value: "1", url: base }]);
  }

  await scenario("me: quota meter, tutorials, tokens", async (page) => {
    await page.goto(`${base}/me`);
    await page.getByText(/New bridges in the last 24 hours: \d+ of \d+/).waitFor();
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByText("Copy it now: it is not shown again.").waitFor();
    const secret = (await page.locator("code.secret").textContent()).trim();
    if (secret.length < 20) throw new Error(`token looks wrong: ${secret}`);
    await shot(page, "me-signed-in");
  }, ["session"]);

  await scenario("submit an issue and see its progress", async (page) => {
    const n = numbers[numbers.length - 1];
    await submit(page, n);
    submitted++;
    await page.waitForURL(`${base}${bridgePath(n)}`);
    await page.getByText(/Generating the bridge|Verdict|The bridge could not be generated/).first().waitFor();
    await shot(page, "bridge-progress");
  }, ["session"]);

  let first = numbers[0];
  await scenario("submit, watch it complete, read the bridge", async (page) => {
    await submit(page, first);
    submitted++;
    await page.waitForURL(`${base}${bridgePath(first)}`);
    // The progress state shows while the worker runs (it may be brief).
    await page.getByRole("heading", { name: "Verdict" }).waitFor({ timeout: GENERATION_S * 1000 });
    await page.getByText(/Junior-friendly|Not junior-friendly/).first().waitFor();
    const links = await page.locator('a[href^="https://github.com/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    if (!links.some((h) => h.startsWith(`https://github.com/${owner}/${repo}/blob/`)))
      throw new Error(`no file linked at the recorded commit: ${links.join(" ")}`);
    await page.getByRole("link", { name: "Open on GitHub" }).waitFor();
    await shot(page, "bridge");
  }, ["worker", "session"]);

  await scenario("follow a prerequisite to its concept page", async (page) => {
    await page.goto(`${base}${bridgePath(first)}`);
    const prereq = page.locator('section[aria-labelledby="prerequisites"] a').first();
    const name = (await prereq.textContent()).trim();
    await prereq.click();
    await page.waitForURL(/\/concepts\/[a-z0-9-]+$/);
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await shot(page, "concept");
  }, ["worker", "session"]);

  await scenario("a concept page from the catalog", async (page) => {
    await page.goto(`${base}/concepts`);
    const link = page.locator("main a[href^='/concepts/']").first();
    const name = (await link.textContent()).trim();
    await link.click();
    await page.waitForURL(/\/concepts\/[a-z0-9-]+$/);
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await page.getByRole("heading", { name: "Issues that exercise it" }).waitFor();
  });

  await scenario("filter Discover", async (page) => {
    const asked = [];
    page.on("request", (r) => r.url().includes("/api/v1/issues") && asked.push(r.url()));
    await page.goto(`${base}/discover`, { waitUntil: "networkidle" });
    await page.getByLabel("Difficulty").selectOption("beginner");
    await page.waitForURL(/difficulty=beginner/);
    await page.getByLabel("Project").selectOption(`${owner}/${repo}`);
    await page.waitForURL(/project=/);
    await page.waitForLoadState("networkidle");
    const last = new URL(asked[asked.length - 1]);
    if (last.searchParams.get("difficulty") !== "beginner" || last.searchParams.get("project") !== `${owner}/${repo}`)
      throw new Error(`the API was asked ${last}`);
    await page.getByRole("heading", { name: "Issues" }).waitFor();
    await shot(page, "discover-filtered");
  });

  await scenario("a FAILED bridge shows its reason and retries", async (page) => {
    const missing = 900000 + (Date.now() % 1000); // no such issue on the fake GitHub
    await submit(page, missing);
    submitted++;
    await page.waitForURL(`${base}${bridgePath(missing)}`);
    await page.getByText("The bridge could not be generated.").waitFor({ timeout: GENERATION_S * 1000 });
    await page.getByText(/^Reason: .+/).waitFor();
    await shot(page, "bridge-failed");
    await page.getByRole("button", { name: "Retry" }).click();
    submitted++;
    await page.getByText(/Generating the bridge|The bridge could not be generated/).first().waitFor();
  }, ["worker", "session"]);

  await scenario("hostile issue text in lists renders as text and runs nothing", async (page) => {
    if (!stack.hostileIssue) throw new Error("the fake GitHub serves no hostile issue");
    await page.goto(`${base}/discover?junior_friendly=false`, { waitUntil: "networkidle" });
    const link = page.locator(`a[href="${bridgePath(stack.hostileIssue)}"]`);
    const text = await link.textContent();
    if (!text.includes("<script>") || !text.includes("onerror")) throw new Error(`title not shown as text: ${text}`);
    const live = await page.evaluate(() => ({
      pwned: window.__pwned ?? null,
      tags: document.querySelectorAll("main script, main img, main iframe").length,
    }));
    if (live.pwned !== null || live.tags) throw new Error(`injected content is live: ${JSON.stringify(live)}`);
    await shot(page, "discover-hostile");
  });

  await scenario("hostile issue text renders as text and runs nothing", async (page) => {
    const hostile = stack.hostileIssue;
    if (!hostile) throw new Error("the fake GitHub serves no hostile issue");
    await submit(page, hostile);
    submitted++;
    await page.getByRole("heading", { name: "Verdict" }).waitFor({ timeout: GENERATION_S * 1000 });
    const title = await page.getByRole("heading", { level: 1 }).textContent();
    if (!title.includes("<script>")) throw new Error(`title not shown as text: ${title}`);
    const bad = await page.evaluate(() => ({
      pwned: window.__pwned ?? null,
      scripts: Array.from(document.querySelectorAll("main script, main img, main iframe")).length,
      handlers: Array.from(document.querySelectorAll("main *")).flatMap((e) => Array.from(e.attributes).filter((a) => a.name.startsWith("on")).map((a) => a.name)),
      js: Array.from(document.querySelectorAll("main a")).map((a) => a.getAttribute("href")).filter((h) => /^\s*(javascript|data):/i.test(h ?? "")),
    }));
    if (bad.pwned !== null || bad.scripts || bad.handlers.length || bad.js.length) throw new Error(`injected content is live: ${JSON.stringify(bad)}`);
    await shot(page, "bridge-hostile");
  }, ["worker", "session"]);

  await scenario("hit the quota and read when it resets", async (page) => {
    let n = 1;
    for (let i = 0; i <= stack.quota + 1; i++) {
      const next = numbers[n++];
      await submit(page, next);
      const outcome = await Promise.race([
        page.waitForURL(`${base}${bridgePath(next)}`).then(() => "accepted"),
        page.getByText(/You have used/).waitFor().then(() => "quota"),
      ]);
      if (outcome === "quota") {
        const text = await page.getByRole("alert").first().textContent();
        if (!/You can request another in .+\(.+\)/.test(text)) throw new Error(`unreadable quota message: ${text}`);
        await shot(page, "quota");
        return;
      }
      submitted++;
    }
    throw new Error(`no 429 after ${submitted} submissions with a quota of ${stack.quota}`);
  }, ["session"]);

  await browser.close();
  await stack.stop(!ok);
  return ok;
}
