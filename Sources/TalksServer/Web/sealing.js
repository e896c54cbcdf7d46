// A sealed room: the delegation's messages are encrypted here, in the members' browsers, and the
// server stores and relays only ciphertext. Each member's page makes a P-256 key pair (its
// private half not extractable) and registers the public half in the room; a room key
// (AES-256-GCM) is made by the first member's page to open the room and wrapped for each
// colleague's key; a member invited later, or whose browser lost its keys, receives every room
// key from any colleague whose page is open; a member who leaves, or whose link is replaced,
// makes the pages draw a new key they never receive. The format is in the README
// ("Sealed rooms"), and TalksTesting's SealedRoomMember does the same in Swift.
import { h, replace, panel } from "./ui.js";
import { fingerprintOf } from "./record-check.js";
import { keep as keepKey } from "./keystore.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const toBase64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const joined = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length; } return out; };
const keep = (name, value) => keepKey("shuttle-sealing", name, value);

// The longest text a sealed message holds: the envelope stays within the server's 20,000 characters.
export const LONGEST = 14911;

// A sealing key's fingerprint, for colleagues to compare in person or by phone.
export const fingerprint = (publicKey) => fingerprintOf(fromBase64(publicKey));

// UTF-8, then 0x80 and zeros to a multiple of 32 bytes: the length shows only to 32 bytes.
function padded(text) {
  const bytes = encoder.encode(text);
  if (bytes.length > LONGEST) throw new Error(`A sealed message holds at most ${LONGEST} bytes of text; this one has ${bytes.length}.`);
  const out = new Uint8Array(Math.ceil((bytes.length + 1) / 32) * 32);
  out.set(bytes);
  out[bytes.length] = 0x80;
  return out;
}

function unpadded(bytes) {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end === 0 || bytes[end - 1] !== 0x80) throw new Error("its padding is wrong");
  return decoder.decode(bytes.subarray(0, end - 1));
}

export class SealedRoom {
  // `onChange` is called when what the page can open or must say has changed.
  constructor(api, me, onChange) {
    Object.assign(this, { api, me, onChange });
    this.name = `${api.talks}/${me.memberId}`;
    this.roomKeys = new Map();   // id → CryptoKey
    this.opened = new Map();     // message seq → { text } or { problem }
    this.taken = new Set();      // room-key-shared seqs already looked at
    this.words = "Opening the room's keys…";
    this.busy = null;
    this.checks = JSON.parse(localStorage.getItem(`shuttle.sealing.checked.${this.name}`) ?? "{}");
  }

  // Loads or makes this member's key pair, registering it when the record holds another.
  async start(state) {
    this.pair = await keep(`${this.name}/pair`);
    const registered = state.sealingKeys[this.me.memberId];
    if (this.pair) this.publicKey = toBase64(await crypto.subtle.exportKey("raw", this.pair.publicKey));
    if (!this.pair || (registered && registered !== this.publicKey)) {
      // Lost storage, another browser, or a new link: a new pair, and colleagues re-share.
      this.lost = Boolean(registered);
      this.pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
      this.publicKey = toBase64(await crypto.subtle.exportKey("raw", this.pair.publicKey));
      await keep(`${this.name}/pair`, this.pair);
    }
    for (const id of state.room.keys) {
      const key = await keep(`${this.name}/room/${id}`);
      if (key) this.roomKeys.set(id, key);
    }
    if (state.sealingKeys[this.me.memberId] !== this.publicKey) await this.api.post("/sealing-key", { publicKey: this.publicKey });
  }

  // Brings the keys up to the record: takes room keys wrapped for this member, makes the room's
  // first or next key when it needs one, shares the keys it holds with colleagues who lack
  // them, and opens the messages it can. Runs one at a time; a change during a run runs again.
  sync(state) {
    if (this.busy) { this.again = true; return this.busy; }
    this.busy = (async () => {
      do {
        this.again = false;
        try { await this.step(state); } catch (failure) { this.words = `The room's keys: ${failure.message}`; }
      } while (this.again);
      this.busy = null;
      this.onChange();
    })();
    return this.busy;
  }

