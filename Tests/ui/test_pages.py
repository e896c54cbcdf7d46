#!/usr/bin/env python3
"""End-to-end test of the web pages in a real headless browser (Debian's Chromium, via selenium).

Set-up in the browser: an operator (added with `shuttle operator add`) opens a talks in the
operator's page and copies the mediator's link; the mediator imports the agenda from the shipped
sample (only issues and options are sent), invites two delegates and copies their links, sees
who has opened their link, and opens two tracks with their members.

Then the mediator and two delegations, in three separate browser sessions, run a short talks:
- a message a delegation sends on its shuttle channel reaches the mediator and, relayed as a
  paraphrase, reaches the other delegation, where the original wording never appears;
- a message in a delegation's own room never appears in the mediator's or the other side's page;
- a proposal is countered and then accepted; a bracketed clause becomes agreed;
- a page reloaded in the middle resumes without losing or doubling events;
- the other side's room messages and preference numbers are in neither the DOM nor any response
  or WebSocket frame of a delegation's page;
- a delegation fills its preferences from the sample file in its own page and stores them;
- a delegation imports its guess of the other side's preferences, plays a rehearsal in its page
  against an automated counterpart (offers on its utility plot) and watches one; nothing of it
  reaches the other side's or the mediator's page, and its room's record keeps that it happened;
- both sides accept a package; the mediator looks for improvements in its page and proposes one;
  each side's page shows the agreed package as the fallback until both accept it, and then the
  improvement replaces it, in the pages and the record;
- the mediator gives a member a new link: the member's open page says, in words, that its link
  no longer works; the new link opens the seat and the old one answers 401;
- the mediator removes a member in the page: the roster drops them, the record tells everyone, and
  their token answers 401;
- form controls are labelled; the pages weigh under 200 KB; screenshots go to docs/screenshots/.

Usage: scripts/setup-ui-tests.sh && swift build && .venv-ui/bin/python Tests/ui/test_pages.py
Prints "N passed, M failed" last and exits non-zero on any failure.
"""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "debug", "shuttle"))
WEB = os.path.join(ROOT, "Sources", "TalksServer", "Web")
SHOTS = os.path.join(ROOT, "docs", "screenshots")
results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        results["passed"] += 1
        print(f"ok   {name}")
    else:
        results["failed"] += 1
        print(f"FAIL {name} {detail}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class API:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, body=None):
        request = urllib.request.Request(self.base + path, method=method, data=None if body is None else json.dumps(body).encode())
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return json.loads(text) if text else {}


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    return driver


def wait_for(driver, timeout=15):
    # Live updates replace list items under the test's feet: a stale element means "look again".
    return WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException])


def wait_text(driver, text, timeout=15):
    wait_for(driver, timeout).until(lambda d: text in d.find_element(By.TAG_NAME, "main").text)


def tab(driver, name):
    for button in driver.find_elements(By.CSS_SELECTOR, "nav button"):
        if button.text == name:
            button.click()
            return
    raise AssertionError(f"no tab {name}")


def submit(form):
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def panel(driver, title):
    return driver.find_element(By.CSS_SELECTOR, f'section[aria-label="{title}"]')


def everything_received(driver):
    """The page's DOM plus every HTTP response body and WebSocket frame it received."""
    texts = [driver.page_source]
    counts = {"frames": 0, "bodies": 0}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.webSocketFrameReceived":
            texts.append(message["params"]["response"]["payloadData"])
            counts["frames"] += 1
        elif message["method"] == "Network.responseReceived" and "/talks/" in message["params"]["response"]["url"]:
            try:
                body = driver.execute_cdp_cmd("Network.getResponseBody", {"requestId": message["params"]["requestId"]})
                # Chrome hands a body whose type it does not know as text (the export's
                # application/jsonl) in base64: decoded, or a secret in it would go unseen.
                texts.append(base64.b64decode(body["body"]).decode() if body.get("base64Encoded") else body["body"])
                counts["bodies"] += 1
            except Exception:
                pass
    return "\n".join(texts), counts


def request_bodies(driver):
    """Every request body the page sent (from the performance log)."""
    bodies = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            bodies.append(message["params"]["request"].get("postData", ""))
    return bodies


def clipboard(driver):
    return driver.execute_async_script("navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('error: ' + e))")


def copy_and_read(driver, box):
    """Clicks a link box's Copy button; returns (shown link, clipboard text)."""
    link = box.find_element(By.CSS_SELECTOR, "input.link").get_attribute("value")
    box.find_element(By.XPATH, ".//button[text()='Copy']").click()
    wait_for(driver, 5).until(lambda d: "Copied" in box.text)
    return link, clipboard(driver)


