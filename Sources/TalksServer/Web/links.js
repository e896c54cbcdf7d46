// A personal link shown to the person who hands it out: read-only, with a button that copies it.
import { h } from "./ui.js";

export function linkBox(label, link) {
  const input = h("input", { type: "text", readonly: true, value: link, class: "link", "aria-label": label });
  const status = h("span", { class: "meta", "aria-live": "polite" });
  const copy = h("button", { type: "button", onclick: async () => {
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = "Copied.";
    } catch {
      input.select();
      status.textContent = document.execCommand("copy") ? "Copied." : "Select the link and copy it.";
    }
  } }, "Copy");
  return h("div", { class: "link-box" }, h("p", {}, label), h("div", { class: "actions" }, input, copy, status),
    h("p", { class: "meta" }, "It carries a personal token: send it to that person only. It is not shown again."));
}
