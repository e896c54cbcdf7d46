// The panels of each view. A panel is built once (so that what a person is typing survives
// live updates) and refreshes its lists from the state on every change.
import { h, field, select, form, time, replace, reconcile, panel, act } from "./ui.js";
import { describe, improvementNote } from "./state.js";
import { utilityPlot } from "./plot.js";
import { openTrackForm } from "./setup.js";
import { readText, parseScenario, preferencesFor } from "./scenario.js";
import { keyList } from "./signing.js";
import { minutes } from "./minutes.js";

const who = (state, id) => (id === "mediator" ? "Mediator" : state.members[id] ? `${state.members[id].name}${state.members[id].removed ? " (removed)" : ""}` : id);
const others = (state, party) => state.parties.filter((p) => p !== party);

// The messages of a channel, in a list that keeps its items (and any open relay form) in place.
// `sealed` (a SealedRoom) opens the messages of a sealed room; one it cannot open says why.
function messageList(state, channel, extra = () => null, signature = () => "", sealed = null) {
  const list = (messageList.lists[channel] ??= h("ol", { class: "log", "aria-live": "polite" }));
  const body = (m) => {
    if (!sealed) return h("div", { class: "text", dir: "auto" }, m.text);
    const { text, problem } = sealed.shown(m);
    return text !== undefined ? h("div", { class: "text", dir: "auto" }, text) : h("div", { class: "text sealed-problem", dir: "auto" }, `Sealed message not shown: ${problem}`);
  };
  reconcile(list, state.messages.filter((m) => m.channel === channel).map((m) => ({
    key: m.seq, signature: signature(m) + (sealed ? JSON.stringify(sealed.shown(m)) : ""),
    build: () => h("li", { "data-seq": m.seq }, h("div", { class: "meta" }, `${m.relayed ? "Mediator (relayed)" : who(state, m.author)} · ${time(m.time)}`),
      body(m), extra(m)),
  })), h("li", { class: "meta" }, "No messages yet."));
  return list;
}
messageList.lists = {};

export function packageControls(agenda, prefix = "") {
  return agenda.map((issue) => field(issue.name, select(`${prefix}${issue.name}`, [["", "—"], ...issue.options])));
}

export function packageFrom(data, agenda, prefix = "") {
  const package_ = {};
  for (const issue of agenda) { const value = data.get(`${prefix}${issue.name}`); if (value) package_[issue.name] = value; }
  if (!Object.keys(package_).length) throw new Error("Choose an option for at least one issue.");
  return package_;
}

// A panel that rebuilds its forms only when the agenda (or another key) changes.
function keyed(make) {
  let key = null, built = null;
  return (state, k) => { if (k !== key) { key = k; built = make(state); } return built; };
}

// A channel's messages and, for a member who writes there, a box to post; in a sealed room
// (`sealed`, a SealedRoom) each message is sealed in this page before it is sent.
export function messagesPanel(api, title, channel, canPost, postBody, sealed = null) {
  const { element, body } = panel(title);
  const list = h("div");
  let latest = null;
  const text = async (data) => (sealed ? sealed.seal(data.get("text"), latest) : data.get("text"));
  const post = canPost ? form(field("Message", h("textarea", { name: "text", required: true }), true), "Send",
    async (data) => api.post("/messages", { ...postBody, text: await text(data) })) : h("p", { class: "meta" }, "You read this channel; you do not write in it.");
  if (sealed) body.append(h("p", { class: "meta" }, "Sealed: encrypted in your delegation's browsers; the server stores only ciphertext. Your messages to the mediator, proposals, the framework text and your preferences are not sealed."));
  body.append(list, post);
  return { element, update: (state) => { latest = state; replace(list, messageList(state, channel, undefined, undefined, sealed)); } };
}

