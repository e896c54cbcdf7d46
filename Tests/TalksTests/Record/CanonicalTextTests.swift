import NegotiationEngine
import Talks
import Testing

/// The direct writer of a message's text (`CanonicalText`) writes what `JSONEncoder` writes,
/// byte for byte, whatever the text, the names and the time hold.
struct CanonicalTextTests {
    /// Scalars that stress the writer: every control character, the ones JSON escapes, the ones
    /// it does not (`/`, DEL, line separators), accents, emoji and plain letters.
    static let scalars: [Unicode.Scalar] =
        (0..<0x20).map { Unicode.Scalar(UInt8($0)) }
        + [
            "\"", "\\", "/", "\u{7f}", "\u{2028}", "\u{2029}", "é", "ß", "中", "😀", "\u{301}", " ", "a", "z", "0", ":",
            "{", "}",
        ]

    static func text(_ random: inout SeededGenerator, upTo length: Int) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...length, using: &random) {
            text.unicodeScalars.append(scalars.randomElement(using: &random)!)
        }
        return text
    }

    static func time(_ random: inout SeededGenerator) -> Double {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: Double(Int.random(in: 0...2_000_000_000, using: &random))
        case 1: Double.random(in: 1_700_000_000...1_800_000_000, using: &random)
        case 2: Double.random(in: 0..<1, using: &random)
        case 3: Double.random(in: -1e22...1e22, using: &random)
        case 4: Double.random(in: 0..<1e-6, using: &random)
        default: Double(Int.random(in: -5...5, using: &random)) / 4
        }
    }

    @Test func messagesAreWrittenAsJSONEncoderWritesThem() throws {
        var random = SeededGenerator(seed: 24)
        for _ in 0..<5_000 {
            // Channels as the talks name them: party and track names as people write them.
            let party = ["US", "Iran", "United States", "Côte d’Ivoire", "中国", "Track \"A\"/B"].randomElement(
                using: &random
            )!
            let channel: Channel = [.room(party: party), .shuttle(party: party), .joint, .track(party)].randomElement(
                using: &random
            )!
            let event = TalksEvent.messagePosted(
                channel: channel,
                author: MemberID(Self.text(&random, upTo: 10)),
                text: Self.text(&random, upTo: 40)
            )
            let recorded = RecordedEvent(
                seq: Int.random(in: 1...1_000_000_000, using: &random),
                event: event,
                audience: Visibility.audience(of: event),
                time: Self.time(&random)
            )
            let written = RecordChain.encode(recorded)
            #expect(written == RecordChain.encodedByFoundation(recorded), "\(recorded)")
            #expect(try RecordChain.decode(written) == recorded)
        }
    }

    /// Every other kind is left to `JSONEncoder`, and a message among them is written the same.
    @Test func everyKindIsWrittenAsJSONEncoderWritesIt() throws {
        for event in try Fixture.withEveryKindOfEvent().record {
            #expect(RecordChain.encode(event) == RecordChain.encodedByFoundation(event), "\(event.event.kind)")
        }
    }
}
