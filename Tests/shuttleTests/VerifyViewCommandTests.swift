import CommandTesting
import Foundation
import Testing
import TransparencyLog

/// `shuttle key` and `shuttle verify-view`, run as a member's security officer runs them.
@Suite(.serialized)
struct VerifyViewCommandTests {
    /// An export of `count` lines, its checkpoint and the key, written into `folder`.
    static func files(
        in folder: URL,
        count: Int = 9,
        signer: NoteSigner
    ) throws -> (lines: [[UInt8]], origin: String) {
        let origin = "\(signer.verifier.name)/talks/t1/members/m1"
        let lines = (1...count).map { Array("{\"audience\":[\"plenary\"],\"seq\":\($0),\"time\":1}".utf8) }
        var tree = MerkleTree()
        for line in lines { tree.append(leaf: line) }
        let checkpoint = Checkpoint(origin: origin, size: count, rootHash: tree.root(size: count))
        try SignedNote(signing: checkpoint.text, with: [signer]).formatted.write(
            to: folder.appendingPathComponent("checkpoint.txt"),
            atomically: true,
            encoding: .utf8
        )
        try (signer.verifier.text + "\n").write(
            to: folder.appendingPathComponent("key.txt"),
            atomically: true,
            encoding: .utf8
        )
        try Data(lines.map { $0 + [0x0A] }.joined()).write(to: folder.appendingPathComponent("export.jsonl"))
        let proof = tree.inclusionProof(index: 3, size: 5).map { Data($0).base64EncodedString() }
        let early = Checkpoint(origin: origin, size: 5, rootHash: tree.root(size: 5))
        let answer: [String: Any] = [
            "events": [4], "seq": 4,
            "receipt": [
                "index": 3, "proof": proof,
                "checkpoint": try SignedNote(signing: early.text, with: [signer]).formatted,
            ],
        ]
        try JSONSerialization.data(withJSONObject: answer).write(to: folder.appendingPathComponent("receipts.jsonl"))
        return (lines, origin)
    }

    static func verifyView(_ folder: URL, _ extra: [String] = []) async throws -> CommandRun {
        try await ShuttleCommandTests.shuttle(
            in: folder,
            ["verify-view", "export.jsonl", "--checkpoint", "checkpoint.txt", "--key", "key.txt"] + extra
        )
    }

    @Test(.timeLimit(.minutes(1)))
    func anIntactExportAndItsReceiptsPassAndEachTamperingFailsNamed() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let signer = try NoteSigner(generatingNamed: "talks.example.org")
        let (lines, _) = try Self.files(in: folder, signer: signer)
        let intact = try await Self.verifyView(
            folder,
            ["--receipts", "receipts.jsonl", "--talks", "t1", "--member", "m1"]
        )
        #expect(intact.status == 0, "\(intact.error)")
        #expect(intact.output.contains("all 9 events are the log of talks.example.org/talks/t1/members/m1"))
        #expect(intact.output.contains("1 receipts verified"))
        #expect(intact.output.contains(signer.verifier.fingerprint))

        let elsewhere = try await Self.verifyView(folder, ["--talks", "t1", "--member", "m2"])
        #expect(elsewhere.status == 1 && elsewhere.error.contains("not talks.example.org/talks/t1/members/m2"))

        let export = folder.appendingPathComponent("export.jsonl")
        var changed = lines
        changed[2] = Array("{\"audience\":[\"plenary\"],\"seq\":3,\"time\":2}".utf8)
        try Data(changed.map { $0 + [0x0A] }.joined()).write(to: export)
        let rewritten = try await Self.verifyView(folder, ["--receipts", "receipts.jsonl"])
        #expect(rewritten.status == 1 && rewritten.error.contains("do not hash to the checkpoint's root"))

        try Data(lines.dropLast().map { $0 + [0x0A] }.joined()).write(to: export)
        let short = try await Self.verifyView(folder)
        #expect(
            short.status == 1 && short.error.contains("the checkpoint counts 9 events; the export has 8: 1 missing")
        )

        try Data((lines + [lines[0]]).map { $0 + [0x0A] }.joined()).write(to: export)
        let long = try await Self.verifyView(folder)
        #expect(long.status == 1 && long.error.contains("1 extra"))

        try Data(lines.map { $0 + [0x0A] }.joined()).write(to: export)
        let other = try NoteSigner(generatingNamed: "talks.example.org")
        try other.verifier.text.write(to: folder.appendingPathComponent("key.txt"), atomically: true, encoding: .utf8)
        let substituted = try await Self.verifyView(folder)
        #expect(substituted.status == 1 && substituted.error.contains("not signed by talks.example.org's key"))

        let unreadable = try await ShuttleCommandTests.shuttle(
            in: folder,
            ["verify-view", "export.jsonl", "--checkpoint", "nowhere.txt", "--key", "key.txt"]
        )
        #expect(unreadable.status == 65 && unreadable.error.contains("nowhere.txt: cannot be read"))
    }

    @Test(.timeLimit(.minutes(1)))
    func theKeyIsMadeOnceAndKeptInTheDatabase() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let added = try await ShuttleCommandTests.shuttle(
            in: folder,
            ["operator", "add", "ops", "--database", "d.sqlite"]
        )
        #expect(added.status == 0, "\(added.error)")
        let first = try await ShuttleCommandTests.shuttle(
            in: folder,
            ["key", "--database", "d.sqlite", "--name", "talks.example.org"]
        )
        #expect(first.status == 0, "\(first.error)")
        let key = try NoteVerifier(parsing: first.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(key.name == "talks.example.org")
        #expect(first.error.contains("fingerprint: \(key.fingerprint)"))
        let again = try await ShuttleCommandTests.shuttle(
            in: folder,
            ["key", "--database", "d.sqlite", "--name", "x.org"]
        )
        #expect(again.output == first.output)
        _ = try await ShuttleCommandTests.shuttle(in: folder, ["operator", "add", "ops", "--database", "e.sqlite"])
        let badName = try await ShuttleCommandTests.shuttle(
            in: folder,
            ["key", "--database", "e.sqlite", "--name", "two words"]
        )
        #expect(badName.status == 64 && badName.error.contains("--name two words: a key name"), "\(badName.error)")
    }
}
