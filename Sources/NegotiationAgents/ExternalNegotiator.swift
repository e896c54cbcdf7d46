public import NegotiationEngine
import Synchronization

/// The agents that run one command, kept between negotiations: an agent is started (and greeted)
/// once and serves negotiation after negotiation, so an interpreter's start-up is paid once per
/// worker thread, not once per negotiation. An agent that fails is stopped, never reused.
public final class AgentPool: Sendable {
    /// Where an agent comes from: a command line to start, or a WebSocket URL to connect to.
    public let endpoint: AgentEndpoint
    /// Seconds each answer may take.
    public let timeout: Double
    let environment: [String: String]
    private let idle = Mutex<[any AgentConnection]>([])

    /// - Parameter environment: added to Shuttle's own for agents it starts.
    public init(_ endpoint: AgentEndpoint, timeout: Double = 10, environment: [String: String] = [:]) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.environment = environment
    }

    public convenience init(command: [String], timeout: Double = 10, environment: [String: String] = [:]) {
        self.init(.command(command), timeout: timeout, environment: environment)
    }

    /// A negotiator for one negotiation, named `name` in tables and traces.
    public func negotiator(named name: String) -> ExternalNegotiator {
        ExternalNegotiator(name: name, pool: self)
    }

    /// An idle agent, or a new one that has answered the handshake.
    func take() throws(AgentFault) -> any AgentConnection {
        if let agent = idle.withLock({ $0.popLast() }) { return agent }
        let agent = try endpoint.connect(environment: environment)
        let due = deadline()
        try agent.send(AgentMessages.hello(), before: due, timeout: timeout, what: "hello")
        let line = try agent.receive(before: due, timeout: timeout, what: "hello")
        guard case .hello(let version) = try AgentMessages.answer(line, space: OutcomeSpace(issues: [])).0 else {
            throw .malformed("the handshake needs a hello, not: \(line.prefix(80))")
        }
        guard version == AgentMessages.version else {
            throw .malformed("speaks '\(version)'; Shuttle speaks '\(AgentMessages.version)'")
        }
        return agent
    }

    /// When an answer asked for now is due.
    func deadline() -> ContinuousClock.Instant {
        ContinuousClock.now.advanced(by: .milliseconds(Int(timeout * 1000)))
    }

    func giveBack(_ agent: any AgentConnection) {
        idle.withLock { $0.append(agent) }
    }

    /// Lets every idle agent exit (end of input), killing those that linger.
    public func shutdown() {
        let agents = idle.withLock { agents in
            defer { agents = [] }
            return agents
        }
        for agent in agents { agent.close(grace: 1) }
    }

    deinit { shutdown() }
}

/// A seat played by an external agent: every call the protocol makes becomes a message, every
/// answer an action (see `docs/agent-protocol.md`). The agent is shown exactly the events the
/// protocol shows the seat, through ``observe(_:)``, like any negotiator.
///
/// An agent that does not answer within the pool's time limit, exits, crashes or answers against
/// the protocol fails: the seat leaves and the negotiation ends with
/// ``NegotiationResult/Ending/failed(seat:reason:)`` saying why. Shuttle never waits longer
/// than the limit on any one message.
public final class ExternalNegotiator: Negotiator {
    public let name: String
    private let pool: AgentPool
    private var agent: (any AgentConnection)?
    private var space = OutcomeSpace(issues: [])
    public private(set) var failure: String?
    /// The `text` of the agent's last answer, until the protocol takes it.
    private var text: String?

    init(name: String, pool: AgentPool) {
        self.name = name
        self.pool = pool
    }

    deinit { agent?.kill() }

    public func begin(_ seat: Seat) {
        space = seat.space
        do throws(AgentFault) {
            agent = try pool.take()
            guard try exchange(try AgentMessages.begin(seat), what: "begin") == .ready else {
                throw .malformed("begin needs the answer ready")
            }
        } catch {
            fail(error)
        }
    }

    public func propose(_ state: NegotiationState) -> Outcome? {
        switch ask(AgentMessages.propose(state), what: "propose") {
        case .offer(let outcome)?: return outcome
        case .end?, nil: return nil
        case let other?:
            fail(.malformed("answered \(other.word) to propose (offer or end expected)"))
            return nil
        }
    }

    public func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        switch ask(AgentMessages.respond(to: offer, state, space: space), what: "respond") {
        case .accept?: return .accept
        case .reject?: return .reject
        case .end?, nil: return .end
        case let other?:
            fail(.malformed("answered \(other.word) to respond (accept, reject or end expected)"))
            return .end
        }
    }

    public func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        switch ask(AgentMessages.vote(for: candidate, over: current, state, space: space), what: "vote") {
        case .accept?: return true
        case .reject?, nil: return false
        case let other?:
            fail(.malformed("answered \(other.word) to vote (accept or reject expected)"))
            return false
        }
    }

    public func observe(_ event: NegotiationEvent) {
        guard let agent, failure == nil else { return }
        do throws(AgentFault) {
            try agent.send(
                AgentMessages.event(event, space: space),
                before: pool.deadline(),
                timeout: pool.timeout,
                what: "an event"
            )
        } catch {
            fail(error)
        }
    }

    public func takeText() -> String? {
        defer { text = nil }
        return text
    }

    public func negotiationEnded(agreement: Outcome?) {
        guard let agent, failure == nil else { return }
        self.agent = nil
        do throws(AgentFault) {
            try agent.send(
                AgentMessages.end(agreement: agreement, space: space),
                before: pool.deadline(),
                timeout: pool.timeout,
                what: "end"
            )
            pool.giveBack(agent)
        } catch {
            agent.kill()
        }
    }

    /// The agent's answer to `message`, or `nil` once it has failed.
    private func ask(_ message: String, what: String) -> AgentMessages.Answer? {
        guard failure == nil else { return nil }
        do throws(AgentFault) {
            return try exchange(message, what: what)
        } catch {
            fail(error)
            return nil
        }
    }

    private func exchange(_ message: String, what: String) throws(AgentFault) -> AgentMessages.Answer {
        guard let agent else { throw .launch("no agent") }
        let deadline = pool.deadline()
        try agent.send(message, before: deadline, timeout: pool.timeout, what: what)
        let (answer, text) = try AgentMessages.answer(
            try agent.receive(before: deadline, timeout: pool.timeout, what: what),
            space: space
        )
        self.text = text
        return answer
    }

    private func fail(_ fault: AgentFault) {
        failure = "agent \(fault)"
        agent?.kill()
        agent = nil
    }
}
