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
/// and a resumed run's whole lines), then one line appended per negotiation as it ends. Each
/// line is one `write` to a file opened for appending, so a kill at any moment leaves whole
/// lines and at most one cut short, which a resume drops.
final class TournamentJournalFile: Sendable {
    private let descriptor: Mutex<Int32>
    private let failures = Atomic<Int>(0)

    /// How many negotiations could not be written (a full disk): a resume runs them again.
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
        descriptor = Mutex(opened)
    }

    deinit { descriptor.withLock { _ = close($0) } }

    /// Appends the negotiation at `index` (from a worker thread).
    func append(_ index: Int, _ record: Tournament.Record) {
        let bytes = Array(TournamentJournal.line(index, record).utf8)
        descriptor.withLock { descriptor in
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes {
                    write(descriptor, $0.baseAddress! + written, bytes.count - written)
                }
                if result < 0 {
                    if errno == EINTR { continue }
                    failures.add(1, ordering: .relaxed)
                    return
                }
                written += result
            }
        }
    }
}
