import Foundation
import Testing
import TransparencyLog

/// The offline check of an export against a signed checkpoint and saved receipts: the real one
/// passes; a changed, missing, extra or moved line, another key or another log is named.
struct LogAuditTests {
    let signer = try! NoteSigner(generatingNamed: "talks.example.org")
    let origin = "talks.example.org/talks/t1/members/m1"
    let lines: [[UInt8]] = (1...13).map { Array("{\"event\":{\"text\":\"line \($0)\"},\"seq\":\($0),\"time\":1}".utf8) }

    func checkpoint(of lines: [[UInt8]], size: Int? = nil, origin: String? = nil, signer: NoteSigner? = nil) -> String {
        var tree = MerkleTree()
        for line in lines { tree.append(leaf: line) }
        let size = size ?? lines.count
        let body = Checkpoint(origin: origin ?? self.origin, size: size, rootHash: tree.root(size: size))
        return try! SignedNote(signing: body.text, with: [signer ?? self.signer]).formatted
    }

    func receipt(index: Int, size: Int) -> LogAudit.Receipt {
        var tree = MerkleTree()
        for line in lines { tree.append(leaf: line) }
        let proof = tree.inclusionProof(index: index, size: size).map { Data($0).base64EncodedString() }
        return LogAudit.Receipt(index: index, checkpoint: checkpoint(of: lines, size: size), proof: proof)
    }

    func failure(_ lines: [[UInt8]], _ note: String, origin: String? = nil) -> String {
        do {
            try LogAudit(lines: lines, key: signer.verifier).verify(checkpoint: note, origin: origin)
            return "passed"
        } catch {
            return error.description
        }
    }

    @Test func theExportTheCheckpointCommitsToPasses() throws {
        let audit = LogAudit(lines: lines, key: signer.verifier)
        let checked = try audit.verify(checkpoint: checkpoint(of: lines), origin: origin)
        #expect(checked.size == 13)
        for (index, size) in [(0, 1), (4, 5), (4, 13), (12, 13)] {
            try audit.verify(receipt: receipt(index: index, size: size), against: checked)
        }
        let file = Array(lines.map { $0 + [0x0A] }.joined())
        #expect(LogAudit.lines(ofExport: file) == lines)
    }

    @Test func eachKindOfTamperingIsNamed() {
        let note = checkpoint(of: lines)
        var changed = lines
        changed[6] = Array("{\"event\":{\"text\":\"other\"},\"seq\":7,\"time\":1}".utf8)
        #expect(failure(changed, note).contains("do not hash to the checkpoint's root: a line was changed"))
        var dropped = lines
        dropped.remove(at: 4)
        #expect(failure(dropped, note).contains("1 missing; line 5 is numbered 6"))
        #expect(failure(lines + [lines[0]], note).contains("1 extra; line 14 is numbered 1"))
        var moved = lines
        moved.swapAt(2, 3)
        #expect(failure(moved, note).contains("line 3 is numbered 4"))
        let other = try! NoteSigner(generatingNamed: "talks.example.org")
        #expect(failure(lines, checkpoint(of: lines, signer: other)).contains("not signed by talks.example.org's key"))
        #expect(failure(lines, note.replacingFirst("\n13\n", with: "\n12\n")).contains("not signed"))
        #expect(
            failure(lines, note, origin: "talks.example.org/talks/t1/members/m2").contains(
                "not talks.example.org/talks/t1/members/m2"
            )
        )
    }

    @Test func aReceiptForAnotherLineOrLogIsRefused() throws {
        let audit = LogAudit(lines: lines, key: signer.verifier)
        let checked = try audit.verify(checkpoint: checkpoint(of: lines))
        var wrongIndex = receipt(index: 4, size: 9)
        wrongIndex.index = 5
        #expect(throws: LogAudit.Failure.self) { try audit.verify(receipt: wrongIndex, against: checked) }
        var elsewhere = receipt(index: 4, size: 9)
        elsewhere.checkpoint = checkpoint(of: lines, size: 9, origin: "talks.example.org/talks/t2/members/m1")
        #expect(throws: LogAudit.Failure.self) { try audit.verify(receipt: elsewhere, against: checked) }
        // The receipt of a history the export does not extend: its line was later rewritten.
        var rewritten = lines
        rewritten[4] = Array("{\"seq\":5}".utf8)
        let shown = LogAudit(lines: rewritten, key: signer.verifier)
        let theirs = try shown.verify(checkpoint: checkpoint(of: rewritten))
        #expect(throws: LogAudit.Failure.self) {
            try shown.verify(receipt: receipt(index: 4, size: 9), against: theirs)
        }
        #expect(throws: LogAudit.Failure.self) {
            try shown.verify(receipt: receipt(index: 7, size: 9), against: theirs)
        }
    }

    @Test func aCheckpointNamedByItsCommitmentIsFoundOnlyInItsOwnLog() {
        let audit = LogAudit(lines: lines, key: signer.verifier)
        var tree = MerkleTree()
        for line in lines { tree.append(leaf: line) }
        let five = Checkpoint(origin: origin, size: 5, rootHash: tree.root(size: 5))
        #expect(audit.holdsCheckpoint(committedTo: five.commitment, origin: origin, upTo: 13))
        #expect(!audit.holdsCheckpoint(committedTo: five.commitment, origin: origin, upTo: 4))
        var other = five
        other.rootHash = MerkleHash.leaf([9])
        #expect(!audit.holdsCheckpoint(committedTo: other.commitment, origin: origin, upTo: 13))
        #expect(!audit.holdsCheckpoint(committedTo: five.commitment, origin: "elsewhere", upTo: 13))
    }
}
