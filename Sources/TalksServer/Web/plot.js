// A party's own utility over the agenda's packages (all of them, or a fixed sample of a large agenda),
// ranked, with the reservation line and where each proposal falls: computed in the browser from
// the party's own preferences only.
import { utility } from "./state.js";

const NS = "http://www.w3.org/2000/svg";
function s(tag, attributes = {}, text) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

// At most this many packages are drawn: the whole agenda when it is that small, else a sample.
export const PLOT_BUDGET = 4000;

// The packages to draw: every package of a small agenda, or PLOT_BUDGET drawn at random (the same
// ones every time, from a fixed seed) — bounded work for any agenda, never the whole product.
export function packages(agenda) {
  const total = agenda.reduce((n, issue) => n * issue.options.length, 1);
  if (total <= PLOT_BUDGET) {
    let all = [{}];
    for (const issue of agenda) all = all.flatMap((partial) => issue.options.map((option) => ({ ...partial, [issue.name]: option })));
    return { packages: all, total, sampled: false };
  }
  let seed = 0x9e3779b9;
  const random = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t ^= t + Math.imul(t ^ (t >>> 7), 61 | t); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const drawn = Array.from({ length: PLOT_BUDGET }, () => Object.fromEntries(agenda.map((issue) => [issue.name, issue.options[Math.floor(random() * issue.options.length)]])));
  return { packages: drawn, total, sampled: true };
}

export function utilityPlot(preferences, agenda, proposals) {
  const width = 520, height = 240, left = 44, bottom = 30, top = 12, right = 12;
  const forbidden = preferences.forbidden ?? {};
  const allowed = (choice) => !Object.entries(forbidden).some(([issue, options]) => options.includes(choice[issue]));
  const drawn = packages(agenda);
  const points = drawn.packages.filter(allowed).map((choice) => utility(preferences, agenda, choice)).sort((a, b) => b - a);
  const max = Math.max(1, ...points);
  const x = (i) => left + (i / Math.max(1, points.length - 1)) * (width - left - right);
  const y = (u) => height - bottom - (u / max) * (height - top - bottom);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "plot", role: "img", "aria-label": "Your utility for every package you accept, highest first" });
  svg.append(s("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, stroke: "#1f2933" }));
  svg.append(s("line", { x1: left, y1: top, x2: left, y2: height - bottom, stroke: "#1f2933" }));
  for (const tick of [0, 0.5, 1].map((t) => t * max)) {
    svg.append(s("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": 11 }, tick.toFixed(2)));
  }
  const caption = drawn.sampled ? `a sample of ${PLOT_BUDGET.toLocaleString("en")} of ${drawn.total.toLocaleString("en")} packages, those you accept, best first` : "packages you accept, best first";
  svg.append(s("text", { x: (width + left) / 2, y: height - 6, "text-anchor": "middle", "font-size": 11 }, caption));
  const path = points.map((u, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(u).toFixed(1)}`).join("");
  svg.append(s("path", { d: path, fill: "none", stroke: "#1d4ed8", "stroke-width": 2 }));
  const reservation = preferences.reservationValue ?? 0;
  svg.append(s("line", { x1: left, x2: width - right, y1: y(reservation), y2: y(reservation), stroke: "#b42318", "stroke-dasharray": "5 4" }));
  svg.append(s("text", { x: width - right, y: y(reservation) - 4, "text-anchor": "end", "font-size": 11, fill: "#b42318" }, "your reservation value"));
  for (const proposal of proposals) {
    const package_ = proposal.content?.package;
    if (!package_ || agenda.some((issue) => !(issue.name in package_))) continue;
    const u = utility(preferences, agenda, package_);
    const rank = points.findIndex((p) => p <= u + 1e-12);
    const cx = x(rank < 0 ? points.length - 1 : rank);
    svg.append(s("circle", { cx, cy: y(u), r: 5, fill: "#f59e0b", stroke: "#1f2933" }));
    svg.append(s("text", { x: cx + 7, y: y(u) - 6, "font-size": 11 }, proposal.id));
  }
  return svg;
}
