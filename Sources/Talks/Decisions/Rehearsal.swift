import NegotiationEngine

/// What a delegation rehearses: its own stored preferences against automated counterparts that
/// play its guesses of the other parties' preferences, in one of the engine's protocols.
///
/// Everything a rehearsal uses is the delegation's own (its preferences, its guesses), and
/// nothing of it is stored but that it happened (``TalksEvent/rehearsalHeld(party:rehearsal:)``,
/// in its room): the moves are replayed from the page's list on every request, so a rehearsal
/// leaves no trace in the record, in any other member's numbers, or on the server.
public struct RehearsalSettings: Hashable, Sendable, Codable {
    /// The negotiator that plays every other party (``NegotiatorCatalog``).
    public var counterpart: String
    /// `sao`, `single-text` or `shuttle`.
    public var negotiationProtocol: String
    public var steps: Int
    /// Seeds the negotiators' and the mediator's random choices, so a rehearsal replays.
    public var seed: Int
    /// The negotiator that plays the delegation's own preferences; `nil` when the delegation
    /// plays its seat itself, move by move.
    public var player: String?

    public static let maximumSteps = 200

    private enum CodingKeys: String, CodingKey {
        case counterpart
        case negotiationProtocol = "protocol"
        case steps, seed, player
    }

    public init(counterpart: String, negotiationProtocol: String, steps: Int, seed: Int, player: String? = nil) {
        self.counterpart = counterpart
        self.negotiationProtocol = negotiationProtocol
        self.steps = steps
        self.seed = seed
        self.player = player
    }

    var kind: NegotiationProtocol? { NegotiationProtocol(rawValue: negotiationProtocol) }

    func validate() throws(TalksError) {
        for name in [counterpart] + (player.map { [$0] } ?? []) where NegotiatorCatalog.make(name) == nil {
            throw .invalid(
                "unknown negotiator '\(name)'; choose from \(NegotiatorCatalog.names.joined(separator: ", "))"
            )
        }
        guard kind != nil else {
            throw .invalid("unknown protocol '\(negotiationProtocol)'; choose from sao, single-text, shuttle")
        }
        guard (1...Self.maximumSteps).contains(steps) else {
            throw .invalid("a rehearsal lasts 1 to \(Self.maximumSteps) steps")
        }
        guard seed >= 0 else { throw .invalid("the seed is a whole number, 0 or more") }
    }
}

/// A delegation's move in a rehearsal it plays itself.
public enum RehearsalMove: Hashable, Sendable, Codable {
    case offer([String: String])
    case accept
    case reject
    /// Leave the table (no agreement).
    case end

    private enum Key: String, CodingKey { case type, package }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        switch try container.decode(String.self, forKey: .type) {
        case "offer": self = .offer(try container.decode([String: String].self, forKey: .package))
        case "accept": self = .accept
        case "reject": self = .reject
        case "end": self = .end
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .type,
                in: container,
                debugDescription: "unknown move '\(other)'"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .offer(let package):
            try container.encode("offer", forKey: .type)
            try container.encode(package, forKey: .package)
        case .accept: try container.encode("accept", forKey: .type)
        case .reject: try container.encode("reject", forKey: .type)
        case .end: try container.encode("end", forKey: .type)
        }
    }
}

/// A rehearsal so far, for the delegation that runs it: what its seat was shown (all of it when
/// a negotiator plays for it), what it must answer next, and how it ended.
public struct RehearsalTranscript: Hashable, Sendable, Encodable {
    public struct Line: Hashable, Sendable, Encodable {
        public var step: Int
        /// A party's name or "mediator".
        public var by: String
        /// `offer`, `accept`, `reject`, `leave`, `text`, `relay`, `vote`, `agreement`.
        public var action: String
        public var package: [String: String]?
        public var inFavour: Bool?
    }

    /// What the delegation is asked: `propose`, `respond` (to `offer`) or `vote` (for `offer`
    /// over `current`).
    public struct Request: Hashable, Sendable, Encodable {
        public var type: String
        public var offer: [String: String]?
        public var current: [String: String]?
    }

    public var lines: [Line]
    /// `nil` once the rehearsal has ended.
    public var request: Request?
    public var agreement: [String: String]?
    /// How it ended (`agreement`, `deadline`, `Iran left`); `nil` while it goes on.
    public var ending: String?
}

