// The mediator's set-up: the agenda (typed, or imported from a scenario file read in the
// browser), the members (invite, see who has opened their link, new links, removal) and tracks.
import { h, field, select, form, replace, panel, act } from "./ui.js";
import { memberLink } from "./api.js";
import { linkBox } from "./links.js";
import { readText, parseScenario } from "./scenario.js";

const ROLES = [["principal", "principal"], ["technical-lead", "technical lead"], ["expert", "expert"], ["observer", "observer"]];

function issueRow(issue = { name: "", options: [] }) {
  const row = h("fieldset", { class: "issue-row" }, h("legend", {}, "Issue"),
    field("Name", h("input", { type: "text", name: "issue-name", value: issue.name, required: true })),
    field("Options, one per line", h("textarea", { name: "issue-options", rows: Math.max(3, issue.options.length), required: true }), true));
  row.querySelector("textarea").value = issue.options.join("\n");
  row.append(h("button", { type: "button", class: "secondary", onclick: () => row.remove() }, "Remove this issue"));
  return row;
}

function issuesFrom(rows) {
  return [...rows.querySelectorAll(".issue-row")].map((row) => ({
    name: row.querySelector("[name=issue-name]").value.trim(),
    options: row.querySelector("[name=issue-options]").value.split("\n").map((o) => o.trim()).filter(Boolean),
  }));
}

export function agendaEditorPanel(api) {
  const { element, body } = panel("Agenda", { wide: true, id: "agenda-editor" });
  const rows = h("div", { class: "issue-rows" });
  const status = h("p", { class: "meta", "aria-live": "polite" });
  const file = h("input", { type: "file", accept: ".json,.xml,application/json,text/xml", name: "scenario" });
  let edited = false, shown = null;
  const fill = (issues) => replace(rows, (issues.length ? issues : [undefined]).map((issue) => issueRow(issue)));
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    try {
      const { issues } = parseScenario(chosen.name, await readText(chosen));
      fill(issues);
      edited = true;
      status.textContent = `Read ${issues.length} issues from ${chosen.name}. Only their names and options are used; the file's numbers stay in your browser.`;
    } catch (failure) { status.textContent = failure.message; }
    file.value = "";
  });
  rows.addEventListener("input", () => { edited = true; });
  const save = form([rows, h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => { rows.append(issueRow()); edited = true; } }, "Add an issue"))],
    "Set the agenda", async () => {
      await api.put("/agenda", { issues: issuesFrom(rows) });
      edited = false;
      status.textContent = "The agenda is set.";
    }, { keep: true });
  body.append(h("p", { class: "meta" }, "The issues in scope and their options. Every party's proposals and preferences are over this agenda."),
    field("Import issues and options from a scenario file (Shuttle JSON or GENIUS XML)", file), status, save);
  return {
    element,
    update: (state) => {
      const key = JSON.stringify(state.agenda);
      if (key !== shown && !edited) { shown = key; fill(state.agenda); }
    },
  };
}

export function membersPanel(api, me) {
  const { element, body } = panel("Members", { wide: true, id: "members" });
  const roster = h("table", { class: "roster" });
  const issued = h("div", { id: "issued-links" });
  const inviteForm = h("div");
  let parties = null, signature = null;
  const show = (label, token) => issued.prepend(linkBox(label, memberLink(api.talks, token)));
  const refresh = async () => {
    const { members } = await api.get("/members");
    replace(roster, h("thead", {}, h("tr", {}, ["Name", "Party", "Role", "Affiliation", "Link", ""].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, members.map((m) => {
        const actions = h("td", { class: "actions" });
        if (m.role !== "mediator") {
          actions.append(
            h("button", { type: "button", class: "secondary", onclick: () => act((async () => {
              if (!confirm(`Give ${m.name} a new link? Their current link stops working at once.`)) return;
              show(`New link for ${m.name} (${m.party})`, (await api.post(`/members/${encodeURIComponent(m.memberId)}/link`)).token);
              await refresh();
            })(), actions) }, "New link"),
            h("button", { type: "button", class: "danger", onclick: () => act((async () => {
              if (!confirm(`Remove ${m.name} from the talks? Their link stops working at once.`)) return;
              await api.delete(`/members/${encodeURIComponent(m.memberId)}`);
            })(), actions) }, "Remove"));
        }
        return h("tr", { "data-member": m.memberId }, h("td", {}, m.name), h("td", {}, m.party ?? "—"), h("td", {}, m.role.replace("-", " ")),
          h("td", {}, m.affiliation ?? ""), h("td", { class: "opened" }, m.linkOpened ? "opened" : "not opened yet"), actions);
      })));
  };
  const refreshButton = h("button", { type: "button", class: "secondary", onclick: () => act(refresh(), body) }, "Refresh");
  body.append(h("p", { class: "meta" }, "Each member gets a personal link. A new link replaces the old one at once; a removed member's link stops working."),
    inviteForm, issued, h("h3", {}, "Who is in the talks"), h("div", { class: "actions" }, refreshButton), roster);
  // Whether links were opened changes without an event: look again while the page is open.
  setInterval(() => { if (element.isConnected) refresh().catch(() => {}); }, 15000);
  return {
    element,
    update: (state) => {
      if (state.parties.join() !== parties) {
        parties = state.parties.join();
        replace(inviteForm, h("h3", {}, "Invite a member"), form([
          field("Party", select("party", state.parties)),
          field("Name", h("input", { type: "text", name: "name", required: true })),
          field("Role", select("role", ROLES)),
          field("Affiliation (optional)", h("input", { type: "text", name: "affiliation" })),
        ], "Invite", async (d) => {
          const answer = await api.post("/members", { party: d.get("party"), name: d.get("name"), role: d.get("role"), affiliation: d.get("affiliation") || undefined });
          show(`Link for ${d.get("name")} (${d.get("party")})`, answer.token);
        }));
      }
      const next = JSON.stringify([Object.values(state.members).map((m) => [m.id, m.removed]), state.linksReplaced]);
      if (next !== signature) { signature = next; refresh().catch(() => {}); }
    },
  };
}

// The mediator's form for opening a track: its level, the agenda issues it works on, its members.
export function openTrackForm(api, state) {
  const delegates = Object.values(state.members).filter((m) => m.role && m.role !== "mediator" && !m.removed);
  return form([
    field("Track name", h("input", { type: "text", name: "name", required: true })),
    field("Level", select("level", [["technical", "technical (experts, technical leads)"], ["principal", "principal (principals)"]])),
    h("fieldset", {}, h("legend", {}, "Agenda issues"), state.agenda.map((i) => field(i.name, h("input", { type: "checkbox", name: "issues", value: i.name })))),
    h("fieldset", {}, h("legend", {}, "Members"), delegates.map((m) => field(`${m.name} (${m.party}, ${m.role.replace("-", " ")})`, h("input", { type: "checkbox", name: "members", value: m.id })))),
  ], "Open the track", (d) => api.post("/tracks", { name: d.get("name"), level: d.get("level"), issues: d.getAll("issues"), members: d.getAll("members") }));
}
