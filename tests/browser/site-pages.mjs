// Opens every kind of page of a built site, served statically under a
// sub-path, in headless Chromium, in the light and the dark colour scheme:
//   node site-pages.mjs --dir DIR --prefix /archive/ --pages "P1,P2,…" [--axe yes]
// PAGES are paths under the prefix ("", "2023/10/x/", "search/?q=tide").
// Fails on any console error, page error, failed request, HTTP status other
// than 200, or request outside the prefix (the host's root is someone
// else's server under a sub-path); checks that each page declares an icon
// under the prefix that loads; with --axe, runs axe-core over each page and
// fails on any WCAG 2 A or AA violation.
// Run by tests/it/site_pages.rs (ignored by default: it needs Chromium).
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, normalize } from "node:path";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
for (const key of ["dir", "prefix", "pages"]) {
  if (args[key] === undefined) {
    console.error(`missing --${key}`);
    process.exit(2);
  }
}
const TIMEOUT = 15000;
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".xml": "application/xml",
};
const problems = [];

// A static server of DIR under PREFIX, as a plain static host would be; a
// request anywhere else is a problem.
const server = createServer(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
  if (!path.startsWith(args.prefix)) {
    problems.push(`request outside ${args.prefix}: ${path}`);
    response.writeHead(404).end();
    return;
  }
  let file = normalize(join(args.dir, path.slice(args.prefix.length)));
  if (!file.startsWith(normalize(args.dir))) {
    response.writeHead(403).end();
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    response.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const site = `http://127.0.0.1:${server.address().port}${args.prefix}`;
const axeSource = args.axe ? createRequire(import.meta.url).resolve("axe-core/axe.min.js") : null;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
let checked = 0;
try {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme });
    for (const path of args.pages.split(",")) {
      const where = `${colorScheme} ${args.prefix}${path}`;
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`${where}: console error: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`${where}: page error: ${error.message}`));
      page.on("requestfailed", (request) => problems.push(`${where}: request failed: ${request.url()}`));
      page.on("response", (response) => {
        if (response.status() !== 200) problems.push(`${where}: HTTP ${response.status()}: ${response.url()}`);
      });
      await page.goto(`${site}${path}`, { waitUntil: "networkidle", timeout: TIMEOUT });
      if (path.startsWith("search/?q=")) {
        // The results arrive after the index pieces a query needs.
        await page.waitForSelector("#search-results li", { timeout: TIMEOUT });
      }
      // Headless Chromium may not fetch icons itself: the declared ones are fetched here.
      const icons = await page.$$eval('link[rel="icon"]', (links) => links.map((l) => l.href));
      if (icons.length === 0) problems.push(`${where}: declares no icon`);
      for (const icon of icons) {
        if (!icon.startsWith(site)) problems.push(`${where}: icon outside ${args.prefix}: ${icon}`);
        const response = await page.request.get(icon);
        if (response.status() !== 200) problems.push(`${where}: icon ${icon}: HTTP ${response.status()}`);
      }
      if (axeSource) {
        await page.addScriptTag({ path: axeSource });
        const result = await page.evaluate(() =>
          window.axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
          }),
        );
        for (const violation of result.violations) {
          const targets = violation.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
          problems.push(`${where}: axe ${violation.id} (${violation.impact}): ${violation.help} at ${targets}`);
        }
        console.log(`${where}: axe ${result.passes.length} rules passed, ${result.violations.length} violated`);
      }
      await page.close();
      checked += 1;
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${checked} page loads under ${args.prefix}: no request outside it, no error${axeSource ? ", no axe violation" : ""}`);
