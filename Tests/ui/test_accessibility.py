#!/usr/bin/env python3
"""Pages for every person, in real Chromium: accessibility, the keyboard, and the record as minutes.

The test checks:
- axe-core (axe-selenium-python) finds no violation of serious or critical impact on any page and
  tab: the join page, the operator's page, every tab of the mediator's console (its set-up too),
  every tab of a principal's and an expert's page, the elicitation's questions, a rehearsal under
  way and the record;
- a delegate does a whole exchange with the keyboard alone (tabs, room, mediator, a proposal, an
  answer to the mediator's proposal, an elicitation question, stored preferences), and what has
  focus is visibly outlined;
- the Record tab reads as minutes: events in words, filtered by channel, round and track, searched,
  and printed to PDF with the talks' title, the member's name and page numbers, and no controls.

Usage: scripts/setup-ui-tests.sh && swift build && .venv-ui/bin/python Tests/ui/test_accessibility.py
Prints "N passed, M failed" last and exits non-zero on any failure.
"""
import base64
import io
import os
import sys
import time

from axe_selenium_python import Axe
from pypdf import PdfReader
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_record_checks import serve_fresh, stop  # noqa: E402
from test_pages import API, SHOTS, browser, check, results, tab, wait_for  # noqa: E402

AGENDA = [
    {"name": "enrichment", "options": ["none", "3.67%", "20%"]},
    {"name": "relief", "options": ["full", "phased", "none"]},
]
PREFERENCES = {
    "weights": {"enrichment": 0.6, "relief": 0.4}, "forbidden": {"enrichment": ["20%"]}, "reservationValue": 0.2,
    "values": {"enrichment": {"none": 1, "3.67%": 0.6, "20%": 0}, "relief": {"full": 0, "phased": 0.5, "none": 1}},
}
GUESS = {
    "weights": {"enrichment": 0.5, "relief": 0.5}, "forbidden": {}, "reservationValue": 0,
    "values": {"enrichment": {"none": 0, "3.67%": 0.7, "20%": 1}, "relief": {"full": 1, "phased": 0.6, "none": 0}},
}


def axe_check(driver, where):
    """Runs axe-core on the page as it stands; checks no serious or critical violation."""
    time.sleep(0.3)  # let a live update settle
    axe = Axe(driver)
    axe.inject()
    found = axe.run(options='{"resultTypes": ["violations"]}')
    bad = [v for v in found["violations"] if v["impact"] in ("serious", "critical")]
    detail = "; ".join(f'{v["id"]} ({v["impact"]}): {v["nodes"][0]["target"]} {v["nodes"][0].get("failureSummary", "")[:160]}' for v in bad[:4])
    check(f"axe: no serious or critical violation on {where}", not bad, detail)


def tabs_of(driver):
    return [b.text for b in driver.find_elements(By.CSS_SELECTOR, "nav button")]


def open_page(base, talks, token):
    driver = browser()
    driver.get(f"{base}/#talks={talks}&token={token}")
    wait_for(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "nav button"))
    wait_for(driver, 20).until(lambda d: d.find_element(By.ID, "record").text.startswith("verified"))
    return driver


def every_tab(driver, who):
    for name in tabs_of(driver):
        tab(driver, name)
        time.sleep(0.5)
        axe_check(driver, f"{who}'s {name} tab")


def focused(driver):
    return driver.switch_to.active_element


