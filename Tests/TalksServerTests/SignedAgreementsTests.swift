import Foundation
import Hummingbird
import HummingbirdTesting
import Talks
import Testing
import TransparencyLog

/// A principal registers a key and signs what their delegation accepted, tied to a checkpoint of
/// their own record; everyone reads the key; the signer's export proves the signature offline.
struct SignedAgreementsTests {
    @Test func aPrincipalsSignatureLandsInTheRecordAndVerifiesOffline() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let principal = s["us-principal"]
            let key = try NoteSigner(generatingNamed: "us-principal")
            let publicKey = Data(key.verifier.publicKey).base64EncodedString()
            let registered = try await api.call(
                .post,
                s.path("/signing-key"),
                token: principal,
                json: ["publicKey": publicKey]
            )
            #expect(registered.status == .created && registered.object["receipt"] != nil, "\(registered.text)")
            let package = ["enrichment": "3.67%", "relief": "phased"]
            let made = try await api.call(
                .post,
                s.path("/proposals"),
                token: s.mediator,
                json: ["package": package, "parties": ["United States"]]
            )
            #expect(made.status == .created)
            let answered = try await api.call(
                .post,
                s.path("/proposals/P1/answer"),
                token: principal,
                json: ["answer": "accept"]
            )
            #expect(answered.status == .created)

            let seen = try await CheckpointsAndProofsTests.seen(by: principal, in: s, api: api)
            func statement(talks: String = s.id, naming checkpoint: Checkpoint = seen.checkpoint) -> String {
                AgreementStatement(
                    talks: talks,
                    party: "United States",
                    subject: .package(package),
                    checkpoint: checkpoint.commitment
                ).text
            }
            func sign(_ text: String, showing checkpoint: Checkpoint = seen.checkpoint) async throws -> Reply {
                let signature = Data(key.signature(of: Array(text.utf8))).base64EncodedString()
                return try await api.call(
                    .post,
                    s.path("/agreements"),
                    token: principal,
                    json: ["statement": text, "signature": signature, "checkpoint": checkpoint.text]
                )
            }
            let elsewhere = try await sign(statement(talks: "another"))
            #expect(elsewhere.status == .conflict && elsewhere.text.contains("for talks 'another'"))
            var other = seen.checkpoint
            other.rootHash = MerkleHash.leaf([1])
            let neverHad = try await sign(statement(naming: other), showing: other)
            #expect(neverHad.status == .conflict && neverHad.text.contains("not one your record has had"))
            let notNamed = try await sign(statement(naming: other))
            #expect(notNamed.status == .conflict && notNamed.text.contains("not the checkpoint the statement names"))
            let signed = try await sign(statement())
            #expect(signed.status == .created, "\(signed.text)")
            // What the mediator reads of it counts nothing of the US room: the checkpoint is named
            // by its commitment, not by its size.
            let shown = try await api.call(.get, s.path("/events"), token: s.mediator).events
                .compactMap { $0["statement"] as? String }
            #expect(
                shown.count == 1 && !shown[0].contains("\n\(seen.checkpoint.size)")
                    && !shown[0].contains(seen.checkpoint.origin)
            )

            // The key is everyone's to read; the signature on a package stays with the party.
            let mediatorEvents = try await api.call(.get, s.path("/events"), token: s.mediator).events
            #expect(
                mediatorEvents.contains {
                    $0["type"] as? String == "key-registered" && $0["publicKey"] as? String == publicKey
                }
            )
            let iranEvents = try await api.call(.get, s.path("/events"), token: s["ir-principal"]).events
            #expect(iranEvents.contains { $0["type"] as? String == "key-registered" })
            #expect(!iranEvents.contains { $0["type"] as? String == "agreement-signed" })

            let after = try await CheckpointsAndProofsTests.seen(by: principal, in: s, api: api)
            let audit = LogAudit(lines: after.lines, key: after.key)
            #expect(try SignedAgreements.verify(after.lines, in: audit, origin: after.checkpoint.origin) == 1)
            // The same export with the signed statement changed: the signature no longer holds.
            let forged = after.lines.map { line -> [UInt8] in
                let text = String(decoding: line, as: UTF8.self)
                return Array(text.replacingOccurrences(of: "3.67%", with: "20%").utf8)
            }
            #expect(throws: SignedAgreements.Failure.self) {
                try SignedAgreements.verify(forged, in: audit, origin: after.checkpoint.origin)
            }
            // Read as another member's export, the statement's checkpoint cannot be checked, and
            // its signature still is.
            #expect(try SignedAgreements.verify(after.lines, in: audit, origin: "elsewhere/members/x") == 1)
        }
    }
}
