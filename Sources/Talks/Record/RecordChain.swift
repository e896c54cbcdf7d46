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
        CanonicalText.text(of: event) ?? encodedByFoundation(event)
    }

    /// ``encode(_:)`` by `JSONEncoder` alone, for every kind: what ``CanonicalText`` must match.
    package static func encodedByFoundation(_ event: RecordedEvent) -> String {
        // Encoding these value types cannot fail.
        String(decoding: try! canonicalEncoder.encode(event), as: UTF8.self)
    }

    /// One encoder for every event: its options never change once set, and making one per
    /// event showed in the write path's profile.
    private static let canonicalEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `json`, an event's canonical text, with its own (top-level) `seq` set to `seq`; `nil` if
    /// it has none. Keys inside nested objects (an issue named "seq" in a package) are left
    /// alone, and so is anything inside a string.
    public static func renumber(_ json: String, to seq: Int) -> String? {
        let bytes = Array(json.utf8)
        let key = Array("\"seq\":".utf8)
        var depth = 0
        var inString = false
        var escaped = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
            } else if byte == UInt8(ascii: "\"") {
                if depth == 1, bytes[index...].starts(with: key) {
                    let start = index + key.count
                    var end = start
                    while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
                    guard end > start else { return nil }
                    return String(decoding: bytes[..<start] + Array(String(seq).utf8) + bytes[end...], as: UTF8.self)
                }
                inString = true
            }
            index += 1
        }
        return nil
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
    public static func verify(
        _ links: some Collection<Link>,
        after head: (seq: Int, hash: String) = (0, genesis)
    ) -> Verification {
        var checker = Checker(after: head)
        for link in links {
            checker.check(link)
            if case .broken = checker.verdict { break }
        }
        return checker.verdict
    }

    /// Checks a record link by link, as it is read: for a record too long to hold at once.
    public struct Checker: Sendable {
        public private(set) var head: (seq: Int, hash: String)
        public private(set) var verdict: Verification

        public init(after head: (seq: Int, hash: String) = (0, genesis)) {
            self.head = head
            verdict = .intact(events: head.seq, head: head.hash)
        }

        /// Checks the link after the last one checked; returns its event when it is readable.
        /// Once the record is found broken, the verdict stays; later links are only read.
        @discardableResult
        public mutating func check(_ link: Link) -> RecordedEvent? {
            let event = try? decode(link.json)
            check(link, read: event)
            return event
        }

        /// Checks a link whose event is known (one just appended), without reading its text back.
        public mutating func check(_ link: Link, event: RecordedEvent) {
            check(link, read: event)
        }

        private mutating func check(_ link: Link, read event: RecordedEvent?) {
            guard case .intact = verdict else { return }
            let expected = head.seq + 1
            if link.seq != expected {
                verdict = .broken(seq: link.seq, reason: "expected event \(expected), found \(link.seq)")
            } else if hash(link.json, previous: head.hash) != link.hash {
                verdict = .broken(
                    seq: link.seq,
                    reason: "the hash does not match the event's text or the event before it"
                )
            } else if event == nil {
                verdict = .broken(seq: link.seq, reason: "the stored event cannot be read")
            } else if event?.seq != link.seq {
                verdict = .broken(seq: link.seq, reason: "the stored event says it is event \(event?.seq ?? 0)")
            } else {
                head = (link.seq, link.hash)
                verdict = .intact(events: link.seq, head: link.hash)
            }
        }
    }
}
