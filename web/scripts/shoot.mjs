// SPDX-License-Identifier: Apache-2.0
//
// Developer helper: screenshots of pages of a running server (the preview or
// a gateway) at desktop and phone width, light and dark, into DIR.
//   node scripts/shoot.mjs BASE_URL DIR PATH...
import { mkdirSync } from "node:fs";
import { launch, watchPage } from "../e2e/browser.mjs";

const [base, dir, ...paths] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const b = await launch();
for (const [label, vp, scheme] of [["desktop-light", { width: 1280, height: 900 }, "light"], ["phone-dark", { width: 390, height: 844 }, "dark"]]) {
  const page = await b.context.newPage();
  await page.setViewportSize(vp);
  await page.emulateMedia({ colorScheme: scheme });
  const problems = watchPage(page, base);
  for (const p of paths) {
    await page.goto(base + p, { waitUntil: "networkidle" });
    await page.waitForTimeout(300);
    const name = `${dir}/${label}${p.replace(/[^a-z0-9]+/gi, "_")}.png`;
    await page.screenshot({ path: name, fullPage: true });
    console.log(name);
  }
  if (problems.length) console.log("problems:", problems);
  await page.close();
}
await b.close();
