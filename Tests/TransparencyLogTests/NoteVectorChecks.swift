import Foundation
import Testing
import TransparencyLog

/// golang/mod's signed-note test vector (sumdb/note/note_test.go, BSD-3-Clause), kept here so
/// that the note code is tested in a clone without `../shared`; the shared file is checked by
/// the same code where it is present.
struct NoteVector: Decodable {
    var verifier_key: String
    var signer_key: String
    var text: String
    var signed_note: String
    var second_verifier_key: String
    var second_signature_line: String
    var bad_verifier_keys: [String: String]

    static let fromGo = NoteVector(
        verifier_key: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        signer_key: "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
        signed_note:
            "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n"
            + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        second_verifier_key: "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop",
        second_signature_line:
            "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n",
        bad_verifier_keys: [
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==": "wrong key length",
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW": "unknown algorithm byte",
        ]
    )
}

/// What every reader of the vector must find.
struct NoteVectorChecks {
    let vector: NoteVector

    init(_ vector: NoteVector) { self.vector = vector }

    func run() throws {
        let verifier = try NoteVerifier(parsing: vector.verifier_key)
        let second = try NoteVerifier(parsing: vector.second_verifier_key)
        let signer = try NoteSigner(parsing: vector.signer_key)
        #expect(verifier.text == vector.verifier_key)
        #expect(signer.text == vector.signer_key)
        #expect(signer.verifier == verifier)

        // BoringSSL's Ed25519, like Go's, is deterministic: the same bytes.
        #expect(try SignedNote(signing: vector.text, with: [signer]).formatted == vector.signed_note)

        let note = try SignedNote(parsing: vector.signed_note)
        #expect(note.text == vector.text)
        #expect(try note.verified(by: [verifier]) == [verifier])
        #expect(throws: NoteError.self) { try note.verified(by: [second]) }

        let cosigned = try SignedNote(parsing: vector.signed_note + vector.second_signature_line)
        #expect(try cosigned.verified(by: [verifier, second]) == [verifier, second])
        #expect(try cosigned.verified(by: [second]) == [second])

        let changed = vector.signed_note.replacingFirst("cryptography", with: "cryptographs")
        #expect(throws: NoteError.self) { try SignedNote(parsing: changed).verified(by: [verifier]) }
        for (key, reason) in vector.bad_verifier_keys {
            #expect(throws: NoteError.self, "\(reason)") { try NoteVerifier(parsing: key) }
        }
    }
}

@Test func theSignedNoteFromGoKeptInTheRepository() throws {
    try NoteVectorChecks(.fromGo).run()
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
