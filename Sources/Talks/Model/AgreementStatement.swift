import Crypto
import Foundation
public import TransparencyLog

/// What a principal signs when their delegation agrees, as text, one fact a line:
///
///     shuttle agreement
///     talks 3f2a9c…
///     party Iran
///     package {"enrichment":"3.67%","relief":"phased"}      (or: clause C2 "the agreed text")
///     checkpoint Fq3…=
///
/// The signature covers the text's exact bytes, so it is kept as signed; it is read for its
/// meaning (the JSON in it is decoded, not compared byte for byte), and the talks checks that
/// the meaning is an agreement that stands. The checkpoint line ties the signature to the
/// signer's own verified record at the moment of signing, by the commitment to one of their
/// checkpoints (``TransparencyLog/Checkpoint/commitment``), not by its size: the statement goes
/// to members who do not see the signer's room, and a size would count its activity.
public struct AgreementStatement: Hashable, Sendable {
    public enum Subject: Hashable, Sendable {
        /// A clause of the framework text, agreed by the principals, and its agreed text.
        case clause(id: String, text: String)
        /// A package the party accepted.
        case package([String: String])
    }

    public var talks: String
    public var party: String
    public var subject: Subject
    /// The commitment to the checkpoint of the signer's record the statement refers to.
    public var checkpoint: String

    public init(talks: String, party: String, subject: Subject, checkpoint: String) {
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
        return ["shuttle agreement", "talks \(talks)", "party \(party)", line, "checkpoint \(checkpoint)"].map {
            $0 + "\n"
        }
        .joined()
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
        checkpoint = try Self.value(of: "checkpoint", in: lines[4])
        guard lines.dropFirst(5).allSatisfy(\.isEmpty) else { throw .rule("the statement has more than five lines") }
    }

    /// Whether `signature` (base64) is the Ed25519 signature of `text` by `publicKey` (base64):
    /// what the talks checks before recording a signed agreement, and every reader after.
    public static func isSigned(_ text: String, signature: String, by publicKey: String) -> Bool {
        guard let keyBytes = Data(base64Encoded: publicKey), let bytes = Data(base64Encoded: signature),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes)
        else { return false }
        return key.isValidSignature(bytes, for: Data(text.utf8))
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
