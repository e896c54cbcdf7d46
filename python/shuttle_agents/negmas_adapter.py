"""Seats a NegMAS 0.16 SAO negotiator in Shuttle's negotiations over the agent protocol.

    python -m shuttle_agents.negmas_adapter MODULE:CLASS

speaks `shuttle-agent/1` (docs/agent-protocol.md) on standard input and output for one seat, and
lets an instance of MODULE.CLASS (any NegMAS `SAONegotiator`, such as
`negmas.sao:AspirationNegotiator` or `negmas_genius_agents:Atlas3`) decide its moves. Shuttle
names it `python:MODULE:CLASS` in `--negotiators`.

Why a real NegMAS mechanism runs inside: NegMAS negotiators read more than the state they are
passed (`self.nmi.state`, the mechanism's trace, its step count), so the seat's negotiator sits
in a genuine `SAOMechanism` whose other seats are proxies. In `sao` the private mechanism has
Shuttle's seats, steps and time limit, and moves in lockstep with Shuttle's: a proxy plays what
Shuttle's `event` messages say its seat did, and the negotiator's own answers go back to Shuttle.
The negotiator therefore sees exactly what it would see in NegMAS's own `SAOMechanism`, and a
deterministic one reaches the same agreement at the same step.

In `shuttle` and `single-text` the seat talks to the mediator alone. The private mechanism then
has the mediator as its one partner (plus a silent seat that keeps it from closing a deal on its
own, since Shuttle decides agreements), its clock is Shuttle's `time`, and a `vote` is the
negotiator's answer to the candidate text. The seat's utility function is built from the
preferences in `begin`; discounts are left out, as Shuttle's own negotiators concede on
undiscounted utility, and NegMAS has no notion of forbidden options, so only the reservation
value carries the seat's red lines to it.

With SHUTTLE_ADAPTER_PROFILE=FILE the adapter appends, when it exits, one JSON line saying where
its time went: inside the negotiator, in the private mechanism, reading and writing lines, and
the CPU seconds of the whole process.
"""
import importlib
import json
import os
import queue
import random
import resource
import sys
import threading
import time
import warnings

VERSION = "shuttle-agent/1"


def load_class(spec):
    """MODULE:CLASS (or MODULE.CLASS) to the class, with the error saying which part is missing."""
    module_name, sep, class_name = spec.rpartition(":")
    if not sep:
        module_name, _, class_name = spec.rpartition(".")
    if not module_name or not class_name:
        raise SystemExit(f"shuttle_agents.negmas_adapter: '{spec}' is not MODULE:CLASS")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise SystemExit(f"shuttle_agents.negmas_adapter: cannot import {module_name}: {error}")
    try:
        return getattr(module, class_name)
    except AttributeError:
        raise SystemExit(f"shuttle_agents.negmas_adapter: {module_name} has no {class_name}")


def negmas_space_and_ufun(scenario):
    """The outcome space and the one party's linear additive utility function of a Shuttle scenario."""
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import AffineFun, TableFun

    issues, values = [], []
    party = scenario["parties"][0]
    for issue in scenario["issues"]:
        name = issue["name"]
        preference = party["preferences"][name]
        if "options" in issue:
            issues.append(make_issue(list(issue["options"]), name=name))
            table = preference["values"]
            values.append(TableFun({label: float(table[label]) for label in issue["options"]}))
        elif "integers" in issue:
            bounds = issue["integers"]
            issues.append(make_issue((int(bounds["min"]), int(bounds["max"])), name=name))
            if "linear" in preference:
                values.append(AffineFun(preference["linear"]["slope"], bias=preference["linear"]["offset"]))
            else:
                table = preference["values"]
                values.append(TableFun({v: float(table[str(v)]) for v in range(int(bounds["min"]), int(bounds["max"]) + 1)}))
        else:
            raise ValueError(f"issue '{name}' is continuous; the adapter seats negotiators on finite spaces")
    space = make_os(issues)
    weights = [float(party["preferences"][issue["name"]]["weight"]) for issue in scenario["issues"]]
    ufun = LinearAdditiveUtilityFunction(values=values, weights=weights, outcome_space=space,
                                         reserved_value=float(party.get("reservationValue", 0.0)),
                                         name=party.get("name"))
    return space, ufun