extension Talks {
    /// Plays a rehearsal for `party` from the start with `moves` (its own answers so far, when it
    /// plays its seat itself), and says what its seat saw and what comes next.
    ///
    /// - Throws: ``TalksError`` when preferences or guesses are missing, or a move does not fit.
    public func rehearse(
        for party: String,
        _ settings: RehearsalSettings,
        moves: [RehearsalMove]
    ) throws(TalksError) -> RehearsalTranscript {
        try settings.validate()
        let (scenario, seat) = try rehearsalScenario(for: party)
        let rankings: [UtilityRanking]
        do {
            rankings = try UtilityRanking.rankings(for: scenario)
        } catch {
            throw .rule("the agenda is too large to rehearse on")
        }
        let scripted = settings.player == nil ? ScriptedSeat(moves, space: scenario.space) : nil
        let negotiators: [any Negotiator] = scenario.parties.indices.map { index in
            index == seat
                ? (scripted ?? NegotiatorCatalog.make(settings.player!)!)
                : NegotiatorCatalog.make(settings.counterpart)!
        }
        let result = settings.kind!.mechanism(
            scenario,
            rankings: rankings,
            negotiators: negotiators,
            deadline: .steps(settings.steps),
            seed: UInt64(settings.seed)
        ).run()
        if let problem = scripted?.problem { throw problem }
        let names = state.parties
        let shown = scripted?.shown ?? result.trace
        let lines = shown.map { Self.line($0, names: names, space: scenario.space) }
        if let scripted, let request = scripted.pending {
            return RehearsalTranscript(lines: lines, request: request, agreement: nil, ending: nil)
        }
        let ending: String
        switch result.ending {
        case .agreement: ending = "agreement"
        case .deadline: ending = "deadline"
        case .left(let seat): ending = "\(names[seat]) left"
        case .timedOut: ending = "time ran out"
        case .failed(let seat, let reason): ending = "\(names[seat]) failed: \(reason)"
        }
        return RehearsalTranscript(
            lines: lines,
            request: nil,
            agreement: result.agreement.map { Self.package(scenario.space, $0) },
            ending: ending
        )
    }

    /// The rehearsal's scenario: `party`'s stored preferences and its guesses of every other
    /// party's, in the talks' party order, and `party`'s seat in it.
    func rehearsalScenario(for party: String) throws(TalksError) -> (Scenario, seat: Int) {
        guard let own = state.preferences[party] else {
            throw .rule("store your delegation's preferences first: the rehearsal plays them")
        }
        var parties: [Party] = []
        for name in state.parties {
            let preferences: Preferences
            if name == party {
                preferences = own
            } else {
                guard let guess = state.guesses[party]?[name] else {
                    throw .rule("enter your guess of \(name)'s preferences first: the counterpart plays it")
                }
                preferences = guess
            }
            switch preferences.party(named: name, agenda: state.agenda) {
            case .success(let model): parties.append(model)
            case .failure:
                throw .rule(
                    name == party
                        ? "your preferences no longer fit the agenda; store them again"
                        : "your guess of \(name)'s preferences no longer fits the agenda; enter it again"
                )
            }
        }
        return (Scenario(name: "rehearsal", space: agendaSpace, parties: parties), state.parties.firstIndex(of: party)!)
    }

    private static func line(
        _ event: NegotiationEvent,
        names: [String],
        space: OutcomeSpace
    ) -> RehearsalTranscript.Line {
        let by: String
        switch event.actor {
        case .mediator: by = "mediator"
        case .seat(let index): by = names[index]
        }
        let labels = event.outcome.map { package(space, $0) }
        var inFavour: Bool?
        if case .vote(_, let favour) = event.action { inFavour = favour }
        return RehearsalTranscript.Line(
            step: event.step,
            by: by,
            action: event.action.name,
            package: labels,
            inFavour: inFavour
        )
    }
}

/// The delegation's own seat in a rehearsal it plays itself: it answers from the moves the page
/// sent, and when they run out it notes what it was asked and stops answering for real (the
/// rest of the run is discarded).
final class ScriptedSeat: Negotiator {
    let name = "you"
    private var moves: [RehearsalMove]
    private let space: OutcomeSpace
    private var used = 0
    /// What the seat was shown until it had to ask the delegation.
    private(set) var shown: [NegotiationEvent] = []
    private(set) var pending: RehearsalTranscript.Request?
    private(set) var problem: TalksError?

    init(_ moves: [RehearsalMove], space: OutcomeSpace) {
        self.moves = moves
        self.space = space
    }

    func begin(_ seat: Seat) {}

    func observe(_ event: NegotiationEvent) {
        if pending == nil, problem == nil { shown.append(event) }
    }

    func propose(_ state: NegotiationState) -> Outcome? {
        switch next(RehearsalTranscript.Request(type: "propose")) {
        case .offer(let labels)?:
            guard let outcome = space.outcome(labels: space.issues.map { labels[$0.name] ?? "" }),
                labels.count == space.issues.count
            else {
                return fail("move \(used) offers a package that does not name one option of every agenda issue")
            }
            return outcome
        case .end?, nil: return nil
        case .accept?, .reject?: return fail("move \(used) answers a request for an offer with accept or reject")
        }
    }

    func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        switch next(RehearsalTranscript.Request(type: "respond", offer: labels(offer))) {
        case .accept?: return .accept
        case .reject?: return .reject
        case .end?, nil: return .end
        case .offer?:
            _ = fail("move \(used) answers an offer put to you with an offer; accept, reject or end")
            return .end
        }
    }

    func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        switch next(RehearsalTranscript.Request(type: "vote", offer: labels(candidate), current: labels(current))) {
        case .accept?: return true
        case .reject?, nil: return false
        case .offer?, .end?:
            _ = fail("move \(used) answers a vote with an offer or end; vote accept or reject")
            return false
        }
    }

    /// The next scripted move, or `nil` (noting `request` the first time) when there is none.
    private func next(_ request: RehearsalTranscript.Request) -> RehearsalMove? {
        guard pending == nil, problem == nil, used < moves.count else {
            if pending == nil, problem == nil { pending = request }
            return nil
        }
        used += 1
        return moves[used - 1]
    }

    private func fail(_ message: String) -> Outcome? {
        if problem == nil { problem = .invalid(message) }
        return nil
    }

    private func labels(_ outcome: Outcome) -> [String: String] { Talks.package(space, outcome) }
}