// The record as this page checked it itself (record-check.js), the server's own verdict on its
// hash chain beside it, and the events as minutes (minutes.js).
export function recordPanel(api, record, me, sealed = null) {
  const { element, body } = panel("The record", { wide: true, id: "record-panel" });
  const checked = h("p", { id: "record-check", class: "no-print" });
  const fingerprint = h("p", { class: "meta no-print", id: "key-fingerprint" });
  const verdict = h("p", { class: "meta no-print", id: "verification" }, "Checking the chain…");
  const keys = h("ul", { id: "principal-keys" });
  const kept = minutes(me, sealed);
  body.append(...kept.elements.slice(0, 1), checked, fingerprint, verdict,
    h("div", { class: "no-print" }, h("h3", {}, "Principals' signing keys"), keys),
    h("h3", {}, "Minutes"), ...kept.elements.slice(1));
  let asked = 0;
  return {
    element,
    update: async (state) => {
      checked.textContent = record.words;
      checked.setAttribute("role", record.state === "failed" ? "alert" : "status");
      fingerprint.textContent = record.key
        ? `The server's key is ${record.key.name}, fingerprint ${record.key.fingerprint}. Compare it with the one your operator gave you, out of band: if they differ, this is not their server.`
        : "";
      kept.update(state);
      const rows = await keyList(state);
      replace(keys, rows.length ? rows : h("li", { class: "meta" }, "No principal has registered a key yet."));
      if (state.seq !== asked) {
        asked = state.seq;
        try {
          const result = await api.get("/verification");
          // Your events are numbered in your own view; the chain's hashes are the server's own,
          // since each moves with events you cannot see.
          verdict.textContent = result.intact
            ? `The server also reports its hash chain intact, through your event #${state.seq}.`
            : "The server finds the record's hash chain broken: tell the mediator.";
        } catch (failure) { verdict.textContent = failure.message; }
      }
    },
  };
}

export function roundsPanel(api, me) {
  const { element, body } = panel("Rounds and readouts");
  const list = h("div");
  body.append(list);
  const canReadout = me.role === "principal" || me.role === "technical-lead";
  if (me.role === "mediator") {
    body.append(h("h3", {}, "Schedule a round"), form([
      field("Date", h("input", { type: "date", name: "date", required: true })),
      field("Venue", h("input", { type: "text", name: "venue", required: true })),
      field("Level", select("level", ["principal", "technical"])),
      field("Format", select("format", ["indirect", "direct"])),
    ], "Schedule", (d) => api.post("/rounds", { date: d.get("date"), venue: d.get("venue"), level: d.get("level"), format: d.get("format") })));
  }
  return {
    element,
    update: (state) => reconcile(list, Object.values(state.rounds).map((round) => ({
      key: round.id, signature: JSON.stringify([state.readouts[round.id], state.statements[round.id]]),
      build: () => h("div", { "data-round": round.id },
      h("h3", {}, `${round.id}: ${round.date}, ${round.venue} (${round.level}, ${round.format})`),
      h("ul", { class: "list" }, Object.entries(state.readouts[round.id] ?? {}).map(([party, text]) => h("li", { dir: "auto" }, h("strong", {}, `${party}: `), text)),
        state.statements[round.id] ? h("li", {}, h("strong", {}, "Joint statement: "), state.statements[round.id]) : null),
      canReadout ? form(field("Your readout", h("textarea", { name: "text", required: true }), true), "Publish readout",
        (d) => api.post(`/rounds/${round.id}/readouts`, { text: d.get("text") })) : null,
      me.role === "mediator" ? form(field("Joint statement", h("textarea", { name: "text", required: true }), true), "Publish",
        (d) => api.post(`/rounds/${round.id}/statement`, { text: d.get("text") })) : null),
    })), h("p", { class: "meta" }, "No rounds yet.")),
  };
}

