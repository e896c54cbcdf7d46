import Foundation
import Talks
import TalksStore

/// The members listening to each talks, each with the version of the link they connected with:
/// a stream ends when that link stops opening their seat.
struct Subscriptions {
    struct Subscriber {
        var member: MemberID
        var version: Int
        var continuation: AsyncStream<TalksHub.Delivery>.Continuation
    }

    private var byTalks: [TalksID: [UUID: Subscriber]] = [:]

    /// How many streams are open.
    var count: Int { byTalks.values.reduce(0) { $0 + $1.count } }

    /// Whether some stream listens to `id` (the hub then keeps it loaded).
    func isListening(to id: TalksID) -> Bool { byTalks[id] != nil }

    func listeners(of id: TalksID) -> [UUID: Subscriber] { byTalks[id] ?? [:] }

    mutating func add(_ subscriber: Subscriber, to id: TalksID) -> UUID {
        let key = UUID()
        byTalks[id, default: [:]][key] = subscriber
        return key
    }

    /// Removes one stream; says whether it was there.
    @discardableResult
    mutating func remove(_ key: UUID, from id: TalksID) -> Bool {
        guard byTalks[id]?.removeValue(forKey: key) != nil else { return false }
        if byTalks[id]?.isEmpty == true { byTalks[id] = nil }
        return true
    }

    /// Removes every stream of `id`, or of every talks, and returns them.
    mutating func removeAll(of id: TalksID? = nil) -> [Subscriber] {
        guard let id else {
            defer { byTalks = [:] }
            return byTalks.values.flatMap(\.values)
        }
        defer { byTalks[id] = nil }
        return Array(byTalks[id]?.values ?? [:].values)
    }
}
