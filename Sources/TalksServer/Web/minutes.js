// The record as the minutes a secretariat keeps: each event this member may see, in words (who
// did what, on which channel, to whom, with the text or the package), filterable by channel,
// round and track, searchable, and printable. Nothing here reads more than the member's own
// events; a sealed room's messages are shown as this page opened them.
import { h, replace, time } from "./ui.js";
import { describe } from "./state.js";

const list = (items) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);
const packageOrText = (content) => (content?.package ? `the package ${describe(content)}` : content?.text ? `the text “${describe(content)}”` : describe(content));

// One sentence per kind of event; `m` names members, `said` gives a message's text as shown,
// `mediator` tells whether a member is the mediator.
export const WORDS = {
  "talks-opened": (e) => `The talks “${e.title}” opened between ${list(e.parties)}, mediated by ${e.mediator.name}${e.sealedRooms ? ", with sealed rooms" : ""}.`,
  "member-invited": (e) => `${e.member.name} joined${e.member.party ? ` ${e.member.party}'s delegation` : ""} as ${e.member.role.replace("-", " ")}${e.member.affiliation ? ` (${e.member.affiliation})` : ""}.`,
  "member-link-replaced": (e, m) => `${m(e.member)} was given a new link; the old one stopped working.`,
  "member-removed": (e, m) => `${m(e.member)} left the talks.`,
  "agenda-set": (e) => `The agenda was set: ${e.issues.map((i) => `${i.name} (${i.options.join(", ")})`).join("; ")}.`,
  "phase-changed": (e) => `The talks moved from the ${e.from.replaceAll("-", " ")} phase to the ${e.to.replaceAll("-", " ")} phase.`,
  "deadline-set": (e) => `The deadline was set to ${e.date}.`,
  "message-posted": (e, m, said, mediator) => `${m(e.author)} wrote ${whereWritten(e, mediator(e.author))}: “${said(e)}”`,
  "message-relayed": (e, m, said) => `The mediator passed on to ${e.party}: “${said(e)}”`,
  "relay-decided": (e) => (e.party ? `The mediator passed message #${e.message} to ${e.party} ${e.mode === "paraphrase" ? "in paraphrase" : "word for word"}.` : `The mediator kept message #${e.message} back.`),
  "proposal-submitted": (e) => `${e.party} put ${packageOrText(e.content)} to the mediator (${e.id}).`,
  "proposal-forwarded": (e) => `The mediator put ${packageOrText(e.content)} to ${e.party} (${e.id}).`,
  "proposal-made": (e) => `The mediator proposed ${packageOrText(e.content)} to ${list(e.parties)} (${e.id}).`,
  "proposal-answered": (e) => `${e.party} ${e.answer === "accept" ? "accepted" : e.answer === "reject" ? "rejected" : "countered"} ${e.id}${e.counter ? `, countering with “${e.counter}”` : ""}.`,
  "improvement-proposed": (e) => `The mediator proposed ${packageOrText(e.content)} to ${list(e.parties)} as an improvement on the agreed ${e.improves} (${e.id}).`,
  "improvement-settled": (e) => (e.adopted ? `Every party accepted ${e.id}: it replaces ${e.improves}.` : `${e.id} was not accepted by every party: ${e.improves} stands.`),
  "track-opened": (e, m) => `A ${e.level} track “${e.name}” opened on ${list(e.issues)}, with ${list(e.members.map(m))}.`,
  "clause-added": (e) => `Clause ${e.id}, “${e.title}”, was added to the framework text: “${e.text}”`,
  "alternative-proposed": (e) => `${e.party} proposed other wording for ${e.clause}: “${e.text}”`,
  "clause-settled": (e) => `Clause ${e.clause} was ${e.status === "agreed" ? "agreed" : "agreed ad referendum"} in the ${e.track} track: “${e.text}”`,
  "round-scheduled": (e) => `Round ${e.round.id} was scheduled for ${e.round.date} in ${e.round.venue} (${e.round.level}, ${e.round.format}).`,
  "readout-published": (e) => `${e.party} published its readout of round ${e.round}: “${e.text}”`,
  "joint-statement-published": (e) => `A joint statement on round ${e.round} was published: “${e.text}”`,
  "joint-session-consented": (e) => `${e.party} agreed to meet face to face.`,
  "joint-session-opened": () => "The joint session opened.",
  "joint-session-closed": () => "The joint session closed.",
  "preferences-stored": (e) => `${e.party} stored its preferences.`,
  "guess-stored": (e) => `${e.party} stored its guess of ${e.about}'s preferences.`,
  "preference-answers-stored": (e) => `${e.party} answered the engine's questions (${e.answers.length} answer${e.answers.length === 1 ? "" : "s"} kept).`,
  "rehearsal-held": (e) => `${e.party} rehearsed against ${e.rehearsal.counterpart} (${e.rehearsal.protocol}).`,
  "key-registered": (e, m) => `${m(e.member)} registered a signing key.`,
  "agreement-signed": (e, m) => `${m(e.member)} signed ${e.clause ? `clause ${e.clause}` : `${e.party}'s agreed package`}.`,
  "sealing-key-registered": (e, m) => `${m(e.member)}'s page registered a key for the sealed room.`,
  "room-key-shared": (e, m) => `${m(e.from)}'s page shared ${e.replaces ? "a new room key" : "the room key"} with ${e.wrapped.length} member${e.wrapped.length === 1 ? "" : "s"}.`,
};

