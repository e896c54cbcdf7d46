#!/usr/bin/env python3
"""End-to-end test of the web pages in a real headless browser (Debian's Chromium, via selenium).

The mediator and two delegations, in three separate browser sessions, run a short talks:
- a message a delegation sends on its shuttle channel reaches the mediator and, relayed as a
  paraphrase, reaches the other delegation, where the original wording never appears;
- a message in a delegation's own room never appears in the mediator's or the other side's page;
- a proposal is countered and then accepted; a bracketed clause becomes agreed;
- a page reloaded in the middle resumes without losing or doubling events;
- the other side's room messages and preference numbers are in neither the DOM nor any response
  or WebSocket frame of a delegation's page;
- form controls are labelled; the pages weigh under 200 KB; screenshots of the three views go to
  docs/screenshots/.

Usage: scripts/setup-ui-tests.sh && swift build && .venv-ui/bin/python Tests/ui/test_pages.py
Prints "N passed, M failed" last and exits non-zero on any failure.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
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
                texts.append(driver.execute_cdp_cmd("Network.getResponseBody", {"requestId": message["params"]["requestId"]})["body"])
                counts["bodies"] += 1
            except Exception:
                pass
    return "\n".join(texts), counts


def main():
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp()
    server = subprocess.Popen([SHUTTLE, "serve", "--database", os.path.join(work, "ui.sqlite"), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    drivers = []
    try:
        api = API(base)
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/openapi.json", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        opened = api.call("POST", "/talks", body={"title": "Muscat (browser test)", "parties": ["United States", "Iran"], "mediator": "Oman"})
        talks, mediator = opened["id"], opened["mediatorToken"]
        people = {}
        for key, party, role in [("us", "United States", "principal"), ("ir", "Iran", "principal"),
                                 ("us-x", "United States", "expert"), ("ir-x", "Iran", "expert")]:
            people[key] = api.call("POST", f"/talks/{talks}/members", mediator, {"party": party, "name": f"{party} {role}", "role": role})
        api.call("PUT", f"/talks/{talks}/agenda", mediator, {"issues": [
            {"name": "enrichment", "options": ["none", "3.67%", "20%"]}, {"name": "relief", "options": ["full", "phased", "none"]}]})
        api.call("POST", f"/talks/{talks}/tracks", mediator, {"name": "technical", "level": "technical", "members": [people["us-x"]["memberId"], people["ir-x"]["memberId"]]})
        api.call("POST", f"/talks/{talks}/tracks", mediator, {"name": "principals", "level": "principal", "members": [people["us"]["memberId"], people["ir"]["memberId"]]})
        api.call("POST", f"/talks/{talks}/clauses", mediator, {"title": "Enrichment", "text": "Enrichment [shall cease][shall not exceed 3.67%]."})
        # The US's private numbers, distinctive so that any leak is found.
        api.call("PUT", f"/talks/{talks}/preferences", people["us"]["token"], {
            "weights": {"enrichment": 0.6173, "relief": 0.3827}, "forbidden": {"enrichment": ["20%"]}, "reservationValue": 0.4142,
            "values": {"enrichment": {"none": 1, "3.67%": 0.5772, "20%": 0}, "relief": {"full": 0, "phased": 0.6931, "none": 1}}})

        def open_page(token):
            driver = browser()
            drivers.append(driver)
            driver.get(f"{base}/#talks={talks}&token={token}")
            wait_for(driver, 15).until(lambda d: d.find_element(By.ID, "connection").text == "live")
            return driver

        med, us, ir = open_page(mediator), open_page(people["us"]["token"]), open_page(people["ir"]["token"])
        check("the token leaves the address bar", "token" not in us.current_url, us.current_url)

        # Iran writes to the mediator; the mediator relays a paraphrase to the US.
        original = "We could accept a ceiling of 3.67 percent if relief comes first (original words)."
        paraphrase = "Iran signals flexibility on enrichment in exchange for early relief."
        shuttle = panel(ir, "With the mediator")
        shuttle.find_element(By.CSS_SELECTOR, "textarea").send_keys(original)
        submit(shuttle.find_element(By.TAG_NAME, "form"))
        wait_text(med, original)
        check("the shuttle message reaches the mediator", True)
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
        Select(form.find_element(By.NAME, "enrichment")).select_by_value("3.67%")
        Select(form.find_element(By.NAME, "relief")).select_by_value("full")
        submit(form)
        tab(med, "Proposals")
        wait_text(med, "P1")

        def forward(proposal, party):
            item = med.find_element(By.CSS_SELECTOR, f'li[data-proposal="{proposal}"]')
            Select(item.find_element(By.NAME, "party")).select_by_value(party)
            submit(item.find_element(By.TAG_NAME, "form"))

        forward("P1", "United States")
        wait_text(us, "relief: full")
        item = us.find_element(By.CSS_SELECTOR, 'li[data-proposal="P1"]')
        item.find_element(By.TAG_NAME, "summary").click()
        counter = item.find_element(By.CSS_SELECTOR, "details form")
        Select(counter.find_element(By.NAME, "counter-enrichment")).select_by_value("3.67%")
        Select(counter.find_element(By.NAME, "counter-relief")).select_by_value("phased")
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

        # Nothing lost or doubled after the reload: the page's record equals the API's.
        tab(us, "Record")
        expected = [e["seq"] for e in api.call("GET", f"/talks/{talks}/events", people["us"]["token"])["events"]]
        wait_for(us, 15).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#main li[data-seq]")) >= len(expected))
        shown = [int(li.get_attribute("data-seq")) for li in us.find_elements(By.CSS_SELECTOR, "#main li[data-seq]")]
        check("a reloaded page resumes without losing or doubling events", shown == expected, f"{shown} vs {expected}")
        wait_for(us, 15).until(lambda d: "intact" in d.find_element(By.ID, "verification").text)
        check("the record page shows the chain's verification", True)

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
        check("the US page does hold its own preferences", "0.6173" in us_all)

        # Accessibility basics: every control has a label.
        for name, driver in [("mediator", med), ("delegation", us)]:
            for view in [b.text for b in driver.find_elements(By.CSS_SELECTOR, "nav button")]:
                tab(driver, view)
                unlabelled = driver.execute_script("""
                    return [...document.querySelectorAll('input, select, textarea')].filter(c =>
                      !c.getAttribute('aria-label') && !(c.id && document.querySelector(`label[for="${c.id}"]`)) && !c.closest('label')).length""")
                check(f"every control is labelled ({name}, {view})", unlabelled == 0, f"{unlabelled} unlabelled")

        # Screenshots of the three views.
        os.makedirs(SHOTS, exist_ok=True)
        tab(med, "Shuttle")
        med.save_screenshot(os.path.join(SHOTS, "mediator-console.png"))
        tab(us, "Room")
        us.save_screenshot(os.path.join(SHOTS, "delegation-room.png"))
        tab(ir, "Preferences")
        ir.save_screenshot(os.path.join(SHOTS, "delegation-preferences.png"))
        expert = open_page(people["ir-x"]["token"])
        tab(expert, "Tracks")
        expert.save_screenshot(os.path.join(SHOTS, "track.png"))
        us.set_window_size(390, 844)
        tab(us, "Room")
        us.save_screenshot(os.path.join(SHOTS, "phone.png"))
        check("screenshots written", all(os.path.getsize(os.path.join(SHOTS, f)) > 10000 for f in
                                        ["mediator-console.png", "delegation-room.png", "track.png", "phone.png"]))

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
