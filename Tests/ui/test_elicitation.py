#!/usr/bin/env python3
"""Guided elicitation in real Chromium: a delegation states its preferences by answering questions.

A US principal, whose true preferences only this test knows, answers the engine's questions in
the page (orders with the Up and Down buttons, comparisons with the A and B buttons), truthfully.
The test checks:
- the fitted weights put the issues in the true order of importance and the best package is the true one;
- an answer that contradicts an earlier one is refused in words naming that earlier answer; taking it
  back, or withdrawing the earlier answer and keeping the new one, each leave the answers holding together;
- with the room's guess of Iran stored, the page says what the engine would suggest if it stopped now;
- red lines and the reservation are asked in words and, with the fitted numbers, fill the preferences
  form, which the delegation stores as its preferences;
- Persian text in a question is shown right to left;
- nothing of it reaches Iran's page or the mediator's.

Usage: scripts/setup-ui-tests.sh && swift build && .venv-ui/bin/python Tests/ui/test_elicitation.py
Prints "N passed, M failed" last and exits non-zero on any failure.
"""
import os
import sys

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_record_checks import serve_fresh, stop  # noqa: E402
from test_pages import API, SHOTS, browser, check, everything_received, results, tab, wait_for  # noqa: E402

PERSIAN = "تعلیق"  # "suspension"
AGENDA = [
    {"name": "enrichment", "options": ["none", "3.67%", "20%"]},
    {"name": "relief", "options": ["full", "phased", "none"]},
    {"name": "inspections", "options": ["snap", "scheduled", PERSIAN]},
]
# The US's true preferences: enrichment matters most, then inspections, then relief.
TRUTH = {
    "weights": {"enrichment": 0.55, "relief": 0.15, "inspections": 0.30},
    "values": {
        "enrichment": {"none": 1.0, "3.67%": 0.6, "20%": 0.0},
        "relief": {"full": 0.0, "phased": 0.5, "none": 1.0},
        "inspections": {"snap": 1.0, "scheduled": 0.7, PERSIAN: 0.0},
    },
}
RESERVATION = 0.45


def worth(package):
    return sum(TRUTH["weights"][issue] * TRUTH["values"][issue][option] for issue, option in package.items())


def status(driver):
    return driver.find_element(By.CSS_SELECTOR, "#elicitation p[aria-live]").text


def answered(driver, count):
    wait_for(driver, 20).until(lambda d: status(d).startswith(f"{count} answer"))


def card(question, label):
    """A package card of the question, as {issue: option}."""
    for choice in question.find_elements(By.CSS_SELECTOR, ".choice"):
        if choice.find_element(By.TAG_NAME, "h4").text == label:
            package = {}
            for item in choice.find_elements(By.TAG_NAME, "li"):
                issue, option = item.text.split(": ", 1)
                package[issue] = option
            return package
    raise AssertionError(f"no card {label}")


def button(scope, text):
    for candidate in scope.find_elements(By.TAG_NAME, "button"):
        if candidate.text == text:
            return candidate
    raise AssertionError(f"no button {text!r} in {scope.text[:200]!r}")


def put_in_order(question, issue):
    """Moves the options with Up until they stand in the true order, best first."""
    best_first = sorted(TRUTH["values"][issue], key=lambda o: -TRUTH["values"][issue][o])
    for place, option in enumerate(best_first):
        while True:
            shown = [li.find_element(By.CSS_SELECTOR, ".option").text for li in question.find_elements(By.CSS_SELECTOR, "ol.order li")]
            if shown.index(option) == place:
                break
            question.find_element(By.CSS_SELECTOR, f'button[aria-label="Move {option} up"]').click()


def answer_truthfully(driver, count):
    """Answers the question on the page as the true preferences would; returns its kind."""
    question = driver.find_element(By.CSS_SELECTOR, "#elicitation fieldset.question")
    legend = question.find_element(By.TAG_NAME, "legend").text
    if "put the options of" in legend:
        issue = legend.split("put the options of ", 1)[1].split(" in order")[0]
        put_in_order(question, issue)
        button(question, "This is our order").click()
        kind = "order"
    else:
        a, b = worth(card(question, "Package A")), worth(card(question, "Package B"))
        button(question, "Package A" if a > b + 1e-9 else "Package B" if b > a + 1e-9 else "They are as good as each other").click()
        kind = "compare"
    answered(driver, count)
    return kind


COLLEAGUE = {"kind": "compare", "first": {"enrichment": "none"}, "second": {"enrichment": "20%"}, "preference": "first"}