export function frameworkPanel(api, me) {
  const { element, body } = panel("Framework text", { wide: true });
  const list = h("div");
  body.append(list);
  if (me.role === "mediator") {
    body.append(h("h3", {}, "Add a clause"), form([field("Title", h("input", { type: "text", name: "title", required: true })),
      field("Text, with [alternatives] in brackets", h("textarea", { name: "text", required: true }), true)], "Add clause",
    (d) => api.post("/clauses", { title: d.get("title"), text: d.get("text") })));
  }
  return {
    element,
    update: (state) => reconcile(list, state.clauses.map((clause) => ({
      key: clause.id, signature: JSON.stringify([clause, Object.keys(state.tracks)]),
      build: () => h("article", { "data-clause": clause.id },
      h("h3", {}, `${clause.id} ${clause.title} `, h("span", { class: `status ${clause.status}` }, clause.status.replaceAll("-", " "))),
      h("p", { dir: "auto" }, clause.text),
      h("ul", { class: "list" }, Object.entries(clause.alternatives).map(([party, text]) => h("li", { dir: "auto" }, h("strong", {}, `[${party}] `), text))),
      clause.status === "bracketed" && me.party && me.role !== "observer"
        ? form(field(`${me.party}'s wording`, h("textarea", { name: "text", required: true }), true), "Propose wording",
          (d) => api.post(`/clauses/${clause.id}/alternatives`, { text: d.get("text") })) : null,
      me.role === "mediator" && clause.status !== "agreed"
        ? form([field("Move to", select("status", clause.status === "bracketed" ? [["agreed-ad-referendum", "agreed ad referendum"]] : [["agreed", "agreed"]])),
          field("In track", select("track", Object.keys(state.tracks).filter((t) => state.tracks[t].level === (clause.status === "bracketed" ? "technical" : "principal")))),
          field("Agreed text", h("textarea", { name: "text", required: true }), true)], "Record agreement",
          (d) => api.post(`/clauses/${clause.id}/settle`, { status: d.get("status"), track: d.get("track"), text: d.get("text") })) : null),
    })), h("p", { class: "meta" }, "No clauses yet.")),
  };
}

export function jointPanel(api, me) {
  const { element, body } = panel("Joint session");
  const status = h("p");
  const actions = h("div", { class: "actions" });
  const list = h("div");
  const post = form(field("Message to everyone", h("textarea", { name: "text", required: true }), true), "Send",
    (d) => api.post("/messages", { channel: "joint", text: d.get("text") }));
  body.append(status, actions, list, post);
  return {
    element,
    update: (state) => {
      status.textContent = state.jointOpen ? "A joint session is open: the parties meet directly; the record marks it as direct."
        : `Closed. It opens only when every party consents${state.consents.size ? ` (consented: ${[...state.consents].join(", ")})` : ""}.`;
      const buttons = [];
      if (me.role === "principal" && !state.consents.has(me.party) && !state.jointOpen) buttons.push(h("button", { type: "button", onclick: () => act(api.post("/joint-session/consent"), actions) }, "Consent to a joint session"));
      if (me.role === "mediator") buttons.push(h("button", { type: "button", onclick: () => act(api.post(state.jointOpen ? "/joint-session/close" : "/joint-session/open"), actions) }, state.jointOpen ? "Close the joint session" : "Open the joint session"));
      replace(actions, buttons);
      replace(list, messageList(state, "joint"));
      post.hidden = !state.jointOpen || me.role === "observer";
    },
  };
}

export function delegateProposalsPanel(api, me) {
  const { element, body } = panel("Proposals");
  const list = h("ul", { class: "list" });
  const compose = h("div");
  const forms = keyed((state) => form(packageControls(state.agenda), "Send to the mediator",
    (d) => api.post("/proposals", { package: packageFrom(d, state.agenda) }), { keep: true }));
  body.append(list, h("h3", {}, "Propose a package through the mediator"), compose);
  return {
    element,
    update: (state) => {
      const mine = Object.values(state.proposals).filter((p) => p.to.has(me.party) || p.from === me.party).sort((a, b) => a.seq - b.seq);
      reconcile(list, mine.map((p) => ({
        key: p.id, signature: JSON.stringify([[...p.to], p.answers, p.adopted, p.replacedBy]),
        build: () => {
          const answered = p.answers[me.party];
          const incoming = p.to.has(me.party);
          const open = incoming && !answered && me.role !== "observer" && p.adopted == null;
          return h("li", { "data-proposal": p.id }, h("div", { class: "meta" }, `${p.id} · ${incoming ? "from the mediator" : "sent by your delegation"}`),
            h("div", {}, describe(p.content)),
            p.improves ? h("div", { class: "improvement", "data-improves": p.improves }, improvementNote(p)) : null,
            p.replacedBy ? h("div", { class: "meta" }, `Replaced by the improvement ${p.replacedBy}.`) : null,
            answered ? h("div", { class: "meta" }, `Your answer: ${answered.answer}${answered.counter ? ` (${answered.counter})` : ""}`) : null,
            open ? answerControls(api, state, p) : null);
        },
      })), h("li", { class: "meta" }, "No proposals yet."));
      replace(compose, me.role === "observer" ? h("p", { class: "meta" }, "Observers read only.") : forms(state, JSON.stringify(state.agenda)));
    },
  };
}

