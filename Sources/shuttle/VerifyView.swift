import ArgumentParser
import Foundation
import Talks
import TransparencyLog

/// `shuttle verify-view`: a member's export checked against a signed checkpoint, with no server.
struct VerifyView: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-view",
        abstract: "Check, with no server, that a member's export is exactly the log a signed checkpoint commits to.",
        discussion: """
            EXPORT is the file GET /talks/{id}/export gave; --checkpoint, the note GET /talks/{id}/checkpoint gave (or one \
            a receipt carried); --key, the server's verifier key (NAME+HASH+BASE64, from shuttle key or GET /key, as text or \
            a file holding it), which you compared with what the operator gave you out of band. Exits 0 when everything \
            matches, 1 naming what does not (a changed, missing or extra line, a bad signature, a checkpoint or receipt for \
            another talks or member), 65 when a file cannot be read.
            """
    )

    @Argument(help: "The export: one event per line.") var export: String
    @Option(help: "A file holding the signed checkpoint.") var checkpoint: String
    @Option(help: "The verifier key, or a file holding it.") var key: String
    @Option(
        help:
            "A file of saved receipts: a JSON array, or one JSON object a line; each a receipt or a write's whole answer."
    )
    var receipts: String?
    @Option(help: "The talks the export must be of (checked against the checkpoint's origin).") var talks: String?
    @Option(help: "The member whose export it must be (with --talks).") var member: String?

    func validate() throws {
        guard (talks == nil) == (member == nil) else { throw ValidationError("--talks and --member go together") }
    }

    func run() throws {
        let verifier = try Self.verifier(key)
        let lines = LogAudit.lines(ofExport: try Self.bytes(export))
        let audit = LogAudit(lines: lines, key: verifier)
        let origin = talks.map { "\(verifier.name)/talks/\($0)/members/\(member ?? "")" }
        let note = String(decoding: try Self.bytes(checkpoint), as: UTF8.self)
        do {
            let checked = try audit.verify(checkpoint: note, origin: origin)
            let saved = try receipts.map { try Self.receipts(in: $0) } ?? []
            for receipt in saved { try audit.verify(receipt: receipt, against: checked) }
            let agreements = try SignedAgreements.verify(lines, in: audit, origin: checked.origin)
            print(
                "\(export): all \(checked.size) events are the log of \(checked.origin) that the checkpoint commits to"
            )
            print("signed by \(verifier.name) (fingerprint \(verifier.fingerprint))")
            if !saved.isEmpty { print("\(saved.count) receipts verified against it") }
            if agreements > 0 {
                print("\(agreements) agreements signed by principals verified with the keys they registered")
            }
        } catch let failure as LogAudit.Failure {
            printError("\(export): \(failure)")
            throw ExitCode.failure
        } catch let failure as SignedAgreements.Failure {
            printError("\(export): \(failure)")
            throw ExitCode.failure
        }
    }

    static func verifier(_ key: String) throws -> NoteVerifier {
        var text = key
        if !key.contains("+"), FileManager.default.fileExists(atPath: key) {
            text = String(decoding: try bytes(key), as: UTF8.self)
        }
        do {
            return try NoteVerifier(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw Failure.data("--key: \(error)")
        }
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.data("\(path): cannot be read")
        }
        return Array(data)
    }

    /// The receipts in `path`: a JSON array or JSON lines of receipts or of whole write answers.
    static func receipts(in path: String) throws -> [LogAudit.Receipt] {
        let bytes = try bytes(path)
        let decoder = JSONDecoder()
        struct Answer: Decodable { var receipt: LogAudit.Receipt? }
        func one(_ data: Data, at place: String) throws -> LogAudit.Receipt {
            if let receipt = try? decoder.decode(LogAudit.Receipt.self, from: data) { return receipt }
            if let receipt = try? decoder.decode(Answer.self, from: data).receipt { return receipt }
            throw Failure.data("\(path): \(place) is neither a receipt nor an answer carrying one")
        }
        if bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "[") {
            guard let items = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [Any] else {
                throw Failure.data("\(path): not a JSON array")
            }
            return try items.enumerated().map { index, item in
                try one(try JSONSerialization.data(withJSONObject: item), at: "item \(index + 1)")
            }
        }
        return try LogAudit.lines(ofExport: bytes).enumerated().filter { !$0.element.isEmpty }.map { index, line in
            try one(Data(line), at: "line \(index + 1)")
        }
    }
}
