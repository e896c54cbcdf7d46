// The page: join from the link, fold the member's events, keep them live over the WebSocket
// (resuming from the last sequence number after a drop), and show the view for the member's seat.
import { API } from "./api.js";
import { operatorPage } from "./operator.js";
import { emptyState, apply } from "./state.js";
import { h, replace } from "./ui.js";
import * as views from "./views.js";
import * as setup from "./setup.js";
import * as rehearsal from "./rehearsal.js";
import { RecordCheck } from "./record-check.js";
import { signingPanel } from "./signing.js";
import { SealedRoom, roomKeysPanel } from "./sealing.js";
import { Waiting } from "./waiting.js";
import { elicitationPanel } from "./elicitation.js";

const $ = (id) => document.getElementById(id);

function credentials() {
  // The token arrives in the fragment, which browsers never send to a server; keep it for this
  // tab only and take it out of the address bar and the history.
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("talks") && fragment.get("token")) {
    sessionStorage.setItem("shuttle", JSON.stringify({ talks: fragment.get("talks"), token: fragment.get("token") }));
    history.replaceState(null, "", location.pathname);
  } else if (fragment.get("operator")) {
    sessionStorage.setItem("shuttle", JSON.stringify({ operator: fragment.get("operator") }));
    history.replaceState(null, "", location.pathname);
  }
  try { return JSON.parse(sessionStorage.getItem("shuttle")); } catch { return null; }
}

function tabsFor(me, api, record, sealed) {
  if (me.role === "mediator") {
    return {
      "Set-up": [setup.agendaEditorPanel(api), setup.membersPanel(api, me)],
      "Shuttle": [views.mediatorShuttlePanel(api)],
      "Proposals": [views.mediatorProposalsPanel(api), views.agendaPanel()],
      "Framework text": [views.frameworkPanel(api, me)],
      "Rounds and phase": [views.roundsPanel(api, me), views.phasePanel(api), views.jointPanel(api, me)],
      "Tracks": [views.tracksPanel(api, me)],
      "Record": [views.recordPanel(api, record, me)],
    };
  }
  const preferences = views.preferencesPanel(api, me);
  const tabs = {
    "Room": [
      views.messagesPanel(api, `${me.party}'s room`, `room:${me.party}`, me.role !== "observer", { channel: "room" }, sealed),
      ...(sealed ? [roomKeysPanel(sealed)] : []),
      views.messagesPanel(api, "With the mediator", `shuttle:${me.party}`, me.role !== "observer", { channel: "shuttle" }),
      views.delegateProposalsPanel(api, me),
      views.agendaPanel(),
    ],
    "Framework text": [views.frameworkPanel(api, me)],
    "Preferences": [preferences, elicitationPanel(api, me, preferences)],
    "Rehearsal": [rehearsal.rehearsalPanel(api, me), rehearsal.guessesPanel(api, me, views.preferencesPanel)],
    "Rounds": [views.roundsPanel(api, me), views.jointPanel(api, me)],
    "Tracks": [views.tracksPanel(api, me)],
    "Record": [views.recordPanel(api, record, me, sealed), ...(me.role === "principal" ? [signingPanel(api, me)] : [])],
  };
  if (me.role === "expert") return { "Tracks": tabs.Tracks, ...tabs };
  return tabs;
}

function countdown(state) {
  if (!state.deadline) return "–";
  const days = Math.ceil((new Date(`${state.deadline}T00:00:00Z`) - Date.now()) / 86400000);
  return days > 0 ? `${state.deadline} (${days} day${days === 1 ? "" : "s"} left)` : `${state.deadline} (passed)`;
}

// The page for a link that no longer opens a seat, in words; nothing of the talks stays on it.
let stream = null;
function revoked(detail) {
  stream?.close();
  sessionStorage.removeItem("shuttle");
  $("connection").textContent = "closed";
  replace($("tabs"));
  // The server says "replaced" or "removed" when it knows the link used to work.
  const words = /replaced|removed/.test(detail ?? "")
    ? "This link no longer opens a seat in these talks: the mediator has given you a new link, or removed you from the talks. Ask the mediator for your current link."
    : "This link does not open a seat in these talks: it may be incomplete, or it may have been replaced. Ask the mediator for your current link.";
  replace($("main"), h("section", { class: "panel", id: "revoked" }, h("h2", {}, "This link no longer works"),
    h("p", { role: "alert" }, words),
    detail ? h("p", { class: "meta" }, `The server says: ${detail}.`) : null));
  if (window.shuttle) window.shuttle.state = null;
}

