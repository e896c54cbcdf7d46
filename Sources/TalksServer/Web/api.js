// Talking to the server: every request carries the member's token in a header; errors come back
// as problem documents and are turned into words for the person.
export class API {
  constructor(talks, token) { this.talks = talks; this.token = token; }

  async call(method, path, body) {
    const response = await fetch(`/talks/${encodeURIComponent(this.talks)}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!response.ok) {
      const words = { 401: "Your link is not valid for these talks.", 403: "Your seat does not allow this.", 404: "Not found.",
        409: "The talks' rules do not allow this.", 413: "That is too long to send.", 422: "Something in the form is not right." };
      throw new Error(`${words[response.status] ?? "The server refused."} ${data?.detail ?? ""}`.trim());
    }
    return data;
  }

  get(path) { return this.call("GET", path); }
  post(path, body = {}) { return this.call("POST", path, body); }
  put(path, body) { return this.call("PUT", path, body); }

  async eventsAfter(seq) { return (await this.get(`/events?after=${seq}`)).events; }

  // The live stream: the token goes in the first message, never in the URL.
  // `lastSeen` gives the last sequence number folded in, so a reconnection resumes after it.
  stream(lastSeen, onEvent, onState) {
    let closed = false, socket = null, retry = 500;
    const connect = () => {
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${location.host}/talks/${encodeURIComponent(this.talks)}/stream?after=${lastSeen()}`);
      socket.onopen = () => { socket.send(JSON.stringify({ token: this.token })); retry = 500; onState("live"); };
      socket.onmessage = (message) => onEvent(JSON.parse(message.data));
      socket.onclose = () => {
        if (closed) return;
        onState("reconnecting");
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 8000);
      };
    };
    connect();
    return { close() { closed = true; socket?.close(); }, drop() { socket?.close(); } };
  }
}