def contradict_the_colleague(driver, count):
    """Puts 20% before none in enrichment's order: refused in words; taken back; given again and
    kept by withdrawing the colleague's answer; then withdrawn itself. Leaves `count` answers."""
    def order_with_20_first():
        question = driver.find_element(By.CSS_SELECTOR, "#elicitation fieldset.question")
        while question.find_elements(By.CSS_SELECTOR, "ol.order li .option")[0].text != "20%":
            question.find_element(By.CSS_SELECTOR, 'button[aria-label="Move 20% up"]').click()
        button(question, "This is our order").click()
        wait_for(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#elicitation .conflict"))
        return driver.find_element(By.CSS_SELECTOR, "#elicitation .conflict")
    conflict = order_with_20_first()
    text = conflict.text
    check("an answer that cannot hold is refused in the page, naming the earlier answer in words",
          "cannot hold together" in text and "Answer 1: enrichment: none — rather than — enrichment: 20%" in text, text)
    check("the refusal is announced (role=alert) and focus moves to it",
          conflict.get_attribute("role") == "alert" and driver.switch_to.active_element.text.startswith("Withdraw answer 1"), driver.switch_to.active_element.text)
    button(conflict, "Take back the new answer").click()
    wait_for(driver, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#elicitation .conflict"))
    check("taking the new answer back leaves the answers as they were", status(driver).startswith(f"{count} answer"), status(driver))
    conflict = order_with_20_first()
    button(conflict, "Withdraw answer 1 and keep the new one").click()
    wait_for(driver, 20).until(lambda d: "enrichment, best first: 20%" in d.find_elements(By.CSS_SELECTOR, "#elicitation ol.answers li")[-1].text)
    listed = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#elicitation ol.answers li")]
    check("withdrawing the earlier answer keeps the new one in its place",
          len(listed) == count and "enrichment, best first: 20%" in listed[-1] and not any("rather than" in t for t in listed), listed)
    # Back to the truth: the new answer withdrawn too; the order question comes back.
    driver.find_elements(By.CSS_SELECTOR, "#elicitation ol.answers li")[-1].find_element(By.TAG_NAME, "button").click()
    answered(driver, count - 1)
    wait_for(driver, 20).until(lambda d: "put the options of" in d.find_element(By.CSS_SELECTOR, "#elicitation fieldset.question legend").text)
    return count - 1


def fitted_weights(driver):
    weights = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "#elicitation table.fitted tbody tr"):
        weights[row.find_element(By.TAG_NAME, "th").text] = int(row.find_elements(By.TAG_NAME, "td")[0].text.rstrip("%"))
    return weights


def main():
    base, _, operator, server = serve_fresh("elicitation")
    drivers = []
    try:
        api = API(base)
        opened = api.call("POST", "/talks", operator, {"title": "Elicitation", "parties": ["United States", "Iran"], "mediator": "Oman"})
        talks, mediator = opened["id"], opened["mediatorToken"]
        tokens = {}
        for party, name in [("United States", "Envoy"), ("Iran", "Minister")]:
            tokens[party] = api.call("POST", f"/talks/{talks}/members", mediator, {"party": party, "name": name, "role": "principal"})["token"]
        api.call("PUT", f"/talks/{talks}/agenda", mediator, {"issues": AGENDA})

        # A colleague has already said, through the API, that no enrichment beats 20%.
        api.call("POST", f"/talks/{talks}/elicitation/answers", tokens["United States"], {"answer": COLLEAGUE})

        us = browser()
        drivers.append(us)
        us.get(f"{base}/#talks={talks}&token={tokens['United States']}")
        wait_for(us, 20).until(lambda d: any(b.text == "Preferences" for b in d.find_elements(By.CSS_SELECTOR, "nav button")))
        tab(us, "Preferences")
        wait_for(us, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#elicitation fieldset.question"))
        button(us.find_element(By.CSS_SELECTOR, 'section[aria-label="Your delegation\'s private preferences"]'), "Answer questions instead").click()
        focused = us.switch_to.active_element
        check("'Answer questions instead' takes the delegation to the first question",
              focused.find_elements(By.XPATH, "ancestor::section[@id='elicitation']") != [], focused.get_attribute("outerHTML")[:120])
        check("with one comparison answered, the first question is an order", "put the options of" in us.find_element(By.CSS_SELECTOR, "#elicitation legend").text)

        kinds = []
        count = 1  # the colleague's answer
        while count < 13:
            legend = us.find_element(By.CSS_SELECTOR, "#elicitation fieldset.question legend").text
            if "put the options of enrichment" in legend and "conflict" not in kinds:
                count = contradict_the_colleague(us, count)
                kinds.append("conflict")
            kinds.append(answer_truthfully(us, count + 1))
            count += 1
        check("the engine asks both kinds of question", {"order", "compare"} <= set(kinds), kinds)
        weights = fitted_weights(us)
        check("after 12 truthful answers the fitted weights rank the issues as the truth does",
              sorted(weights, key=lambda i: -weights[i]) == ["enrichment", "inspections", "relief"], weights)
        check("the fitted weights sum to about 100%", 98 <= sum(weights.values()) <= 102, weights)
        best = us.find_element(By.ID, "elicitation-best").text
        check("the best package is the true one, settled",
              "enrichment: none" in best and "relief: none" in best and "inspections: snap" in best and "settled" in best, best)
        check("before any guess of Iran, the page says how to see the suggestion", "Enter your guesses" in us.find_element(By.ID, "elicitation-suggestion").text)

        # Persian text is shown right to left.
        rtl = us.execute_script("""
            const item = [...document.querySelectorAll('#elicitation bdi')].find((e) => e.textContent === arguments[0]);
            return item ? getComputedStyle(item).direction : null;""", PERSIAN)
        check("Persian in the elicitation is shown right to left", rtl == "rtl", rtl)

        # The room's guess of Iran: the page says what the engine would suggest if it stopped now.
        guess = {"weights": {"enrichment": 0.5, "relief": 0.4, "inspections": 0.1}, "forbidden": {}, "reservationValue": 0,
                 "values": {"enrichment": {"none": 0, "3.67%": 0.8, "20%": 1}, "relief": {"full": 1, "phased": 0.6, "none": 0},
                            "inspections": {"snap": 0, "scheduled": 0.6, PERSIAN: 1}}}
        api.call("PUT", f"/talks/{talks}/guesses/Iran", tokens["United States"], guess)
        wait_for(us, 20).until(lambda d: "With your guesses of the other side" in d.find_element(By.ID, "elicitation-suggestion").text)
        suggestion = us.find_element(By.ID, "elicitation-suggestion").text
        check("with a guess of Iran, the page names the suggestion and how settled it is", "% of the preferences your answers still allow" in suggestion, suggestion)
        us.execute_script("document.getElementById('elicitation').scrollIntoView()")
        us.save_screenshot(os.path.join(SHOTS, "delegation-elicitation.png"))

        # Walking away, in words: a red line ticked, the reservation found by questions.
        section = us.find_element(By.ID, "elicitation")
        for box in section.find_elements(By.CSS_SELECTOR, "fieldset.red-line label"):
            if box.text == "20%":
                box.find_element(By.TAG_NAME, "input").click()
        button(section, "Ask where we would walk away").click()
        asked = 0
        while True:
            box = us.find_element(By.ID, "reservation-question")
            if not box.find_elements(By.CSS_SELECTOR, "fieldset"):
                break
            asked += 1
            package = card(box, "The package")
            button(box, "Walk away" if worth(package) < RESERVATION else "Accept it").click()
        said = us.find_element(By.ID, "reservation-question").text
        check("the reservation is asked in at most five questions", 1 <= asked <= 5, asked)
        check("the page says where the delegation would walk away", "You would walk away below" in said, said)
        button(section, "Put these numbers in the preferences form").click()
        prefs = us.find_element(By.CSS_SELECTOR, 'section[aria-label="Your delegation\'s private preferences"]')
        wait_for(us, 10).until(lambda d: "Filled from your answers" in prefs.text)
        weight_box = prefs.find_element(By.CSS_SELECTOR, 'input[aria-label="weight of enrichment"]')
        check("the preferences form holds the fitted weight", abs(float(weight_box.get_attribute("value")) * 100 - fitted_weights(us)["enrichment"]) <= 1,
              (weight_box.get_attribute("value"), fitted_weights(us)))
        check("the red line asked in words is ticked in the form", prefs.find_element(By.CSS_SELECTOR, 'input[aria-label="never accept 20% for enrichment"]').is_selected())
        # The delegation adjusts a number, then stores.
        weight_box.clear()
        weight_box.send_keys("0.6")
        button(prefs, "Store preferences").click()
        wait_for(us, 20).until(lambda d: any(e["type"] == "preferences-stored" for e in api.call("GET", f"/talks/{talks}/events", tokens["United States"])["events"]))
        stored = [e for e in api.call("GET", f"/talks/{talks}/events", tokens["United States"])["events"] if e["type"] == "preferences-stored"][-1]["preferences"]
        check("the stored preferences carry the adjusted weight, the red line and the reservation",
              stored["weights"]["enrichment"] == 0.6 and stored["forbidden"]["enrichment"] == ["20%"] and 0.2 < stored["reservationValue"] < 0.7, stored)

        # Nothing of it outside the room.
        iran = browser()
        drivers.append(iran)
        iran.get(f"{base}/#talks={talks}&token={tokens['Iran']}")
        wait_for(iran, 20).until(lambda d: any(b.text == "Preferences" for b in d.find_elements(By.CSS_SELECTOR, "nav button")))
        tab(iran, "Preferences")
        wait_for(iran, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#elicitation p[aria-live]") and status(d))
        check("Iran's room has none of the US's answers", status(iran).startswith("0 answers"), status(iran))
        seen, _ = everything_received(iran)
        check("nothing of the US's answers reaches Iran's page", "preference-answers-stored" not in seen and "rather than" not in seen)
        for_mediator = api.call("GET", f"/talks/{talks}/events", mediator)["events"]
        check("the mediator's record holds no answer", not any(e["type"] == "preference-answers-stored" for e in for_mediator))
    finally:
        for driver in drivers:
            driver.quit()
        stop(server)
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
