#!/usr/bin/env python3
"""Sealed rooms in real Chromium: two members of one delegation, a late one, and the mediator.

Each member has a browser of their own (their own IndexedDB), as they would. The test checks:
- the operator's page opens talks with sealed rooms unless the operator unticks it;
- a message posted in a sealed room is read by a colleague in their page, and the server's
  SQLite file (and its WAL), every member's export and its log at debug level hold neither the
  text, nor a word of it, nor its base64;
- a member invited later waits for the room's key, then reads the history once a colleague's
  page, open, has shared it;
- a message that does not open is shown as such, never as empty text;
- a key checked by a colleague and then replaced (a new link opened in a fresh browser) is
  shown as changed, loudly, and nothing is wrapped to it until it is checked again;
- a removed member's page cannot open what is written after;
- a page whose member's key was registered from elsewhere says so.

Usage: scripts/setup-ui-tests.sh && swift build && .venv-ui/bin/python Tests/ui/test_sealed_rooms.py
Prints "N passed, M failed" last and exits non-zero on any failure.
"""
import base64
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_record_checks import serve  # noqa: E402
from test_pages import API, SHUTTLE, browser, check, free_port, panel, results, submit, tab, wait_for, wait_text  # noqa: E402

SHUTTLE_ROOT_TESTS = os.path.dirname(os.path.abspath(__file__))
SECRET = "Our floor is 3.67 percent enrichment if relief comes in phases; Tehran has not been told"
CONTROL = "To the mediator, in the clear: we await your next visit"
LATER = "After the expert left: the red line moves to twenty percent"


def sealing_status(driver):
    return driver.find_element(By.ID, "sealing-status").text


def open_seat(base, token):
    driver = browser()
    driver.get(f"{base}/#talks={open_seat.talks}&token={token}")
    wait_for(driver, 20).until(lambda d: any(b.text == "Room" for b in d.find_elements(By.CSS_SELECTOR, "nav button")))
    tab(driver, "Room")
    wait_for(driver, 20).until(lambda d: d.find_elements(By.ID, "sealing-status"))
    return driver


def post_in_room(driver, party, text):
    room = panel(driver, f"{party}'s room")
    room.find_element(By.TAG_NAME, "textarea").send_keys(text)
    submit(room.find_element(By.TAG_NAME, "form"))


def forms_of(text):
    """The text, a distinctive word of it, and the base64 of its bytes at every alignment."""
    data = text.encode()
    found = [text, "Tehran", "3.67 percent"]
    for offset in range(3):
        encoded = base64.b64encode(data[offset:]).decode()
        found += [encoded[4:40], base64.urlsafe_b64encode(data[offset:]).decode()[4:40]]
    return found


def nowhere(name, haystacks, text):
    leaks = [(where, form) for where, content in haystacks.items() for form in forms_of(text) if form.encode() in content]
    check(name, not leaks, f"found {leaks[:3]}")