function answerControls(api, state, proposal) {
  const counter = form(packageControls(state.agenda, "counter-"), "Counter with this package",
    (d) => api.post(`/proposals/${proposal.id}/answer`, { answer: "counter", counter: { package: packageFrom(d, state.agenda, "counter-") } }), { keep: true });
  const buttons = h("div", { class: "actions" },
    h("button", { type: "button", onclick: () => act(api.post(`/proposals/${proposal.id}/answer`, { answer: "accept" }), buttons) }, "Accept"),
    h("button", { type: "button", class: "secondary", onclick: () => act(api.post(`/proposals/${proposal.id}/answer`, { answer: "reject" }), buttons) }, "Reject"));
  // An improvement is accepted or rejected: the agreed package stands otherwise.
  return proposal.improves ? buttons : h("div", {}, buttons, h("details", {}, h("summary", {}, "Counter…"), counter));
}

// The delegation's own preferences, or (with `about`, another party) its guess of that party's,
// for rehearsals: both are kept in its room alone.
export function preferencesPanel(api, me, about = me.party) {
  const own = about === me.party;
  const { element, body } = panel(own ? "Your delegation's private preferences" : `Your guess of ${about}'s preferences`, { wide: true });
  const note = h("p", { class: "meta" }, own ? "Seen only in your delegation's room: never by the mediator or the other side. The plot is drawn in your browser."
    : `Your delegation's guess, for rehearsals: kept in your room like your own preferences, never seen by ${about} or the mediator.`,
  " Not sealed, even in a sealed room: the server's engine reads them to make suggestions for the mediator without showing your numbers, as a mediator holds positions in confidence.");
  const storedOf = (state) => (own ? state.preferences[me.party] : state.guesses[about]);
  const editor = h("div");
  const plot = h("div");
  const importer = h("div");
  // For a delegation that would rather answer questions than write weights (elicitation.js).
  const instead = own && me.role !== "observer" ? h("p", {}, h("button", { type: "button", class: "secondary", onclick: () => {
    const target = document.getElementById("elicitation");
    target?.scrollIntoView({ block: "start" });
    (target?.querySelector("fieldset button:not([disabled])") ?? target?.querySelector("button"))?.focus();
  } }, "Answer questions instead")) : null;
  body.append(note, ...(instead ? [instead] : []), importer, editor, plot);
  let draft = null, agendaKey = null, current = null;
  const redraw = (state) => replace(plot, utilityPlot(draft, state.agenda, own ? Object.values(state.proposals).filter((p) => p.to.has(me.party) || p.from === me.party) : []));
  const build = (state, imported) => {
    const stored = storedOf(state);
    draft = structuredClone(imported ?? stored ?? { weights: {}, values: {}, forbidden: {}, reservationValue: 0 });
    if (!imported) status.textContent = "";
    for (const issue of state.agenda) {
      draft.weights[issue.name] ??= +(1 / state.agenda.length).toFixed(3);
      draft.values[issue.name] ??= {};
      issue.options.forEach((o, i) => { draft.values[issue.name][o] ??= +(i / Math.max(1, issue.options.length - 1)).toFixed(2); });
      draft.forbidden[issue.name] ??= [];
    }
    const number = (value, set, label) => h("input", { type: "number", step: "0.01", min: "0", value, "aria-label": label,
      oninput: (e) => { set(Number(e.target.value)); redraw(state); } });
    const table = h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Issue / option"), h("th", {}, "Weight or value"), h("th", {}, "Never"))),
      h("tbody", {}, state.agenda.flatMap((issue) => [
        h("tr", {}, h("th", {}, issue.name), h("td", {}, number(draft.weights[issue.name], (v) => { draft.weights[issue.name] = v; }, `weight of ${issue.name}`)), h("td")),
        ...issue.options.map((option) => h("tr", {}, h("td", {}, `  ${option}`),
          h("td", {}, number(draft.values[issue.name][option], (v) => { draft.values[issue.name][option] = v; }, `value of ${option} for ${issue.name}`)),
          h("td", {}, h("input", { type: "checkbox", checked: draft.forbidden[issue.name].includes(option), "aria-label": `never accept ${option} for ${issue.name}`,
            onchange: (e) => { const list = draft.forbidden[issue.name]; e.target.checked ? list.push(option) : list.splice(list.indexOf(option), 1); redraw(state); } })))),
      ])));
    const reservation = field("Reservation value (the least total you accept)", number(draft.reservationValue, (v) => { draft.reservationValue = v; }, "reservation value"));
    const save = own ? form([reservation], stored ? "Save changes" : "Store preferences", () => api.put("/preferences", draft), { keep: true })
      : form([reservation], stored ? "Save the guess" : "Store the guess", () => api.put(`/guesses/${encodeURIComponent(about)}`, draft), { keep: true });
    replace(editor, me.role === "observer" ? h("p", { class: "meta" }, "Observers read only.") : [table, save]);
    redraw(state);
  };
  // Importing fills the editor from a scenario file read here, in the browser; nothing is sent
  // until the delegation presses the button to store its preferences.
  const status = h("p", { class: "meta", "aria-live": "polite" });
  const chooser = h("div");
  const file = h("input", { type: "file", accept: ".json,.xml,application/json,text/xml", name: own ? "preferences-file" : "guess-file" });
  const use = (party, name) => {
    try {
      build(current, preferencesFor(party, current.agenda, name));
      status.textContent = `Filled from '${party.name}' in ${name}. Check the numbers, then store them.`;
      replace(chooser);
    } catch (failure) { status.textContent = failure.message; }
  };
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    file.value = "";
    if (!chosen || !current) return;
    if (!current.agenda.length) { status.textContent = "The agenda is not set yet: preferences are stored over it."; return; }
    try {
      const { parties } = parseScenario(chosen.name, await readText(chosen));
      if (!parties.length) throw new Error(`${chosen.name} holds no preferences (a domain file?): choose a profile or a Shuttle scenario.`);
      const found = parties.find((p) => p.name === about) ?? (parties.length === 1 ? parties[0] : null);
      if (found) { use(found, chosen.name); return; }
      const pick = select("party", parties.map((p, i) => [String(i), p.name]));
      replace(chooser, form(field(`Which party of ${chosen.name} is ${about}?`, pick), "Use these preferences", () => use(parties[Number(pick.value)], chosen.name), { keep: true }));
      status.textContent = "";
    } catch (failure) { status.textContent = failure.message; }
  });
  if (me.role !== "observer") importer.append(field(own ? "Import your preferences from a scenario file (Shuttle JSON or a GENIUS profile)" : `Import a guess of ${about}'s preferences from a scenario file`, file), chooser, status);
  return {
    element,
    // Fills the form from numbers worked out elsewhere (guided elicitation); nothing is stored
    // until the delegation presses the button.
    fill: (preferences, words) => {
      if (!current?.agenda.length) return;
      build(current, preferences);
      status.textContent = words;
      element.querySelector("input[type=number]")?.focus();
    },
    update: (state) => {
      current = state;
      if (!state.agenda.length) { replace(editor, h("p", { class: "meta" }, "The agenda is not set yet.")); return; }
      const key = JSON.stringify(state.agenda) + (storedOf(state) ? "stored" : "");
      if (key !== agendaKey) { agendaKey = key; build(state); } else redraw(state);
    },
  };
}

