// Times queries on a built site's search page in headless Chromium, each in a
// fresh browser context (cold cache), served statically over localhost:
//   node search-bench.mjs --dir DIR --prefix /sub/ --query "words" [--query "more words"] [--runs N]
// For each query prints, as JSON lines: the time from navigation start to the
// first result on the page (median of the runs), and what the browser's network
// log says was transferred: everything, and the index pieces plus the script
// (article pages, read for snippets past a document's excerpt, count in
// everything only).
// Run by scripts/bench-search.sh.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const args = { query: [] };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "");
  if (key === "query") args.query.push(process.argv[i + 1]);
  else args[key] = process.argv[i + 1];
}
const runs = Number(args.runs || 5);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json" };

const server = createServer(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
  if (!path.startsWith(args.prefix)) return response.writeHead(404).end();
  let file = normalize(join(args.dir, path.slice(args.prefix.length)));
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

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

async function once(query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The moment the first result is put on the page, in ms since navigation start.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const list = document.getElementById("search-results");
      if (list && list.firstElementChild && window.__firstResult === undefined) {
        window.__firstResult = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const urls = new Map();
  const bytes = new Map();
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => bytes.set(e.requestId, e.encodedDataLength));
  await page.goto(`${site}search/?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => window.__firstResult !== undefined ||
    /No results/.test(document.getElementById("search-status").textContent), null, { timeout: 30000 });
  const first = await page.evaluate(() => window.__firstResult ?? null);
  const status = (await page.locator("#search-status").textContent()).trim();
  // Let the rest of the first page of results arrive, so the log is complete.
  await page.waitForFunction(() => !/Searching/.test(document.getElementById("search-status").textContent), null, { timeout: 30000 });
  await page.waitForTimeout(200);
  let total = 0;
  let index = 0;
  let requests = 0;
  const pieces = {};
  for (const [id, size] of bytes) {
    const url = urls.get(id) || "";
    if (url.endsWith("favicon.ico")) continue;
    total += size;
    requests++;
    const path = new URL(url).pathname.slice(args.prefix.length);
    const kind = /^search\/t\//.test(path) ? "shards" : /^search\/d\//.test(path) ? "documents"
      : /^search\/index\.json/.test(path) ? "manifest" : /^search\.[0-9a-f]+\.js$/.test(path) ? "script"
      : /^(search\/)?$|\.css$/.test(path) ? "page" : "articles";
    pieces[kind] = (pieces[kind] || 0) + size;
    if (kind !== "page" && kind !== "articles") index += size;
  }
  await context.close();
  return { first, total, index, requests, pieces, status };
}

try {
  for (const query of args.query) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await once(query));
    const times = results.map((r) => r.first).sort((a, b) => a - b);
    const last = results[results.length - 1];
    console.log(JSON.stringify({
      query,
      first_result_ms_median: Math.round(times[Math.floor(times.length / 2)]),
      first_result_ms_all: times.map(Math.round),
      kb_index_and_script: +(last.index / 1024).toFixed(1),
      kb_total: +(last.total / 1024).toFixed(1),
      requests: last.requests,
      kb_by_kind: Object.fromEntries(Object.entries(last.pieces).map(([k, v]) => [k, +(v / 1024).toFixed(1)])),
      status: last.status,
    }));
  }
} finally {
  await browser.close();
  server.close();
}
