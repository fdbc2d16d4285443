// Drives headless Chromium against a built site served statically under a sub-path:
//   node search.mjs --dir DIR --prefix /sub/path/ --body-word W --body-url URL
//                   --title-word T --title-url URL [--stub-word S --stub-url URL]
//                   [--fold-word F --fold-url URL] [--phrase "P Q" --phrase-url URL]
// 1. on the home page, types W into the header's search form and submits it:
//    the search page opens with ?q=W and lists URL with a snippet that marks W;
// 2. on the search page, types W into its own field: the same result appears;
// 3. opens search/?q=T: URL of T's article is the first result;
// 4. with --stub-word: S finds the stub at its URL, marked "not yet archived";
// 5. with --fold-word: that word (accented, in capitals) finds the article at --fold-url;
// 6. types a word no article has: the status says there are no results;
// 7. with --phrase: "P Q" in quotes finds --phrase-url, both words marked in
//    its snippet, and "Q P" in quotes finds nothing;
// and fails on any console error, page error, failed or non-200 request.
// Run by tests/it/search.rs (ignored by default: it needs Chromium).
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
for (const key of ["dir", "prefix", "body-word", "body-url", "title-word", "title-url"]) {
  if (!args[key]) {
    console.error(`missing --${key}`);
    process.exit(2);
  }
}
const TIMEOUT = 15000;
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json" };

// A static server of DIR under PREFIX, as a plain static host would be.
const server = createServer(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
  if (!path.startsWith(args.prefix)) {
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
const origin = `http://127.0.0.1:${server.address().port}`;
const site = `${origin}${args.prefix}`;

const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  page.on("console", (message) => {
    const from = message.location().url || "";
    // Chromium asks every origin for /favicon.ico, which the site need not have.
    if (message.type() === "error" && !from.endsWith("/favicon.ico")) {
      problems.push(`console error: ${message.text()} (${from})`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() !== 200) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const results = page.locator("#search-results");
  const status = page.locator("#search-status");

  // 1. The header's form on the home page leads to the search page, which runs the query.
  await page.goto(site);
  await page.locator("#site-search-q").fill(args["body-word"]);
  await page.locator("#site-search-q").press("Enter");
  await page.waitForURL((url) => url.pathname === `${args.prefix}search/` && url.searchParams.get("q") === args["body-word"], { timeout: TIMEOUT });
  const bodyLink = results.locator(`a[href="${args["body-url"]}"]`);
  await bodyLink.waitFor({ timeout: TIMEOUT });
  const item = results.locator("li", { has: page.locator(`a[href="${args["body-url"]}"]`) });
  const snippet = await item.locator(".search-result-snippet").textContent();
  const marked = (await item.locator(".search-result-snippet mark").allTextContents()).map((m) => m.toLowerCase());
  if (!snippet.toLowerCase().includes(args["body-word"].toLowerCase()) || !marked.includes(args["body-word"].toLowerCase())) {
    throw new Error(`the snippet does not show ${args["body-word"]} marked: ${snippet}`);
  }
  console.log(`ok: the header form finds ${args["body-url"]}: ${snippet.trim().slice(0, 80)}…`);

  // 2. Typing into the page's own field (no submit) finds it again.
  await page.locator("#search-input").fill("");
  await page.locator("#search-input").pressSequentially(args["body-word"], { delay: 20 });
  await bodyLink.waitFor({ timeout: TIMEOUT });
  console.log("ok: typing into the search field finds it");

  // 3. A title word: that article first.
  await page.goto(`${site}search/?q=${encodeURIComponent(args["title-word"])}`);
  await results.locator("li").first().waitFor({ timeout: TIMEOUT });
  const first = await results.locator("li a").first().getAttribute("href");
  if (first !== args["title-url"]) throw new Error(`?q=${args["title-word"]}: first result is ${first}, expected ${args["title-url"]}`);
  console.log(`ok: ?q=${args["title-word"]} lists ${first} first (status: ${(await status.textContent()).trim()})`);

  // 4. A stub is found by its title and marked.
  if (args["stub-word"]) {
    await page.locator("#search-input").fill(args["stub-word"]);
    await page.locator("#search-input").press("Enter");
    const stub = results.locator("li", { has: page.locator(`a[href="${args["stub-url"]}"]`) });
    await stub.waitFor({ timeout: TIMEOUT });
    const mark = await stub.locator(".search-result-stub").textContent();
    if (!/not yet archived/.test(mark)) throw new Error(`the stub is not marked: ${mark}`);
    console.log(`ok: the stub ${args["stub-url"]} is found and marked "${mark}"`);
  }

  // 5. A word with accents, in capitals, finds its article.
  if (args["fold-word"]) {
    await page.locator("#search-input").fill(args["fold-word"]);
    await page.locator("#search-input").press("Enter");
    await results.locator(`a[href="${args["fold-url"]}"]`).waitFor({ timeout: TIMEOUT });
    console.log(`ok: ${args["fold-word"]} finds ${args["fold-url"]}`);
  }

  // 6. A word no article has.
  await page.locator("#search-input").fill("qqxzvbnonsenseword");
  await page.locator("#search-input").press("Enter");
  await status.filter({ hasText: "No results" }).waitFor({ timeout: TIMEOUT });
  if (await results.locator("li").count()) throw new Error("results listed for a word no article has");
  console.log(`ok: ${(await status.textContent()).trim()}`);

  // 7. A quoted phrase, and the same words in the other order.
  if (args.phrase) {
    await page.goto(`${site}search/?q=${encodeURIComponent(`"${args.phrase}"`)}`);
    const found = results.locator("li", { has: page.locator(`a[href="${args["phrase-url"]}"]`) });
    await found.waitFor({ timeout: TIMEOUT });
    const marked = (await found.locator(".search-result-snippet mark").allTextContents()).map((m) => m.toLowerCase());
    for (const word of args.phrase.split(" ")) {
      if (!marked.includes(word.toLowerCase())) throw new Error(`"${args.phrase}": ${word} is not marked in the snippet (${marked})`);
    }
    console.log(`ok: "${args.phrase}" finds ${args["phrase-url"]}`);
    const reversed = args.phrase.split(" ").reverse().join(" ");
    await page.locator("#search-input").fill(`"${reversed}"`);
    await page.locator("#search-input").press("Enter");
    await status.filter({ hasText: "No results" }).waitFor({ timeout: TIMEOUT });
    console.log(`ok: "${reversed}" finds nothing`);
  }

  if (problems.length) throw new Error(problems.join("\n"));
  console.log("ok: no console errors");
} finally {
  await browser.close();
  server.close();
}
