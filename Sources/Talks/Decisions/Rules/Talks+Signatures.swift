import Crypto
import Foundation

/// Agreements signed by the principals: each registers the public half of a key their page
/// made, then signs statements of what their delegation agreed (``AgreementStatement``). The
/// talks checks that a statement names the signer's party and an agreement that stands, and
/// that the signature verifies; the server checks its talks and checkpoint lines.
extension Talks {
    func registerKey(_ publicKey: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        let party = try principalParty(of: member, "register a signing key")
        guard let bytes = Data(base64Encoded: publicKey), bytes.count == 32,
            (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil
        else { throw .invalid("a signing key is the base64 of a 32-byte Ed25519 public key") }
        return [.keyRegistered(member: member.id, party: party, publicKey: publicKey)]
    }

    func signAgreement(_ text: String, signature: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        let party = try principalParty(of: member, "sign agreements")
        guard let key = state.signingKeys[member.id] else {
            throw .rule("register your signing key before you sign")
        }
        let statement = try AgreementStatement(parsing: text)
        guard statement.party == party else { throw .rule("the statement names \(statement.party), not \(party)") }
        let clause: String?
        switch statement.subject {
        case .clause(let id, let wording):
            guard let agreed = state.clause(id), agreed.status == .agreed else {
                throw .rule("clause \(id) is not agreed by the principals")
            }
            guard agreed.text == wording else {
                throw .rule("the statement's text is not clause \(id)'s agreed text")
            }
            clause = id
        case .package(let package):
            let accepted = state.proposals.values.contains {
                $0.answers[party] == .accept && $0.content == .package(package)
            }
            guard accepted else { throw .rule("\(party) has not accepted that package") }
            clause = nil
        }
        guard AgreementStatement.isSigned(text, signature: signature, by: key) else {
            throw .rule("the signature does not verify with your registered key")
        }
        return [
            .agreementSigned(member: member.id, party: party, clause: clause, statement: text, signature: signature)
        ]
    }

    private func principalParty(of member: Member, _ action: String) throws(TalksError) -> String {
        guard let party = member.party, member.role == .principal else {
            throw .forbidden("only a delegation's principal may \(action)")
        }
        return party
    }
}
