import Foundation
import NegotiationEngine
import NegotiationFormats
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The journal of a run in its folder (``TournamentJournal``): started from `kept` (the header,
/// and a resumed run's whole lines), then one line per negotiation as it ends.
///
/// Lines are gathered and written every tenth of a second (and at the end), one `write` to a file
/// opened for appending each time: a line per `write` cost a fifth of a fast tournament's speed.
/// A kill at any moment loses at most the last tenth of a second's negotiations, which a resume
/// runs again, and leaves at most one line cut short, which a resume drops.
final class TournamentJournalFile: Sendable {
    private struct Pending {
        var descriptor: Int32
        var bytes: [UInt8] = []
        var writtenAt = ContinuousClock.now
    }

    private let pending: Mutex<Pending>
    private let failures = Atomic<Int>(0)
    static let interval = Duration.milliseconds(100)

    /// How many writes failed (a full disk): a resume runs their negotiations again.
    var lost: Int { failures.load(ordering: .relaxed) }

    init(path: String, kept: String) throws {
        // The kept lines go to a new file that replaces the old in one rename: a crash here
        // leaves the old journal or the new, never half of one.
        let temporary = path + ".new"
        try Data(kept.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw Failure.data("\(path): cannot be replaced (\(String(cString: strerror(errno))))")
        }
        let opened = open(path, O_WRONLY | O_APPEND)
        guard opened >= 0 else { throw Failure.data("\(path): cannot be opened (\(String(cString: strerror(errno))))") }
        pending = Mutex(Pending(descriptor: opened))
    }

    deinit {
        pending.withLock { pending in
            writeGathered(&pending)
            _ = close(pending.descriptor)
        }
    }

    /// Adds the negotiation at `index` (from a worker thread).
    func append(_ index: Int, _ record: Tournament.Record) {
        let line = Array(TournamentJournal.line(index, record).utf8)
        pending.withLock { pending in
            pending.bytes += line
            if ContinuousClock.now - pending.writtenAt >= Self.interval { writeGathered(&pending) }
        }
    }

    /// Writes what is gathered (at the end of the run).
    func flush() { pending.withLock { gathered in writeGathered(&gathered) } }

    private func writeGathered(_ pending: inout Pending) {
        var written = 0
        let bytes = pending.bytes
        while written < bytes.count {
            let result = bytes.withUnsafeBytes {
                write(pending.descriptor, $0.baseAddress! + written, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                failures.add(1, ordering: .relaxed)
                break
            }
            written += result
        }
        pending.bytes.removeAll(keepingCapacity: true)
        pending.writtenAt = ContinuousClock.now
    }
}
