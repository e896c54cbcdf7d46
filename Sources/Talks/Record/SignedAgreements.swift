import Foundation
public import TransparencyLog

/// The agreements signed in a member's export, checked with no server: each `agreement-signed`
/// line against the key its principal registered before it (`key-registered`), and, when the
/// export is the signer's own, its statement's checkpoint against the export's log.
public enum SignedAgreements {
    /// Why a signed agreement does not hold.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Checks every signed agreement among `lines` (an export's, without newlines), which
    /// `audit` holds as the log named `origin`; returns how many were checked.
    ///
    /// - Throws: ``Failure`` naming the line whose signature or checkpoint does not hold.
    public static func verify(_ lines: [[UInt8]], in audit: LogAudit, origin: String) throws(Failure) -> Int {
        var keys: [MemberID: String] = [:]
        var checked = 0
        for (index, line) in lines.enumerated() {
            let place = "line \(index + 1)"
            switch (try? RecordChain.decode(String(decoding: line, as: UTF8.self)))?.event {
            case .keyRegistered(let member, _, let publicKey):
                keys[member] = publicKey
            case .agreementSigned(let member, _, _, let text, let signature):
                guard let key = keys[member] else {
                    throw Failure(description: "\(place): signed by \(member), who registered no key before it")
                }
                guard AgreementStatement.isSigned(text, signature: signature, by: key) else {
                    throw Failure(description: "\(place): the signature of \(member) does not verify with their key")
                }
                // Only the signer's own log can show which checkpoint the statement names.
                if origin.hasSuffix("/members/\(member)"), let statement = try? AgreementStatement(parsing: text),
                    !audit.holdsCheckpoint(committedTo: statement.checkpoint, origin: origin, upTo: index)
                {
                    throw Failure(description: "\(place): the statement names a checkpoint this record never had")
                }
                checked += 1
            default:
                continue
            }
        }
        return checked
    }
}
