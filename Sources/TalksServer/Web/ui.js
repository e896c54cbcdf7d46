// Small helpers for building the page safely: text always goes in as text, never as HTML.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className = value;
    else element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

let counter = 0;
// A labelled control: every input has a visible label bound to it.
export function field(text, control, grow = false) {
  control.id ||= `field-${++counter}`;
  // Text is written in the direction of its first strong letter: Persian or Arabic right to left.
  if (control.tagName === "TEXTAREA" || (control.tagName === "INPUT" && control.type === "text")) control.dir ||= "auto";
  return h("label", { for: control.id, class: grow ? "grow" : undefined }, text, control);
}

export function select(name, options, selected) {
  return h("select", { name }, options.map((option) => {
    const [value, label] = Array.isArray(option) ? option : [option, option];
    return h("option", { value, selected: value === selected }, label);
  }));
}

// A form whose submit runs `action`; an error is shown in words next to it, and the form is
// cleared only when the action succeeded.
export function form(controls, button, action, { keep = false } = {}) {
  const error = h("p", { class: "error", role: "alert" });
  const element = h("form", {}, controls, h("button", { type: "submit" }, button), error);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const submit = element.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      await action(new FormData(element), element);
      if (!keep) element.reset();
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      submit.disabled = false;
    }
  });
  return element;
}

export function time(seconds) {
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

// Sets a container's children; leaves it alone when they already are those very nodes, so that
// focus and typing inside them survive.
export function replace(container, ...children) {
  const nodes = children.flat().filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c))));
  const current = [...container.childNodes];
  if (current.length === nodes.length && current.every((node, index) => node === nodes[index])) return;
  container.replaceChildren(...nodes);
}

// Updates a list in place: an item whose signature has not changed keeps its element, so a
// form someone is filling in, or a <details> they opened, survives live updates. New items are
// appended; only when the order changes is the list rebuilt.
const caches = new WeakMap();
export function reconcile(container, entries, empty) {
  const cache = caches.get(container) ?? new Map();
  caches.set(container, cache);
  const next = new Map();
  // An item rebuilt while it held the focus (its button just pressed) hands the focus on to its
  // new element, so that a keyboard user keeps their place.
  let refocus = null;
  const elements = entries.map(({ key, signature, build }) => {
    const known = cache.get(key);
    const element = known && known.signature === signature ? known.element : build();
    if (known && element !== known.element && known.element.contains(document.activeElement)) refocus = element;
    next.set(key, { signature, element });
    return element;
  });
  caches.set(container, next);
  if (!elements.length) { container.replaceChildren(empty); return; }
  const current = [...container.children];
  const prefix = current.every((child, index) => elements[index] === child);
  if (prefix && current.length <= elements.length) container.append(...elements.slice(current.length));
  else container.replaceChildren(...elements);
  if (refocus) {
    const target = refocus.querySelector("button, input, select, textarea, summary") ?? refocus;
    if (target === refocus) refocus.tabIndex = -1;
    target.focus();
  }
}

// Awaits what a button started; an error is shown in words next to `near` (the last one replaced).
export async function act(promise, near) {
  near.querySelector(".error")?.remove();
  try { await promise; } catch (failure) { near.append(h("p", { class: "error", role: "alert" }, failure.message)); }
}

// A titled panel; `body` is where its content goes.
export function panel(title, { wide = false, id } = {}) {
  const body = h("div");
  const element = h("section", { class: wide ? "panel wide" : "panel", id, "aria-label": title }, h("h2", {}, title), body);
  return { element, body };
}