# Inverters' sorted outcomes, by seat preferences and inverter configuration, shared by every
# negotiation this process seats (a bounded number of them, oldest dropped first).
SHARED_INVERSES = {}
SHARED_INVERSES_LIMIT = 64
# What negmas-genius-agents derives from an inverter's sorted outcomes alone (the same outcomes,
# ties in enumeration order) and stashes on the inverter "so that all negotiators sharing a ufun
# share this work too"; with a fresh ufun a negotiation, it is carried from an earlier inverter
# of the same preferences and configuration. Being a function of the sorted outcomes, it is the
# same whichever negotiation computed it.
DERIVED_FROM_SORTED = ("_genius_sorted",)
SHARED_DERIVED = {}


def share_inverses(ufun, key):
    """Lets the inverters of `ufun` (sorted outcomes, which agents build at the start of every
    negotiation) be restored from one computed earlier for the same preferences.

    NegMAS caches an inverter on the ufun object, so negotiations that share a ufun sort once;
    the adapter gives every negotiation a fresh ufun (an agent may leave state on it), and would
    sort every time. This uses NegMAS's own hook for saved inverses: an inverter's `init()` asks
    `ufun.restore_inverse_from_cache(inverter)`. The first inverter of a configuration computes
    normally and its state (`persist_state`) is kept; later ones are rebuilt from it
    (`restore_state`), fresh but for the sorting, so results do not depend on which negotiation
    came first."""
    computing = set()

    def restore(inverter):
        persist = getattr(inverter, "persist_state", None)
        rebuild = getattr(inverter, "restore_state", None)
        config_of = getattr(inverter, "persistable_config", None)
        if id(inverter) in computing or not (persist and rebuild and config_of):
            return False
        try:
            config = config_of()
        except Exception:
            return False
        if config is None:
            return False
        entry = (key, type(inverter).__qualname__, repr(sorted(config.items())))
        state = SHARED_INVERSES.get(entry)
        if state is not None and rebuild(state):
            return True
        computing.add(id(inverter))
        try:
            inverter.init()
        finally:
            computing.discard(id(inverter))
        state = persist()
        if state is not None:
            if len(SHARED_INVERSES) >= SHARED_INVERSES_LIMIT:
                SHARED_INVERSES.pop(next(iter(SHARED_INVERSES)))
            SHARED_INVERSES[entry] = state
        return True

    object.__setattr__(ufun, "restore_inverse_from_cache", restore)
    invert = ufun.invert

    def invert_sharing_derived(inverter=None, **kwargs):
        result = invert(inverter, **kwargs)
        entry = (key, repr(inverter), repr(sorted(kwargs.items())))
        source = SHARED_DERIVED.get(entry)
        if source is not None and source is not result:
            for name in DERIVED_FROM_SORTED:
                if not hasattr(result, name) and hasattr(source, name):
                    setattr(result, name, getattr(source, name))
        if source is None or not all(hasattr(source, name) for name in DERIVED_FROM_SORTED):
            if len(SHARED_DERIVED) >= SHARED_INVERSES_LIMIT:
                SHARED_DERIVED.pop(next(iter(SHARED_DERIVED)))
            SHARED_DERIVED[entry] = result
        return result

    object.__setattr__(ufun, "invert", invert_sharing_derived)


class Clock:
    """Where the adapter's time went, for SHUTTLE_ADAPTER_PROFILE."""

    def __init__(self):
        self.totals = {"negotiator": 0.0, "io": 0.0, "setup": 0.0, "waiting": 0.0}
        self.negotiations = 0
        self.started = time.perf_counter()

    def add(self, what, since):
        self.totals[what] += time.perf_counter() - since

    def report(self, path, spec):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        entry = dict(agent=spec, negotiations=self.negotiations, total=time.perf_counter() - self.started,
                     cpu=usage.ru_utime + usage.ru_stime, **self.totals)
        with open(path, "a") as handle:
            handle.write(json.dumps(entry) + "\n")


