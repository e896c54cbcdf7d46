import Foundation
import Synchronization
public import Talks
public import TalksStore
import TransparencyLog

/// The talks a server holds: it loads them from the store, runs commands one at a time per
/// talks, makes every event durable before anyone hears of it, and streams each event to the
/// members who may see it, in their own numbers (``MemberView``).
///
/// Its jobs, each in a file of its own:
/// - the talks held in memory (`TalksHub+Loading`, ``LoadedTalks``): read when first asked
///   for, their chains checked; at most `maxLoadedTalks` besides those with open streams, the
///   least recently used let go first; a loaded talks holds its state, not its events;
/// - the one command path (`TalksHub+Commands`): in the talks' turn (`TalksHub+Turns`), decide,
///   link, append if no other writer came first (else read what it wrote and decide again),
///   publish;
/// - who holds a token (`TalksHub+Credentials`);
/// - what members read, a page at a time (`TalksHub+Reading`), and their live streams
///   (`TalksHub+Streams`, ``Subscriptions``);
/// - on a ``SharedTalksStore``, several instances on one database: reads first bring the talks
///   up to the store (`current`), and ``followOtherInstances()`` hands other instances' events
///   to this one's streams (`TalksHub+OtherInstances`).
public actor TalksHub {
    /// What a stream carries: events as the member receives them (JSON), then why it ended. A
    /// stream that finishes without ``ended(_:)`` fell too far behind.
    public enum Delivery: Sendable, Equatable {
        case event(String)
        case ended(Ending)
    }

    public enum Ending: Sendable, Equatable {
        /// The link the stream was opened with no longer opens the seat.
        case revoked
        /// The server is shutting down.
        case shuttingDown
    }

    /// Who a bearer token is.
    public enum Caller: Sendable {
        case member(talks: TalksID, member: Member, version: Int)
        /// A token that used to open a seat: its link was replaced, or its member removed.
        case revoked(talks: TalksID, reason: String)
        case unknown
    }

    /// Events read from the store at once, when loading a talks or serving a backlog.
    public static let pageSize = 500
    /// Events a stream may have waiting for a slow client before it is closed (the client
    /// reconnects with `after=`).
    static let streamBuffer = 4_096

    let store: any TalksStore
    /// The store, when other instances share it.
    let shared: (any SharedTalksStore)?
    /// How many talks are held in memory at most.
    public let maxLoadedTalks: Int
    var loaded = LoadedTalks()
    var turns = Turns()
    var credentials = CredentialCache(limit: 50_000)
    var streams = Subscriptions()
    /// Talks being caught up with other instances' appends, and the newest number heard of.
    var behind: [TalksID: Int] = [:]
    var shuttingDown = false
    let now: @Sendable () -> Double
    var metrics = HubMetrics()
    /// The name a new signing key is given (``signer()``); a stored key keeps its own.
    let keyName: String
    /// The signing key once read from the store: read by every receipt without a trip into the
    /// actor.
    let signingKey = Mutex<NoteSigner?>(nil)

    /// - Parameters:
    ///   - maxLoadedTalks: how many talks to hold in memory at most (at least 1).
    ///   - now: the clock, in seconds since 1970 (the system's when `nil`).
    ///   - keyName: the name of the signing key made if the store holds none: this server's
    ///     name (as `talks.example.org`), which begins every checkpoint's origin.
    public init(
        store: any TalksStore,
        maxLoadedTalks: Int = 1_000,
        now: (@Sendable () -> Double)? = nil,
        keyName: String = "shuttle"
    ) {
        self.store = store
        self.keyName = keyName
        shared = store as? any SharedTalksStore
        self.maxLoadedTalks = max(maxLoadedTalks, 1)
        self.now = now ?? { Date().timeIntervalSince1970 }
    }

    /// How many talks are in memory now.
    public var loadedTalksCount: Int { loaded.count }

    /// How many streams are open now.
    public var openStreamsCount: Int { streams.count }

    /// The talks' record moved on under this command (another writer appended each time it was
    /// decided): the command was not recorded, and may be sent again (409).
    public struct ChangedMeanwhile: Error, CustomStringConvertible {
        public var description: String {
            "the talks changed while this was decided; nothing was recorded: send it again"
        }
    }

    /// The link a command came with was replaced, or its member removed, before the command was
    /// decided (401, with the reason).
    public struct LinkRevoked: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// A command that came after the server began shutting down (503: try again).
    public struct ShuttingDown: Error, CustomStringConvertible {
        public var description: String { "the server is shutting down; try again shortly" }
    }

    /// A stored event that cannot be read: the store's fault, not the caller's.
    struct UnreadableRecord: Error, CustomStringConvertible {
        var talks: TalksID
        var seq: Int
        var description: String { "event \(seq) of a stored talks cannot be read" }
    }
}