// Where a message was written, as the minutes say it.
function whereWritten(e, byMediator) {
  const [kind, name] = e.channel.split(/:(.*)/s);
  if (kind === "room") return "in your delegation's room";
  if (kind === "shuttle") return byMediator ? `to ${name}` : "to the mediator";
  if (kind === "track") return `in the ${name} track`;
  if (kind === "joint") return "in the joint session";
  return "to everyone";
}

// A channel as people say it.
function channelWords(channel, me) {
  if (channel === "plenary") return "Plenary";
  if (channel === "joint") return "Joint session";
  if (channel === "mediator") return "Mediator's notes";
  const [kind, name] = channel.split(/:(.*)/s);
  if (kind === "room") return name === me.party ? "Your room" : `${name}'s room`;
  if (kind === "shuttle") return name === me.party ? "With the mediator" : `Mediator with ${name}`;
  if (kind === "track") return `Track: ${name}`;
  return channel;
}

// The round an event falls in: the one it names, else the last round whose date it is on or after.
function roundOf(event, rounds) {
  if (event.type === "round-scheduled") return event.round.id;
  if (event.round) return event.round;
  const day = new Date(event.time * 1000).toISOString().slice(0, 10);
  return rounds.filter((r) => r.date <= day).at(-1)?.id ?? "";
}

function tracksOf(event) {
  const named = event.audience.filter((c) => c.startsWith("track:")).map((c) => c.slice(6));
  if (event.type === "track-opened") named.push(event.name);
  if (event.type === "clause-settled") named.push(event.track);
  return new Set(named);
}

// The minutes with their filters; `sealed` (a SealedRoom) opens a sealed room's messages.
export function minutes(me, sealed) {
  const controls = h("form", { class: "filters no-print", role: "search", "aria-label": "Filter the minutes", onsubmit: (e) => e.preventDefault() });
  const channel = h("select", { name: "channel", id: "minutes-channel" });
  const round = h("select", { name: "round", id: "minutes-round" });
  const track = h("select", { name: "track", id: "minutes-track" });
  const search = h("input", { type: "search", name: "search", id: "minutes-search", dir: "auto" });
  const count = h("p", { class: "meta", "aria-live": "polite", id: "minutes-count" });
  const label = (text, control) => h("label", { for: control.id }, text, control);
  controls.append(label("Channel", channel), label("Round", round), label("Track", track), label("Search", search),
    h("button", { type: "button", class: "secondary", onclick: () => window.print() }, "Print or save as PDF"));
  const entries = h("ol", { class: "minutes", id: "minutes" });
  const heading = h("div", { class: "print-only" });
  let latest = null;
  const options = (select, choices) => {
    const chosen = select.value;
    const key = JSON.stringify(choices);
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    replace(select, choices.map(([value, text]) => h("option", { value, selected: value === chosen }, text)));
  };
  const draw = () => {
    const state = latest;
    const m = (id) => (id === "mediator" ? "The mediator" : state.members[id]?.name ?? id);
    const said = (e) => {
      if (!sealed || !e.channel?.startsWith("room:")) return e.text;
      const shown = sealed.shown({ seq: e.seq, text: e.text, author: e.author, channel: e.channel });
      return shown.text ?? `(sealed: ${shown.problem})`;
    };
    const rounds = Object.values(state.rounds).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const channels = [...new Set(state.events.flatMap((e) => e.audience))].sort();
    options(channel, [["", "All channels"], ...channels.map((c) => [c, channelWords(c, me)])]);
    options(round, [["", "All rounds"], ["-", "Before the first round"], ...rounds.map((r) => [r.id, `${r.id} · ${r.date}, ${r.venue}`])]);
    options(track, [["", "All tracks"], ...Object.keys(state.tracks).sort().map((t) => [t, t])]);
    const words = search.value.trim().toLocaleLowerCase();
    const mediator = (id) => id === "mediator" || state.members[id]?.role === "mediator";
    const rows = state.events.map((e) => ({ e, text: (WORDS[e.type] ?? (() => e.type))(e, m, said, mediator) })).filter(({ e, text }) =>
      (!channel.value || e.audience.includes(channel.value))
      && (!round.value || (roundOf(e, rounds) || "-") === round.value)
      && (!track.value || tracksOf(e).has(track.value))
      && (!words || text.toLocaleLowerCase().includes(words)));
    count.textContent = `${rows.length} of ${state.events.length} entries shown.`;
    replace(heading, h("p", { class: "print-title" }, `${state.title}: minutes`),
      h("p", {}, `As seen by ${me.name}${me.party ? `, ${me.party}` : ", mediator"} · printed ${time(Date.now() / 1000)}`),
      [channel, round, track].some((s) => s.value) || words ? h("p", {}, `Filtered: ${[channel, round, track].filter((s) => s.value).map((s) => s.selectedOptions[0].textContent).concat(words ? [`“${search.value.trim()}”`] : []).join(" · ")}`) : null);
    replace(entries, rows.length ? rows.map(({ e, text }) => h("li", { "data-seq": e.seq, "data-type": e.type },
      h("div", { class: "meta" }, `#${e.seq} · ${time(e.time)} · ${[...new Set(e.audience.map((c) => channelWords(c, me)))].join(", ")}`),
      h("div", { dir: "auto" }, text))) : h("li", { class: "meta" }, "No entry matches."));
  };
  for (const control of [channel, round, track]) control.addEventListener("change", draw);
  search.addEventListener("input", draw);
  return {
    elements: [heading, controls, count, entries],
    update: (state) => { latest = state; draw(); },
  };
}
