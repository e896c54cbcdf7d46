import Foundation

/// What a principal signs when their delegation agrees, as text, one fact a line:
///
///     shuttle agreement
///     talks 3f2a9c…
///     party Iran
///     package {"enrichment":"3.67%","relief":"phased"}      (or: clause C2 "the agreed text")
///     checkpoint talks.example.org/talks/3f2a9c…/members/5be1… 42 Fq3…=
///
/// The signature covers the text's exact bytes, so it is kept as signed; it is read for its
/// meaning (the JSON in it is decoded, not compared byte for byte), and the talks checks that
/// the meaning is an agreement that stands. The checkpoint line ties the signature to the
/// signer's own verified record at the moment of signing.
public struct AgreementStatement: Hashable, Sendable {
    public enum Subject: Hashable, Sendable {
        /// A clause of the framework text, agreed by the principals, and its agreed text.
        case clause(id: String, text: String)
        /// A package the party accepted.
        case package([String: String])
    }

    /// The checkpoint of the signer's record the statement refers to.
    public struct CheckpointReference: Hashable, Sendable {
        public var origin: String
        public var size: Int
        /// The root hash, base64.
        public var rootHash: String

        public init(origin: String, size: Int, rootHash: String) {
            self.origin = origin
            self.size = size
            self.rootHash = rootHash
        }
    }

    public var talks: String
    public var party: String
    public var subject: Subject
    public var checkpoint: CheckpointReference

    public init(talks: String, party: String, subject: Subject, checkpoint: CheckpointReference) {
        self.talks = talks
        self.party = party
        self.subject = subject
        self.checkpoint = checkpoint
    }

    /// The statement as text, its JSON with sorted keys: what a page or a tool signs.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line: String
        switch subject {
        // Encoding strings and string dictionaries cannot fail.
        case .clause(let id, let text):
            line = "clause \(id) " + String(decoding: try! encoder.encode(text), as: UTF8.self)
        case .package(let package): line = "package " + String(decoding: try! encoder.encode(package), as: UTF8.self)
        }
        let reference = "checkpoint \(checkpoint.origin) \(checkpoint.size) \(checkpoint.rootHash)"
        return ["shuttle agreement", "talks \(talks)", "party \(party)", line, reference].map { $0 + "\n" }.joined()
    }

    /// The statement written as `text`.
    ///
    /// - Throws: ``TalksError/rule(_:)`` naming the line that is not a statement's: its form is
    ///   more than a schema says (409, as the agenda's and the preferences' rules are).
    public init(parsing text: String) throws(TalksError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 5, lines[0] == "shuttle agreement" else {
            throw .rule("a signed statement starts with 'shuttle agreement' and has five lines")
        }
        talks = try Self.value(of: "talks", in: lines[1])
        party = try Self.value(of: "party", in: lines[2])
        subject = try Self.subject(lines[3])
        let reference = try Self.value(of: "checkpoint", in: lines[4]).split(separator: " ")
        guard reference.count == 3, let size = Int(reference[1]), size >= 1 else {
            throw .rule("the statement's checkpoint line is 'checkpoint ORIGIN SIZE ROOT'")
        }
        checkpoint = CheckpointReference(origin: String(reference[0]), size: size, rootHash: String(reference[2]))
        guard lines.dropFirst(5).allSatisfy(\.isEmpty) else { throw .rule("the statement has more than five lines") }
    }

    private static func value(of key: String, in line: String) throws(TalksError) -> String {
        guard line.hasPrefix(key + " "), line.count > key.count + 1 else {
            throw .rule("the statement's line '\(line.prefix(40))' should start with '\(key) '")
        }
        return String(line.dropFirst(key.count + 1))
    }

    private static func subject(_ line: String) throws(TalksError) -> Subject {
        if line.hasPrefix("package ") {
            guard let package = try? JSONDecoder().decode([String: String].self, from: Data(line.dropFirst(8).utf8))
            else {
                throw .rule("the statement's package is not a JSON object of issues and options")
            }
            return .package(package)
        }
        let clause = try value(of: "clause", in: line)
        guard let space = clause.firstIndex(of: " "),
            let text = try? JSONDecoder().decode(String.self, from: Data(clause[clause.index(after: space)...].utf8))
        else { throw .rule("the statement's clause line is 'clause ID \"text\"'") }
        return .clause(id: String(clause[..<space]), text: text)
    }
}
