import Foundation
import Talks
import Testing

/// The pages fold events by their `type` (`Web/state.js`); an event kind the pages do not know
/// would reach a member's browser and be silently dropped from what they see.
struct PagesVocabularyTests {
    static let stateScript = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TalksServer/Web/state.js")

    /// The `case "…":` labels of the switch in `apply`, the pages' fold.
    static func typesFoldedByThePages() throws -> Set<String> {
        let source = try String(contentsOf: stateScript, encoding: .utf8)
        guard let start = source.range(of: "switch (event.type) {"),
            let end = source.range(of: "\n  }\n", range: start.upperBound..<source.endIndex)
        else {
            throw CocoaError(
                .fileReadCorruptFile,
                userInfo: [NSLocalizedDescriptionKey: "no switch over event.type in \(stateScript.path)"]
            )
        }
        let body = source[start.upperBound..<end.lowerBound]
        let pattern = try Regex(#"case "([a-z-]+)":"#)
        return Set(body.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) })
    }

    @Test func thePagesFoldEveryKindOfEventAndNoOther() throws {
        let pages = try Self.typesFoldedByThePages()
        let server = Set(TalksEvent.Kind.allCases.map(\.rawValue))
        #expect(
            pages.subtracting(server).isEmpty,
            "the pages know types the server never sends: \(pages.subtracting(server).sorted())"
        )
        #expect(server.subtracting(pages).isEmpty, "the pages do not fold: \(server.subtracting(pages).sorted())")
    }

    /// The keys of `WORDS` in `Web/minutes.js`: the sentence the minutes write for each kind.
    static func typesTheMinutesWord() throws -> Set<String> {
        let script = stateScript.deletingLastPathComponent().appendingPathComponent("minutes.js")
        let source = try String(contentsOf: script, encoding: .utf8)
        guard let start = source.range(of: "export const WORDS = {"),
            let end = source.range(of: "\n};\n", range: start.upperBound..<source.endIndex)
        else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no WORDS in \(script.path)"])
        }
        let pattern = try Regex(#"\n  "([a-z-]+)": "#)
        return Set(
            source[start.lowerBound..<end.upperBound].matches(of: pattern).compactMap {
                $0.output[1].substring.map(String.init)
            }
        )
    }

    @Test func theMinutesWordEveryKindOfEventAndNoOther() throws {
        let words = try Self.typesTheMinutesWord()
        let server = Set(TalksEvent.Kind.allCases.map(\.rawValue))
        #expect(
            words == server,
            "unknown: \(words.subtracting(server).sorted()); unworded: \(server.subtracting(words).sorted())"
        )
    }
}
