// The record as this page checks it, trusting nothing the server says about itself: the server's
// key (GET /key, whose fingerprint the member compares with what the operator gave them), each
// checkpoint's Ed25519 signature (WebCrypto), a consistency proof from the last checkpoint this
// browser verified (kept per talks and member in local storage) to every new one, and the exact
// lines of every event the page shows, hashed into the checkpoint's root (RFC 9162).
// On any failure it stops, says what failed, and offers the evidence as a file.

const encoder = new TextEncoder();

async function sha256(...parts) {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) { bytes.set(part, offset); offset += part.length; }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}
const leafHash = (line) => sha256(Uint8Array.of(0), encoder.encode(line));
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

// A fingerprint for people to compare out of band: the first 16 bytes of the SHA-256 of
// `bytes`, in groups of four hexadecimal digits (as `shuttle key` prints the server's).
export async function fingerprintOf(bytes) {
  return hex((await sha256(bytes)).slice(0, 16)).match(/.{4}/g).join(" ");
}

// The lines the page holds, as a Merkle tree that keeps every complete subtree.
class Tree {
  constructor() { this.levels = [[]]; this.count = 0; }
  async append(line) {
    let hash = await leafHash(line), level = 0, index = this.count++;
    this.levels[0].push(hash);
    while (index % 2 === 1) {
      hash = await nodeHash(this.levels[level][index - 1], hash);
      level += 1; index = Math.floor(index / 2);
      (this.levels[level] ??= []).push(hash);
    }
  }
  // MTH of the `count` leaves from `start`, a range every root and proof uses.
  async hash(start, count) {
    if ((count & (count - 1)) === 0) { const level = Math.log2(count); return this.levels[level][start >> level]; }
    let split = 1;
    while (split * 2 < count) split *= 2;
    return nodeHash(await this.hash(start, split), await this.hash(start + split, count - split));
  }
  root(size) { return size === 0 ? sha256() : this.hash(0, size); }
}

// RFC 9162 §2.1.4.2, as transparency-dev/merkle checks it: the root of size2 that `proof`
// proves extends the tree of size1 whose root is root1; throws when it does not.
async function rootFromConsistency(size1, size2, proof, root1) {
  if (size1 < 1 || size2 < size1) throw new Error(`no consistency proof goes from ${size1} to ${size2}`);
  if (size1 === size2) { if (proof.length) throw new Error("the proof should be empty"); return root1; }
  const bits = (n) => n.toString(2).length;
  let index = size1 - 1, inner = bits(index ^ (size2 - 1));
  let shift = 0;
  while (((size1 >> shift) & 1) === 0) shift++;
  inner -= shift;
  const [seed, start] = size1 === 2 ** shift ? [root1, 0] : [proof[0], 1];
  const border = (Math.floor(index / 2 ** (inner + shift)).toString(2).match(/1/g) ?? []).length;
  if (proof.length !== start + inner + border) throw new Error(`the proof has ${proof.length} hashes, not ${start + inner + border}`);
  const rest = proof.slice(start), mask = index >> shift;
  let older = seed, newer = seed;
  for (let i = 0; i < inner; i++) {
    if ((mask >> i) & 1) { older = await nodeHash(rest[i], older); newer = await nodeHash(rest[i], newer); }
    else newer = await nodeHash(newer, rest[i]);
  }
  for (const hash of rest.slice(inner)) { older = await nodeHash(hash, older); newer = await nodeHash(hash, newer); }
  if (!equal(older, root1)) throw new Error("the proof does not lead to the older checkpoint's root");
  return newer;
}

// The server's verifier key, NAME+HASH+BASE64 (C2SP signed-note), ready to check signatures.
async function verifierKey(text) {
  const trimmed = text.trim(), first = trimmed.indexOf("+"), second = trimmed.indexOf("+", first + 1);
  if (first < 1 || second < 0) throw new Error("the server's key is not NAME+HASH+BASE64");
  const name = trimmed.slice(0, first), id = trimmed.slice(first + 1, second), key = fromBase64(trimmed.slice(second + 1));
  if (key.length !== 33 || key[0] !== 1) throw new Error("the server's key is not an Ed25519 signed-note key");
  const expected = (await sha256(encoder.encode(name), Uint8Array.of(10, 1), key.slice(1))).slice(0, 4);
  if (hex(expected) !== id) throw new Error("the server's key hash does not match its key");
  const fingerprint = await fingerprintOf(encoder.encode(trimmed));
  const publicKey = await crypto.subtle.importKey("raw", key.slice(1), { name: "Ed25519" }, false, ["verify"]);
  return { name, id, fingerprint, publicKey, text: trimmed };
}

