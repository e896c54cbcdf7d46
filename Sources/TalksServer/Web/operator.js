// The operator's page: open a talks and hand its mediator the link; see the talks you opened
// and give their mediator a new link when the old one is lost or leaked.
import { request, memberLink } from "./api.js";
import { h, field, form, replace } from "./ui.js";
import { linkBox } from "./links.js";

export async function operatorPage(token, main, title, who) {
  let me;
  try {
    me = await request("GET", "/operator", token);
  } catch (failure) {
    replace(main, h("section", { class: "panel" }, h("h2", {}, "Cannot open the operator's page"),
      h("p", { class: "error", role: "alert" }, failure.status === 401 ? "This operator link is not valid on this server: the operator may have been removed. Ask the server's administrator for a new one." : failure.message)));
    return;
  }
  title.textContent = "Shuttle — operator";
  document.querySelector(".facts").hidden = true;  // phase, deadline and connection belong to a talks
  who.textContent = `${me.name} — operator`;
  document.title = "Operator — Shuttle";
  const opened = h("div", { id: "opened-talks" });
  const list = h("ul", { class: "list", id: "operator-talks" });
  const refresh = async () => {
    const { talks } = await request("GET", "/operator/talks", token);
    replace(list, talks.length ? talks.map((t) => {
      const out = h("div");
      return h("li", { "data-talks": t.id }, h("strong", {}, t.title), h("div", { class: "meta" }, `${t.parties.join(" · ")} — mediator: ${t.mediator}`),
        h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: async () => {
          if (!confirm(`Give the mediator of "${t.title}" a new link? Their current link stops working at once.`)) return;
          try {
            const answer = await request("POST", `/operator/talks/${encodeURIComponent(t.id)}/mediator-link`, token);
            replace(out, linkBox(`New link for ${t.mediator}`, memberLink(t.id, answer.token)));
          } catch (failure) { replace(out, h("p", { class: "error", role: "alert" }, failure.message)); }
        } }, "New link for the mediator")), out);
    }) : h("li", { class: "meta" }, "You have opened no talks yet."));
  };
  const open = form([
    field("Title", h("input", { type: "text", name: "title", required: true })),
    field("Parties, one per line", h("textarea", { name: "parties", required: true, rows: 3 }), true),
    field("Mediator's name", h("input", { type: "text", name: "mediator", required: true })),
    field("Seal the delegations' rooms: their messages are encrypted in the members' browsers, and this server keeps only ciphertext",
      h("input", { type: "checkbox", name: "sealed", checked: true })),
  ], "Open the talks", async (data) => {
    const parties = data.get("parties").split("\n").map((p) => p.trim()).filter(Boolean);
    const answer = await request("POST", "/talks", token, { title: data.get("title"), parties, mediator: data.get("mediator"), sealedRooms: data.get("sealed") === "on" });
    replace(opened, linkBox(`The mediator's link for "${data.get("title")}" — send it to ${data.get("mediator")} only`, memberLink(answer.id, answer.mediatorToken)));
    await refresh();
  });
  replace(main,
    h("section", { class: "panel", "aria-label": "Open a talks" }, h("h2", {}, "Open a talks"),
      h("p", { class: "meta" }, "The mediator's link is shown once: it opens the mediator's console, where the agenda, members and tracks are set up."),
      open, opened),
    h("section", { class: "panel", "aria-label": "Your talks" }, h("h2", {}, "Talks you opened"), list));
  await refresh();
}