  async step(state) {
    const registered = state.sealingKeys[this.me.memberId];
    if (registered && registered !== this.publicKey) {
      // Another browser of this member's, or a key substituted by the host: either way say so.
      this.words = "A key this browser did not make is now registered as yours: from another browser where you opened your link, or put there by the server. This page neither reads nor writes here until you reload it. If you did not open your link elsewhere, tell your delegation at once.";
      return;
    }
    if (!registered) { this.words = "Registering this browser's key…"; return; }
    for (const share of state.roomKeyShares) await this.take(share, state);
    const room = state.room;
    if (this.me.role !== "observer" && (!room.keys.length || room.needsNewKey)) await this.newKey(state);
    else await this.shareWithColleagues(state);
    for (const message of state.messages) {
      if (message.channel === `room:${this.me.party}` && !this.opened.get(message.seq)?.text) this.opened.set(message.seq, await this.open(message.text, message.author));
    }
    const current = room.keys.at(-1);
    this.words = !current ? "The room has no key yet."
      : this.roomKeys.has(current) ? `Sealed: messages here are encrypted in your browser with the room's key; the server keeps only ciphertext.${this.lost ? " This browser did not hold your keys, so it made new ones: earlier messages open once a colleague's page, open, shares the room's keys with your new key. Ask a colleague to open the room and to compare your new fingerprint." : ""}`
        : "Waiting for the room's key: it is shared with you as soon as a colleague's page is open (ask a colleague to open the room). Until then this page can neither read nor write here.";
  }

  // The room key `share` wrapped for this member's key, kept, if its sender's key is one that
  // sender registered in this member's own record and not one changed since it was checked: a
  // key the host slipped in under a colleague's name is not taken.
  async take(share, state) {
    if (this.taken.has(share.seq)) return;
    this.taken.add(share.seq);
    const mine = share.wrapped.find((w) => w.member === this.me.memberId && w.publicKey === this.publicKey);
    if (!mine || this.roomKeys.has(share.key)) return;
    const registered = (state.sealingKeysEver[share.from] ?? []).includes(share.senderKey);
    if (!registered || this.trust(share.from, share.senderKey) === "changed") return;
    const wrapKey = await this.wrappingKey(share.key, share.from, this.me.memberId, share.senderKey);
    const wrapped = fromBase64(mine.wrap);
    const raw = await crypto.subtle.decrypt({ name: "AES-GCM", iv: wrapped.subarray(0, 12) }, wrapKey, wrapped.subarray(12));
    const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", true, ["encrypt", "decrypt"]);
    await keep(`${this.name}/room/${share.key}`, key);
    this.roomKeys.set(share.key, key);
  }

  // The colleagues (this member included) a key may be wrapped for: in the delegation, with a
  // registered key that is not changed since this member checked it.
  recipients(state) {
    return Object.entries(state.sealingKeys).filter(([member, key]) => {
      const seat = state.members[member];
      return seat && !seat.removed && seat.party === this.me.party && this.trust(member, key) !== "changed";
    });
  }

  async newKey(state) {
    const id = hex(crypto.getRandomValues(new Uint8Array(16)));
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
    const replaces = state.room.keys.at(-1);
    try {
      await this.api.post("/room-keys", { key: id, ...(replaces ? { replaces } : {}), senderKey: this.publicKey, wrapped: await this.wraps(id, key, this.recipients(state)) });
      await keep(`${this.name}/room/${id}`, key);
      this.roomKeys.set(id, key);
    } catch (failure) {
      if (failure.status !== 409) throw failure;   // a colleague's page made it first
    }
  }

  async shareWithColleagues(state) {
    for (const id of state.room.keys) {
      const key = this.roomKeys.get(id);
      if (!key) continue;
      const lacking = this.recipients(state).filter(([member, publicKey]) => state.room.holders[id]?.[member] !== publicKey);
      if (!lacking.length) continue;
      try {
        await this.api.post("/room-keys", { key: id, senderKey: this.publicKey, wrapped: await this.wraps(id, key, lacking) });
      } catch (failure) {
        if (failure.status !== 409) throw failure;   // a colleague's page shared it first
      }
    }
  }

