/// Why an external agent can no longer negotiate: the ending its seat's negotiation records.
public enum AgentFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The agent could not be started.
    case launch(String)
    /// No answer (or no room to write) within the limit.
    case timeout(seconds: Double, waitingFor: String)
    /// The agent's process ended on its own.
    case exited(status: Int32)
    /// The agent's process was killed by a signal (a crash).
    case crashed(signal: Int32)
    /// An answer that is not the protocol's: not JSON, the wrong message, an unknown option.
    case malformed(String)

    public var description: String {
        switch self {
        case .launch(let why): "could not be started: \(why)"
        case .timeout(let seconds, let what): "gave no answer to \(what) within \(Self.format(seconds)) s"
        case .exited(let status): "exited (status \(status))"
        case .crashed(let signal): "crashed (signal \(signal))"
        case .malformed(let what): "answered against the protocol: \(what)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
