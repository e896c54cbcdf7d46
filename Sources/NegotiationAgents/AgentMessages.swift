import NegotiationEngine
import NegotiationFormats

/// The messages of Shuttle's agent protocol, one JSON object per line (see
/// `docs/agent-protocol.md`): what a seat is sent, and the answers it may give.
public enum AgentMessages {
    /// The protocol's name and version, exchanged in the handshake.
    public static let version = "shuttle-agent/1"

    /// An agent's answer.
    enum Answer: Equatable {
        case hello(protocol: String)
        case ready
        case offer(Outcome)
        case accept
        case reject
        case end

        var word: String {
            switch self {
            case .hello: "hello"
            case .ready: "ready"
            case .offer: "offer"
            case .accept: "accept"
            case .reject: "reject"
            case .end: "end"
            }
        }
    }

    static func hello() -> String {
        line([("type", .string("hello")), ("protocol", .string(version))])
    }

    /// The seat: its place, the clock, its seed, and its own preferences as a Shuttle scenario
    /// holding one party, its own.
    static func begin(_ seat: Seat) throws(AgentFault) -> String {
        let own = Scenario(name: "seat \(seat.index)", space: seat.space, parties: [seat.party])
        let scenario: [UInt8]
        do {
            scenario = try ShuttleScenarioFormat.write(own, pretty: false)
        } catch {
            throw .launch("its preferences cannot be sent: \(error.message)")
        }
        var deadline: [(String, JSONValue)] = []
        if let steps = seat.deadline.steps { deadline.append(("steps", .number(Double(steps)))) }
        if let seconds = seat.deadline.seconds { deadline.append(("seconds", .number(seconds))) }
        return line([
            ("type", .string("begin")), ("protocol", .string(version)), ("seat", .number(Double(seat.index))),
            ("seats", .number(Double(seat.partyCount))),
            ("mechanism", .string(seat.negotiationProtocol.rawValue)), ("deadline", .object(deadline)),
            ("seed", .literal(String(seat.seed))),
            ("scenario", .literal(String(decoding: scenario, as: UTF8.self))),
        ])
    }

    static func propose(_ state: NegotiationState) -> String {
        line([("type", .string("propose"))] + clock(state))
    }

    static func respond(to offer: Outcome, _ state: NegotiationState, space: OutcomeSpace) -> String {
        line([("type", .string("respond"))] + clock(state) + [("offer", .outcome(offer, in: space))])
    }

    static func vote(
        for candidate: Outcome,
        over current: Outcome,
        _ state: NegotiationState,
        space: OutcomeSpace
    ) -> String {
        line(
            [("type", .string("vote"))] + clock(state) + [
                ("candidate", .outcome(candidate, in: space)), ("current", .outcome(current, in: space)),
            ]
        )
    }

    /// An event the protocol showed this seat, as the trace holds it.
    static func event(_ event: NegotiationEvent, space: OutcomeSpace) -> String {
        var members: [(String, JSONValue)] = [("type", .string("event")), ("step", .number(Double(event.step)))]
        switch event.actor {
        case .mediator: members.append(("by", .string("mediator")))
        case .seat(let seat): members += [("by", .string("seat")), ("seat", .number(Double(seat)))]
        }
        switch event.action {
        case .relay(_, let from): members.append(("from", .number(Double(from))))
        case .vote(_, let inFavour): members.append(("inFavour", .bool(inFavour)))
        default: break
        }
        members.insert(("action", .string(event.action.name)), at: 2)
        if let outcome = event.outcome { members.append(("outcome", .outcome(outcome, in: space))) }
        if let text = event.text { members.append(("text", .string(text))) }
        return line(members)
    }

    static func end(agreement: Outcome?, space: OutcomeSpace) -> String {
        line([("type", .string("end")), ("agreement", agreement.map { .outcome($0, in: space) } ?? .null)])
    }

    private static func clock(_ state: NegotiationState) -> [(String, JSONValue)] {
        [("step", .number(Double(state.step))), ("time", .number(state.relativeTime))]
    }

    private static func line(_ members: [(String, JSONValue)]) -> String {
        JSONValue.object(members).serialized()
    }

    /// Reads an answer line and its optional `text`. Outcomes name every issue once, by option
    /// label (or number for a numeric issue).
    static func answer(_ line: String, space: OutcomeSpace) throws(AgentFault) -> (Answer, text: String?) {
        let tree: JSONTree
        do {
            tree = try JSONTree.parse(Array(line.utf8), file: "answer")
        } catch {
            throw .malformed("not JSON (\(error.message)): \(excerpt(line))")
        }
        guard case .string(let type)? = tree["type"] else { throw .malformed("no \"type\": \(excerpt(line))") }
        var text: String?
        switch tree["text"] {
        case .string(let words)?: text = words
        case .null?, nil: text = nil
        case let other?: throw .malformed("\"text\" must be a string, not \(other.kind)")
        }
        return (try answer(type, tree, space: space), text)
    }

    private static func answer(_ type: String, _ tree: JSONTree, space: OutcomeSpace) throws(AgentFault) -> Answer {
        switch type {
        case "hello":
            guard case .string(let version)? = tree["protocol"] else {
                throw .malformed("a hello without \"protocol\"")
            }
            return .hello(protocol: version)
        case "ready": return .ready
        case "accept": return .accept
        case "reject": return .reject
        case "end": return .end
        case "offer":
            guard let outcome = tree["outcome"] else { throw .malformed("an offer without \"outcome\"") }
            return .offer(try self.outcome(outcome, space: space))
        default:
            throw .malformed("unknown answer type '\(type)'")
        }
    }

    static func outcome(_ tree: JSONTree, space: OutcomeSpace) throws(AgentFault) -> Outcome {
        guard case .object(let members) = tree else {
            throw .malformed("an outcome must be an object of issue: option")
        }
        var options = [Int?](repeating: nil, count: space.issues.count)
        for (name, value) in members {
            guard let position = space.issues.firstIndex(where: { $0.name == name }) else {
                throw .malformed("no issue '\(name)'")
            }
            let label: String
            switch value {
            case .string(let text): label = text
            case .number(let text): label = text
            default: throw .malformed("issue '\(name)' needs an option label, not \(value.kind)")
            }
            guard let option = space.issues[position].optionIndex(of: label) else {
                throw .malformed("issue '\(name)' has no option '\(label)'")
            }
            options[position] = option
        }
        if let missing = options.firstIndex(where: { $0 == nil }) {
            throw .malformed("the outcome leaves out issue '\(space.issues[missing].name)'")
        }
        return Outcome(options.map { $0! })
    }

    private static func excerpt(_ line: String) -> String {
        line.count > 80 ? String(line.prefix(80)) + "…" : line
    }
}
