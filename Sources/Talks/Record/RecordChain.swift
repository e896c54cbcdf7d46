import Foundation

/// The tamper-evident record: each event's stored text is hashed together with the hash of the
/// event before it, so changing, removing or reordering any event breaks every hash after it.
///
/// The hash covers the exact stored text, not a re-encoding, so verification does not depend on
/// how a later version of Shuttle would encode the same event.
public enum RecordChain {
    /// The "previous hash" of a talks' first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// An event as the store keeps it.
    public struct Link: Hashable, Sendable {
        public var seq: Int
        /// The event's canonical JSON (``encode(_:)``).
        public var json: String
        public var hash: String

        public init(seq: Int, json: String, hash: String) {
            self.seq = seq
            self.json = json
            self.hash = hash
        }

        /// The event as clients receive it: its stored JSON with its hash added.
        public var publishedJSON: String {
            json.hasPrefix("{") ? "{\"hash\":\"\(hash)\"," + json.dropFirst() : json
        }
    }

    /// What ``verify(_:)`` found.
    public enum Verification: Hashable, Sendable {
        case intact(events: Int, head: String)
        case broken(seq: Int, reason: String)
    }

    /// The canonical text of an event: JSON with sorted keys.
    public static func encode(_ event: RecordedEvent) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these value types cannot fail.
        return String(decoding: try! encoder.encode(event), as: UTF8.self)
    }

    public static func decode(_ json: String) throws -> RecordedEvent {
        try JSONDecoder().decode(RecordedEvent.self, from: Data(json.utf8))
    }

    /// The hash of an event whose canonical text is `json`, following `previous`.
    public static func hash(_ json: String, previous: String) -> String {
        RecordDigest.hex(Array(previous.utf8) + [0x0A] + Array(json.utf8))
    }

    /// The links for `events`, following the link whose hash is `previous`.
    public static func link(_ events: [RecordedEvent], after previous: String) -> [Link] {
        var previous = previous
        return events.map { event in
            let json = encode(event)
            let link = Link(seq: event.seq, json: json, hash: hash(json, previous: previous))
            previous = link.hash
            return link
        }
    }

    /// Checks a talks' record: sequence numbers 1, 2, 3… in order, every hash right, every event
    /// readable and numbered as stored. To check only what was added since a checked prefix,
    /// pass the links after it and the prefix's head.
    public static func verify(_ links: some Collection<Link>, after head: (seq: Int, hash: String) = (0, genesis)) -> Verification {
        var previous = head.hash
        for (offset, link) in links.enumerated() {
            let expected = head.seq + offset + 1
            guard link.seq == expected else { return .broken(seq: link.seq, reason: "expected event \(expected), found \(link.seq)") }
            guard hash(link.json, previous: previous) == link.hash else {
                return .broken(seq: link.seq, reason: "the hash does not match the event's text or the event before it")
            }
            guard let event = try? decode(link.json) else { return .broken(seq: link.seq, reason: "the stored event cannot be read") }
            guard event.seq == link.seq else { return .broken(seq: link.seq, reason: "the stored event says it is event \(event.seq)") }
            previous = link.hash
        }
        return .intact(events: head.seq + links.count, head: previous)
    }
}
