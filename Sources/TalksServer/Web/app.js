// The page: join from the link, fold the member's events, keep them live over the WebSocket
// (resuming from the last sequence number after a drop), and show the view for the member's seat.
import { API } from "./api.js";
import { emptyState, apply } from "./state.js";
import { h, replace } from "./ui.js";
import * as views from "./views.js";

const $ = (id) => document.getElementById(id);

function credentials() {
  // The token arrives in the fragment, which browsers never send to a server; keep it for this
  // tab only and take it out of the address bar and the history.
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("talks") && fragment.get("token")) {
    sessionStorage.setItem("shuttle", JSON.stringify({ talks: fragment.get("talks"), token: fragment.get("token") }));
    history.replaceState(null, "", location.pathname);
  }
  try { return JSON.parse(sessionStorage.getItem("shuttle")); } catch { return null; }
}

function tabsFor(me, api) {
  if (me.role === "mediator") {
    return {
      "Shuttle": [views.mediatorShuttlePanel(api)],
      "Proposals": [views.mediatorProposalsPanel(api), views.agendaPanel()],
      "Framework text": [views.frameworkPanel(api, me)],
      "Rounds and phase": [views.roundsPanel(api, me), views.phasePanel(api), views.jointPanel(api, me)],
      "Tracks": [views.tracksPanel(api, me)],
      "Record": [views.recordPanel(api)],
    };
  }
  const tabs = {
    "Room": [
      views.messagesPanel(api, `${me.party}'s room`, `room:${me.party}`, me.role !== "observer", { channel: "room" }),
      views.messagesPanel(api, "With the mediator", `shuttle:${me.party}`, me.role !== "observer", { channel: "shuttle" }),
      views.delegateProposalsPanel(api, me),
      views.agendaPanel(),
    ],
    "Framework text": [views.frameworkPanel(api, me)],
    "Preferences": [views.preferencesPanel(api, me)],
    "Rounds": [views.roundsPanel(api, me), views.jointPanel(api, me)],
    "Tracks": [views.tracksPanel(api, me)],
    "Record": [views.recordPanel(api)],
  };
  if (me.role === "expert") return { "Tracks": tabs.Tracks, ...tabs };
  return tabs;
}

function countdown(state) {
  if (!state.deadline) return "–";
  const days = Math.ceil((new Date(`${state.deadline}T00:00:00Z`) - Date.now()) / 86400000);
  return days > 0 ? `${state.deadline} (${days} day${days === 1 ? "" : "s"} left)` : `${state.deadline} (passed)`;
}

async function start() {
  const saved = credentials();
  if (!saved) return;
  const api = new API(saved.talks, saved.token);
  let me;
  try {
    me = await api.get("/me");
  } catch (failure) {
    replace($("main"), h("section", { class: "panel" }, h("h2", {}, "Cannot join"), h("p", { class: "error", role: "alert" }, failure.message)));
    return;
  }
  $("title").textContent = me.title;
  $("who").textContent = me.role === "mediator" ? `${me.name} — mediator` : `${me.name} — ${me.party}, ${me.role.replace("-", " ")}`;
  document.title = `${me.title} — Shuttle`;

  const state = emptyState();
  const tabs = tabsFor(me, api);
  let active = Object.keys(tabs)[0];
  const render = () => {
    $("phase").textContent = state.phase.replaceAll("-", " ");
    $("deadline").textContent = countdown(state);
    for (const p of tabs[active]) p.update(state);
  };
  const show = (name) => {
    active = name;
    replace($("tabs"), Object.keys(tabs).map((tab) => h("button", { type: "button", "aria-current": tab === active ? "page" : undefined, onclick: () => show(tab) }, tab)));
    replace($("main"), tabs[active].map((p) => p.element));
    render();
  };

  let pending = false;
  const receive = (event) => {
    if (apply(state, event) && !pending) {
      pending = true;
      requestAnimationFrame(() => { pending = false; render(); });
    }
  };
  for (const event of await api.eventsAfter(0)) apply(state, event);
  show(active);
  window.shuttle = { state, stream: api.stream(() => state.seq, receive, (s) => { $("connection").textContent = s; }) };
  setInterval(() => { $("deadline").textContent = countdown(state); }, 60000);
}

window.addEventListener("unhandledrejection", (event) => { $("toast").textContent = event.reason?.message ?? String(event.reason); setTimeout(() => { $("toast").textContent = ""; }, 6000); });
start();
