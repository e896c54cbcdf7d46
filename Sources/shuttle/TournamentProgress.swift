import Foundation
import NegotiationEngine
import Synchronization

/// How far a tournament has got, for a person watching a long run: negotiations done of all,
/// the rate, the time left and the failures so far. On a terminal, one line redrawn at most
/// twice a second; elsewhere (a log, a Slurm job's output), a plain line at every tenth of the
/// run or every minute, whichever comes first.
final class TournamentProgress: Sendable {
    private struct Counts {
        var done: Int
        var failed = 0
        var shownAt = 0.0
        var shownTenth: Int
    }

    private let total: Int
    private let resumed: Int
    private let terminal: Bool
    private let started = Date()
    private let counts: Mutex<Counts>

    /// `resumed` negotiations of `total` were done before this run started.
    init(total: Int, resumed: Int, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.resumed = resumed
        self.terminal = terminal
        counts = Mutex(Counts(done: resumed, shownTenth: total == 0 ? 10 : resumed * 10 / total))
    }

    /// One more negotiation ended (from a worker thread).
    func finished(_ record: Tournament.Record) {
        let line = counts.withLock { counts -> String? in
            counts.done += 1
            switch record.ending {
            case .failed, .timedOut: counts.failed += 1
            default: break
            }
            let now = Date().timeIntervalSince(started)
            let tenth = total == 0 ? 10 : counts.done * 10 / total
            let due =
                terminal
                ? now - counts.shownAt >= 0.5 || counts.done == total
                : tenth > counts.shownTenth || now - counts.shownAt >= 60
            guard due else { return nil }
            counts.shownAt = now
            counts.shownTenth = tenth
            return words(counts, seconds: now)
        }
        if let line { FileHandle.standardError.write(Data((terminal ? "\r\(line)\u{1B}[K" : "\(line)\n").utf8)) }
    }

    /// Ends the redrawn line on a terminal.
    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func words(_ counts: Counts, seconds: Double) -> String {
        let ran = counts.done - resumed
        let rate = seconds > 0 ? Double(ran) / seconds : 0
        let left = rate > 0 ? Self.duration(Double(total - counts.done) / rate) : "–"
        let percent = total == 0 ? 100 : counts.done * 100 / total
        var line =
            "\(counts.done)/\(total) negotiations (\(percent)%) · \(String(format: "%.1f", rate))/s · \(left) left"
        line += " · \(counts.failed) failed"
        if resumed > 0 { line += " · \(resumed) from before the resume" }
        return line
    }

    /// `3h 04m`, `2m 05s` or `12s`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return String(format: "%dh %02dm", whole / 3600, whole % 3600 / 60) }
        if whole >= 60 { return String(format: "%dm %02ds", whole / 60, whole % 60) }
        return "\(whole)s"
    }
}
