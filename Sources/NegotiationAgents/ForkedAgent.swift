#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An agent forked by an ``AgentForkServer``: the protocol's lines over a Unix socket to it.
///
/// The connection's first line names the agent (MODULE:CLASS for NegMAS's); the server answers
/// with the forked process's id, which ``kill()`` signals. The agent's exit status comes from
/// the server, which is its parent.
final class ForkedAgent: LineChannelAgent, @unchecked Sendable {
    private let server: AgentForkServer
    private let descriptor: Int32
    let channel: LineChannel
    private var pid: Int32 = 0
    private var open = true

    init(server: AgentForkServer, agent: String, environment: [String: String]) throws(AgentFault) {
        let path = try server.socketPath(environment: environment)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw .launch("no socket for the fork server (errno \(errno))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.prefix(bytes.count - 1).enumerated() { bytes[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw .launch("cannot reach the fork server at \(path) (errno \(code))")
        }
        self.server = server
        self.descriptor = descriptor
        channel = LineChannel(writing: descriptor, reading: descriptor) {
            .launch("the fork server closed the connection")
        }
        let due = ContinuousClock.now.advanced(by: .seconds(30))
        try channel.send(agent, before: due, timeout: 30, what: "the fork server")
        let line = try channel.receive(before: due, timeout: 30, what: "the fork server")
        guard let pid = Int32(line), pid > 0 else { throw .launch("the fork server answered '\(line.prefix(80))'") }
        self.pid = pid
        channel.ended = { [server] in server.ending(of: pid) }
    }

    deinit { kill() }

    /// Stops the agent at once.
    func kill() {
        guard open else { return }
        open = false
        if pid > 0 { _ = sendSignal(pid, SIGKILL) }
        Glibc.close(descriptor)
    }

    /// Ends the connection's sending side (the agent exits at the end of its input), and kills the
    /// agent if the connection has not closed within `grace` seconds.
    func close(grace: Double) {
        guard open else { return }
        shutdown(descriptor, Int32(SHUT_WR))
        if channel.closes(before: ContinuousClock.now.advanced(by: .milliseconds(Int(grace * 1000)))) {
            open = false
            Glibc.close(descriptor)
        } else {
            kill()
        }
    }
}