export function agendaPanel() {
  const { element, body } = panel("Agenda");
  return { element, update: (state) => replace(body, state.agenda.length ? h("ul", { class: "list" }, state.agenda.map((i) => h("li", {}, h("strong", {}, i.name), `: ${i.options.join(" · ")}`))) : h("p", { class: "meta" }, "Not set yet.")) };
}

export function tracksPanel(api, me) {
  const { element, body } = panel("Tracks", { wide: true });
  const columns = h("div", { class: "columns" });
  const opener = h("div");
  body.append(columns, opener);
  const posts = {};
  // The mediator opens tracks; the form is rebuilt only when the agenda or the roster changes.
  const openForm = keyed((state) => h("div", { id: "open-track" }, h("h3", {}, "Open a track"), openTrackForm(api, state)));
  return {
    element,
    update: (state) => {
      if (me.role === "mediator") replace(opener, openForm(state, JSON.stringify([state.agenda, Object.values(state.members).map((m) => [m.id, m.removed])])));
      const names = Object.keys(state.tracks).filter((name) => me.role === "mediator" || state.tracks[name].members.includes(me.memberId));
      replace(columns, names.length ? names.map((name) => {
        posts[name] ??= me.role === "observer" ? h("p", { class: "meta" }, "Observers read only.")
          : form(field(`Message to track ${name}`, h("textarea", { name: "text", required: true }), true), "Send", (d) => api.post("/messages", { channel: `track:${name}`, text: d.get("text") }));
        const track = state.tracks[name];
        return h("div", { "data-track": name }, h("h3", {}, `${name} (${track.level})`),
          h("p", { class: "meta" }, `Members: ${track.members.map((id) => who(state, id)).join(", ") || "none"}`), messageList(state, `track:${name}`), posts[name]);
      }) : h("p", { class: "meta" }, "You sit in no track."));
    },
  };
}

