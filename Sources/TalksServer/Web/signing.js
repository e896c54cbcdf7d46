// Agreements signed by the principals. A principal's page makes an Ed25519 key pair with
// WebCrypto, its private half not extractable, kept in this browser's IndexedDB (it never leaves
// the browser), and registers the public half, which lands in the record for everyone. Signing an
// accepted package or an agreed clause signs a statement that names the talks, the party, what
// is agreed and the last checkpoint of the principal's own record this page verified.
import { h, replace, panel } from "./ui.js";
import { describe } from "./state.js";
import { fingerprintOf } from "./record-check.js";
import { keep as keepKey } from "./keystore.js";

// Runs `work`, showing its failure in words in `error`.
async function attempt(error, work) {
  error.textContent = "";
  try { await work(); } catch (failure) { error.textContent = failure.message; }
}

const keep = (name, value) => keepKey("shuttle-signing", name, value);

const base64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

// A principal key's fingerprint: that of its 32 bytes.
export function fingerprint(publicKey) {
  return fingerprintOf(Uint8Array.from(atob(publicKey), (c) => c.charCodeAt(0)));
}

// The statement a principal signs, as AgreementStatement writes it (one fact a line). The
// checkpoint is named by its commitment, the SHA-256 of its text: its size would count the
// activity of rooms that the members who read the statement do not see.
export async function statement(talks, party, subject, checkpointText) {
  const sorted = (object) => Object.fromEntries(Object.keys(object).sort().map((k) => [k, object[k]]));
  const line = subject.clause ? `clause ${subject.clause} ${JSON.stringify(subject.text)}` : `package ${JSON.stringify(sorted(subject.package))}`;
  const commitment = base64(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(checkpointText)));
  return ["shuttle agreement", `talks ${talks}`, `party ${party}`, line, `checkpoint ${commitment}`].map((l) => `${l}\n`).join("");
}

// The text of the last checkpoint of this member's record that this page verified (record-check.js).
function verifiedCheckpoint(api, me) {
  const note = localStorage.getItem(`shuttle.checkpoint.${api.talks}.${me.memberId}`);
  if (!note) throw new Error("Your record has not been verified in this browser yet: wait for 'verified' at the top.");
  return note.slice(0, note.lastIndexOf("\n\n") + 1);
}

// The principal's panel: their key, and each agreement of their delegation they may sign.
export function signingPanel(api, me) {
  const { element, body } = panel("Your signature on agreements");
  const keyLine = h("p", { id: "signing-key" });
  const make = h("button", { type: "button" }, "Make my signing key");
  const list = h("ul", { class: "log", id: "signable" });
  const error = h("p", { class: "error", role: "alert" });
  body.append(h("p", { class: "meta" }, "Your key is made in this browser and its private half never leaves it. Read its fingerprint to your delegation and to the mediator by a channel this server does not carry."), keyLine, make, list, error);
  const name = `${api.talks}/${me.memberId}`;
  make.addEventListener("click", () => attempt(error, async () => {
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    const publicKey = base64(await crypto.subtle.exportKey("raw", pair.publicKey));
    await keep(name, pair);
    await api.post("/signing-key", { publicKey });
  }));
  const sign = (subject) => attempt(error, async () => {
    const pair = await keep(name);
    if (!pair) throw new Error("This browser does not hold your signing key: make one here.");
    const checkpoint = verifiedCheckpoint(api, me);
    const text = await statement(api.talks, me.party, subject, checkpoint);
    const signature = base64(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, new TextEncoder().encode(text)));
    await api.post("/agreements", { statement: text, signature, checkpoint });
  });
  return {
    element,
    update: async (state) => {
      const registered = state.signingKeys[me.memberId];
      make.hidden = Boolean(registered);
      keyLine.textContent = registered ? `Your signing key's fingerprint: ${await fingerprint(registered.publicKey)}` : "You have no signing key yet.";
      const signed = new Set(state.signatures.filter((s) => s.member === me.memberId).map((s) => s.statement.split("\n")[3]));
      const items = [];
      for (const proposal of Object.values(state.proposals)) {
        if (proposal.answers[me.party]?.answer !== "accept" || !proposal.content.package) continue;
        const line = `package ${JSON.stringify(Object.fromEntries(Object.keys(proposal.content.package).sort().map((k) => [k, proposal.content.package[k]])))}`;
        items.push([`Package ${proposal.id}: ${describe(proposal.content)}`, line, { package: proposal.content.package }]);
      }
      for (const clause of state.clauses.filter((c) => c.status === "agreed")) {
        items.push([`Clause ${clause.id}, ${clause.title}: ${clause.text}`, `clause ${clause.id} ${JSON.stringify(clause.text)}`, { clause: clause.id, text: clause.text }]);
      }
      replace(list, items.map(([words, line, subject]) => h("li", {}, words, " ",
        signed.has(line) ? h("strong", { class: "signed" }, "signed by you")
          : registered ? h("button", { type: "button", onclick: () => sign(subject) }, "Sign") : null)));
      if (!items.length) replace(list, h("li", { class: "meta" }, "Nothing your delegation has agreed yet."));
    },
  };
}

// Every principal's registered key, for the mediator and every member to compare.
export async function keyList(state) {
  const rows = [];
  for (const [member, { party, publicKey }] of Object.entries(state.signingKeys)) {
    const signatures = state.signatures.filter((s) => s.member === member).length;
    rows.push(h("li", { "data-member": member }, `${state.members[member]?.name ?? member} (${party}): key fingerprint ${await fingerprint(publicKey)}`,
      signatures ? `, ${signatures} agreement${signatures === 1 ? "" : "s"} signed` : ""));
  }
  return rows;
}
