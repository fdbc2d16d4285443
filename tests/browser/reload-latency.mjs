// Save-to-reload latency of a running `galley serve`:
//   node reload-latency.mjs --events http://127.0.0.1:1111/__galley/events --markdown FILE
//        [--page /2019/06/x/] [--saves 20] [--kind body|title|date|tags|author|draft|stub|new|deleted] [--json]
// Connects to the event stream like an open page (showing `page`, the public
// path of FILE's article, when given: serve renders the open pages again
// after a save to tell which must reload), then saves `saves` times,
// timing each from the moment the write returns (the save is on disk) to the
// `reload` event reaching this client. What a save does, by kind:
//   body     appends a changing line to FILE's body
//   title    gives FILE a new title
//   date     moves FILE to another day of its month (it moves among its
//            neighbours in every listing, its address stays)
//   tags     gives FILE a new tag (a new term page; the last one's goes)
//   author   gives FILE a new author (likewise)
//   draft    makes FILE a draft, then not, alternately (it leaves the site and comes back)
//   stub     makes FILE a stub, then not, alternately
//   new      writes a new article beside FILE (removed again at the end)
//   deleted  deletes an article beside FILE, a different one each time (restored at the end)
// Prints every time, then the median and the worst; with --json, one line
// {"kind", "times"} instead.
import { readFileSync, writeFileSync, unlinkSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const args = { saves: "20", kind: "body" };
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, "");
  if (name === "json") args.json = true;
  else args[name] = process.argv[++i];
}
if (!args.events || !args.markdown) {
  console.error("usage: node reload-latency.mjs --events URL --markdown FILE [--saves 20] [--kind KIND] [--json]");
  process.exit(2);
}

const events = args.page ? `${args.events}?page=${encodeURIComponent(args.page)}` : args.events;
const response = await fetch(events, { headers: { Accept: "text/event-stream" } });
if (!response.ok) throw new Error(`event stream: HTTP ${response.status}`);
const reader = response.body.getReader();
const decoder = new TextDecoder();
let buffer = "";
const waiting = [];
(async () => {
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.*)$/m.exec(message)?.[1];
      const data = /^data: (.*)$/m.exec(message)?.[1];
      // A catch-up's reload (`later`: pages brought up to date after the
      // save's own reload) is not the answer to a save.
      if (data && JSON.parse(data).later) continue;
      if (name && waiting.length) waiting.shift()({ name, data, at: performance.now() });
    }
  }
})();
const nextEvent = () => new Promise((resolve) => waiting.push(resolve));

const file = args.markdown;
const original = readFileSync(file, "utf8");
const folder = dirname(file);
// Front matter line `key: …` replaced (or added after the title when missing).
const withLine = (text, key, line) => {
  const pattern = new RegExp(`^${key}: .*$`, "m");
  return pattern.test(text) ? text.replace(pattern, line) : text.replace(/^(title: .*)$/m, `$1\n${line}`);
};
const probeFile = (i) => join(folder, `latency-probe-new-${i}.md`);
// The articles `deleted` removes: the ones after FILE in name order that no
// page links to (a link to a missing page fails the build, as it should).
const siblings = readdirSync(folder).filter((f) => f.endsWith(".md") && !f.startsWith("latency-probe")).sort();
const linked = new Set();
if (args.kind === "deleted" || args.kind === "draft") {
  for (const f of siblings) {
    for (const m of readFileSync(join(folder, f), "utf8").matchAll(/\]\(([^)\s]+\.md)\)/g)) linked.add(basename(m[1]));
  }
  if (linked.has(basename(file))) throw new Error(`${file} is linked to: pick another article for --kind ${args.kind}`);
}
const victims = siblings
  .slice(siblings.indexOf(basename(file)) + 1)
  .filter((f) => !linked.has(f))
  .map((f) => join(folder, f));
const deleted = new Map();
const date = /^date: (\d{4})-(\d{2})-(\d{2})/m.exec(original);

function save(kind, i) {
  switch (kind) {
    case "body":
      return writeFileSync(file, `${original.trimEnd()}\n\nLatency probe ${i}.\n`);
    case "title":
      return writeFileSync(file, withLine(original, "title", `title: "Latency probe ${i}"`));
    case "date": {
      const day = String(((Number(date[3]) + i) % 28) + 1).padStart(2, "0");
      return writeFileSync(file, withLine(original, "date", `date: ${date[1]}-${date[2]}-${day}`));
    }
    case "tags":
      return writeFileSync(file, withLine(original, "tags", `tags: ["Latency probe ${i}"]`));
    case "author":
      return writeFileSync(file, withLine(original, "authors", `authors: ["Latency Probe ${i}"]`));
    case "draft":
      return writeFileSync(file, i % 2 === 0 ? withLine(original, "draft", "draft: true") : original);
    case "stub":
      return writeFileSync(file, i % 2 === 0 ? withLine(original, "stub", "stub: true") : original);
    case "new":
      return writeFileSync(probeFile(i), withLine(original, "title", `title: "Latency probe, new article ${i}"`));
    case "deleted": {
      const victim = victims[i];
      deleted.set(victim, readFileSync(victim, "utf8"));
      return unlinkSync(victim);
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

function restore(saves) {
  writeFileSync(file, original);
  for (let i = 0; i < saves; i++) if (existsSync(probeFile(i))) unlinkSync(probeFile(i));
  for (const [victim, text] of deleted) writeFileSync(victim, text);
}

await nextEvent(); // hello
const saves = Number(args.saves);
const times = [];
try {
  for (let i = 0; i < saves; i++) {
    await sleep(150); // let the previous build settle, as between an editor's saves
    const event = nextEvent();
    save(args.kind, i);
    const saved = performance.now();
    const { name, data, at } = await event;
    if (name !== "reload") throw new Error(`${args.kind} save ${i}: got ${name} instead of reload: ${data}`);
    times.push(at - saved);
    if (!args.json) console.log(`save ${i + 1}: ${(at - saved).toFixed(1)} ms`);
  }
} finally {
  restore(saves);
}
if (args.json) {
  console.log(JSON.stringify({ kind: args.kind, times }));
} else {
  times.sort((a, b) => a - b);
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  console.log(`${times.length} saves: median ${median.toFixed(1)} ms, worst ${times[times.length - 1].toFixed(1)} ms`);
}
process.exit(0);