def link_parts(link):
    fragment = dict(part.split("=", 1) for part in link.split("#", 1)[1].split("&"))
    return fragment["talks"], fragment["token"]


def main():
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp()
    database = os.path.join(work, "ui.sqlite")
    added = subprocess.run([SHUTTLE, "operator", "add", "ui-operator", "--database", database], capture_output=True, text=True, check=True)
    operator_token = added.stdout.strip().split("\n")[-1]
    server = subprocess.Popen([SHUTTLE, "serve", "--database", database, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    drivers = []
    sample = os.path.join(ROOT, "Samples", "april-2025-talks.json")
    try:
        api = API(base)
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/openapi.json", timeout=1)
                break
            except Exception:
                time.sleep(0.1)

        def open_page(fragment, live=True):
            driver = browser()
            drivers.append(driver)
            driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
            driver.get(f"{base}/#{fragment}")
            if live:
                wait_for(driver, 15).until(lambda d: d.find_element(By.ID, "connection").text == "live")
            return driver

        # The operator opens the talks in the page and copies the mediator's link.
        operator = open_page(f"operator={operator_token}", live=False)
        wait_text(operator, "Open a talks")
        check("the operator link leaves the address bar", "operator" not in operator.current_url, operator.current_url)
        opening = panel(operator, "Open a talks")
        opening.find_element(By.NAME, "title").send_keys("Muscat (browser test)")
        opening.find_element(By.NAME, "parties").send_keys("United States\nIran")
        opening.find_element(By.NAME, "mediator").send_keys("Oman")
        submit(opening.find_element(By.TAG_NAME, "form"))
        wait_for(operator, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#opened-talks input.link"))
        mediator_link, copied = copy_and_read(operator, operator.find_element(By.CSS_SELECTOR, "#opened-talks .link-box"))
        check("the operator copies the mediator's link", copied == mediator_link and "#talks=" in mediator_link, copied)
        wait_text(operator, "Muscat (browser test)")
        check("the operator's page lists the talks opened", "United States · Iran" in panel(operator, "Your talks").text)
        talks, mediator = link_parts(mediator_link)

        # The mediator sets the agenda by importing the sample, then invites two delegates.
        med = open_page(mediator_link.split("#", 1)[1])
        wait_text(med, "Invite a member")
        editor = panel(med, "Agenda")
        editor.find_element(By.NAME, "scenario").send_keys(sample)
        wait_for(med, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#agenda-editor .issue-row")) == 5)
        submit(editor.find_elements(By.TAG_NAME, "form")[-1])
        wait_for(med, 10).until(lambda d: "The agenda is set." in panel(d, "Agenda").text)
        agenda = [e for e in api.call("GET", f"/talks/{talks}/events", mediator)["events"] if e["type"] == "agenda-set"][-1]["issues"]
        check("the imported agenda holds the sample's issues and options",
              [i["name"] for i in agenda] == ["enrichment ceiling", "enriched stockpile", "verification access", "sanctions relief", "duration"]
              and agenda[0]["options"] == ["no enrichment", "3.67%", "5%", "20%", "60%"], agenda)
        sent = "\n".join(request_bodies(med))
        check("the import sends issues and options, never the file's numbers", "reservationValue" not in sent and "weight" not in sent and "enrichment ceiling" in sent)

        # The browser's scenario reader agrees with Shuttle's on GENIUS files: the lunch fixtures
        # (integer issue, weights by index) against `shuttle convert`, and a file with a comment
        # before its declaration, raw ampersands and Latin-1.
        fixtures = os.path.join(ROOT, "Tests", "NegotiationFormatsTests", "Fixtures")
        converted = os.path.join(work, "lunch.json")
        subprocess.run([SHUTTLE, "convert", os.path.join(fixtures, "lunch"), "--to", "json", "--output", converted], capture_output=True, check=True)
        with open(converted) as f:
            reference = json.load(f)
        files = {name: open(os.path.join(fixtures, "lunch", name), encoding="utf-8").read() for name in ["lunch-domain.xml", "lunch-ann.xml", "lunch-bob.xml"]}
        files["domain.xml"] = open(os.path.join(fixtures, "tolerated", "domain.xml"), encoding="latin-1").read()
        files["profile-a.xml"] = open(os.path.join(fixtures, "tolerated", "profile-a.xml"), encoding="latin-1").read()
        read = med.execute_async_script("""
            const [files, done] = arguments;
            import('/scenario.js').then((m) => done(Object.fromEntries(Object.entries(files).map(([name, text]) => {
              try { return [name, m.parseScenario(name, text)]; } catch (e) { return [name, {error: e.message}]; } }))));""", files)
        domain_issues = {i["name"]: i["options"] for i in read["lunch-domain.xml"]["issues"]}
        expected_issues = {i["name"]: i.get("options") or [str(n) for n in range(i["integers"]["min"], i["integers"]["max"] + 1)] for i in reference["issues"]}
        check("the browser reads a GENIUS domain's issues and options as Shuttle does", domain_issues == expected_issues, domain_issues)
        agree = True
        for party in reference["parties"]:
            mine = read[f"{party['name']}.xml"]["parties"][0]
            for issue, preference in party["preferences"].items():
                agree &= abs(mine["weights"][issue] - preference["weight"]) < 1e-12
                agree &= all(abs(mine["values"][issue][o] - v) < 1e-12 for o, v in preference["values"].items())
            agree &= abs(mine["reservationValue"] - party["reservationValue"]) < 1e-12
        check("the browser reads GENIUS profiles as Shuttle's GENIUS reading does", agree, read["lunch-ann.xml"])
        check("the browser tolerates what Shuttle's reader tolerates",
              read["domain.xml"].get("issues") == [{"name": "café & bar", "options": ["crème", "A & B"]}]
              and read["profile-a.xml"]["parties"][0]["values"] == {"café & bar": {"crème": 1, "A & B": 0.5}}, read["domain.xml"])

        people = {}
        for key, party, name in [("us", "United States", "Special Envoy"), ("ir", "Iran", "Foreign Minister")]:
            invite = panel(med, "Members").find_elements(By.TAG_NAME, "form")[0]
            Select(invite.find_element(By.NAME, "party")).select_by_value(party)
            invite.find_element(By.NAME, "name").send_keys(name)
            Select(invite.find_element(By.NAME, "role")).select_by_value("principal")
            submit(invite)
            wait_for(med, 10).until(lambda d: name in d.find_element(By.ID, "issued-links").text)
            link, copied = copy_and_read(med, med.find_element(By.CSS_SELECTOR, "#issued-links .link-box"))
            check(f"the mediator copies {name}'s link", copied == link and f"#talks={talks}&token=" in link, copied)
            people[key] = {"token": link_parts(link)[1], "link": link}
        members = api.call("GET", f"/talks/{talks}/members", mediator)["members"]
        for key in ["us", "ir"]:
            people[key]["memberId"] = [m for m in members if m["name"] == ("Special Envoy" if key == "us" else "Foreign Minister")][0]["memberId"]
        check("the roster shows links not yet opened", panel(med, "Members").text.count("not opened yet") == 2)
        for key, party, role in [("us-x", "United States", "expert"), ("ir-x", "Iran", "expert")]:
            people[key] = api.call("POST", f"/talks/{talks}/members", mediator, {"party": party, "name": f"{party} {role}", "role": role})

        # Tracks, opened in the page with their members.
        tab(med, "Tracks")
        for name, level, member_keys in [("technical", "technical", ["us-x", "ir-x"]), ("principals", "principal", ["us", "ir"])]:
            opener = wait_for(med, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#open-track form"))
            opener.find_element(By.NAME, "name").send_keys(name)
            Select(opener.find_element(By.NAME, "level")).select_by_value(level)
            for key in member_keys:
                opener.find_element(By.CSS_SELECTOR, f'input[name=members][value="{people[key]["memberId"]}"]').click()
            submit(opener)
            try:
                wait_for(med, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'div[data-track="{name}"]'))
            except Exception:
                print(panel(med, "Tracks").text)
                raise
        tracks = {e["name"]: e["members"] for e in api.call("GET", f"/talks/{talks}/events", mediator)["events"] if e["type"] == "track-opened"}
        check("tracks opened in the page with their members", sorted(tracks["technical"]) == sorted([people["us-x"]["memberId"], people["ir-x"]["memberId"]])
              and sorted(tracks["principals"]) == sorted([people["us"]["memberId"], people["ir"]["memberId"]]), tracks)
        tab(med, "Shuttle")

        api.call("POST", f"/talks/{talks}/clauses", mediator, {"title": "Enrichment", "text": "Enrichment [shall cease][shall not exceed 3.67%]."})
        # The US's private numbers, distinctive so that any leak is found.
        values = {issue["name"]: {option: index / (len(issue["options"]) - 1) for index, option in enumerate(issue["options"])} for issue in agenda}
        values["enrichment ceiling"]["3.67%"] = 0.5772
        values["sanctions relief"]["phased lifting"] = 0.6931
        api.call("PUT", f"/talks/{talks}/preferences", people["us"]["token"], {
            "weights": {"enrichment ceiling": 0.6173, "sanctions relief": 0.3827, "enriched stockpile": 0, "verification access": 0, "duration": 0},
            "forbidden": {"enrichment ceiling": ["20%"]}, "reservationValue": 0.4142, "values": values})

        us, ir = open_page(people["us"]["link"].split("#", 1)[1]), open_page(people["ir"]["link"].split("#", 1)[1])
        check("the token leaves the address bar", "token" not in us.current_url, us.current_url)
        tab(med, "Set-up")
        members_panel = panel(med, "Members")
        members_panel.find_element(By.XPATH, ".//button[text()='Refresh']").click()
        wait_for(med, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, f'tr[data-member="{people["us"]["memberId"]}"] td.opened').text == "opened")
        check("the mediator sees which members opened their link",
              med.find_element(By.CSS_SELECTOR, f'tr[data-member="{people["us-x"]["memberId"]}"] td.opened').text == "not opened yet")
        tab(med, "Shuttle")

        # Iran writes to the mediator; the mediator relays a paraphrase to the US.
        original = "We could accept a ceiling of 3.67 percent if relief comes first (original words)."
        paraphrase = "Iran signals flexibility on enrichment in exchange for early relief."
        shuttle = panel(ir, "With the mediator")
        shuttle.find_element(By.CSS_SELECTOR, "textarea").send_keys(original)
        submit(shuttle.find_element(By.TAG_NAME, "form"))
        wait_text(med, original)
        check("the shuttle message reaches the mediator", True)
        # Persian mixed with English is written and shown right to left; English stays left to right.
        persian = "پیشنهاد ما سقف ۳٫۶۷ درصد است — our offer stands"
        box = shuttle.find_element(By.CSS_SELECTOR, "textarea")
        check("message boxes take the direction of their text", box.get_attribute("dir") == "auto")
        box.send_keys(persian)
        submit(shuttle.find_element(By.TAG_NAME, "form"))
        wait_text(med, persian)
        shown = [e for e in med.find_elements(By.CSS_SELECTOR, "div.text") if e.text in (persian, original)]
        directions = {e.text: med.execute_script("return getComputedStyle(arguments[0]).direction", e) for e in shown}
        check("Persian mixed with English is shown right to left, English left to right",
              directions.get(persian) == "rtl" and directions.get(original) == "ltr", directions)
        # While the mediator's tab is hidden, the title counts what arrives and a notification
        # (allowed here by a stand-in for the browser's) names nothing of it.
        title = med.title
        med.execute_script("""
            window.notes = [];
            window.Notification = class { static permission = "granted"; constructor(t, o) { window.notes.push(t + " " + o.body); } };
            Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
            document.dispatchEvent(new Event("visibilitychange"));""")
        hidden_text = "Iran, while the mediator looks away."
        api.call("POST", f"/talks/{talks}/messages", people["ir"]["token"], {"channel": "shuttle", "text": hidden_text})
        wait_for(med, 10).until(lambda d: d.title.startswith("(1) "))
        notes = med.execute_script("return window.notes")
        check("a hidden tab's title counts what arrives", med.title == f"(1) {title}", med.title)
        check("the notification names no content", notes == ["Shuttle 1 new item in your talks"], notes)
        med.execute_script("""
            Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
            document.dispatchEvent(new Event("visibilitychange"));""")
        check("the count goes once the tab is seen", med.title == title, med.title)
        column = med.find_element(By.CSS_SELECTOR, 'div[data-party="Iran"]')
        item = [li for li in column.find_elements(By.CSS_SELECTOR, "li") if original in li.text][0]
        item.find_element(By.TAG_NAME, "summary").click()
        relay = item.find_element(By.TAG_NAME, "form")
        Select(relay.find_element(By.NAME, "party")).select_by_value("United States")
        Select(relay.find_element(By.NAME, "mode")).select_by_value("paraphrase")
        relay.find_element(By.NAME, "text").send_keys(paraphrase)
        # Another message arrives while the mediator types: the half-written relay survives.
        api.call("POST", f"/talks/{talks}/messages", people["ir"]["token"], {"channel": "shuttle", "text": "A second note from Iran."})
        wait_text(med, "A second note from Iran.")
        check("typing survives live updates", relay.find_element(By.NAME, "text").get_attribute("value") == paraphrase)
        submit(relay)
        wait_text(us, paraphrase)
        check("the paraphrase reaches the other delegation", True)

        # A room message stays in the room.
        secret = "US internal: our real floor is zero enrichment (room only)."
        room = panel(us, "United States's room")
        room.find_element(By.CSS_SELECTOR, "textarea").send_keys(secret)
        submit(room.find_element(By.TAG_NAME, "form"))
        wait_text(us, secret)

        # Reload the US page in the middle: nothing lost, nothing doubled.
        us.refresh()
        wait_for(us, 15).until(lambda d: d.find_element(By.ID, "connection").text == "live")
        wait_text(us, secret)

        # Proposal: Iran proposes, the mediator forwards, the US counters, the mediator forwards, Iran accepts.
        proposals = panel(ir, "Proposals")
        form = proposals.find_elements(By.TAG_NAME, "form")[-1]
        Select(form.find_element(By.NAME, "enrichment ceiling")).select_by_value("3.67%")
        Select(form.find_element(By.NAME, "sanctions relief")).select_by_value("full lifting")
        submit(form)
        tab(med, "Proposals")
        wait_text(med, "P1")

        def forward(proposal, party):
            item = med.find_element(By.CSS_SELECTOR, f'li[data-proposal="{proposal}"]')
            Select(item.find_element(By.NAME, "party")).select_by_value(party)
            submit(item.find_element(By.TAG_NAME, "form"))

        forward("P1", "United States")
        wait_text(us, "sanctions relief: full lifting")
        item = us.find_element(By.CSS_SELECTOR, 'li[data-proposal="P1"]')
        item.find_element(By.TAG_NAME, "summary").click()
        counter = item.find_element(By.CSS_SELECTOR, "details form")
        Select(counter.find_element(By.NAME, "counter-enrichment ceiling")).select_by_value("3.67%")
        Select(counter.find_element(By.NAME, "counter-sanctions relief")).select_by_value("phased lifting")
        submit(counter)
        wait_text(med, "United States: counter")
        forward("P2", "Iran")
        wait_for(ir, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, 'li[data-proposal="P2"] .actions button'))
        ir.find_element(By.CSS_SELECTOR, 'li[data-proposal="P2"] .actions button').click()
        wait_text(med, "Iran: accept")
        check("a proposal is countered and then accepted", True)

        # The bracketed clause becomes agreed: ad referendum in the technical track, then by the principals.
        tab(med, "Framework text")
        for status_track in [("agreed-ad-referendum", "technical"), ("agreed", "principals")]:
            clause = med.find_element(By.CSS_SELECTOR, 'article[data-clause="C1"]')
            settle = clause.find_elements(By.TAG_NAME, "form")[-1]
            Select(settle.find_element(By.NAME, "track")).select_by_value(status_track[1])
            settle.find_element(By.NAME, "text").send_keys("Enrichment shall not exceed 3.67% for fifteen years.")
            submit(settle)
            wait_for(med, 15).until(lambda d: d.find_element(By.CSS_SELECTOR, 'article[data-clause="C1"] .status').get_attribute("class").endswith(status_track[0]))
        tab(us, "Framework text")
        wait_for(us, 15).until(lambda d: d.find_element(By.CSS_SELECTOR, 'article[data-clause="C1"] .status').text == "agreed")
        check("a bracketed clause becomes agreed", True)

        # Iran fills its preferences from the sample file, in its own browser, and stores them.
        tab(ir, "Preferences")
        title = "Your delegation's private preferences"
        panel(ir, title).find_element(By.NAME, "preferences-file").send_keys(sample)
        wait_for(ir, 10).until(lambda d: "Filled from 'Iran'" in panel(d, title).text)
        panel(ir, title).find_element(By.XPATH, ".//button[text()='Store preferences']").click()
        wait_for(ir, 15).until(lambda d: any(e["type"] == "preferences-stored" for e in api.call("GET", f"/talks/{talks}/events", people["ir"]["token"])["events"]))
        stored = [e for e in api.call("GET", f"/talks/{talks}/events", people["ir"]["token"])["events"] if e["type"] == "preferences-stored"][-1]["preferences"]
        with open(sample) as f:
            iran = [p for p in json.load(f)["parties"] if p["name"] == "Iran"][0]
        check("a delegation imports its preferences from a scenario file",
              stored["weights"] == {k: v["weight"] for k, v in iran["preferences"].items()}
              and stored["values"] == {k: v["values"] for k, v in iran["preferences"].items()}
              and stored["reservationValue"] == iran["reservationValue"]
              and {k: v for k, v in stored["forbidden"].items() if v} == iran["forbidden"], stored)

        # Improving an agreement: both accept a package that some other package beats for both;
        # the mediator looks for improvements in its page and proposes one; both accept it in
        # theirs. Until then each page shows the agreed package as the fallback.
        import itertools
        us_stored = [e for e in api.call("GET", f"/talks/{talks}/events", people["us"]["token"])["events"] if e["type"] == "preferences-stored"][-1]["preferences"]

        def utility(preferences, package):
            return sum(preferences["weights"].get(i, 0) * preferences["values"][i][o] for i, o in package.items())

        def acceptable(preferences, package):
            return utility(preferences, package) >= preferences["reservationValue"] and not any(
                package[i] in refused for i, refused in preferences.get("forbidden", {}).items())

        names = [issue["name"] for issue in agenda]
        packages = [dict(zip(names, choice)) for choice in itertools.product(*[issue["options"] for issue in agenda])]
        both = [p for p in packages if acceptable(us_stored, p) and acceptable(stored, p)]

        def beaten(package):
            return any(all(utility(x, q) > utility(x, package) for x in (us_stored, stored)) for q in both)

        weak = min((p for p in both if beaten(p)), key=lambda p: utility(us_stored, p) + utility(stored, p))
        api.call("POST", f"/talks/{talks}/proposals", mediator, {"package": weak, "parties": ["United States", "Iran"]})
        agreed = [e for e in api.call("GET", f"/talks/{talks}/events", mediator)["events"] if e["type"] == "proposal-made"][-1]["id"]
        for who in ("us", "ir"):
            mine = [e for e in api.call("GET", f"/talks/{talks}/events", people[who]["token"])["events"] if e["type"] == "proposal-made"][-1]["id"]
            api.call("POST", f"/talks/{talks}/proposals/{mine}/answer", people[who]["token"], {"answer": "accept"})
        tab(med, "Proposals")
        wait_for(med, 15).until(lambda d: "Accepted by every party" in d.find_element(By.CSS_SELECTOR, f'li[data-proposal="{agreed}"]').text)
        med.find_element(By.CSS_SELECTOR, f'li[data-proposal="{agreed}"]').find_element(By.XPATH, ".//button[text()='Look for improvements']").click()
        wait_for(med, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'li[data-proposal="{agreed}"] .improvements li'))
        offered = med.find_element(By.CSS_SELECTOR, f'li[data-proposal="{agreed}"] .improvements li').text.split("\n")[0]
        med.find_element(By.CSS_SELECTOR, f'li[data-proposal="{agreed}"] .improvements li button').click()
        pages = {"us": us, "ir": ir}
        for who, page in pages.items():
            tab(page, "Room")
            wait_for(page, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "li[data-proposal] .improvement"))
            item = page.find_elements(By.CSS_SELECTOR, "li[data-proposal] .improvement")[-1].find_element(By.XPATH, "..")
            check(f"the {who} page shows the agreement as the fallback while the improvement is open",
                  "stands as the fallback until every party accepts" in item.text and offered in item.text and not item.find_elements(By.TAG_NAME, "details"), item.text)
            item.find_element(By.XPATH, ".//button[text()='Accept']").click()
        wait_for(med, 15).until(lambda d: "accepted by every party: it replaces" in panel(d, "Proposals and suggestions").text)
        wait_for(us, 15).until(lambda d: "it replaces" in d.find_element(By.TAG_NAME, "main").text)
        settled = [e for e in api.call("GET", f"/talks/{talks}/events", people["ir"]["token"])["events"] if e["type"] == "improvement-settled"]
        check("an improvement accepted by both sides replaces the agreement, in the pages and the record",
              len(settled) == 1 and settled[0]["adopted"] is True and "Replaced by the improvement" in panel(med, "Proposals and suggestions").text)
        check("a partial package offers no improvement search", not med.find_elements(By.XPATH, "//li[@data-proposal='P2']//button[text()='Look for improvements']"))
        med.execute_script("arguments[0].scrollIntoView()", med.find_elements(By.CSS_SELECTOR, "li[data-proposal] .improvement")[-1])
        med.save_screenshot(os.path.join(SHOTS, "mediator-improvement.png"))

        # Nothing lost or doubled after the reload: the page's record equals the API's.
        tab(us, "Record")
        expected = [e["seq"] for e in api.call("GET", f"/talks/{talks}/events", people["us"]["token"])["events"]]
        wait_for(us, 15).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#main li[data-seq]")) >= len(expected))
        shown = [int(li.get_attribute("data-seq")) for li in us.find_elements(By.CSS_SELECTOR, "#main li[data-seq]")]
        check("a reloaded page resumes without losing or doubling events", shown == expected, f"{shown} vs {expected}")
        wait_for(us, 15).until(lambda d: "intact" in d.find_element(By.ID, "verification").text)
        check("the record page shows the chain's verification", True)

        # Rehearsal in the US room: a guess of Iran's preferences imported from the sample file,
        # then a rehearsal the US plays itself against a conceder, and one it watches.
        tab(us, "Rehearsal")
        guess_title = "Your guess of Iran's preferences"
        wait_for(us, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'section[aria-label="{guess_title}"]'))
        panel(us, guess_title).find_element(By.NAME, "guess-file").send_keys(sample)
        wait_for(us, 10).until(lambda d: "Filled from 'Iran'" in panel(d, guess_title).text)
        panel(us, guess_title).find_element(By.XPATH, ".//button[text()='Store the guess']").click()
        wait_for(us, 15).until(lambda d: d.find_elements(By.XPATH, "//section[@aria-label='Rehearsal']//button[text()='Start a rehearsal']"))
        rehearsal = panel(us, "Rehearsal")
        Select(rehearsal.find_element(By.NAME, "counterpart")).select_by_value("conceder")
        steps = rehearsal.find_element(By.NAME, "steps")
        steps.clear()
        steps.send_keys("8")
        rehearsal.find_element(By.XPATH, ".//button[text()='Start a rehearsal']").click()
        moves = 0
        while moves < 30:
            wait_for(us, 15).until(lambda d: "Rehearsal over" in panel(d, "Rehearsal").text or "Your move." in panel(d, "Rehearsal").text)
            rehearsal = panel(us, "Rehearsal")
            if "Rehearsal over" in rehearsal.text:
                break
            before = len(rehearsal.find_elements(By.CSS_SELECTOR, ".rehearsal-lines li"))
            offer = rehearsal.find_elements(By.XPATH, ".//button[text()='Make this offer']")
            if offer:
                box = rehearsal.find_element(By.CSS_SELECTOR, ".rehearsal-request form")
                for issue in agenda:
                    Select(box.find_element(By.NAME, f"rehearsal-{issue['name']}")).select_by_value(issue["options"][1])
                offer[0].click()
            else:
                rehearsal.find_element(By.XPATH, ".//button[text()='Accept' or text()='Vote for']" if moves >= 3 else ".//button[text()='Reject' or text()='Vote against']").click()
            moves += 1
            wait_for(us, 15).until(lambda d: "Rehearsal over" in panel(d, "Rehearsal").text or len(panel(d, "Rehearsal").find_elements(By.CSS_SELECTOR, ".rehearsal-lines li")) > before)
        rehearsal = panel(us, "Rehearsal")
        check("a delegation plays a rehearsal in its page to the end", "Rehearsal over" in rehearsal.text and moves >= 1 and "· you · offer" in rehearsal.text, rehearsal.text[-300:])
        check("the rehearsal's offers are on the delegation's utility plot", len(rehearsal.find_elements(By.CSS_SELECTOR, "svg.plot circle")) >= 2)
        us.save_screenshot(os.path.join(SHOTS, "delegation-rehearsal.png"))
        Select(rehearsal.find_element(By.NAME, "player")).select_by_value("boulware")
        rehearsal.find_element(By.XPATH, ".//button[text()='Start a rehearsal']").click()
        wait_for(us, 15).until(lambda d: "Rehearsal over" in panel(d, "Rehearsal").text and "you" in panel(d, "Rehearsal").text)
        held = [e for e in api.call("GET", f"/talks/{talks}/events", people["us"]["token"])["events"] if e["type"] == "rehearsal-held"]
        check("the US room's record keeps that it rehearsed, twice", len(held) == 2 and held[1]["rehearsal"].get("player") == "boulware", held)
        for who, token in [("Iran", people["ir"]["token"]), ("the mediator", mediator)]:
            kinds = {e["type"] for e in api.call("GET", f"/talks/{talks}/events", token)["events"]}
            check(f"{who} reads nothing of the rehearsal or the guess", not kinds & {"rehearsal-held", "guess-stored"}, kinds)

        # Each page checked the record it shows against the server's signed checkpoints.
        for who, page in [("the mediator", med), ("the US", us), ("Iran", ir)]:
            state = page.find_element(By.ID, "record").text
            check(f"{who}'s page verified its record", state.startswith("verified to event"), state)

        # Confidentiality, read from the DOM and from every response and frame each page received.
        time.sleep(1)
        iran_all, iran_counts = everything_received(ir)
        mediator_all, _ = everything_received(med)
        us_all, _ = everything_received(us)
        check("the network capture saw the page's responses and frames", iran_counts["frames"] > 5 and iran_counts["bodies"] > 1, iran_counts)
        check("the other delegation never sees the US room", secret not in iran_all)
        check("the mediator never sees the US room", secret not in mediator_all)
        check("the receiving delegation never sees the original words", original not in us_all)
        leaks = [n for n in ["0.6173", "0.3827", "0.4142", "0.5772", "0.6931"] if n in iran_all or n in mediator_all]
        check("no US preference number reaches Iran's or the mediator's page", not leaks, leaks)
        check("nothing of the US rehearsal reaches Iran's or the mediator's page", not any(w in iran_all or w in mediator_all for w in ["rehearsal-held", "guess-stored", "Rehearsal over"]))
        check("the US page does hold its own preferences", "0.6173" in us_all)

        # Accessibility basics: every control has a label.
        for name, driver in [("mediator", med), ("delegation", us)]:
            for view in [b.text for b in driver.find_elements(By.CSS_SELECTOR, "nav button")]:
                tab(driver, view)
                unlabelled = driver.execute_script("""
                    return [...document.querySelectorAll('input, select, textarea')].filter(c =>
                      !c.getAttribute('aria-label') && !(c.id && document.querySelector(`label[for="${c.id}"]`)) && !c.closest('label')).length""")
                check(f"every control is labelled ({name}, {view})", unlabelled == 0, f"{unlabelled} unlabelled")

        # The mediator gives the Iranian expert a new link: the expert's open page says so in words.
        expert = open_page(f"talks={talks}&token={people['ir-x']['token']}")
        tab(med, "Set-up")
        row = med.find_element(By.CSS_SELECTOR, f'tr[data-member="{people["ir-x"]["memberId"]}"]')
        row.find_element(By.XPATH, ".//button[text()='New link']").click()
        med.switch_to.alert.accept()
        wait_for(expert, 15).until(lambda d: "This link no longer works" in d.find_element(By.TAG_NAME, "main").text)
        check("a member whose link is replaced sees it in words", "Ask the mediator for your current link" in expert.find_element(By.TAG_NAME, "main").text)
        check("the revoked page keeps nothing of the talks", "Tracks" not in expert.find_element(By.ID, "tabs").text and expert.find_element(By.ID, "connection").text == "closed")
        wait_for(med, 10).until(lambda d: "New link for Iran expert" in d.find_element(By.ID, "issued-links").text)
        new_link = med.find_element(By.CSS_SELECTOR, "#issued-links .link-box input.link").get_attribute("value")
        os.makedirs(SHOTS, exist_ok=True)
        expert.save_screenshot(os.path.join(SHOTS, "revoked.png"))
        expert = open_page(new_link.split("#", 1)[1])
        check("the new link opens the expert's seat", "Iran expert" in expert.find_element(By.ID, "who").text)
        stale = urllib.request.Request(f"{base}/talks/{talks}/me", headers={"Authorization": f"Bearer {people['ir-x']['token']}"})
        try:
            urllib.request.urlopen(stale, timeout=5)
            check("the old link answers 401", False)
        except urllib.error.HTTPError as error:
            check("the old link answers 401", error.code == 401, error.code)

        # The mediator removes the US expert in the page: gone from the roster, their token dead.
        row = med.find_element(By.CSS_SELECTOR, f'tr[data-member="{people["us-x"]["memberId"]}"]')
        row.find_element(By.XPATH, ".//button[text()='Remove']").click()
        med.switch_to.alert.accept()
        wait_for(med, 15).until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'tr[data-member="{people["us-x"]["memberId"]}"]'))
        removed = [e for e in api.call("GET", f"/talks/{talks}/events", people["ir"]["token"])["events"] if e["type"] == "member-removed"]
        check("a member removed in the page leaves the roster, and the record says so to everyone",
              [e["member"] for e in removed] == [people["us-x"]["memberId"]])
        try:
            urllib.request.urlopen(urllib.request.Request(f"{base}/talks/{talks}/me", headers={"Authorization": f"Bearer {people['us-x']['token']}"}), timeout=5)
            check("a removed member's token answers 401", False)
        except urllib.error.HTTPError as error:
            check("a removed member's token answers 401", error.code == 401, error.code)

        # Screenshots of the views.
        operator.refresh()
        wait_text(operator, "Muscat (browser test)")
        operator.save_screenshot(os.path.join(SHOTS, "operator.png"))
        tab(med, "Set-up")
        med.save_screenshot(os.path.join(SHOTS, "mediator-setup.png"))
        tab(med, "Shuttle")
        med.save_screenshot(os.path.join(SHOTS, "mediator-console.png"))
        tab(us, "Room")
        us.save_screenshot(os.path.join(SHOTS, "delegation-room.png"))
        tab(ir, "Preferences")
        ir.save_screenshot(os.path.join(SHOTS, "delegation-preferences.png"))
        tab(expert, "Tracks")
        expert.save_screenshot(os.path.join(SHOTS, "track.png"))
        us.set_window_size(390, 844)
        tab(us, "Room")
        us.save_screenshot(os.path.join(SHOTS, "phone.png"))
        check("screenshots written", all(os.path.getsize(os.path.join(SHOTS, f)) > 10000 for f in
                                        ["operator.png", "mediator-setup.png", "mediator-console.png", "delegation-room.png", "track.png", "phone.png", "revoked.png", "delegation-rehearsal.png", "mediator-improvement.png"]))

        weight = sum(os.path.getsize(os.path.join(WEB, f)) for f in os.listdir(WEB))
        check(f"the pages weigh under 200 KB ({weight} bytes)", weight < 200 * 1024)
    except Exception as error:
        import traceback
        traceback.print_exc()
        check("the scenario ran to the end", False, repr(error))
    finally:
        for driver in drivers:
            driver.quit()
        server.kill()
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
