/// The canonical text of the kind of event written most, a message, written directly: byte for
/// byte what ``RecordChain/encode(_:)`` has `JSONEncoder` write (sorted keys, slashes as they
/// are), at a fraction of its cost. Every write makes an event's text, and messages are most of
/// what a talks records; the other kinds are left to `JSONEncoder`.
///
/// The hash covers the stored text whatever wrote it, so this is a matter of speed, not of
/// verification; `CanonicalTextTests` holds the two writers to the same bytes.
enum CanonicalText {
    /// `event`'s canonical text, or `nil` for a kind this writer leaves to `JSONEncoder`.
    static func text(of event: RecordedEvent) -> String? {
        guard case .messagePosted(let channel, let author, let text) = event.event else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(128 + text.utf8.count)
        out.append(contentsOf: #"{"audience":["#.utf8)
        for (index, listener) in event.audience.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(listener.description, into: &out)
        }
        out.append(contentsOf: #"],"author":"#.utf8)
        string(author.rawValue, into: &out)
        out.append(contentsOf: #","channel":"#.utf8)
        string(channel.description, into: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        out.append(contentsOf: String(event.seq).utf8)
        out.append(contentsOf: #","text":"#.utf8)
        string(text, into: &out)
        out.append(contentsOf: #","time":"#.utf8)
        guard number(event.time, into: &out) else { return nil }
        out.append(contentsOf: #","type":"message-posted"}"#.utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string as `JSONEncoder` writes it: `"` and `\` escaped, the control characters as
    /// `\b \t \n \f \r` or `\u00xx`, everything else as it is.
    static func string(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A number as `JSONEncoder` writes a `Double`: its shortest text, without a trailing `.0`.
    /// Says `false` for one that is not finite, which `JSONEncoder` refuses.
    static func number(_ value: Double, into out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        let text = value.description
        out.append(contentsOf: (text.hasSuffix(".0") ? text.dropLast(2) : Substring(text)).utf8)
        return true
    }
}
