import Foundation
import NegotiationAgents
import NegotiationEngine

/// The negotiators a command names: built-ins by name, `human`, and external agents written
/// `agent:COMMAND ARGUMENTS…` (a process, started once and kept for later negotiations) or
/// `agent:ws://HOST:PORT/PATH` (an agent on another machine, over a WebSocket), and NegMAS
/// negotiators written `python:MODULE:CLASS`, seated by the `shuttle_agents` adapter
/// (`python/`) under the interpreter `SHUTTLE_PYTHON` names (default `python3`).
struct NegotiatorSpecs: Sendable {
    static let agentPrefix = "agent:"
    static let pythonPrefix = "python:"

    let names: [String]
    private let pools: [String: AgentPool]
    /// The one Python process that imports NegMAS and forks every `python:` seat.
    private let forkServer: AgentForkServer?

    /// Reads a comma-separated list; `timeout` is each agent answer's limit in seconds.
    init(_ list: String, agentTimeout timeout: Double) throws {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var pools: [String: AgentPool] = [:]
        let python = names.filter { $0.hasPrefix(Self.pythonPrefix) }.map {
            String($0.dropFirst(Self.pythonPrefix.count))
        }
        let forkServer =
            python.isEmpty ? nil : AgentForkServer(command: Self.forkServerCommand(Array(Set(python)).sorted()))
        for name in names {
            if name.hasPrefix(Self.agentPrefix) {
                let endpoint = AgentEndpoint(String(name.dropFirst(Self.agentPrefix.count)))
                guard endpoint != .command([]) else {
                    throw Failure.usage(
                        "'\(name)' names no agent; write agent:COMMAND ARGUMENTS… or agent:ws://HOST:PORT/PATH"
                    )
                }
                pools[name] = pools[name] ?? AgentPool(endpoint, timeout: timeout)
            } else if name.hasPrefix(Self.pythonPrefix) {
                let negotiator = String(name.dropFirst(Self.pythonPrefix.count))
                let parts = negotiator.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                    throw Failure.usage(
                        "'\(name)' is not python:MODULE:CLASS (for example python:negmas.sao:AspirationNegotiator)"
                    )
                }
                pools[name] = pools[name] ?? AgentPool(.forked(forkServer!, negotiator), timeout: timeout)
            } else if name != "human", NegotiatorCatalog.make(name) == nil {
                throw Failure.usage(
                    "unknown negotiator '\(name)'; choose from \((NegotiatorCatalog.names + ["human", "an exponent such as 2.5", "agent:COMMAND", "python:MODULE:CLASS"]).joined(separator: ", "))"
                )
            }
        }
        self.names = names
        self.pools = pools
        self.forkServer = forkServer
    }

    /// The command of the fork server that seats NegMAS's `MODULE:CLASS`es under `SHUTTLE_PYTHON`,
    /// importing each once.
    static func forkServerCommand(_ negotiators: [String]) -> [String] {
        let python =
            ProcessInfo.processInfo.environment["SHUTTLE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        return [python, "-m", "shuttle_agents.fork_server"] + negotiators
    }

    /// A fresh negotiator for `name` (not `human`).
    func make(_ name: String) -> any Negotiator {
        if let pool = pools[name] { return pool.negotiator(named: name) }
        return NegotiatorCatalog.make(name)!
    }

    /// Lets every agent process exit.
    func shutdown() {
        for pool in pools.values { pool.shutdown() }
        forkServer?.shutdown()
    }
}
