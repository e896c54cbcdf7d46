// Rehearsal in the room: the delegation's own preferences against automated counterparts that
// play its guesses of the other parties'. The server replays the rehearsal from the moves this
// page keeps, so nothing of it is stored but that it happened, in the room.
import { h, field, select, form, replace, panel, act } from "./ui.js";
import { describe } from "./state.js";
import { utilityPlot } from "./plot.js";
import { packageControls, packageFrom } from "./views.js";

const NEGOTIATORS = ["boulware", "linear", "conceder", "hardliner", "tit-for-tat", "random", "frequency"];

export function rehearsalPanel(api, me) {
  const { element, body } = panel("Rehearsal", { wide: true });
  const note = h("p", { class: "meta" }, "Rehearse against automated counterparts that play your guesses of the other parties' preferences. "
    + "It all stays in your room: the mediator and the other side see nothing of it. Your room's record notes that you rehearsed.");
  const setup = h("div");
  const status = h("p", { class: "meta", "aria-live": "polite" });
  const lines = h("ol", { class: "list rehearsal-lines" });
  const controls = h("div", { class: "rehearsal-request" });
  const plot = h("div");
  body.append(note, setup, status, controls, plot, lines);
  let current = null, session = null, setupKey = null;

  const who = (by) => (by === me.party ? "you" : by);
  const render = () => {
    const t = session.transcript;
    replace(lines, t.lines.map((l) => h("li", { "data-step": l.step }, h("span", { class: "meta" }, `step ${l.step + 1} · ${who(l.by)} · ${l.action}${l.inFavour === undefined ? "" : l.inFavour ? " (for)" : " (against)"}`),
      l.package ? h("div", {}, describe({ package: l.package })) : null)));
    const offers = t.lines.filter((l) => l.package && ["offer", "text", "relay", "agreement"].includes(l.action));
    const own = current.preferences[me.party];
    replace(plot, own ? utilityPlot(own, current.agenda, offers.map((l) => ({ id: `${who(l.by) === "you" ? "you" : l.by === "mediator" ? "m" : l.by.slice(0, 2)}·${l.step + 1}`, content: { package: l.package } }))) : null);
    if (!t.request) {
      status.textContent = t.agreement ? `Rehearsal over: agreement on ${describe({ package: t.agreement })}.` : `Rehearsal over: no agreement (${t.ending}).`;
      replace(controls);
      return;
    }
    status.textContent = "Your move.";
    const answer = (move) => { session.moves.push(move); return advance(); };
    if (t.request.type === "propose") {
      replace(controls, form(packageControls(current.agenda, "rehearsal-"), "Make this offer", (d) => {
        const chosen = packageFrom(d, current.agenda, "rehearsal-");
        if (Object.keys(chosen).length !== current.agenda.length) throw new Error("An offer names an option for every agenda issue.");
        return answer({ type: "offer", package: chosen });
      }, { keep: true }));
    } else {
      const vote = t.request.type === "vote";
      const buttons = h("div", { class: "actions" },
        h("button", { type: "button", onclick: () => act(answer({ type: "accept" }), buttons) }, vote ? "Vote for" : "Accept"),
        h("button", { type: "button", class: "secondary", onclick: () => act(answer({ type: "reject" }), buttons) }, vote ? "Vote against" : "Reject"),
        vote ? null : h("button", { type: "button", class: "secondary", onclick: () => act(answer({ type: "end" }), buttons) }, "Leave the table"));
      replace(controls, h("div", {}, h("p", {}, vote ? "Should this text replace the current one?" : "Put to you:"),
        h("p", { class: "offer" }, describe({ package: t.request.offer })),
        vote ? h("p", { class: "meta" }, `Current text: ${describe({ package: t.request.current })}`) : null, buttons));
    }
  };
  const advance = async () => {
    session.transcript = await api.post("/rehearsals", { ...session.settings, moves: session.moves });
    render();
  };
  const start = (d) => {
    const player = d.get("player");
    const settings = { counterpart: d.get("counterpart"), protocol: d.get("protocol"), steps: Number(d.get("steps")), seed: Math.floor(Math.random() * 1e9) };
    if (player !== "you") settings.player = player;
    session = { settings, moves: [], transcript: null };
    replace(lines); replace(controls); replace(plot);
    status.textContent = "";
    return advance();
  };
  const buildSetup = (state) => {
    const missing = [!state.preferences[me.party] ? "your own preferences (Preferences tab)" : null,
      ...state.parties.filter((p) => p !== me.party && !state.guesses[p]).map((p) => `your guess of ${p}'s preferences`)].filter(Boolean);
    if (missing.length) return h("p", {}, `To rehearse, store ${missing.join(" and ")} first.`);
    return form([
      field("Counterpart", select("counterpart", NEGOTIATORS, "conceder")),
      field("Protocol", select("protocol", [["sao", "alternating offers"], ["shuttle", "shuttle (through a mediator)"], ["single-text", "single text"]], "sao")),
      field("Steps", h("input", { type: "number", name: "steps", min: "1", max: "200", value: "20", required: true })),
      field("Your seat", select("player", [["you", "you play it"], ...NEGOTIATORS.map((n) => [n, `watch ${n} play it`])], "you")),
    ], "Start a rehearsal", start, { keep: true });
  };
  return {
    element,
    update: (state) => {
      current = state;
      if (me.role === "observer") { replace(setup, h("p", { class: "meta" }, "Observers read only.")); return; }
      const key = JSON.stringify([state.agenda, Boolean(state.preferences[me.party]), Object.keys(state.guesses).sort()]);
      if (key !== setupKey) { setupKey = key; replace(setup, buildSetup(state)); }
    },
  };
}

// One editor per other party for the delegation's guess of its preferences, made when the
// parties are known (the same editor as the delegation's own preferences).
export function guessesPanel(api, me, preferencesPanel) {
  const element = h("div", { class: "guesses" });
  const editors = {};
  return {
    element,
    update: (state) => {
      for (const party of state.parties.filter((p) => p !== me.party)) {
        if (!editors[party]) { editors[party] = preferencesPanel(api, me, party); element.append(editors[party].element); }
        editors[party].update(state);
      }
    },
  };
}
