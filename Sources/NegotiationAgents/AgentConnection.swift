/// A line-by-line channel to one agent, every wait bounded by a deadline: the agent's process
/// (``AgentProcess``), one a fork server started (``ForkedAgent``), or a WebSocket to an agent on
/// another machine (``AgentSocket``).
///
/// Calls block their thread (negotiators are synchronous); never call them from a Swift
/// concurrency task.
protocol AgentConnection: AnyObject, Sendable {
    /// Sends one message (a line without its line break).
    func send(
        _ line: String,
        before deadline: ContinuousClock.Instant,
        timeout: Double,
        what: String
    ) throws(AgentFault)
    /// The next message, waiting until `deadline` at most.
    func receive(before deadline: ContinuousClock.Instant, timeout: Double, what: String) throws(AgentFault) -> String
    /// Stops the agent (or drops the connection) at once.
    func kill()
    /// Lets the agent finish, then stops it if it lingers past `grace` seconds.
    func close(grace: Double)
}

/// Where an agent lives.
public enum AgentEndpoint: Sendable, Hashable {
    /// A command line whose process speaks the protocol over standard input and output.
    case command([String])
    /// A WebSocket URL (`ws://` or `wss://`) whose text messages are the protocol's messages.
    case webSocket(String)
    /// An agent a fork server starts by forking itself, named in the server's terms (for the
    /// NegMAS adapter's, MODULE:CLASS).
    case forked(AgentForkServer, String)

    /// `ws://…` and `wss://…` as WebSockets; anything else as a command line split at spaces.
    public init(_ text: String) {
        if text.hasPrefix("ws://") || text.hasPrefix("wss://") {
            self = .webSocket(text)
        } else {
            self = .command(text.split(separator: " ").map(String.init))
        }
    }

    func connect(environment: [String: String]) throws(AgentFault) -> any AgentConnection {
        switch self {
        case .command(let command): try AgentProcess(command: command, environment: environment)
        case .webSocket(let url): AgentSocket(url: url)
        case .forked(let server, let agent): try ForkedAgent(server: server, agent: agent, environment: environment)
        }
    }
}