export function mediatorShuttlePanel(api) {
  const { element, body } = panel("Shuttle channels", { wide: true });
  const grid = h("div", { class: "columns" });
  const columns = {};
  body.append(grid);
  const composers = {};
  return {
    element,
    update: (state) => replace(grid, state.parties.map((party) => {
      composers[party] ??= form(field(`Message to ${party}`, h("textarea", { name: "text", required: true }), true), "Send",
        (d) => api.post("/messages", { channel: "shuttle", party, text: d.get("text") }));
      const relayControls = (m) => {
        if (m.author === "mediator" || m.relayed || state.members[m.author]?.role === "mediator") return null;
        const decided = state.relays[m.seq];
        if (decided) return h("div", { class: "meta" }, `Relayed to ${decided.party}: ${decided.mode}`);
        return h("details", {}, h("summary", {}, "Relay…"), form([
          field("To", select("party", others(state, party))),
          field("How", select("mode", [["verbatim", "verbatim"], ["paraphrase", "paraphrase"], ["withhold", "hold back"]])),
          field("Paraphrase (for a paraphrase)", h("textarea", { name: "text" }), true),
        ], "Relay", (d) => api.post("/relays", { message: m.seq, party: d.get("party"), mode: d.get("mode"), text: d.get("text") || undefined })));
      };
      const columnKey = `mediator-${party}`;
      columns[columnKey] ??= h("div", { "data-party": party }, h("h3", {}, party));
      const column = columns[columnKey];
      replace(column, column.firstChild, messageList(state, `shuttle:${party}`, relayControls, (m) => JSON.stringify(state.relays[m.seq] ?? null)), composers[party]);
      return column;
    })),
  };
}

export function mediatorProposalsPanel(api) {
  const { element, body } = panel("Proposals and suggestions", { wide: true });
  const list = h("ul", { class: "list" });
  const compose = h("div");
  const suggestions = h("div");
  const ask = h("button", { type: "button", onclick: async () => {
    try {
      const answer = await api.get("/suggestions?limit=5");
      if (answer.status !== "packages") {
        replace(suggestions, h("p", {}, answer.status === "missing-preferences" ? `No suggestion without guessing: ${answer.parties.join(", ")} ${answer.parties.length > 1 ? "have" : "has"} stored no preferences.` : answer.status === "no-zone-of-agreement" ? "No package clears every party's red lines." : "Some preferences no longer fit the agenda."));
        return;
      }
      replace(suggestions, h("ol", { class: "list" }, answer.packages.map((p) => h("li", {}, describe({ package: p }), h("div", { class: "actions" },
        h("button", { type: "button", onclick: (e) => act(api.post("/proposals", { package: p, parties: currentParties }), e.target.parentElement) }, "Propose to all parties"))))));
    } catch (failure) { replace(suggestions, h("p", { class: "error", role: "alert" }, failure.message)); }
  } }, "Suggest packages");
  let currentParties = [];
  const forms = keyed((state) => form([...packageControls(state.agenda),
    h("fieldset", {}, h("legend", {}, "To"), state.parties.map((p) => field(p, h("input", { type: "checkbox", name: "to", value: p, checked: true }))))],
  "Make this proposal", (d) => api.post("/proposals", { package: packageFrom(d, state.agenda), parties: d.getAll("to") }), { keep: true }));
  body.append(list, h("h3", {}, "The mediator's proposal"), compose, h("h3", {}, "Suggested packages"),
    h("p", { class: "meta" }, "Packages inside every party's red lines, efficient, nearest the Nash point first. No party's numbers are shown, to you or anyone."),
    h("div", { class: "actions" }, ask), suggestions);
  return {
    element,
    update: (state) => {
      currentParties = state.parties;
      const all = Object.values(state.proposals).sort((a, b) => a.seq - b.seq);
      reconcile(list, all.map((p) => ({
        key: p.id, signature: JSON.stringify([[...p.to], p.answers, p.adopted, p.replacedBy]),
        build: () => h("li", { "data-proposal": p.id },
          h("div", { class: "meta" }, `${p.id} · from ${p.from === "mediator" ? "you" : p.from}${p.to.size ? ` · put to ${[...p.to].join(", ")}` : ""}`),
          h("div", {}, describe(p.content)),
          p.improves ? h("div", { class: "improvement", "data-improves": p.improves }, improvementNote(p)) : null,
          p.replacedBy ? h("div", { class: "meta" }, `Replaced by the improvement ${p.replacedBy}.`) : null,
          Object.keys(p.answers).length ? h("div", { class: "meta" }, Object.entries(p.answers).map(([party, a]) => `${party}: ${a.answer}${a.counter ? ` → ${a.counter}` : ""}`).join("; ")) : null,
          acceptedByAll(state, p) && !p.replacedBy ? improvementsFinder(api, p) : null,
          p.from !== "mediator" ? form(field("Forward to", select("party", others(state, p.from))), "Forward", (d) => api.post(`/proposals/${p.id}/forward`, { party: d.get("party") })) : null),
      })), h("li", { class: "meta" }, "No proposals yet."));
      replace(compose, forms(state, JSON.stringify(state.agenda) + state.parties.join()));
    },
  };
}

