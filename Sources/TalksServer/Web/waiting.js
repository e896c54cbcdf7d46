// What arrived while the tab was hidden: the page's title counts it ("(2) Muscat — Shuttle"), and a
// member who allows it gets a browser notification that names nothing of the talks, not even
// their title, since a notification shows on a locked screen.
const COUNTED = new Set(["message-posted", "message-relayed", "proposal-submitted", "proposal-forwarded",
  "proposal-made", "improvement-proposed"]);

export class Waiting {
  constructor(me, button) {
    this.me = me;
    this.count = 0;
    this.title = document.title;
    document.addEventListener("visibilitychange", () => { if (!document.hidden) this.clear(); });
    if (button && "Notification" in window && Notification.permission === "default") {
      button.hidden = false;
      button.addEventListener("click", async () => { await Notification.requestPermission(); button.hidden = true; });
    }
  }

  // Counts `event` when the tab is hidden and it is something to read that another wrote.
  arrived(event) {
    if (!document.hidden || !COUNTED.has(event.type) || event.author === this.me.memberId) return;
    if (this.count === 0) this.title = document.title;
    this.count += 1;
    document.title = `(${this.count}) ${this.title}`;
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification("Shuttle", { body: `${this.count} new item${this.count === 1 ? "" : "s"} in your talks`, tag: "shuttle" });
    }
  }

  clear() {
    if (this.count === 0) return;
    this.count = 0;
    document.title = this.title;
  }
}
