// SPDX-License-Identifier: Apache-2.0
//
// Debian's chromium driven by playwright-core, never a downloaded browser:
// headless, no network of its own (no component updates, no sync), a fresh
// profile per launch. watchPage() records what must never happen on our
// pages: a dialog (alert from injected script), a page error, a console
// error, or a request to another origin.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "isg-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Starts recording the page's dialogs, errors and foreign requests. */
export function watchPage(page, origin, allowed = []) {
  const problems = [];
  page.on("dialog", async (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console error: ${m.text()}`);
  });
  page.on("request", (r) => {
    const u = r.url();
    if (![origin, ...allowed].some((o) => u.startsWith(o)) && !u.startsWith("data:") && !u.startsWith("blob:")) problems.push(`foreign request: ${u}`);
  });
  return problems;
}