// The page once a check of the record failed: it says what failed and offers the evidence.
function failedRecord(status) {
  const file = URL.createObjectURL(new Blob([status.evidence], { type: "application/json" }));
  document.getElementById("record-failure")?.remove();
  $("main").prepend(h("section", { class: "panel", id: "record-failure" }, h("h2", {}, "The record does not check"),
    h("p", { role: "alert" }, status.words),
    h("p", {}, h("a", { href: file, download: "shuttle-record-evidence.json", id: "record-evidence" },
      "Download the evidence"), " (the checkpoints, the proof and the events this page was given)."),
    h("p", { class: "meta" }, "The page has stopped following the talks.")));
}

async function start() {
  const saved = credentials();
  if (!saved) return;
  if (saved.operator) { await operatorPage(saved.operator, $("main"), $("title"), $("who")); return; }
  let me;
  const api = new API(saved.talks, saved.token, (detail) => { if (me) revoked(detail); });
  try {
    me = await api.get("/me");
  } catch (failure) {
    if (failure.status === 401) { revoked(failure.detail); return; }
    replace($("main"), h("section", { class: "panel" }, h("h2", {}, "Cannot join"), h("p", { class: "error", role: "alert" }, failure.message)));
    return;
  }
  $("title").textContent = me.title;
  $("who").textContent = me.role === "mediator" ? `${me.name} — mediator` : `${me.name} — ${me.party}, ${me.role.replace("-", " ")}`;
  document.title = `${me.title} — Shuttle`;

  const state = emptyState();
  // What the page's own checks of the record found (record-check.js), shown in the header and
  // the record tab; on a failure the page stops.
  const record = { state: "checking", words: "Checking the record…" };
  const waiting = new Waiting(me, $("notify"));
  // A sealed room's keys and messages, opened in this browser alone (sealing.js).
  const sealed = me.sealedRooms && me.party ? new SealedRoom(api, me, () => render()) : null;
  const tabs = tabsFor(me, api, record, sealed);
  let active = Object.keys(tabs)[0];
  const render = () => {
    $("phase").textContent = state.phase.replaceAll("-", " ");
    $("deadline").textContent = countdown(state);
    for (const p of tabs[active]) p.update(state);
  };
  // `focus`: the tab was chosen by the member, whose focus stays on the tab they chose.
  const show = (name, focus = false) => {
    active = name;
    replace($("tabs"), Object.keys(tabs).map((tab) => h("button", { type: "button", "aria-current": tab === active ? "page" : undefined, onclick: () => show(tab, true) }, tab)));
    replace($("main"), tabs[active].map((p) => p.element));
    render();
    if (focus) $("tabs").querySelector("[aria-current=page]").focus();
  };

  const check = new RecordCheck(api, me, (status) => {
    Object.assign(record, status);
    $("record").textContent = status.state === "verified" ? `verified to event ${status.upTo}` : status.state;
    if (status.state === "failed") { stream?.close(); $("connection").textContent = "stopped"; failedRecord(status); }
    render();
  });
  let pending = false, checking = null;
  const receive = (event, line) => {
    if (record.state === "failed") return;
    if (event.seq === check.lines.length + 1) check.add(line);
    const folded = apply(state, event);
    if (folded) waiting.arrived(event);
    if (folded) sealed?.sync(state);
    if (folded && !pending) {
      pending = true;
      requestAnimationFrame(() => { pending = false; render(); });
    }
    // Checked once the events stop coming for a moment: one checkpoint for a burst.
    clearTimeout(checking);
    checking = setTimeout(() => check.check(), 1500);
  };
  for (const line of await api.exportLines()) { check.add(line); apply(state, JSON.parse(line)); }
  check.check();
  if (sealed) await sealed.start(state).then(() => sealed.sync(state), (failure) => { sealed.words = `This browser cannot hold the room's keys: ${failure.message}`; });
  // A mediator whose talks still need an agenda or delegates starts on the set-up.
  const delegates = Object.values(state.members).filter((m) => m.role !== "mediator" && !m.removed);
  if (me.role === "mediator" && state.agenda.length && delegates.length) active = "Shuttle";
  show(active);
  stream = api.stream(() => state.seq, receive, (s) => { $("connection").textContent = s; });
  window.shuttle = { state, stream, record, sealed };
  setInterval(() => { $("deadline").textContent = countdown(state); }, 60000);
}

window.addEventListener("unhandledrejection", (event) => { $("toast").textContent = event.reason?.message ?? String(event.reason); setTimeout(() => { $("toast").textContent = ""; }, 6000); });
start();
