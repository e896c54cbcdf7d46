// Reading scenario files in the browser: Shuttle JSON, GENIUS XML domains and profiles. The file
// never leaves the browser; the agenda import keeps only issue names and options, and a
// delegation's import fills its own preferences editor, which it then stores in its room.

// Text from a file's bytes: UTF-8, or Latin-1 when the bytes are not UTF-8 (older GENIUS files).
export async function readText(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try { return new TextDecoder("utf-8", { fatal: true }).decode(bytes); } catch { return new TextDecoder("latin1").decode(bytes); }
}

// {issues: [{name, options}], parties: [{name, weights, values, forbidden, reservationValue}]}
export function parseScenario(fileName, text) {
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (trimmed.startsWith("{")) return parseShuttleJSON(fileName, trimmed);
  if (trimmed.startsWith("<")) return parseGenius(fileName, trimmed);
  throw new Error(`${fileName}: not a scenario file (Shuttle JSON or GENIUS XML).`);
}

// Integer issues become their numbers as options; more than this many is refused.
const MAX_INTEGER_OPTIONS = 1000;

function integerOptions(fileName, name, low, high) {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high < low) throw new Error(`${fileName}: issue '${name}' has no valid integer range.`);
  if (high - low + 1 > MAX_INTEGER_OPTIONS) throw new Error(`${fileName}: issue '${name}' has ${high - low + 1} values; an agenda issue may have at most ${MAX_INTEGER_OPTIONS}.`);
  return Array.from({ length: high - low + 1 }, (_, i) => String(low + i));
}

function parseShuttleJSON(fileName, text) {
  let doc;
  try { doc = JSON.parse(text); } catch (error) { throw new Error(`${fileName}: not valid JSON (${error.message}).`); }
  if (!Array.isArray(doc.issues)) throw new Error(`${fileName}: a Shuttle scenario needs "issues".`);
  const issues = doc.issues.map((issue, index) => {
    if (typeof issue?.name !== "string") throw new Error(`${fileName}: issues[${index}] has no name.`);
    if (Array.isArray(issue.options)) return { name: issue.name, options: issue.options.map(String) };
    if (issue.integers) return { name: issue.name, options: integerOptions(fileName, issue.name, issue.integers.min, issue.integers.max) };
    throw new Error(`${fileName}: issue '${issue.name}' is continuous; an agenda needs options (discretise it first).`);
  });
  const parties = (doc.parties ?? []).map((party, index) => {
    const weights = {}, values = {};
    for (const issue of issues) {
      const preference = party.preferences?.[issue.name];
      if (!preference) throw new Error(`${fileName}: parties[${index}] ('${party.name}') has no preference for '${issue.name}'.`);
      weights[issue.name] = Number(preference.weight);
      values[issue.name] = {};
      for (const option of issue.options) {
        values[issue.name][option] = preference.values ? Number(preference.values[option]) : preference.linear.slope * Number(option) + preference.linear.offset;
      }
    }
    return { name: party.name ?? `party ${index + 1}`, weights, values, forbidden: party.forbidden ?? {}, reservationValue: Number(party.reservationValue ?? 0) };
  });
  return { issues, parties };
}

