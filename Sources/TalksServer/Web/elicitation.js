// Guided elicitation in the room: the delegation answers simple questions (put an issue's
// options in order; which of two packages it would rather have) and the server's engine works
// out weights and values from the answers. The answers are stored in the room, as preferences
// are. This page sends all of them each time; the server refuses, naming them by number,
// answers that cannot hold together, and this page says which in words.
import { h, replace, panel, act } from "./ui.js";

const percent = (x) => `${Math.round(x * 100)}%`;
const packageWords = (p) => Object.keys(p).sort().map((issue) => `${issue}: ${p[issue]}`).join("; ");

// An answer as the delegation would say it back.
export function answerWords(answer) {
  if (answer.kind === "order") return `${answer.issue}, best first: ${answer.levels.map((l) => l.join(" = ")).join(", ")}`;
  const [a, b] = [packageWords(answer.first), packageWords(answer.second)];
  if (answer.preference === "equal") return `${a} — as good as — ${b}`;
  return answer.preference === "first" ? `${a} — rather than — ${b}` : `${b} — rather than — ${a}`;
}

// How settled a weight is, from how far it still ranges (a standard deviation).
function settledWords(spread) {
  const points = Math.round(spread * 100);
  if (points <= 2) return "settled";
  return points <= 6 ? `nearly settled (±${points} points)` : `still open (±${points} points)`;
}

const button = (text, onclick, attributes = {}) => h("button", { type: "button", onclick, ...attributes }, text);