def press(driver, *keys):
    """Keys pressed on whatever has the focus, as a person would: no element is clicked."""
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver, describe, matches, limit=300):
    """Presses Tab (only the keyboard) until the focused element matches; fails loudly if never."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        try:
            if matches(focused(driver)):
                return focused(driver)
        except StaleElementReferenceException:
            pass  # a live update replaced it under the test: Tab on
    raise AssertionError(f"Tab never reached {describe}")


def is_button(text):
    return lambda e: e.tag_name == "button" and e.text == text


def in_panel(title, tag):
    return lambda e: e.tag_name == tag and e.find_elements(By.XPATH, f"ancestor::section[@aria-label=\"{title}\"]")


def events(api, talks, token, kind):
    return [e for e in api.call("GET", f"/talks/{talks}/events", token)["events"] if e["type"] == kind]


def keyboard_exchange(api, base, talks, tokens, mediator):
    driver = open_page(base, talks, tokens["us"])
    try:
        # The Room tab, by keyboard.
        tab_to(driver, "the Room tab", is_button("Room"))
        press(driver, Keys.ENTER)
        outline = driver.execute_script("const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];")
        check("the focused tab is visibly outlined", outline[0] != "none" and outline[1] != "0px", outline)
        box = tab_to(driver, "the room's message box", in_panel("United States's room", "textarea"))
        press(driver, "Typed without a mouse: our room's note")
        press(driver, Keys.TAB)
        check("Tab leads from the message to its Send button", focused(driver).text == "Send", focused(driver).text)
        press(driver, Keys.ENTER)
        wait_for(driver, 15).until(lambda d: any("without a mouse" in e["text"] for e in events(api, talks, tokens["us"], "message-posted")))
        check("a room message is posted with the keyboard alone", True)
        box = tab_to(driver, "the message box to the mediator", in_panel("With the mediator", "textarea"))
        press(driver, "To the mediator, by keyboard", Keys.TAB, Keys.SPACE)
        wait_for(driver, 15).until(lambda d: any(e["text"] == "To the mediator, by keyboard" for e in events(api, talks, mediator, "message-posted")))
        check("a message to the mediator is sent with the keyboard alone", True)
        # A proposal: options chosen by typing into the focused selects.
        select = tab_to(driver, "the proposal's first issue", lambda e: e.tag_name == "select" and e.get_attribute("name") == "enrichment")
        press(driver, "3", Keys.TAB, "p", Keys.TAB)
        check("Tab leads to the proposal's button", focused(driver).text == "Send to the mediator", focused(driver).text)
        press(driver, Keys.ENTER)
        wait_for(driver, 15).until(lambda d: events(api, talks, mediator, "proposal-submitted"))
        sent = events(api, talks, mediator, "proposal-submitted")[-1]["content"]["package"]
        check("a proposal is sent with the keyboard alone", sent == {"enrichment": "3.67%", "relief": "phased"}, sent)
        # The mediator proposes; the delegate accepts with the keyboard.
        made = api.call("POST", f"/talks/{talks}/proposals", mediator, {"package": {"enrichment": "none", "relief": "phased"}, "parties": ["United States", "Iran"]})
        wait_for(driver, 15).until(lambda d: d.find_elements(By.XPATH, "//section[@aria-label='Proposals']//button[text()='Accept']"))
        tab_to(driver, "the Accept button", lambda e: is_button("Accept")(e) and e.find_elements(By.XPATH, "ancestor::section[@aria-label='Proposals']"))
        press(driver, Keys.ENTER)
        wait_for(driver, 15).until(lambda d: any(e["answer"] == "accept" for e in events(api, talks, mediator, "proposal-answered")))
        check("the mediator's proposal is accepted with the keyboard alone", bool(made))
        wait_for(driver, 15).until(lambda d: "Your answer: accept" in focused(d).text)
        check("after answering, the focus stays on the proposal answered", "Your answer: accept" in focused(driver).text, focused(driver).text)
        # An elicitation question: an order with the Down button, then the answer.
        tab_to(driver, "the Preferences tab", is_button("Preferences"))
        press(driver, Keys.ENTER)
        wait_for(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#elicitation fieldset.question"))
        legend = driver.find_element(By.CSS_SELECTOR, "#elicitation fieldset.question legend").text
        if "put the options of" in legend:
            first = driver.find_element(By.CSS_SELECTOR, "#elicitation ol.order li bdi").text
            down = tab_to(driver, "a Move down button", lambda e: (e.get_attribute("aria-label") or "") == f"Move {first} down")
            press(driver, Keys.ENTER)
            check("after moving an option, focus stays on the moved option's button",
                  first in (focused(driver).get_attribute("aria-label") or ""), focused(driver).get_attribute("aria-label"))
            tab_to(driver, "This is our order", is_button("This is our order"))
        else:
            tab_to(driver, "Package A", is_button("Package A"))
        press(driver, Keys.ENTER)
        wait_for(driver, 15).until(lambda d: events(api, talks, tokens["us"], "preference-answers-stored"))
        check("an elicitation question is answered with the keyboard alone", True)
        # Preferences: a number typed, stored with the keyboard.
        weight = tab_to(driver, "the weight of enrichment", lambda e: e.get_attribute("aria-label") == "weight of enrichment")
        press(driver, Keys.CONTROL + "a", "0.7")
        tab_to(driver, "the button that stores preferences", lambda e: e.tag_name == "button" and e.text in ("Save changes", "Store preferences"))
        press(driver, Keys.ENTER)
        wait_for(driver, 15).until(lambda d: any(e["preferences"]["weights"]["enrichment"] == 0.7 for e in events(api, talks, tokens["us"], "preferences-stored")))
        check("preferences are stored with the keyboard alone", True)
    finally:
        driver.quit()


def minutes_checks(api, base, talks, tokens, mediator):
    driver = open_page(base, talks, tokens["us"])
    try:
        tab(driver, "Record")
        wait_for(driver, 15).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#minutes li[data-seq]")) > 10)
        entries = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#minutes li[data-seq]")]
        text = "\n".join(entries)
        check("the minutes write events in words", "The agenda was set: enrichment (none, 3.67%, 20%)" in text and "Typed without a mouse" in text, text[:600])
        check("the minutes name no raw event type", not any(t in text for t in ["member-invited", "agenda-set", "message-posted"]))
        check("a proposal reads with its package and to whom", "The mediator proposed the package enrichment: none; relief: phased to Iran and United States" in text, text)
        check("a message says on which channel it was written",
              "Envoy wrote in your delegation's room: “Typed without a mouse" in text and "Envoy wrote to the mediator: “To the mediator, by keyboard”" in text, text)
        total = len(entries)
        Select(driver.find_element(By.ID, "minutes-channel")).select_by_visible_text("Your room")
        shown = driver.find_elements(By.CSS_SELECTOR, "#minutes li[data-seq]")
        check("filtering by channel keeps only that channel's entries",
              0 < len(shown) < total and all("Your room" in li.find_element(By.CSS_SELECTOR, ".meta").text for li in shown), [li.text[:80] for li in shown])
        Select(driver.find_element(By.ID, "minutes-channel")).select_by_index(0)
        rounds = Select(driver.find_element(By.ID, "minutes-round"))
        round_names = [o.text for o in rounds.options]
        check("the round filter lists the scheduled round", any(n.startswith("R1") for n in round_names), round_names)
        rounds.select_by_index([i for i, n in enumerate(round_names) if n.startswith("R1")][0])
        in_round = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#minutes li[data-seq]")]
        check("filtering by round keeps the round's entries", in_round and any("Round R1 was scheduled" in t for t in in_round) and len(in_round) < total, in_round[:3])
        rounds.select_by_visible_text("Before the first round")
        before = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#minutes li[data-seq]")]
        check("what came before the first round is its own filter", any("The agenda was set" in t for t in before) and not any("Round R1" in t for t in before), before[:3])
        rounds.select_by_index(0)
        search = driver.find_element(By.ID, "minutes-search")
        search.send_keys("phased")
        found = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#minutes li[data-seq]")]
        check("searching keeps the entries that mention the words", found and all("phased" in t for t in found), found)
        check("the count of entries shown is announced", driver.find_element(By.ID, "minutes-count").get_attribute("aria-live") == "polite"
              and f"of {total} entries shown" in driver.find_element(By.ID, "minutes-count").text)
        search.clear()
        search.send_keys(Keys.BACKSPACE)
        axe_check(driver, "the minutes, filtered")
        driver.execute_script("document.getElementById('minutes').scrollIntoView({ block: 'end' })")
        driver.save_screenshot(os.path.join(SHOTS, "record-minutes.png"))
        # Print to PDF, as the browser's print does: the print style sheet, the page's own size.
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})
        reader = PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))
        pages = [page.extract_text() for page in reader.pages]
        printed = "\n".join(pages)
        check("the printed minutes carry the talks' title and the member's name",
              "Vienna talks: minutes" in printed and "As seen by Envoy, United States" in printed, printed[:300])
        check("every printed page is numbered", all(f"Page {i + 1} of {len(pages)}" in p for i, p in enumerate(pages)), [p[-80:] for p in pages])
        check("the printed minutes hold the entries, not the page's controls",
              "The agenda was set" in printed and "Print or save as PDF" not in printed and "Rehearsal" not in printed and "Mark as checked" not in printed, printed[:400])
    finally:
        driver.quit()
    # The mediator filters by track.
    driver = open_page(base, talks, mediator)
    try:
        tab(driver, "Record")
        wait_for(driver, 15).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#minutes li[data-seq]")) > 10)
        Select(driver.find_element(By.ID, "minutes-track")).select_by_visible_text("sanctions")
        on_track = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#minutes li[data-seq]")]
        check("filtering by track keeps the track's entries",
              on_track and any("track “sanctions” opened" in t for t in on_track) and any("Sanctions experts meet Tuesday" in t for t in on_track)
              and not any("The agenda was set" in t for t in on_track), on_track)
    finally:
        driver.quit()


def main():
    base, _, operator, server = serve_fresh("access")
    drivers = []
    try:
        api = API(base)
        opened = api.call("POST", "/talks", operator, {"title": "Vienna talks", "parties": ["United States", "Iran"], "mediator": "Oman"})
        talks, mediator = opened["id"], opened["mediatorToken"]
        tokens, ids = {}, {}
        for key, party, name, role in [("us", "United States", "Envoy", "principal"), ("us-expert", "United States", "Analyst", "expert"),
                                       ("iran", "Iran", "Minister", "principal"), ("iran-expert", "Iran", "Engineer", "expert")]:
            answer = api.call("POST", f"/talks/{talks}/members", mediator, {"party": party, "name": name, "role": role})
            tokens[key], ids[key] = answer["token"], answer["memberId"]
        api.call("PUT", f"/talks/{talks}/agenda", mediator, {"issues": AGENDA})
        api.call("POST", f"/talks/{talks}/rounds", mediator, {"date": "2099-01-10", "venue": "Muscat", "level": "principal", "format": "indirect"})
        api.call("POST", f"/talks/{talks}/tracks", mediator, {"name": "sanctions", "level": "technical", "issues": ["relief"], "members": [ids["us-expert"], ids["iran-expert"]]})
        api.call("POST", f"/talks/{talks}/messages", tokens["us-expert"], {"channel": "track:sanctions", "text": "Sanctions experts meet Tuesday"})
        api.call("POST", f"/talks/{talks}/clauses", mediator, {"title": "Relief", "text": "Sanctions are lifted in phases."})
        api.call("POST", f"/talks/{talks}/messages", tokens["iran"], {"channel": "shuttle", "text": "Iran asks for phased relief"})
        # Numbered in the mediator's own view.
        seq = [e for e in events(api, talks, mediator, "message-posted") if e["text"] == "Iran asks for phased relief"][0]["seq"]
        api.call("POST", f"/talks/{talks}/relays", mediator, {"message": seq, "party": "United States", "mode": "verbatim"})
        api.call("PUT", f"/talks/{talks}/preferences", tokens["iran"], GUESS)
        api.call("PUT", f"/talks/{talks}/preferences", tokens["us"], PREFERENCES)
        api.call("PUT", f"/talks/{talks}/guesses/Iran", tokens["us"], GUESS)

        # The join page and the operator's page.
        page = browser()
        drivers.append(page)
        page.get(base + "/")
        wait_for(page, 10).until(lambda d: d.find_elements(By.ID, "join"))
        axe_check(page, "the join page")
        # The harness itself: a button with no name is a critical violation axe must report.
        page.execute_script("document.body.append(Object.assign(document.createElement('button'), { id: 'axe-probe' }))")
        axe = Axe(page)
        axe.inject()
        probe = [v["id"] for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]
        check("axe reports a nameless button as it should (the check can fail)", "button-name" in probe, probe)
        page.get("about:blank")
        page.get(f"{base}/#operator={operator}")
        wait_for(page, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#operator-talks li"))
        axe_check(page, "the operator's page")

        # The mediator's console, every tab (the set-up first).
        console = open_page(base, talks, mediator)
        drivers.append(console)
        every_tab(console, "the mediator")
        # A principal's page, every tab; then the elicitation's question and a rehearsal under way.
        principal = open_page(base, talks, tokens["us"])
        drivers.append(principal)
        every_tab(principal, "a principal")
        tab(principal, "Preferences")
        wait_for(principal, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#elicitation fieldset.question"))
        axe_check(principal, "the elicitation's question")
        tab(principal, "Rehearsal")
        time.sleep(0.5)
        start = [b for b in principal.find_elements(By.CSS_SELECTOR, "#main button") if b.text.startswith("Start")]
        if start:
            start[0].click()
            wait_for(principal, 15).until(lambda d: "Your move" in d.find_element(By.TAG_NAME, "main").text or "Rehearsal over" in d.find_element(By.TAG_NAME, "main").text)
        check("a rehearsal is under way for the check", bool(start))
        axe_check(principal, "a rehearsal under way")
        # An expert's page starts on the Tracks tab.
        expert = open_page(base, talks, tokens["us-expert"])
        drivers.append(expert)
        check("an expert's page starts on the Tracks tab", tabs_of(expert)[0] == "Tracks", tabs_of(expert))
        every_tab(expert, "an expert")

        keyboard_exchange(api, base, talks, tokens, mediator)
        minutes_checks(api, base, talks, tokens, mediator)
    finally:
        for driver in drivers:
            driver.quit()
        stop(server)
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