class Session:
    """One negotiation: the private mechanism, its proxies, and the thread it runs on."""

    def __init__(self, negotiator_class, begin, clock):
        from negmas.sao import SAOMechanism, SAOResponse, ResponseType
        from negmas.sao.negotiators import SAOCallNegotiator

        self.ResponseType, self.SAOResponse = ResponseType, SAOResponse
        self.clock = clock
        scenario = begin["scenario"]
        self.names = [issue["name"] for issue in scenario["issues"]]
        self.integers = [("integers" in issue) for issue in scenario["issues"]]
        space, ufun = negmas_space_and_ufun(scenario)
        share_inverses(ufun, json.dumps(scenario, sort_keys=True))
        seed = int(begin["seed"])
        random.seed(seed)
        try:
            import numpy
            numpy.random.seed(seed % 2**32)
        except ImportError:
            pass
        self.mechanism_kind = begin.get("mechanism", "sao")
        self.seat = int(begin["seat"])
        # SimpleQueue (in C) hands a move between the threads for a fraction of Queue's cost.
        self.answers = queue.SimpleQueue()
        self.counter = None  # the counter-offer that follows a rejection, asked for by `propose`
        self.finished = threading.Event()
        self.failure = None
        session = self

        class Proxy(SAOCallNegotiator):
            """Stands for another seat (or the mediator): plays what Shuttle says it did."""

            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.moves = queue.SimpleQueue()

            def __call__(self, state, dest=None):
                return self.moves.get()

        class Silent(SAOCallNegotiator):
            """Keeps the mediated seat's private mechanism from agreeing by itself."""

            def __call__(self, state, dest=None):
                return SAOResponse(ResponseType.NO_RESPONSE, None)

        class Seated(negotiator_class):
            """The negotiator itself; its every answer is passed to Shuttle."""

            def __call__(self, state, dest=None):
                start = time.perf_counter()
                response = super().__call__(state, dest)
                session.clock.add("negotiator", start)
                session.answers.put(response)
                return response

        Seated.__name__ = Seated.__qualname__ = negotiator_class.__name__
        deadline = begin.get("deadline", {})
        self.time = 0.0
        if self.mechanism_kind == "sao":
            mechanism = SAOMechanism(outcome_space=space, n_steps=deadline.get("steps"),
                                     time_limit=deadline.get("seconds"))
            self.proxies = {}
            for index in range(int(begin["seats"])):
                if index == self.seat:
                    self.negotiator = Seated(name=f"seat{index}")
                    mechanism.add(self.negotiator, ufun=ufun)
                else:
                    self.proxies[index] = Proxy(name=f"seat{index}")
                    mechanism.add(self.proxies[index])
        else:
            clock_of = self

            class MediatedMechanism(SAOMechanism):
                """Shuttle's clock, as the requests carry it; Shuttle alone ends the negotiation."""

                def _relative_time_for(self, nmi):
                    return clock_of.time

            with warnings.catch_warnings():  # no deadline of its own, on purpose: Shuttle ends it
                warnings.simplefilter("ignore")
                mechanism = MediatedMechanism(outcome_space=space, n_steps=None, time_limit=None,
                                              allow_offering_just_rejected_outcome=True, end_on_no_response=False)
            self.mediator = Proxy(name="mediator")
            self.negotiator = Seated(name=f"seat{self.seat}")
            self.proxies = {"mediator": self.mediator}
            mechanism.add(self.mediator)
            mechanism.add(self.negotiator, ufun=ufun)
            mechanism.add(Silent(name="silent"))
        self.mechanism = mechanism
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            self.mechanism.run()
        except BaseException as error:  # the negotiator raised: the seat ends, saying why
            self.failure = f"{type(error).__name__}: {error}"
            print(f"shuttle_agents.negmas_adapter: the negotiator raised {self.failure}", file=sys.stderr)
        finally:
            self.finished.set()

    # Shuttle's messages

    def event(self, message):
        """In `sao`, another seat's move becomes its proxy's next answer."""
        if self.mechanism_kind != "sao" or message.get("by") != "seat":
            return
        seat = int(message["seat"])
        proxy = self.proxies.get(seat)
        if proxy is None:
            return
        action = message["action"]
        if action == "offer":
            proxy.moves.put(self.SAOResponse(self.ResponseType.REJECT_OFFER, self.outcome(message["outcome"])))
        elif action == "accept":
            proxy.moves.put(self.SAOResponse(self.ResponseType.ACCEPT_OFFER, None))
        elif action == "leave":
            proxy.moves.put(self.SAOResponse(self.ResponseType.END_NEGOTIATION, None))

    def request(self, message):
        kind = message["type"]
        self.time = float(message.get("time", 0.0))
        if kind == "propose":
            if self.counter is not None:
                outcome, self.counter = self.counter, None
                return self.offer(outcome)
            if self.mechanism_kind != "sao":
                self.mediator.moves.put(self.SAOResponse(self.ResponseType.NO_RESPONSE, None))
            response = self.next_answer()
            if response is None or response.response == self.ResponseType.END_NEGOTIATION:
                return self.ending()
            if response.outcome is None:
                return self.ending("the negotiator made no offer")
            return self.offer(response.outcome, response)
        offer = message["offer"] if kind == "respond" else message["candidate"]
        if self.mechanism_kind != "sao":
            self.mediator.moves.put(self.SAOResponse(self.ResponseType.REJECT_OFFER, self.outcome(offer)))
        response = self.next_answer()
        if kind == "vote":
            accepted = response is not None and response.response == self.ResponseType.ACCEPT_OFFER
            return {"type": "accept" if accepted else "reject"}
        if response is None or response.response == self.ResponseType.END_NEGOTIATION:
            return self.ending()
        if response.response == self.ResponseType.ACCEPT_OFFER:
            return self.with_text({"type": "accept"}, response)
        self.counter = response.outcome
        return {"type": "reject"}

    def end(self):
        """Unblocks every proxy so that the private mechanism ends, and waits for it briefly."""
        for proxy in self.proxies.values():
            proxy.moves.put(self.SAOResponse(self.ResponseType.END_NEGOTIATION, None))
        self.thread.join(timeout=5)

    # Helpers

    def next_answer(self):
        """The negotiator's next answer, or None once the private mechanism has ended without one."""
        start = time.perf_counter()
        try:
            while True:
                try:
                    return self.answers.get(timeout=0.05 if not self.finished.is_set() else 0)
                except queue.Empty:
                    if self.finished.is_set() and self.answers.empty():
                        return None
        finally:
            self.clock.add("waiting", start)

    def ending(self, reason=None):
        reason = reason or self.failure
        return {"type": "end", "text": reason} if reason else {"type": "end"}

    def outcome(self, labels):
        return tuple(int(labels[name]) if integer else str(labels[name])
                     for name, integer in zip(self.names, self.integers))

    def offer(self, outcome, response=None):
        labels = {name: str(value) for name, value in zip(self.names, outcome)}
        return self.with_text({"type": "offer", "outcome": labels}, response)

    @staticmethod
    def with_text(answer, response):
        data = getattr(response, "data", None)
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            answer["text"] = data["text"]
        return answer


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit("usage: python -m shuttle_agents.negmas_adapter MODULE:CLASS")
    spec = argv[0]
    clock = Clock()
    start = time.perf_counter()
    negotiator_class = load_class(spec)
    clock.add("setup", start)
    session = None
    out = sys.stdout
    try:
        for line in sys.stdin:
            start = time.perf_counter()
            message = json.loads(line)
            clock.add("io", start)
            kind = message.get("type")
            if kind == "hello":
                answer = {"type": "hello", "protocol": VERSION, "name": negotiator_class.__name__}
            elif kind == "begin":
                start = time.perf_counter()
                if session is not None:
                    session.end()
                session = Session(negotiator_class, message, clock)
                clock.negotiations += 1
                clock.add("setup", start)
                answer = {"type": "ready"}
            elif kind == "event":
                session.event(message)
                continue
            elif kind in ("propose", "respond", "vote"):
                answer = session.request(message)
            elif kind == "end":
                session.end()
                session = None
                continue
            else:
                continue
            start = time.perf_counter()
            out.write(json.dumps(answer) + "\n")
            out.flush()
            clock.add("io", start)
    finally:
        if os.environ.get("SHUTTLE_ADAPTER_PROFILE"):
            clock.report(os.environ["SHUTTLE_ADAPTER_PROFILE"], spec)


if __name__ == "__main__":
    main()
