import Foundation
import NegotiationAgents
import NegotiationEngine

/// The negotiators a command names: built-ins by name, `human`, and external agents written
/// `agent:COMMAND ARGUMENTS…` (a process, started once and kept for later negotiations) or
/// `agent:ws://HOST:PORT/PATH` (an agent on another machine, over a WebSocket).
struct NegotiatorSpecs: Sendable {
    static let agentPrefix = "agent:"

    let names: [String]
    private let pools: [String: AgentPool]

    /// Reads a comma-separated list; `timeout` is each agent answer's limit in seconds.
    init(_ list: String, agentTimeout timeout: Double) throws {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var pools: [String: AgentPool] = [:]
        for name in names {
            if name.hasPrefix(Self.agentPrefix) {
                let endpoint = AgentEndpoint(String(name.dropFirst(Self.agentPrefix.count)))
                guard endpoint != .command([]) else { throw Failure.usage("'\(name)' names no agent; write agent:COMMAND ARGUMENTS… or agent:ws://HOST:PORT/PATH") }
                pools[name] = pools[name] ?? AgentPool(endpoint, timeout: timeout)
            } else if name != "human", NegotiatorCatalog.make(name) == nil {
                throw Failure.usage(
                    "unknown negotiator '\(name)'; choose from \((NegotiatorCatalog.names + ["human", "an exponent such as 2.5", "agent:COMMAND"]).joined(separator: ", "))")
            }
        }
        self.names = names
        self.pools = pools
    }

    /// A fresh negotiator for `name` (not `human`).
    func make(_ name: String) -> any Negotiator {
        if let pool = pools[name] { return pool.negotiator(named: name) }
        return NegotiatorCatalog.make(name)!
    }

    /// Lets every agent process exit.
    func shutdown() {
        for pool in pools.values { pool.shutdown() }
    }
}
