import Crypto
import Foundation
import Talks
import Testing

/// Agreements signed by the principals: only a principal, with a registered key, over a
/// statement of their own party's standing agreement, with a signature that verifies.
struct SignaturesTests {
    let us = Fixture.id("US", .principal)
    let key = Curve25519.Signing.PrivateKey()

    /// Talks where the US accepted package P1 and clause C1 is agreed by the principals.
    func agreed() throws -> Fixture {
        var f = try Fixture()
        try f.run(
            .propose(.package(["enrichment": "3.67%", "relief": "phased"]), parties: ["US", "Iran"]),
            by: f.mediator
        )
        try f.run(.answer(proposal: "P1", answer: .accept, counter: nil), by: us)
        try f.run(.openTrack(name: "experts", level: .technical, issues: [], members: []), by: f.mediator)
        try f.run(.openTrack(name: "principals", level: .principal, issues: [], members: []), by: f.mediator)
        try f.run(.addClause(title: "Relief", text: "In phases."), by: f.mediator)
        for (status, track) in [(ClauseStatus.agreedAdReferendum, "experts"), (.agreed, "principals")] {
            try f.run(.settleClause(clause: "C1", status: status, text: "In phases.", track: track), by: f.mediator)
        }
        return f
    }

    func statement(_ subject: AgreementStatement.Subject, party: String = "US") -> String {
        AgreementStatement(
            talks: "t1",
            party: party,
            subject: subject,
            checkpoint: "AAAA"
        ).text
    }

    func signed(_ text: String, with key: Curve25519.Signing.PrivateKey? = nil) throws -> TalksCommand {
        .signAgreement(
            statement: text,
            signature: try (key ?? self.key).signature(for: Data(text.utf8)).base64EncodedString()
        )
    }

    @Test func aPrincipalSignsAnAcceptedPackageAndAnAgreedClause() throws {
        var f = try agreed()
        try f.run(.registerKey(publicKey: key.publicKey.rawRepresentation.base64EncodedString()), by: us)
        let package = try f.run(try signed(statement(.package(["relief": "phased", "enrichment": "3.67%"]))), by: us)
        guard case .agreementSigned(_, "US", nil, _, _) = package[0].event else {
            Issue.record("\(package)")
            return
        }
        #expect(package[0].audience == [.shuttle(party: "US")])
        let clause = try f.run(try signed(statement(.clause(id: "C1", text: "In phases."))), by: us)
        #expect(clause[0].audience == [.plenary])
        let text = statement(.clause(id: "C1", text: "In phases."))
        #expect(try AgreementStatement(parsing: text).text == text)
    }

    @Test func everythingElseIsRefusedWithItsReason() throws {
        var f = try agreed()
        let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        #expect(throws: TalksError.forbidden("only a delegation's principal may register a signing key")) {
            try f.run(.registerKey(publicKey: publicKey), by: Fixture.id("US", .expert))
        }
        #expect(throws: TalksError.invalid("a signing key is the base64 of a 32-byte Ed25519 public key")) {
            try f.run(.registerKey(publicKey: "AAAA"), by: us)
        }
        let package = statement(.package(["enrichment": "3.67%", "relief": "phased"]))
        #expect(throws: TalksError.rule("register your signing key before you sign")) {
            try f.run(try signed(package), by: us)
        }
        try f.run(.registerKey(publicKey: publicKey), by: us)
        #expect(throws: TalksError.rule("US has not accepted that package")) {
            try f.run(try signed(statement(.package(["enrichment": "none"]))), by: us)
        }
        #expect(throws: TalksError.rule("the statement names Iran, not US")) {
            try f.run(try signed(statement(.package(["enrichment": "none"]), party: "Iran")), by: us)
        }
        #expect(throws: TalksError.rule("the statement's text is not clause C1's agreed text")) {
            try f.run(try signed(statement(.clause(id: "C1", text: "At once."))), by: us)
        }
        #expect(throws: TalksError.rule("the signature does not verify with your registered key")) {
            try f.run(try signed(package, with: Curve25519.Signing.PrivateKey()), by: us)
        }
        let changed = try signed(package)
        guard case .signAgreement(_, let signature) = changed else { return }
        #expect(throws: TalksError.rule("the signature does not verify with your registered key")) {
            let other = package.replacingOccurrences(of: "checkpoint AAAA", with: "checkpoint AAAB")
            try f.run(.signAgreement(statement: other, signature: signature), by: us)
        }
        #expect(throws: TalksError.self) { try f.run(.signAgreement(statement: "hello", signature: signature), by: us) }
    }
}