function parseGenius(fileName, text) {
  // GENIUS files in the wild carry raw ampersands, and comments before the XML declaration:
  // escape ampersands that start no entity, and drop declarations (the text is decoded already).
  const cleaned = text.replace(/<\?xml[^>]*\?>/g, "").replace(/&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)/g, "&amp;");
  const doc = new DOMParser().parseFromString(cleaned, "application/xml");
  const failure = doc.querySelector("parsererror");
  if (failure) throw new Error(`${fileName}: not valid XML (${failure.textContent.split("\n")[0]}).`);
  const issueElements = [...doc.getElementsByTagName("issue")];
  if (!issueElements.length) throw new Error(`${fileName}: no <issue> elements; is this a GENIUS domain or profile?`);
  const issues = issueElements.map((element) => {
    const name = element.getAttribute("name");
    const type = (element.getAttribute("type") ?? element.getAttribute("etype") ?? "discrete").toLowerCase();
    if (!name) throw new Error(`${fileName}: an <issue> has no name.`);
    if (type === "integer") return { name, options: integerOptions(fileName, name, Number(element.getAttribute("lowerbound")), Number(element.getAttribute("upperbound"))) };
    if (type === "real") throw new Error(`${fileName}: issue '${name}' is real-valued; an agenda needs options (discretise it first).`);
    const options = [...element.getElementsByTagName("item")].map((item) => item.getAttribute("value"));
    if (!options.length || options.some((o) => o === null)) throw new Error(`${fileName}: issue '${name}' has no options.`);
    return { name, options };
  });
  const root = doc.documentElement;
  const weightElements = [...root.getElementsByTagName("weight")];
  const evaluated = [...root.getElementsByTagName("item")].some((item) => item.hasAttribute("evaluation"));
  if (!weightElements.length || !evaluated) return { issues, parties: [] };
  return { issues, parties: [geniusProfile(fileName, root, issueElements, issues, weightElements)] };
}

// A GENIUS profile read as GENIUS reads it: discrete evaluations divided by the issue's
// largest, integer evaluators clamp01(slope · (x − lowerbound) + offset).
function geniusProfile(fileName, root, issueElements, issues, weightElements) {
  const byIndex = Object.fromEntries(weightElements.map((w) => [w.getAttribute("index"), Number(w.getAttribute("value"))]));
  const weights = {}, values = {};
  issueElements.forEach((element, position) => {
    const issue = issues[position];
    const weight = byIndex[element.getAttribute("index")];
    if (weight === undefined) throw new Error(`${fileName}: issue '${issue.name}' has no <weight>.`);
    weights[issue.name] = weight;
    values[issue.name] = {};
    const evaluator = element.getElementsByTagName("evaluator")[0];
    if (evaluator) {
      const slope = Number(evaluator.getAttribute("slope")), offset = Number(evaluator.getAttribute("offset")), low = Number(element.getAttribute("lowerbound"));
      for (const option of issue.options) values[issue.name][option] = Math.min(1, Math.max(0, slope * (Number(option) - low) + offset));
      return;
    }
    const items = [...element.getElementsByTagName("item")];
    const largest = Math.max(...items.map((item) => Number(item.getAttribute("evaluation"))));
    for (const item of items) {
      const evaluation = Number(item.getAttribute("evaluation"));
      if (!Number.isFinite(evaluation)) throw new Error(`${fileName}: option '${item.getAttribute("value")}' of '${issue.name}' has no evaluation.`);
      values[issue.name][item.getAttribute("value")] = largest > 0 ? evaluation / largest : evaluation;
    }
  });
  const reservation = root.getElementsByTagName("reservation")[0];
  const name = fileName.replace(/\.[^.]*$/, "");
  return { name, weights, values, forbidden: {}, reservationValue: reservation ? Number(reservation.getAttribute("value")) : 0 };
}

// A party's preferences over `agenda`, or an error naming what does not fit.
export function preferencesFor(party, agenda, fileName) {
  const result = { weights: {}, values: {}, forbidden: {}, reservationValue: party.reservationValue };
  for (const issue of agenda) {
    if (!(issue.name in party.weights)) throw new Error(`${fileName}: '${party.name}' has no preference for the agenda's issue '${issue.name}'.`);
    result.weights[issue.name] = party.weights[issue.name];
    result.values[issue.name] = {};
    for (const option of issue.options) {
      const value = party.values[issue.name]?.[option];
      if (!Number.isFinite(value)) throw new Error(`${fileName}: '${party.name}' gives no value to option '${option}' of '${issue.name}'.`);
      result.values[issue.name][option] = value;
    }
    result.forbidden[issue.name] = (party.forbidden[issue.name] ?? []).filter((option) => issue.options.includes(option));
  }
  return result;
}
