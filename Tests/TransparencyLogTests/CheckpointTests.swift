import Testing
import TransparencyLog

struct CheckpointTests {
    @Test func aCheckpointReadsBackAsItWasWritten() throws {
        let checkpoint = Checkpoint(
            origin: "talks.example.org/talks/t1/m2",
            size: 12,
            rootHash: MerkleHash.leaf([1]),
            extensions: ["extra"]
        )
        #expect(try Checkpoint(parsing: checkpoint.text) == checkpoint)
        #expect(checkpoint.text.hasPrefix("talks.example.org/talks/t1/m2\n12\n"))
    }

    @Test(arguments: [
        ("", "ends with a newline"),
        ("origin\n12\n", "has an origin, a size and a root hash"),
        ("\n12\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "origin line is empty"),
        ("origin\n012\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "size is a decimal number"),
        ("origin\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "size is a decimal number"),
        ("origin\n1\nAAAA\n", "root hash is 32 bytes"),
    ])
    func aMalformedCheckpointIsRefusedWithItsReason(text: String, reason: String) {
        #expect {
            try Checkpoint(parsing: text)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func aSignedCheckpointVerifiesAndAChangedOneDoesNot() throws {
        let signer = try NoteSigner(generatingNamed: "talks.example.org")
        let checkpoint = Checkpoint(origin: "talks.example.org/talks/t1/m2", size: 3, rootHash: MerkleHash.leaf([]))
        let note = try SignedNote(signing: checkpoint.text, with: [signer])
        let read = try SignedNote(parsing: note.formatted)
        #expect(try read.verified(by: [signer.verifier]) == [signer.verifier])
        #expect(try Checkpoint(parsing: read.text) == checkpoint)

        let bigger = note.formatted.replacingFirst("\n3\n", with: "\n4\n")
        #expect(throws: NoteError.self) { try SignedNote(parsing: bigger).verified(by: [signer.verifier]) }
        let other = try NoteSigner(generatingNamed: "talks.example.org")
        #expect(throws: NoteError.self) { try read.verified(by: [other.verifier]) }
    }

    @Test func keysReadBackAndNamesAreChecked() throws {
        let signer = try NoteSigner(generatingNamed: "example.org")
        #expect(try NoteSigner(parsing: signer.text).verifier == signer.verifier)
        #expect(try NoteVerifier(parsing: signer.verifier.text) == signer.verifier)
        #expect(signer.verifier.fingerprint.count == 39)
        #expect(throws: NoteError.self) { try NoteSigner(generatingNamed: "two words") }
        #expect(throws: NoteError.self) { try NoteSigner(generatingNamed: "a+b") }
        #expect(throws: NoteError.self) { try NoteVerifier(parsing: "example.org+00000000+AA==") }
        #expect(throws: NoteError.self) { try SignedNote(parsing: "text\n") }
        #expect(throws: NoteError.self) { try SignedNote(parsing: "text\n\n— name !!!\n") }
        #expect(throws: NoteError.self) { try SignedNote(signing: "no newline", with: [signer]) }
        #expect(throws: NoteError.self) { try SignedNote(signing: "bell\u{07}\n", with: [signer]) }
    }
}
