// Talking to the server: every request carries a token in a header; errors come back as
// problem documents and are turned into words for the person.
const WORDS = { 401: "Your link is not valid for these talks.", 403: "Your seat does not allow this.", 404: "Not found.",
  409: "The talks' rules do not allow this.", 413: "That is too long to send.", 422: "Something in the form is not right." };

// An error with the HTTP status, so that a page can tell a revoked link from a refusal.
export class Refusal extends Error {
  constructor(status, detail) {
    super(`${WORDS[status] ?? "The server refused."} ${detail ?? ""}`.trim());
    this.status = status;
    this.detail = detail ?? "";
  }
}

export async function request(method, url, token, body) {
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) throw new Refusal(response.status, data?.detail);
  return data;
}

// A member's link, as the mediator hands it out: the token rides in the fragment.
export function memberLink(talks, token) {
  return `${location.origin}/#talks=${encodeURIComponent(talks)}&token=${encodeURIComponent(token)}`;
}

export class API {
  // `onRevoked(words)` is called when the server says this link no longer opens a seat.
  constructor(talks, token, onRevoked = () => {}) { this.talks = talks; this.token = token; this.onRevoked = onRevoked; }

  async call(method, path, body) {
    try {
      return await request(method, `/talks/${encodeURIComponent(this.talks)}${path}`, this.token, body);
    } catch (failure) {
      if (failure.status === 401) this.onRevoked(failure.detail);
      throw failure;
    }
  }

  // A text answer (a signed note, an export), as the server wrote it.
  async text(path) {
    const response = await fetch(`/talks/${encodeURIComponent(this.talks)}${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    if (!response.ok) {
      let detail = "";
      try { detail = (await response.json()).detail; } catch { detail = ""; }
      if (response.status === 401) this.onRevoked(detail);
      throw new Refusal(response.status, detail);
    }
    return response.text();
  }

  // Every event you may see, as the exact lines of your export (what your checkpoint signs).
  async exportLines() { return (await this.text("/export")).split("\n").filter(Boolean); }

  get(path) { return this.call("GET", path); }
  post(path, body = {}) { return this.call("POST", path, body); }
  put(path, body) { return this.call("PUT", path, body); }
  delete(path) { return this.call("DELETE", path); }

  // The live stream: the token goes in the first message, never in the URL.
  // `lastSeen` gives the last sequence number folded in, so a reconnection resumes after it.
  // Close code 4401 means the link was replaced or the member removed: no reconnection then.
  // Any other close (a server restarting, a client too far behind) reconnects after a pause.
  stream(lastSeen, onEvent, onState) {
    let closed = false, socket = null, retry = 500;
    const connect = () => {
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${location.host}/talks/${encodeURIComponent(this.talks)}/stream?after=${lastSeen()}`);
      socket.onopen = () => { socket.send(JSON.stringify({ token: this.token })); retry = 500; onState("live"); };
      socket.onmessage = (message) => onEvent(JSON.parse(message.data), message.data);
      socket.onclose = (event) => {
        if (closed) return;
        if (event.code === 4401) { closed = true; onState("closed"); this.onRevoked(event.reason); return; }
        // Refused at the door: ask why over HTTP (a 401 there reports a revoked link).
        if (event.code === 1008) this.get("/me").catch(() => {});
        onState("reconnecting");
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 8000);
      };
    };
    connect();
    return { close() { closed = true; socket?.close(); }, drop() { socket?.close(); } };
  }
}