def main():
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp()
    database = os.path.join(work, "sealed.sqlite")
    log_path = os.path.join(work, "server.log")
    added = subprocess.run([SHUTTLE, "operator", "add", "ops", "--database", database], capture_output=True, text=True, check=True)
    operator = added.stdout.strip().split("\n")[-1]
    log = open(log_path, "wb")
    server = serve(database, port, log, dict(os.environ, LOG_LEVEL="debug"))
    drivers = []
    try:
        api = API(base)
        # The operator's page seals rooms unless told not to.
        page = browser()
        drivers.append(page)
        page.get(f"{base}/#operator={operator}")
        wait_text(page, "Open a talks")
        box = page.find_element(By.CSS_SELECTOR, 'input[name="sealed"]')
        check("the operator's page seals the rooms by default", box.is_selected())
        page.find_element(By.CSS_SELECTOR, 'input[name="title"]').send_keys("Sealed")
        page.find_element(By.CSS_SELECTOR, 'textarea[name="parties"]').send_keys("United States\nIran")
        page.find_element(By.CSS_SELECTOR, 'input[name="mediator"]').send_keys("Oman")
        submit(page.find_element(By.TAG_NAME, "form"))
        wait_for(page).until(lambda d: d.find_elements(By.CSS_SELECTOR, "input.link"))
        link = page.find_element(By.CSS_SELECTOR, "input.link").get_attribute("value")
        fragment = dict(part.split("=", 1) for part in link.split("#", 1)[1].split("&"))
        talks, mediator = fragment["talks"], urllib.request.unquote(fragment["token"])
        open_seat.talks = talks
        check("talks opened from the page have sealed rooms", api.call("GET", f"/talks/{talks}/me", mediator)["sealedRooms"] is True)

        def invite(name, role):
            answer = api.call("POST", f"/talks/{talks}/members", mediator, {"party": "United States", "name": name, "role": role})
            return answer["memberId"], answer["token"]
        (envoy, envoy_token), (expert, expert_token) = invite("Envoy", "principal"), invite("Expert", "expert")
        api.call("POST", f"/talks/{talks}/members", mediator, {"party": "Iran", "name": "Minister", "role": "principal"})

        a = open_seat(base, envoy_token)
        drivers.append(a)
        wait_for(a, 20).until(lambda d: sealing_status(d).startswith("Sealed:"))
        check("the first member's page makes the room's key", sealing_status(a).startswith("Sealed:"), sealing_status(a))
        b = open_seat(base, expert_token)
        drivers.append(b)
        wait_for(b, 20).until(lambda d: sealing_status(d).startswith("Sealed:"))
        check("a colleague's open page shares the key with the second member", True)

        # The pages and Swift's reference (TalksTesting/SealedRoomMember) read one format: the page
        # unwraps the room key of a vector Swift made and opens its message.
        vector = json.load(open(os.path.join(os.path.dirname(SHUTTLE_ROOT_TESTS), "TalksTests", "Fixtures", "sealed-room-vector.json")))
        opened = b.execute_async_script("""
            const [vector, done] = arguments;
            (async () => {
            const Room = window.shuttle.sealed.constructor;
            const room = new Room({ talks: vector.talks }, { memberId: vector.recipient, party: vector.party }, () => {});
            const privateKey = await crypto.subtle.importKey("jwk", vector.recipientKey, { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
            room.pair = { privateKey };
            room.publicKey = vector.share.wrapped[0].publicKey;
            // A share whose sender key is not one its sender registered is not taken.
            await room.take({ seq: 1, from: vector.author, ...vector.share }, { sealingKeysEver: {} });
            const forged = await room.open(vector.envelope, vector.author);
            await room.take({ seq: 2, from: vector.author, ...vector.share }, { sealingKeysEver: { [vector.author]: [vector.share.senderKey] } });
            done({ forged, ...(await room.open(vector.envelope, vector.author)) });
            })().catch((failure) => done({ problem: String(failure) }));
        """, vector)
        check("the page opens a message Swift's reference sealed (Persian and English)", opened.get("text") == vector["text"], opened)
        check("a room key from a sender key nobody registered is not taken", "text" not in opened["forged"], opened["forged"])

        post_in_room(a, "United States", SECRET)
        wait_text(b, SECRET, 20)
        check("the colleague reads the sealed message in their page", SECRET in b.find_element(By.TAG_NAME, "main").text)

        # A member invited later waits, then reads the history, once a colleague's page shares it.
        late, late_token = invite("Adviser", "technical-lead")
        c = open_seat(base, late_token)
        drivers.append(c)
        wait_text(c, SECRET, 20)
        check("a member invited later reads the room's history", SECRET in c.find_element(By.TAG_NAME, "main").text)

        # A message that does not open says so; it is never shown empty.
        key = a.execute_script("return window.shuttle.state.room.keys.at(-1)")
        garbage = f"sealed:v1:{key}:{base64.b64encode(os.urandom(12)).decode()}:{base64.b64encode(os.urandom(48)).decode()}"
        api.call("POST", f"/talks/{talks}/messages", expert_token, {"channel": "room", "text": garbage})
        wait_text(a, "does not open", 20)
        problems = [e.text for e in a.find_elements(By.CSS_SELECTOR, ".sealed-problem")]
        check("a message that does not open is shown as such", len(problems) == 1 and "altered" in problems[0], problems)

        # The expert checks the envoy's key; the envoy gets a new link and opens it in a fresh
        # browser, with a new key: the expert's page shows it changed and shares nothing with it.
        row = f'#sealing-keys li[data-member="{envoy}"]'
        b.find_element(By.CSS_SELECTOR, f"{row} button").click()
        wait_for(b).until(lambda d: d.find_element(By.CSS_SELECTOR, row).get_attribute("data-trust") == "checked")
        c.get("about:blank")  # the adviser's page is closed: only the expert's could share now
        replaced = api.call("POST", f"/talks/{talks}/members/{envoy}/link", mediator)
        wait_for(b, 20).until(lambda d: not d.execute_script("return window.shuttle.state.room.needsNewKey")
                              and len(d.execute_script("return window.shuttle.state.room.keys")) == 2)
        check("a replaced link makes a colleague's page draw a new room key", True)
        a2 = open_seat(base, replaced["token"])
        drivers.append(a2)
        wait_for(b, 20).until(lambda d: d.find_element(By.CSS_SELECTOR, row).get_attribute("data-trust") == "changed")
        changed = b.find_element(By.CSS_SELECTOR, row)
        check("a checked key that changed is shown as changed, loudly",
              changed.get_attribute("role") == "alert" and "KEY CHANGED" in changed.text, changed.text)
        new_key = b.execute_script(f"return window.shuttle.state.sealingKeys['{envoy}']")
        time.sleep(2)
        shares = b.execute_script("return window.shuttle.state.roomKeyShares")
        to_new = [s for s in shares if any(w["publicKey"] == new_key for w in s["wrapped"])]
        check("nothing is wrapped to a changed key before it is checked again", not to_new, to_new)
        check("the envoy's fresh browser waits for the room's key", "Waiting for the room's key" in sealing_status(a2), sealing_status(a2))
        b.find_element(By.CSS_SELECTOR, f"{row} button").click()
        wait_text(a2, SECRET, 20)
        check("once checked again, the envoy's new key receives the history", SECRET in a2.find_element(By.TAG_NAME, "main").text)

        # The expert is removed; what is written after does not open in their page.
        c.back()
        c.refresh()
        wait_for(c, 20).until(lambda d: any(b.text == "Room" for b in d.find_elements(By.CSS_SELECTOR, "nav button")))
        tab(c, "Room")
        wait_text(c, SECRET, 20)
        api.call("DELETE", f"/talks/{talks}/members/{expert}", mediator)
        wait_for(a2, 20).until(lambda d: not d.execute_script("return window.shuttle.state.room.needsNewKey")
                               and len(d.execute_script("return window.shuttle.state.room.keys")) == 3)
        post_in_room(a2, "United States", LATER)
        wait_text(c, LATER, 20)
        check("the members who remain read what is written after", True)
        envelope = [e for e in api.call("GET", f"/talks/{talks}/events", replaced["token"])["events"] if e["type"] == "message-posted"][-1]
        opened = b.execute_async_script("const done = arguments[arguments.length - 1]; window.shuttle.sealed.open(arguments[0], arguments[1]).then(done)",
                                        envelope["text"], envelope["author"])
        check("a removed member's page cannot open what is written after", "text" not in opened and "does not hold" in opened.get("problem", ""), opened)

        api.call("POST", f"/talks/{talks}/messages", replaced["token"], {"channel": "shuttle", "text": CONTROL})

        # The adviser's link opened in a second browser registers another key: the first page says
        # that a key it did not make is registered in its member's name.
        c2 = open_seat(base, late_token)
        drivers.append(c2)
        wait_for(c, 20).until(lambda d: "did not make" in sealing_status(d))
        check("a page whose member's key was registered elsewhere says so", "tell your delegation" in sealing_status(c), sealing_status(c))

        # Where the text must not be: the database, every member's export, the mediator's view, the log.
        for driver in drivers:
            driver.get("about:blank")
        exports = {f"export of {who}": urllib.request.urlopen(urllib.request.Request(f"{base}/talks/{talks}/export", headers={"Authorization": f"Bearer {token}"})).read()
                   for who, token in [("the envoy", replaced["token"]), ("the adviser", late_token), ("the mediator", mediator)]}
        server.terminate()
        server.wait(timeout=20)
        log.close()
        stores = {path: open(path, "rb").read() for path in glob.glob(database + "*")}
        logged = open(log_path, "rb").read()
        check("the server logged every request at debug level", logged.count(b"method=POST") >= 10
              and b"route=/talks/{id}/messages" in logged and b"route=/talks/{id}/room-keys" in logged, len(logged))
        # A control: what is not sealed (a message to the mediator) is found by the same search.
        found = [where for where, content in {**stores, **exports}.items() if CONTROL.encode() in content]
        check("the same search finds a message that is not sealed", any(w.startswith(database) for w in found)
              and "export of the envoy" in found and "export of the mediator" in found, found)
        haystacks = {**stores, **exports, "server log": logged}
        check("the exports carry the envelopes", all(b"sealed:v1:" in content for where, content in exports.items() if "mediator" not in where))
        for text in [SECRET, LATER]:
            nowhere(f"no trace of '{text[:20]}…' in the database, exports or log", haystacks, text)
    finally:
        for driver in drivers:
            driver.quit()
        if server.poll() is None:
            server.kill()
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