// Whether every party accepted the package, naming every agenda issue (its author counts as accepting).
function acceptedByAll(state, proposal) {
  const chosen = proposal.content?.package;
  return Boolean(chosen) && state.agenda.every((issue) => chosen[issue.name] !== undefined)
    && state.parties.every((party) => party === proposal.from || proposal.answers[party]?.answer === "accept");
}

// For an agreed package: ask for packages every party strictly prefers, and put one to them.
function improvementsFinder(api, proposal) {
  const found = h("div");
  const ask = h("button", { type: "button", onclick: async () => {
    try {
      const answer = await api.get(`/improvements?proposal=${encodeURIComponent(proposal.id)}&limit=5`);
      if (answer.status !== "packages") {
        replace(found, h("p", {}, answer.status === "missing-preferences" ? `No improvement without guessing: ${answer.parties.join(", ")} ${answer.parties.length > 1 ? "have" : "has"} stored no preferences.` : "Some preferences no longer fit the agenda."));
        return;
      }
      if (!answer.packages.length) { replace(found, h("p", { class: "meta" }, `No package is better than ${proposal.id} for every party.`)); return; }
      replace(found, h("ol", { class: "list improvements" }, answer.packages.map((p) => h("li", {}, describe({ package: p }), h("div", { class: "actions" },
        h("button", { type: "button", onclick: (e) => act(api.post(`/proposals/${proposal.id}/improvements`, { package: p }), e.target.parentElement) }, "Propose this improvement"))))));
    } catch (failure) { replace(found, h("p", { class: "error", role: "alert" }, failure.message)); }
  } }, "Look for improvements");
  return h("div", { class: "agreed" }, h("div", { class: "meta" }, `Accepted by every party. ${proposal.id} stands unless every party accepts an improvement.`),
    h("div", { class: "actions" }, ask), found);
}

export function phasePanel(api) {
  const { element, body } = panel("Phase and deadline");
  const current = h("p");
  body.append(current,
    form(field("Move to", select("phase", [["exploratory", "exploratory"], ["technical", "technical"], ["principal-review", "principal review"], ["concluded", "concluded"], ["suspended", "suspended"]])), "Change phase",
      (d) => api.put("/phase", { phase: d.get("phase") })),
    form(field("Deadline", h("input", { type: "date", name: "date", required: true })), "Set deadline", (d) => api.put("/deadline", { date: d.get("date") })));
  return { element, update: (state) => { current.textContent = `The talks are ${state.phase.replaceAll("-", " ")}.`; } };
}