export function elicitationPanel(api, me, preferences) {
  const { element, body } = panel("Answer questions instead", { wide: true, id: "elicitation" });
  const status = h("p", { class: "meta", "aria-live": "polite" });
  const question = h("div");
  const conflict = h("div", { "aria-live": "assertive" });
  const fitted = h("div");
  const stopping = h("div");
  const answers = h("ol", { class: "list answers" });
  const walkAway = h("div");
  body.append(
    h("p", {}, "Not sure how to weigh the issues? Answer simple questions and the engine works out your weights and values: which of two packages your delegation would rather have, or the order of an issue's options. Stop whenever you like, adjust the numbers, then store them as your preferences."),
    h("p", { class: "meta" }, "The questions, your answers and the numbers are kept in your delegation's room, as preferences are: never seen by the mediator or the other side."),
    status, question, conflict,
    h("h3", {}, "What your answers say so far"), fitted, stopping,
    h("h3", {}, "Your answers"), answers, walkAway);
  let progress = null, key = null, current = null, asking = null;
  const readOnly = me.role === "observer";

  // Only the latest request's answer is shown: one that overtakes an earlier one wins.
  let asked = 0;
  const refresh = async () => {
    const mine = ++asked;
    const answer = await api.get("/elicitation");
    if (mine !== asked) return;
    progress = answer;
    render();
  };
  // One step of the room's answers: an answer added, earlier ones withdrawn, or both.
  const revise = (change) => api.post("/elicitation/answers", change).then(refresh);

  // Adds `given` (withdrawing `withdraw` in the same step); when it cannot hold with some
  // answers, says which, in words, and offers to withdraw one of them instead.
  const answer = async (given, withdraw = []) => {
    replace(conflict);
    try {
      await revise(withdraw.length ? { answer: given, withdraw } : { answer: given });
    } catch (failure) {
      const found = failure.status === 409 && /answers ([\d, ]+) cannot all hold/.exec(failure.detail ?? "");
      if (!found) throw failure;
      // The numbers count the room's answers after the withdrawals, the new one last.
      const kept = [...progress.answers];
      for (const old of withdraw) kept.splice(kept.findLastIndex((a) => JSON.stringify(a) === JSON.stringify(old)), 1);
      const earlier = found[1].split(",").map(Number).filter((n) => n <= kept.length).map((n) => kept[n - 1]);
      replace(conflict, h("div", { class: "conflict", role: "alert" },
        h("p", {}, `That answer cannot hold together with ${earlier.length === 1 ? "an earlier answer" : "earlier answers"}: no single set of weights agrees with all of them.`),
        h("ul", {}, earlier.map((old) => {
          const n = progress.answers.indexOf(old) + 1;
          return h("li", {}, h("span", { dir: "auto" }, `Answer ${n}: ${answerWords(old)}`), " ",
            button(`Withdraw answer ${n} and keep the new one`, () => act(answer(given, [...withdraw, old]), conflict)));
        })),
        h("div", { class: "actions" }, button("Take back the new answer", () => { replace(conflict); question.querySelector("button:not([disabled])")?.focus(); }, { class: "secondary" }))));
      conflict.querySelector("button")?.focus();
    }
  };

  const card = (label, package_) => h("div", { class: "choice" }, h("h4", {}, label),
    h("ul", {}, Object.keys(package_).sort().map((issue) => h("li", {}, h("span", { class: "meta" }, `${issue}: `), h("bdi", {}, package_[issue])))));

  const compareQuestion = (q, n) => h("fieldset", { class: "question" },
    h("legend", {}, `Question ${n}: which would your delegation rather have?`),
    h("p", { class: "meta" }, "Everything not named here is the same in both."),
    h("div", { class: "choices" }, card("Package A", q.first), card("Package B", q.second)),
    h("div", { class: "actions" },
      button("Package A", () => act(answer({ kind: "compare", first: q.first, second: q.second, preference: "first" }), question)),
      button("Package B", () => act(answer({ kind: "compare", first: q.first, second: q.second, preference: "second" }), question)),
      button("They are as good as each other", () => act(answer({ kind: "compare", first: q.first, second: q.second, preference: "equal" }), question), { class: "secondary" })));

  // An order with buttons, not dragging, so that it is done with the keyboard or a screen reader.
  const orderQuestion = (q, n) => {
    const items = q.options.map((option) => ({ option, tied: false }));
    const list = h("ol", { class: "order" });
    const draw = (focus) => {
      replace(list, items.map((item, i) => h("li", {}, h("bdi", { class: "option" }, item.option),
        h("span", { class: "actions" },
          button("Up", () => { [items[i - 1], items[i]] = [items[i], items[i - 1]]; draw(`up-${item.option}`); }, { disabled: i === 0, "aria-label": `Move ${item.option} up`, "data-move": `up-${item.option}` }),
          button("Down", () => { [items[i + 1], items[i]] = [items[i], items[i + 1]]; draw(`down-${item.option}`); }, { disabled: i === items.length - 1, "aria-label": `Move ${item.option} down`, "data-move": `down-${item.option}` })),
        i > 0 ? h("label", { class: "tie" }, h("input", { type: "checkbox", checked: item.tied, onchange: (e) => { item.tied = e.target.checked; } }), `as good as ${items[i - 1].option}`) : null)));
      if (focus) (list.querySelector(`[data-move="${CSS.escape(focus)}"]:not([disabled])`) ?? list.querySelector(`[data-move$="${CSS.escape(focus.replace(/^(up|down)-/, ""))}"]:not([disabled])`))?.focus();
    };
    draw();
    const levels = () => items.reduce((all, item, i) => { if (i > 0 && item.tied) all[all.length - 1].push(item.option); else all.push([item.option]); return all; }, []);
    return h("fieldset", { class: "question" },
      h("legend", {}, `Question ${n}: put the options of ${q.issue} in order, best for your delegation first`),
      list,
      h("div", { class: "actions" }, button("This is our order", () => act(answer({ kind: "order", issue: q.issue, levels: levels() }), question))));
  };

  const renderFitted = () => {
    const { weights, values, spread } = progress.fitted;
    replace(fitted, h("table", { class: "fitted" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Issue"), h("th", { scope: "col" }, "Weight"), h("th", { scope: "col" }, "How settled"), h("th", { scope: "col" }, "Options, best first (value out of 100)"))),
      h("tbody", {}, current.agenda.map((issue) => h("tr", {},
        h("th", { scope: "row" }, h("bdi", {}, issue.name)),
        h("td", {}, percent(weights[issue.name])),
        h("td", {}, settledWords(spread[issue.name] ?? 0)),
        h("td", {}, [...issue.options].sort((a, b) => values[issue.name][b] - values[issue.name][a])
          .flatMap((o, i) => [i ? ", " : "", h("bdi", {}, o), ` (${Math.round(values[issue.name][o] * 100)})`])))))));
  };

  const renderStopping = () => {
    const { best, suggestion } = progress;
    const bestWords = best.settled >= 0.95 ? `Your best package is ${packageWords(best.package)}: settled.`
      : `Your best package would be ${packageWords(best.package)}, but ${percent(1 - best.settled)} of the preferences your answers still allow would pick another.`;
    const suggestionWords = suggestion
      ? `With your guesses of the other side, the engine would suggest ${packageWords(suggestion.package)} if you stopped now. ${percent(suggestion.settled)} of the preferences your answers still allow lead to the same suggestion: ${suggestion.settled >= 0.9 ? "more answers are unlikely to change it." : "a few more answers may change it."}`
      : "Enter your guesses of the other parties' preferences (Rehearsal tab) to see which package the engine would suggest if you stopped now, and whether more answers would change it.";
    replace(stopping, h("h3", {}, "If you stopped now"), h("p", { dir: "auto", id: "elicitation-best" }, bestWords),
      h("p", { dir: "auto", id: "elicitation-suggestion" }, suggestionWords));
  };

  const render = () => {
    if (!progress || !current) return;
    const n = progress.answers.length;
    status.textContent = `${n} answer${n === 1 ? "" : "s"} so far.${progress.setAside ? ` ${progress.setAside} given over an earlier agenda are set aside.` : ""}`;
    const signature = JSON.stringify(progress.question) + n;
    if (readOnly) replace(question, h("p", { class: "meta" }, "Observers read only."));
    else if (!progress.question) replace(question, h("p", {}, "No question would tell the engine more: your answers settle the numbers as far as questions can."));
    else if (signature !== asking) {
      asking = signature;
      // A keyboard user who just answered stays in the questions: on the next one's first button.
      const answering = question.contains(document.activeElement);
      replace(question, progress.question.kind === "order" ? orderQuestion(progress.question, n + 1) : compareQuestion(progress.question, n + 1));
      if (answering) question.querySelector("button:not([disabled])")?.focus();
    }
    renderFitted();
    renderStopping();
    replace(answers, progress.answers.length ? progress.answers.map((a, i) => h("li", {}, h("span", { dir: "auto" }, answerWords(a)), " ",
      readOnly ? null : button("Withdraw", () => act(revise({ withdraw: [a] }), answers), { class: "secondary", "aria-label": `Withdraw answer ${i + 1}` })))
      : h("li", { class: "meta" }, "No answers yet."));
    if (!readOnly) walkAway.replaceChildren(...walkAwayQuestions());
  };

  // Red lines and the reservation, asked in words, over the fitted numbers; then the numbers go
  // into the preferences form, where the delegation adjusts and stores them.
  let reservation = null, walking = null;
  const walkAwayQuestions = () => {
    if (walking?.agenda !== current.agenda) walking = { agenda: current.agenda, forbidden: structuredClone(current.preferences[me.party]?.forbidden ?? {}) };
    const forbidden = walking.forbidden;
    const redLines = current.agenda.map((issue) => h("fieldset", { class: "red-line" },
      h("legend", { dir: "auto" }, `On ${issue.name}: would your delegation rather walk away than accept any of these, whatever else the package held?`),
      issue.options.map((option) => h("label", { class: "tie", dir: "auto" }, h("input", { type: "checkbox", checked: (forbidden[issue.name] ?? []).includes(option),
        onchange: (e) => { const list = (forbidden[issue.name] ??= []); if (e.target.checked) list.push(option); else list.splice(list.indexOf(option), 1); } }), option))));
    const reservationBox = h("div", { id: "reservation-question" });
    const ask = () => askReservation(reservationBox, forbidden);
    replace(reservationBox, reservation === null ? button("Ask where we would walk away", ask) : h("p", {}, `You would walk away below ${percent(reservation)} of your best package's worth. `, button("Ask again", ask, { class: "secondary" })));
    return [h("h3", {}, "Walking away"), ...redLines, reservationBox,
      h("div", { class: "actions" }, button("Put these numbers in the preferences form", () => preferences.fill(draft(forbidden), "Filled from your answers: adjust any number, then store them as your preferences.")))];
  };

  const draft = (forbidden) => {
    const { weights, values } = progress.fitted;
    const round = (x, places) => Number(x.toFixed(places));
    return {
      weights: Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, round(v, 3)])),
      values: Object.fromEntries(Object.entries(values).map(([k, row]) => [k, Object.fromEntries(Object.entries(row).map(([o, v]) => [o, round(v, 2)]))])),
      forbidden: structuredClone(forbidden),
      reservationValue: reservation ?? current.preferences[me.party]?.reservationValue ?? 0,
    };
  };

  // Halves the range where the walk-away point lies, five times, with packages the fitted
  // numbers put in its middle: "would you rather walk away than accept this?"
  const askReservation = (box, forbidden) => {
    const { weights, values } = progress.fitted;
    const worth = (p) => current.agenda.reduce((sum, issue) => sum + weights[issue.name] * values[issue.name][p[issue.name]], 0);
    const allowed = packagesOf(current.agenda).filter((p) => current.agenda.every((issue) => !(forbidden[issue.name] ?? []).includes(p[issue.name])));
    let low = 0, high = 1, round = 0;
    const next = () => {
      const middle = (low + high) / 2;
      const candidates = allowed.map((p) => ({ p, u: worth(p) })).filter((c) => c.u > low + 1e-9 && c.u < high - 1e-9);
      if (round === 5 || !candidates.length) {
        reservation = Number(((low + high) / 2).toFixed(2));
        render();
        walkAway.querySelector("#reservation-question button")?.focus();
        return;
      }
      const { p, u } = candidates.reduce((a, b) => (Math.abs(b.u - middle) < Math.abs(a.u - middle) ? b : a));
      round += 1;
      replace(box, h("fieldset", { class: "question" }, h("legend", {}, `Would your delegation rather walk away than accept this package? (${round} of at most 5)`),
        card("The package", p),
        h("div", { class: "actions" }, button("Walk away", () => { low = u; next(); }), button("Accept it", () => { high = u; next(); }))));
      box.querySelector("button")?.focus();
    };
    next();
  };

  return {
    element,
    update: (state) => {
      current = state;
      if (!state.agenda.length) { replace(question, h("p", { class: "meta" }, "The agenda is not set yet: questions are asked over it.")); return; }
      const next = JSON.stringify([state.agenda, state.preferenceAnswers, Object.keys(state.guesses)]);
      if (next !== key) { key = next; refresh().catch((failure) => { status.textContent = failure.message; }); }
    },
  };
}

// Every package of the agenda, or 2,000 drawn at random when there are more than 20,000.
function packagesOf(agenda) {
  const count = agenda.reduce((n, issue) => n * issue.options.length, 1);
  const make = (pick) => Object.fromEntries(agenda.map((issue, i) => [issue.name, issue.options[pick(i)]]));
  if (count > 20000) return Array.from({ length: 2000 }, () => make((i) => Math.floor(Math.random() * agenda[i].options.length)));
  return Array.from({ length: count }, (_, index) => {
    let rest = index;
    return make((i) => { const option = rest % agenda[i].options.length; rest = Math.floor(rest / agenda[i].options.length); return option; });
  });
}
