// The talks as this member sees them: the fold of the events they may read, nothing more.
export function emptyState() {
  return { seq: 0, seen: new Set(), events: [], title: "", parties: [], members: {}, agenda: [], phase: "exploratory",
    deadline: null, messages: [], relays: {}, proposals: {}, tracks: {}, clauses: [], rounds: {}, readouts: {}, statements: {},
    consents: new Set(), jointOpen: false, preferences: {}, guesses: {}, preferenceAnswers: [], rehearsals: [], signingKeys: {}, signatures: [],
    sealedRooms: false, sealingKeys: {}, sealingKeysEver: {}, room: { keys: [], holders: {}, needsNewKey: false }, roomKeyShares: [] };
}

// Folds one event in; returns false when it was already folded (a resumed stream may repeat).
export function apply(state, event) {
  if (state.seen.has(event.seq)) return false;
  state.seen.add(event.seq);
  state.events.push(event);
  state.seq = Math.max(state.seq, event.seq);
  switch (event.type) {
    case "talks-opened":
      state.title = event.title; state.parties = event.parties; state.sealedRooms = Boolean(event.sealedRooms);
      state.members[event.mediator.id] = event.mediator;
      break;
    case "member-invited": state.members[event.member.id] = event.member; break;
    case "member-removed":
      dropSealingKey(state, event.member);
      if (state.members[event.member]) state.members[event.member].removed = true;
      for (const track of Object.values(state.tracks)) track.members = track.members.filter((id) => id !== event.member);
      break;
    case "member-link-replaced":
      state.linksReplaced = (state.linksReplaced ?? 0) + 1;
      dropSealingKey(state, event.member);
      break;
    case "agenda-set": state.agenda = event.issues; break;
    case "phase-changed": state.phase = event.to; break;
    case "deadline-set": state.deadline = event.date; break;
    case "message-posted":
      state.messages.push({ seq: event.seq, channel: event.channel, author: event.author, text: event.text, time: event.time });
      break;
    case "message-relayed":
      state.messages.push({ seq: event.seq, channel: `shuttle:${event.party}`, author: "mediator", text: event.text, time: event.time, relayed: true });
      break;
    case "relay-decided": state.relays[event.message] = { party: event.party, mode: event.mode }; break;
    case "proposal-submitted":
      state.proposals[event.id] = { id: event.id, from: event.party, content: event.content, to: new Set(), answers: {}, seq: event.seq };
      break;
    case "proposal-forwarded": {
      const proposal = state.proposals[event.id] ?? { id: event.id, from: "mediator", content: event.content, to: new Set(), answers: {}, seq: event.seq };
      proposal.to.add(event.party);
      state.proposals[event.id] = proposal;
      break;
    }
    case "proposal-made":
      state.proposals[event.id] = { id: event.id, from: "mediator", content: event.content, to: new Set(event.parties), answers: {}, seq: event.seq };
      break;
    case "improvement-proposed":
      state.proposals[event.id] = { id: event.id, from: "mediator", content: event.content, to: new Set(event.parties), answers: {}, seq: event.seq, improves: event.improves, adopted: null };
      break;
    case "improvement-settled":
      if (state.proposals[event.id]) state.proposals[event.id].adopted = event.adopted;
      if (event.adopted && state.proposals[event.improves]) state.proposals[event.improves].replacedBy = event.id;
      break;
    case "proposal-answered":
      if (state.proposals[event.id]) state.proposals[event.id].answers[event.party] = { answer: event.answer, counter: event.counter };
      break;
    case "track-opened": state.tracks[event.name] = { level: event.level, issues: event.issues, members: event.members }; break;
    case "clause-added": state.clauses.push({ id: event.id, title: event.title, text: event.text, status: "bracketed", alternatives: {} }); break;
    case "alternative-proposed": {
      const clause = state.clauses.find((c) => c.id === event.clause);
      if (clause) clause.alternatives[event.party] = event.text;
      break;
    }
    case "clause-settled": {
      const clause = state.clauses.find((c) => c.id === event.clause);
      if (clause) { clause.status = event.status; clause.text = event.text; }
      break;
    }
    case "round-scheduled": state.rounds[event.round.id] = event.round; break;
    case "readout-published": (state.readouts[event.round] ??= {})[event.party] = event.text; break;
    case "joint-statement-published": state.statements[event.round] = event.text; break;
    case "joint-session-consented": state.consents.add(event.party); break;
    case "joint-session-opened": state.jointOpen = true; break;
    case "joint-session-closed": state.jointOpen = false; state.consents.clear(); break;
    case "preferences-stored": state.preferences[event.party] = event.preferences; break;
    case "guess-stored": state.guesses[event.about] = event.preferences; break;
    case "preference-answers-stored": state.preferenceAnswers = event.answers; break;
    case "rehearsal-held": state.rehearsals.push({ seq: event.seq, ...event.rehearsal }); break;
    case "key-registered": state.signingKeys[event.member] = { party: event.party, publicKey: event.publicKey }; break;
    case "agreement-signed":
      state.signatures.push({ seq: event.seq, member: event.member, party: event.party, clause: event.clause, statement: event.statement });
      break;
    case "sealing-key-registered":
      state.sealingKeys[event.member] = event.publicKey;
      (state.sealingKeysEver[event.member] ??= []).push(event.publicKey);
      break;
    case "room-key-shared": {
      const room = state.room;
      if (!room.keys.includes(event.key)) { room.keys.push(event.key); room.needsNewKey = false; }
      for (const wrap of event.wrapped) (room.holders[event.key] ??= {})[wrap.member] = wrap.publicKey;
      state.roomKeyShares.push({ seq: event.seq, from: event.from, key: event.key, senderKey: event.senderKey, wrapped: event.wrapped });
      break;
    }
  }
  return true;
}

// As the server's rules do (TalksState): a member who leaves or gets a new link loses their
// sealing key, and if they held the room's current key the room needs a new one.
function dropSealingKey(state, member) {
  delete state.sealingKeys[member];
  const current = state.room.keys.at(-1);
  if (current && state.room.holders[current]?.[member] !== undefined) state.room.needsNewKey = true;
}

// What the page says of an improvement: the agreement it would replace stands until all accept.
export function improvementNote(proposal) {
  if (!proposal.improves) return null;
  if (proposal.adopted === true) return `Improvement of ${proposal.improves}, accepted by every party: it replaces ${proposal.improves}.`;
  if (proposal.adopted === false) return `Improvement of ${proposal.improves}, not accepted by every party: ${proposal.improves} stands.`;
  return `Improvement of the agreed ${proposal.improves}. ${proposal.improves} stands as the fallback until every party accepts this one.`;
}

// The package's label for people: "issue: option; issue: option".
export function describe(content) {
  if (!content) return "";
  if (content.package) return Object.entries(content.package).map(([i, o]) => `${i}: ${o}`).join("; ");
  if (content.text) return content.clause ? `${content.clause}: ${content.text}` : content.text;
  return JSON.stringify(content);
}

// A party's own utility for a full package, from its own preferences.
export function utility(preferences, agenda, choice) {
  let total = 0;
  for (const issue of agenda) total += (preferences.weights[issue.name] ?? 0) * (preferences.values[issue.name]?.[choice[issue.name]] ?? 0);
  return total;
}