// A signed checkpoint: its signature by `key` checked, its body read.
async function openCheckpoint(note, key) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new Error("the checkpoint is not a signed note");
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2).split("\n").filter(Boolean);
  let signed = false;
  for (const line of signatures) {
    const [dash, name, encoded] = line.split(" ");
    if (dash !== "—" || name !== key.name) continue;
    const bytes = fromBase64(encoded);
    if (hex(bytes.slice(0, 4)) !== key.id) continue;
    if (!await crypto.subtle.verify({ name: "Ed25519" }, key.publicKey, bytes.slice(4), encoder.encode(text))) {
      throw new Error(`the checkpoint's signature by ${key.name} does not verify`);
    }
    signed = true;
  }
  if (!signed) throw new Error(`the checkpoint is not signed by the server's key (${key.name})`);
  const [origin, size, root] = text.split("\n");
  if (!/^(0|[1-9][0-9]*)$/.test(size)) throw new Error("the checkpoint's size is not a number");
  return { note, origin, size: Number(size), root: fromBase64(root) };
}

export class RecordCheck {
  // `onStatus({ state: "checking"|"verified"|"failed", words, evidence })` tells the page.
  constructor(api, me, onStatus) {
    this.api = api; this.me = me; this.onStatus = onStatus;
    this.tree = new Tree(); this.lines = []; this.queue = Promise.resolve(); this.failed = false;
    this.storageKey = `shuttle.checkpoint.${api.talks}.${me.memberId}`;
  }

  // Takes the page's next event line (its exact text, as the export and the stream give it).
  add(line) { this.lines.push(line); this.queue = this.queue.then(() => this.tree.append(line)); }

  // Checks the newest checkpoint against the last one verified here and the lines held.
  check() {
    this.queue = this.queue.then(() => this.failed ? null : this.run());
    return this.queue;
  }

  async run() {
    let key, checkpoint, previous, proof = [];
    try {
      key = this.key ??= await verifierKey(await (await fetch("/key")).text());
      checkpoint = await openCheckpoint(await this.api.text("/checkpoint"), key);
      const origin = `${key.name}/talks/${this.api.talks}/members/${this.me.memberId}`;
      if (checkpoint.origin !== origin) throw new Error(`the checkpoint is for ${checkpoint.origin}, not for you (${origin})`);
      const saved = localStorage.getItem(this.storageKey);
      previous = saved ? await openCheckpoint(saved, key).catch(() => {
        throw new Error("the last checkpoint this browser verified is not signed by the key the server shows now: the server's key was changed");
      }) : null;
      if (previous) {
        if (previous.size > checkpoint.size) {
          throw new Error(`the server now signs ${checkpoint.size} events where it signed ${previous.size} before: your record was cut short or forked`);
        }
        if (previous.size > 0) {
          if (previous.size < checkpoint.size) proof = (await this.api.get(`/proof/consistency?from=${previous.size}&to=${checkpoint.size}`)).proof;
          const root = await rootFromConsistency(previous.size, checkpoint.size, proof.map(fromBase64), previous.root)
            .catch((error) => { throw new Error(`the new checkpoint does not extend the one this browser verified before (${previous.size} events): ${error.message}`); });
          if (!equal(root, checkpoint.root)) throw new Error(`the new checkpoint does not extend the one this browser verified before (${previous.size} events): your record was rewritten`);
        }
      }
      const held = this.tree.count, upTo = Math.min(held, checkpoint.size);
      if (held >= checkpoint.size) {
        if (!equal(await this.tree.root(checkpoint.size), checkpoint.root)) throw new Error(`the ${upTo} events on this page are not the ones the server signed: one was changed, removed or added`);
      } else if (held > 0) {
        const shown = (await this.api.get(`/proof/consistency?from=${held}&to=${checkpoint.size}`)).proof.map(fromBase64);
        const root = await rootFromConsistency(held, checkpoint.size, shown, await this.tree.root(held))
          .catch(() => { throw new Error(`the ${held} events on this page are not the first ${held} the server signed: one was changed, removed or added`); });
        if (!equal(root, checkpoint.root)) throw new Error(`the ${held} events on this page are not the first ${held} the server signed`);
      }
      localStorage.setItem(this.storageKey, checkpoint.note);
      this.onStatus({ state: "verified", upTo, size: checkpoint.size, key,
        words: `Record verified up to event ${upTo}: signed by ${key.name}, key fingerprint ${key.fingerprint}.` });
    } catch (error) {
      this.failed = true;
      const evidence = JSON.stringify({ failure: error.message, talks: this.api.talks, member: this.me.memberId,
        key: key?.text ?? null, previousCheckpoint: previous?.note ?? null, checkpoint: checkpoint?.note ?? null,
        proof, lines: this.lines }, null, 1);
      this.onStatus({ state: "failed", key, evidence,
        words: `Record check failed: ${error.message}. Stop and tell your delegation; keep the evidence file.` });
    }
  }
}

