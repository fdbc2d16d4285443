// Drives headless Chromium against a running `galley serve` while the open
// article is edited, renamed by `slug:` and deleted:
//   node follow-page.mjs --page URL --markdown FILE --moved-url URL
// 1. opens the article at URL (the --page);
// 2. changes its title: the page shows the new title at the same address;
// 3. adds `slug:` so the article moves to --moved-url: the browser goes there
//    by itself, and the old address redirects to it while the server runs;
// 4. deletes the file: the page shows an overlay saying so, with a link home.
// Run by the ignored tests in tests/it/serve/browser.rs (`cargo test --test it -- --ignored browser`).
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync, unlinkSync } from "node:fs";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
if (!args.page || !args.markdown || !args["moved-url"]) {
  console.error("usage: node follow-page.mjs --page URL --markdown FILE --moved-url URL");
  process.exit(2);
}
const TIMEOUT = 15000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(args.page);
  const original = readFileSync(args.markdown, "utf8");

  // A new title: same address, new title on the page.
  const title = `A retitled article ${Date.now()}`;
  const retitled = original.replace(/^title: .*$/m, `title: "${title}"`);
  writeFileSync(args.markdown, retitled);
  await page.locator("h1", { hasText: title }).waitFor({ timeout: TIMEOUT });
  if (page.url() !== args.page) throw new Error(`the page moved to ${page.url()} on a title edit`);
  console.log("ok: a new title shows at the same address");

  // A new slug: the browser follows the article to its new address.
  writeFileSync(args.markdown, retitled.replace(/^title: /m, "slug: moved-by-slug\ntitle: "));
  await page.waitForURL(args["moved-url"], { timeout: TIMEOUT });
  await page.locator("h1", { hasText: title }).waitFor({ timeout: TIMEOUT });
  console.log(`ok: the browser followed the article to ${page.url()}`);
  const old = await browser.newPage();
  await old.goto(args.page);
  if (old.url() !== args["moved-url"]) throw new Error(`the old address led to ${old.url()}`);
  await old.close();
  console.log("ok: the old address redirects to the new one");

  // Deleted: an overlay says so, with a link home.
  unlinkSync(args.markdown);
  const gone = page.locator("#galley-gone-overlay");
  await gone.waitFor({ timeout: TIMEOUT });
  const text = await gone.textContent();
  if (!text.includes("deleted")) throw new Error(`the overlay says: ${text}`);
  const home = await gone.locator("a").getAttribute("href");
  const expectedHome = new URL(args.page).pathname.split("/").slice(0, 2).join("/") + "/";
  if (home !== expectedHome) throw new Error(`the overlay links to ${home}, not ${expectedHome}`);
  console.log(`ok: a deleted article shows an overlay linking to ${home}`);
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
}
