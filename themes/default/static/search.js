// galley's search page: reads the static index under search/ in pieces.
// The index format and the word rules are described in galley's
// src/search/mod.rs and src/search/words.rs; this file follows them exactly.
(() => {
  "use strict";

  // Letters folded to others: each entry is a letter and what it becomes.
  const FOLD_TABLE = "ßss àa áa âa ãa äa åa æae çc èe ée êe ëe ìi íi îi ïi ðd ñn òo óo ôo õo öo øo ùu úu ûu üu ýy þth ÿy āa ăa ąa ćc ĉc ċc čc ďd đd ēe ĕe ėe ęe ěe ĝg ğg ġg ģg ĥh ħh ĩi īi ĭi įi ıi ĵj ķk ĺl ļl ľl ŀl łl ńn ņn ňn ōo ŏo őo œoe ŕr ŗr řr śs ŝs şs šs ţt ťt ŧt ũu ūu ŭu ůu űu ųu ŵw ŷy źz żz žz ƀb ơo ưu ǎa ǐi ǒo ǔu ǖu ǘu ǚu ǜu ǟa ǡa ǣae ǧg ǩk ǫo ǭo ǯʒ ǰj ǵg ǹn ǻa ǽae ǿo ȁa ȃa ȅe ȇe ȉi ȋi ȍo ȏo ȑr ȓr ȕu ȗu șs țt ȟh ȧa ȩe ȫo ȭo ȯo ȱo ȳy ɨi ΐι άα έε ήη ίι ΰυ ςσ ϊι ϋυ όο ύυ ώω йи ѐе ёе ѓг їі ќк ѝи ўу ѷѵ ӂж ӑа ӓа ӗе ӛә ӝж ӟз ӣи ӥи ӧо ӫө ӭэ ӯу ӱу ӳу ӵч ӹы ḁa ḃb ḅb ḇb ḉc ḋd ḍd ḏd ḑd ḓd ḕe ḗe ḙe ḛe ḝe ḟf ḡg ḣh ḥh ḧh ḩh ḫh ḭi ḯi ḱk ḳk ḵk ḷl ḹl ḻl ḽl ḿm ṁm ṃm ṅn ṇn ṉn ṋn ṍo ṏo ṑo ṓo ṕp ṗp ṙr ṛr ṝr ṟr ṡs ṣs ṥs ṧs ṩs ṫt ṭt ṯt ṱt ṳu ṵu ṷu ṹu ṻu ṽv ṿv ẁw ẃw ẅw ẇw ẉw ẋx ẍx ẏy ẑz ẓz ẕz ẖh ẗt ẘw ẙy ẛſ ạa ảa ấa ầa ẩa ẫa ậa ắa ằa ẳa ẵa ặa ẹe ẻe ẽe ếe ềe ểe ễe ệe ỉi ịi ọo ỏo ốo ồo ổo ỗo ộo ớo ờo ởo ỡo ợo ụu ủu ứu ừu ửu ữu ựu ỳy ỵy ỷy ỹy ἀα ἁα ἂα ἃα ἄα ἅα ἆα ἇα ἐε ἑε ἒε ἓε ἔε ἕε ἠη ἡη ἢη ἣη ἤη ἥη ἦη ἧη ἰι ἱι ἲι ἳι ἴι ἵι ἶι ἷι ὀο ὁο ὂο ὃο ὄο ὅο ὐυ ὑυ ὒυ ὓυ ὔυ ὕυ ὖυ ὗυ ὠω ὡω ὢω ὣω ὤω ὥω ὦω ὧω ὰα άα ὲε έε ὴη ήη ὶι ίι ὸο όο ὺυ ύυ ὼω ώω ᾀα ᾁα ᾂα ᾃα ᾄα ᾅα ᾆα ᾇα ᾐη ᾑη ᾒη ᾓη ᾔη ᾕη ᾖη ᾗη ᾠω ᾡω ᾢω ᾣω ᾤω ᾥω ᾦω ᾧω ᾰα ᾱα ᾲα ᾳα ᾴα ᾶα ᾷα ιι ῂη ῃη ῄη ῆη ῇη ῐι ῑι ῒι ΐι ῖι ῗι ῠυ ῡυ ῢυ ΰυ ῤρ ῥρ ῦυ ῧυ ῲω ῳω ῴω ῶω ῷω";
  const MAX_WORD_BYTES = 64;
  const FORMAT_VERSION = 2;
  const PAGE_SIZE = 10;
  // Quoted phrases are checked against the text of at most this many articles.
  const PHRASE_CHECK_LIMIT = 200;

  const fold = new Map();
  for (const entry of FOLD_TABLE.split(" ")) {
    const [letter, ...rest] = Array.from(entry);
    fold.set(letter, rest.join(""));
  }
  const encoder = new TextEncoder();
  const ALNUM = /[\p{Alphabetic}\p{N}]/u;

  function isDropped(n) {
    return (n >= 0x300 && n <= 0x36f) ||
      (n >= 0x591 && n <= 0x5bd) || n === 0x5bf || n === 0x5c1 || n === 0x5c2 ||
      n === 0x5c4 || n === 0x5c5 || n === 0x5c7 ||
      (n >= 0x610 && n <= 0x61a) || (n >= 0x64b && n <= 0x65f) || n === 0x670 || n === 0x640 ||
      n === 0xad || n === 0x200c || n === 0x200d;
  }
  function isWordChar(cp) {
    if (cp < 0x80) {
      return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
    }
    return isDropped(cp) || ALNUM.test(String.fromCodePoint(cp));
  }
  const isApostrophe = (cp) => cp === 0x27 || cp === 0x2019;

  function normalChar(cp) {
    if (cp < 0x80) return String.fromCharCode(cp).toLowerCase();
    let out = "";
    for (const lower of String.fromCodePoint(cp).toLowerCase()) {
      if (isDropped(lower.codePointAt(0))) continue;
      const folded = fold.get(lower);
      out += folded === undefined ? lower : folded;
    }
    return out;
  }

  function stem(word) {
    const n = word.length;
    if (n <= 3 || !/^[a-z]+$/.test(word)) return word;
    if (n > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
    if (["sses", "shes", "ches", "xes", "zzes"].some((end) => word.endsWith(end))) {
      return word.slice(0, -2);
    }
    if (["ss", "us", "is"].some((end) => word.endsWith(end))) return word;
    if (word.endsWith("s")) return word.slice(0, -1);
    return word;
  }

  // Calls f(normalForm, start, end) for each word of text (offsets in text).
  function eachWord(text, f) {
    const n = text.length;
    let i = 0;
    while (i < n) {
      const cp = text.codePointAt(i);
      if (!isWordChar(cp)) {
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      const start = i;
      let word = "";
      while (i < n) {
        const c = text.codePointAt(i);
        const width = c > 0xffff ? 2 : 1;
        if (isApostrophe(c)) {
          if (i + 1 < n && isWordChar(text.codePointAt(i + 1))) {
            const s = text.charCodeAt(i + 1);
            const possessive = (s === 0x73 || s === 0x53) &&
              !(i + 2 < n && isWordChar(text.codePointAt(i + 2)));
            i += possessive ? 2 : 1;
            if (possessive) break;
            continue;
          }
          break;
        }
        if (!isWordChar(c)) break;
        word += normalChar(c);
        i += width;
      }
      if (word !== "" && encoder.encode(word).length <= MAX_WORD_BYTES) f(stem(word), start, i);
    }
  }
  function words(text) {
    const out = [];
    eachWord(text, (word) => out.push(word));
    return out;
  }

  // MurmurHash3's 32-bit steps over the UTF-8 bytes, four at a time, seeded
  // with the length (as galley's term_hash).
  function mix(h, k) {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    return (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  function termHash(word) {
    const b = encoder.encode(word);
    let h = 0x9747b28c ^ b.length;
    let i = 0;
    for (; i + 4 <= b.length; i += 4) h = mix(h, b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    if (i < b.length) {
      let k = 0;
      for (let j = 0; i + j < b.length; j++) k |= b[i + j] << (8 * j);
      h = mix(h, k);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  // A query: every word must be in an article; quoted runs must be phrases.
  function parseQuery(query) {
    const terms = [];
    const phrases = [];
    const parts = query.split(/["“”„]/);
    parts.forEach((part, i) => {
      const found = words(part);
      for (const word of found) if (!terms.includes(word)) terms.push(word);
      if (i % 2 === 1 && found.length > 1) phrases.push(found);
    });
    return { terms, phrases };
  }

  // ---------------------------------------------------------------- the index
  class Reader {
    constructor(bytes, pos) {
      this.bytes = bytes;
      this.pos = pos;
    }
    varint() {
      let value = 0;
      let scale = 1;
      for (;;) {
        const byte = this.bytes[this.pos++];
        if (byte === undefined) throw new Error("truncated index shard");
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) return value;
        scale *= 128;
      }
    }
    deltas(count) {
      const ids = new Uint32Array(count);
      let previous = 0;
      for (let i = 0; i < count; i++) {
        previous = i === 0 ? this.varint() : previous + this.varint();
        ids[i] = previous;
      }
      return ids;
    }
  }

  function sameBytes(bytes, at, target) {
    for (let i = 0; i < target.length; i++) if (bytes[at + i] !== target[i]) return false;
    return true;
  }

  // The title list and full list of a word in a shard, or null.
  function lookUp(bytes, word) {
    const target = encoder.encode(word);
    const reader = new Reader(bytes, 0);
    while (reader.pos < bytes.length) {
      const length = reader.varint();
      const match = length === target.length && sameBytes(bytes, reader.pos, target);
      reader.pos += length;
      const payload = reader.varint();
      if (!match) {
        reader.pos += payload;
        continue;
      }
      const title = reader.deltas(reader.varint());
      const count = reader.varint();
      if (count === 0) return { title, all: new Uint32Array(0) };
      if (bytes[reader.pos++] === 0) return { title, all: reader.deltas(count) };
      const first = reader.varint();
      const size = reader.varint();
      const all = new Uint32Array(count);
      let k = 0;
      for (let j = 0; j < size; j++) {
        const byte = bytes[reader.pos + j];
        for (let bit = 0; byte && bit < 8; bit++) {
          if (byte & (1 << bit)) all[k++] = (first + j) * 8 + bit;
        }
      }
      return { title, all };
    }
    return null;
  }

  function intersect(a, b) {
    const out = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++;
      else if (a[i] > b[j]) j++;
      else {
        out.push(a[i]);
        i++;
        j++;
      }
    }
    return Uint32Array.from(out);
  }

  function has(sorted, id) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && sorted[lo] === id;
  }

  class Index {
    constructor(base) {
      this.base = base;
      this.shards = new Map();
      this.groups = new Map();
      this.pages = new Map();
      // Where an article page has its text (the search page's form says).
      this.textSelector = "main";
      this.manifest = null;
      this.loading = null;
    }
    async fetch(path, as) {
      const url = new URL(path, this.base);
      if (this.manifest) url.searchParams.set("v", this.manifest.key);
      const response = await fetch(url, this.manifest ? {} : { cache: "no-cache" });
      // 503: `galley serve` is still building the index, and says so.
      if (response.status === 503) throw new Error(await response.text());
      if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
      return as === "json" ? response.json() : new Uint8Array(await response.arrayBuffer());
    }
    load() {
      if (!this.loading) {
        this.loading = this.fetch("index.json", "json").then((manifest) => {
          if (manifest.version !== FORMAT_VERSION) throw new Error("the search index has another format");
          this.manifest = manifest;
          return manifest;
        }).catch((error) => {
          // Asked again by the next query (an index still being built will be ready).
          this.loading = null;
          throw error;
        });
      }
      return this.loading;
    }
    shard(n) {
      if (!this.shards.has(n)) this.shards.set(n, this.fetch(`t/${n}.bin`, "bytes"));
      return this.shards.get(n);
    }
    async postings(word) {
      const bits = this.manifest.shardBits;
      const shard = bits === 0 ? 0 : termHash(word) >>> (32 - bits);
      return lookUp(await this.shard(shard), word);
    }
    async doc(id) {
      const size = this.manifest.group;
      const group = Math.floor(id / size);
      if (!this.groups.has(group)) this.groups.set(group, this.fetch(`d/${group}.json`, "json"));
      return (await this.groups.get(group))[id % size];
    }
    // The text of an article's page: for a snippet or a phrase beyond the
    // beginning of the text that the document files hold.
    pageText(doc) {
      if (!this.pages.has(doc.url)) {
        const url = new URL(doc.url, this.base);
        this.pages.set(doc.url, fetch(url).then(async (response) => {
          if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
          const page = new DOMParser().parseFromString(await response.text(), "text/html");
          return blockText(page.querySelector(this.textSelector) || page.body);
        }));
      }
      return this.pages.get(doc.url);
    }
    // Article ids with every term, best first: more terms in the title, then newest.
    async search(terms) {
      const lists = await Promise.all(terms.map((term) => this.postings(term)));
      if (lists.some((list) => list === null)) return [];
      const ordered = [...lists].sort((a, b) => a.all.length - b.all.length);
      let ids = ordered[0].all;
      for (const list of ordered.slice(1)) ids = intersect(ids, list.all);
      const score = (id) => lists.reduce((sum, list) => sum + (has(list.title, id) ? 1 : 0), 0);
      const scored = Array.from(ids, (id) => [score(id), id]);
      scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      return scored.map(([, id]) => id);
    }
  }

  // ----------------------------------------------------------------- the page
  // Elements whose edges do not end a word (as galley's plain text of a body).
  const INLINE = new Set(["A", "ABBR", "B", "BDI", "BDO", "CITE", "CODE", "DATA", "DEL", "DFN", "EM",
    "I", "IMG", "INS", "KBD", "MARK", "Q", "S", "SAMP", "SMALL", "SPAN", "STRONG", "SUB", "SUP",
    "TIME", "U", "VAR", "WBR"]);
  const SKIPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);

  // The visible text of an element, a line per block.
  function blockText(root) {
    let out = "";
    const endLine = () => {
      if (out !== "" && !out.endsWith("\n")) out += "\n";
    };
    const walk = (node) => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          out += child.data;
        } else if (child.nodeType === Node.ELEMENT_NODE && !SKIPPED.has(child.tagName)) {
          if (child.tagName === "BR") {
            out += " ";
            continue;
          }
          const block = !INLINE.has(child.tagName);
          if (block) endLine();
          walk(child);
          if (block) endLine();
        }
      }
    };
    if (root) walk(root);
    return out.trim();
  }

  function hasPhrase(tokens, phrase) {
    outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
      for (let j = 0; j < phrase.length; j++) if (tokens[i + j].word !== phrase[j]) continue outer;
      return i;
    }
    return -1;
  }
  function tokens(text) {
    const out = [];
    eachWord(text, (word, start, end) => out.push({ word, start, end }));
    return out;
  }

  // Appends text to parent with the words in terms marked.
  function appendMarked(parent, text, terms, from = 0, to = text.length) {
    let at = from;
    for (const token of tokens(text.slice(from, to))) {
      if (!terms.has(token.word)) continue;
      const start = from + token.start;
      const end = from + token.end;
      if (start > at) parent.append(text.slice(at, start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      parent.append(mark);
      at = end;
    }
    if (to > at) parent.append(text.slice(at, to));
  }

  const SNIPPET_BEFORE = 12;
  const SNIPPET_WORDS = 36;

  const withStandfirst = (doc, text) => (doc.standfirst ? `${doc.standfirst}\n${text}` : text);
  const hasPhrases = (doc, text, query) => {
    const all = tokens(`${doc.title}\n${text}`);
    return query.phrases.every((phrase) => hasPhrase(all, phrase) >= 0);
  };

  // The text a result is shown with, and its quoted phrases checked
  // against: the standfirst and the beginning of the body, from the
  // document file; or, when the body goes on and that beginning lacks the
  // query's phrases or all its words, the whole body, from the article's
  // page. Null: the article lacks a phrase.
  async function resultText(index, doc, query) {
    let text = withStandfirst(doc, doc.text);
    const terms = new Set(query.terms);
    const enough = hasPhrases(doc, text, query) && tokens(text).some((t) => terms.has(t.word));
    if (doc.more && !enough) {
      try {
        text = withStandfirst(doc, await index.pageText(doc));
      } catch {
        // The page is out of reach: what the document file has must do.
      }
    }
    return hasPhrases(doc, text, query) ? text : null;
  }

  function snippet(fullText, query) {
    const terms = new Set(query.terms);
    const text = fullText.replace(/\s+/g, " ");
    const found = tokens(text);
    let at = -1;
    for (const phrase of query.phrases) {
      at = hasPhrase(found, phrase);
      if (at >= 0) break;
    }
    if (at < 0) at = found.findIndex((token) => terms.has(token.word));
    if (at < 0) at = 0;
    const first = Math.max(0, at - SNIPPET_BEFORE);
    const last = Math.min(found.length, first + SNIPPET_WORDS) - 1;
    const p = document.createElement("p");
    p.className = "search-result-snippet";
    if (last < 0) return p;
    const start = first === 0 ? 0 : found[first].start;
    const end = last === found.length - 1 ? text.length : found[last].end;
    if (start > 0) p.append("… ");
    appendMarked(p, text, terms, start, end);
    if (end < text.length) p.append(" …");
    return p;
  }

  function result(doc, text, query) {
    const terms = new Set(query.terms);
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    heading.className = "search-result-title";
    const link = document.createElement("a");
    link.href = doc.url;
    appendMarked(link, doc.title, terms);
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    const time = document.createElement("time");
    time.dateTime = doc.date;
    time.textContent = doc.shown;
    meta.append(time);
    if (doc.byline) meta.append(` · ${doc.byline}`);
    if (doc.stub) {
      const stub = document.createElement("span");
      stub.className = "search-result-stub";
      stub.textContent = "not yet archived";
      meta.append(" · ", stub);
    }
    item.append(heading, meta, snippet(text, query));
    return item;
  }

  function start() {
    const form = document.getElementById("search-form");
    const input = document.getElementById("search-input");
    const status = document.getElementById("search-status");
    const list = document.getElementById("search-results");
    const more = document.getElementById("search-more");
    if (!form || !input || !status || !list || !more) return;
    const base = new URL(form.dataset.searchIndex || ".", document.baseURI);
    const index = early && early.base.href === base.href ? early : new Index(base);
    if (form.dataset.articleText) index.textSelector = form.dataset.articleText;
    let generation = 0;
    let pending = null;

    async function run(raw, { record = true } = {}) {
      const mine = ++generation;
      const queryText = raw.trim();
      if (record) {
        const url = new URL(window.location.href);
        if (queryText) url.searchParams.set("q", queryText);
        else url.searchParams.delete("q");
        window.history.replaceState(null, "", url);
      }
      list.replaceChildren();
      more.hidden = true;
      const query = parseQuery(queryText);
      if (query.terms.length === 0) {
        status.textContent = queryText ? `No words to search for in “${queryText}”.` : "";
        return;
      }
      status.textContent = "Searching…";
      try {
        await index.load();
        const ids = await index.search(query.terms);
        if (mine !== generation) return;
        let next = 0;
        let shown = 0;
        let checked = 0;
        const showPage = async () => {
          more.hidden = true;
          let added = 0;
          // Fetch this page's documents (and the article pages they need)
          // at once; they are shown in order as they come.
          const ahead = query.phrases.length > 0 ? 2 * PAGE_SIZE : PAGE_SIZE;
          const texts = new Map();
          const textOf = (id) => {
            if (!texts.has(id)) {
              texts.set(id, index.doc(id).then((doc) => doc && resultText(index, doc, query).then((text) => [doc, text])));
            }
            return texts.get(id);
          };
          for (const id of ids.slice(next, next + ahead)) textOf(id).catch(() => {});
          while (next < ids.length && added < PAGE_SIZE) {
            const id = ids[next++];
            if (query.phrases.length > 0 && ++checked > PHRASE_CHECK_LIMIT) {
              next = ids.length;
              break;
            }
            const found = await textOf(id);
            if (mine !== generation) return;
            if (!found || found[1] === null) continue;
            list.append(result(found[0], found[1], query));
            added++;
            shown++;
          }
          if (shown === 0) {
            status.textContent = `No results for “${queryText}”.`;
          } else if (query.phrases.length > 0) {
            status.textContent = `${shown} result${shown === 1 ? "" : "s"} shown for “${queryText}”${next < ids.length ? "; more may follow" : ""}.`;
          } else {
            status.textContent = `${ids.length} result${ids.length === 1 ? "" : "s"} for “${queryText}”${shown < ids.length ? `, showing ${shown}` : ""}.`;
          }
          more.hidden = next >= ids.length;
        };
        more.onclick = () => {
          const before = list.children.length;
          showPage().then(() => {
            const first = list.children[before];
            const firstLink = first && first.querySelector("a");
            if (firstLink) firstLink.focus();
          });
        };
        await showPage();
      } catch (error) {
        if (mine !== generation) return;
        status.textContent = `Search is unavailable: ${error.message}`;
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(pending);
      run(input.value);
    });
    input.addEventListener("input", () => {
      clearTimeout(pending);
      pending = setTimeout(() => run(input.value), 200);
    });
    const initial = new URLSearchParams(window.location.search).get("q");
    if (initial) {
      input.value = initial;
      run(initial, { record: false });
    }
  }

  if (typeof document === "undefined") {
    // Outside a page (galley's tests compare these with its own).
    globalThis.galleySearch = { words, termHash };
    return;
  }
  // The script loads async: a query in the address starts fetching its
  // pieces at once, while the page is still parsed and styled. The index is
  // assumed beside the script (search/ at the site's root, where a theme's
  // static files go); the form's data-search-index says for sure later.
  let early = null;
  const script = document.currentScript;
  const initialQuery = new URLSearchParams(window.location.search).get("q");
  if (script && script.src && initialQuery) {
    early = new Index(new URL("search/", script.src));
    const { terms } = parseQuery(initialQuery);
    early.load().then(() => Promise.all(terms.map((term) => early.postings(term)))).catch(() => {});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
