// Save-to-reload latency of a running `galley serve`:
//   node reload-latency.mjs --events http://127.0.0.1:1111/__galley/events --markdown FILE [--saves 20] [--kind body|title]
// Connects to the event stream like an open page, then saves FILE (appending a
// changing line to its body, or with --kind title changing its title) `saves` times, timing each from the moment the
// write returns (the save is on disk) to the `reload` event reaching this client.
// Prints every time, then the median and the worst.
import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const args = { saves: "20", kind: "body" };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
if (!args.events || !args.markdown) {
  console.error("usage: node reload-latency.mjs --events URL --markdown FILE [--saves 20]");
  process.exit(2);
}

const response = await fetch(args.events, { headers: { Accept: "text/event-stream" } });
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
      if (name && waiting.length) waiting.shift()({ name, at: performance.now() });
    }
  }
})();
const nextEvent = () => new Promise((resolve) => waiting.push(resolve));

await nextEvent(); // hello
const original = readFileSync(args.markdown, "utf8");
const times = [];
try {
  for (let i = 0; i < Number(args.saves); i++) {
    await sleep(150); // let the previous build settle, as between an editor's saves
    const event = nextEvent();
    const edited = args.kind === "title"
      ? original.replace(/^title: .*$/m, `title: "Latency probe ${i}"`)
      : `${original.trimEnd()}\n\nLatency probe ${i}.\n`;
    writeFileSync(args.markdown, edited);
    const saved = performance.now();
    const { name, at } = await event;
    if (name !== "reload") throw new Error(`save ${i}: got ${name} instead of reload`);
    times.push(at - saved);
    console.log(`save ${i + 1}: ${(at - saved).toFixed(1)} ms`);
  }
} finally {
  writeFileSync(args.markdown, original);
}
times.sort((a, b) => a - b);
const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
console.log(`${times.length} saves: median ${median.toFixed(1)} ms, worst ${times[times.length - 1].toFixed(1)} ms`);
process.exit(0);