  async wraps(id, key, recipients) {
    const raw = new Uint8Array(await crypto.subtle.exportKey("raw", key));
    return Promise.all(recipients.map(async ([member, publicKey]) => {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const wrapKey = await this.wrappingKey(id, this.me.memberId, member, publicKey);
      const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, wrapKey, raw));
      return { member, publicKey, wrap: toBase64(joined(iv, sealed)) };
    }));
  }

  // HKDF-SHA-256 over the P-256 agreement of this member's key and `otherKey`, bound to the
  // talks, the room, the room key and both members.
  async wrappingKey(id, from, to, otherKey) {
    const other = await crypto.subtle.importKey("raw", fromBase64(otherKey), { name: "ECDH", namedCurve: "P-256" }, false, []);
    const secret = await crypto.subtle.deriveBits({ name: "ECDH", public: other }, this.pair.privateKey, 256);
    const hkdf = await crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"]);
    const info = encoder.encode(`shuttle room key v1\n${this.api.talks}\n${this.me.party}\n${id}\n${from}\n${to}`);
    return crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: encoder.encode("shuttle sealed room v1"), info }, hkdf, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  }

  associatedData(author, id) {
    return encoder.encode(`shuttle sealed room v1\n${this.api.talks}\n${this.me.party}\n${author}\n${id}`);
  }

  // `text` sealed with the room's current key, as this member's message.
  async seal(text, state) {
    const id = state.room.keys.at(-1);
    if (state.room.needsNewKey) throw new Error("The room's key is being replaced (a member left or got a new link); try again in a moment.");
    const key = id && this.roomKeys.get(id);
    if (!key) throw new Error("This browser does not hold the room's key yet: a colleague's open page shares it with you.");
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: this.associatedData(this.me.memberId, id) }, key, padded(text));
    return `sealed:v1:${id}:${toBase64(iv)}:${toBase64(sealed)}`;
  }

  // The text of `envelope` by `author`, or the problem that keeps it closed, in words.
  async open(envelope, author) {
    const fields = envelope.split(":");
    if (fields.length !== 5 || fields[0] !== "sealed" || fields[1] !== "v1") return { problem: "This message is not sealed, though the room is: it cannot be trusted." };
    const key = this.roomKeys.get(fields[2]);
    if (!key) return { problem: `Sealed with room key ${fields[2].slice(0, 8)}…, which this browser does not hold: a colleague's open page shares it, unless it was made after you left.` };
    try {
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(fields[3]), additionalData: this.associatedData(author, fields[2]) }, key, fromBase64(fields[4]));
      return { text: unpadded(new Uint8Array(plain)) };
    } catch {
      return { problem: "This sealed message does not open: it was altered, or moved from another room or author." };
    }
  }

  // What the page shows for a room message.
  shown(message) {
    return this.opened.get(message.seq) ?? { problem: "Opening…" };
  }

  // "checked", "changed" (since this member checked it) or "unchecked".
  trust(member, publicKey) {
    if (member === this.me.memberId) return "yours";
    const checked = this.checks[member];
    return !checked ? "unchecked" : checked === publicKey ? "checked" : "changed";
  }

  markChecked(member, publicKey) {
    this.checks[member] = publicKey;
    localStorage.setItem(`shuttle.sealing.checked.${this.name}`, JSON.stringify(this.checks));
  }
}

// The room's keys as the member sees them: each colleague's fingerprint, checked or not, and a
// key changed since it was checked, loudly, with nothing wrapped to it until checked again.
export function roomKeysPanel(sealed) {
  const { element, body } = panel("Who holds this room's keys", { id: "room-keys" });
  const words = h("p", { id: "sealing-status", role: "status" });
  const mine = h("p", { class: "meta", id: "my-sealing-key" });
  const list = h("ul", { class: "list", id: "sealing-keys" });
  body.append(words, mine, list, h("p", { class: "meta" },
    "Compare each colleague's fingerprint with what they read to you in person or by phone, then mark it checked. If a checked key changes, this page stops sharing the room's keys with it until you check the new one. ",
    "If your browser loses its storage, it makes a new key: ask a colleague to open the room, compare your new fingerprint, and their page shares the room's keys with it again."));
  return {
    element,
    update: async (state) => {
      words.textContent = sealed.words;
      mine.textContent = sealed.publicKey ? `Your key's fingerprint: ${await fingerprint(sealed.publicKey)}` : "";
      const rows = [];
      for (const [member, publicKey] of Object.entries(state.sealingKeys)) {
        const seat = state.members[member];
        if (member === sealed.me.memberId || !seat || seat.party !== sealed.me.party) continue;
        const trust = sealed.trust(member, publicKey);
        const print = await fingerprint(publicKey);
        const check = h("button", { type: "button", onclick: () => { sealed.markChecked(member, publicKey); sealed.sync(state); } },
          trust === "changed" ? "I have checked the new key" : "Mark as checked");
        rows.push(h("li", { "data-member": member, "data-trust": trust, class: trust === "changed" ? "warning" : undefined, role: trust === "changed" ? "alert" : undefined },
          h("strong", {}, seat.name), ` — ${print} `,
          trust === "checked" ? h("span", { class: "signed" }, "checked")
            : trust === "changed" ? h("strong", {}, "KEY CHANGED since you checked it: nothing is shared with it until you compare the new fingerprint with them. ")
              : h("span", { class: "meta" }, "not checked "),
          trust === "checked" ? null : check));
      }
      replace(list, rows.length ? rows : h("li", { class: "meta" }, "No colleague has opened the room yet."));
    },
  };
}
