// Drives headless Chromium against a running `galley serve`:
//   node live-reload.mjs --page URL --markdown FILE [--stylesheet FILE]
// 1. opens the article at URL;
// 2. saves a change to its Markdown FILE and waits for the page to show it, with
//    no reload command from this script (live reload must do it);
// 3. breaks the file's front matter and waits for the error overlay, while the
//    last good text stays on the page; fixes it and waits for the overlay to go;
// 4. with --stylesheet: saves a new colour into the CSS FILE and checks the page
//    picks it up without reloading (a marker set on `window` survives);
// 5. with --restart TEXT: prints "restart now" and waits for the page to show TEXT,
//    which the caller puts in the article while it restarts the server (the page
//    must reconnect to the new server and reload by itself).
// Run by the ignored tests in tests/it/serve/browser.rs (`cargo test --test it -- --ignored browser`).
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
if (!args.page || !args.markdown) {
  console.error("usage: node live-reload.mjs --page URL --markdown FILE [--stylesheet FILE]");
  process.exit(2);
}
const TIMEOUT = 15000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  page.on("console", (message) => console.log(`[page] ${message.text()}`));
  await page.goto(args.page);
  const original = readFileSync(args.markdown, "utf8");

  // An edit: the new text appears without this script reloading anything.
  const marker = `Edited from the browser test ${Date.now()}`;
  writeFileSync(args.markdown, original.trimEnd() + `\n\n${marker}\n`);
  await page.locator("body", { hasText: marker }).waitFor({ timeout: TIMEOUT });
  console.log("ok: the saved edit is shown");

  // A broken save: the overlay appears over the last good page.
  writeFileSync(args.markdown, original.replace(/^title: .*$/m, "$&\nthis line is not yaml"));
  const overlay = page.locator("#galley-error-overlay");
  await overlay.waitFor({ timeout: TIMEOUT });
  const shown = await overlay.textContent();
  const file = args.markdown.split("/").pop();
  if (!shown.includes(file) || !/:\d+:\d+:/.test(shown)) throw new Error(`the overlay does not name file:line:col: ${shown}`);
  if (!(await page.locator("body", { hasText: marker }).count())) throw new Error("the last good page is gone");
  console.log(`ok: the overlay shows ${shown.split("\n").find((l) => l.includes(file))}`);

  // The next good save clears it.
  writeFileSync(args.markdown, original);
  await overlay.waitFor({ state: "detached", timeout: TIMEOUT });
  await page.locator("body", { hasText: marker }).waitFor({ state: "detached", timeout: TIMEOUT });
  console.log("ok: the fix clears the overlay");

  if (args.stylesheet) {
    // The fix above reloads the page (its text changed), and the reloaded
    // page may still be catching up with the server's latest build: let it
    // settle, so that a reload counted below is one the stylesheet caused.
    await page.waitForLoadState("load");
    await page.waitForTimeout(500);
    await page.waitForLoadState("load");
    await page.evaluate(() => { window.__notReloaded = true; });
    const css = readFileSync(args.stylesheet, "utf8");
    writeFileSync(args.stylesheet, css + "\nbody { color: rgb(1, 2, 3) }\n");
    await page.waitForFunction(() => getComputedStyle(document.body).color === "rgb(1, 2, 3)", null, { timeout: TIMEOUT });
    if (!(await page.evaluate(() => window.__notReloaded === true))) throw new Error("the page reloaded for a stylesheet change");
    console.log("ok: the stylesheet was swapped without a reload");
  }

  if (args.restart) {
    console.log("restart now");
    await page.locator("body", { hasText: args.restart }).waitFor({ timeout: TIMEOUT });
    console.log("ok: the page reconnected to the restarted server and reloaded");
  }
} finally {
  await browser.close();
}
