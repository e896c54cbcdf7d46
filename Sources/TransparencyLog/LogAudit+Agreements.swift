import Crypto
import Foundation

extension LogAudit {
    /// Checks every agreement signed in the export (`agreement-signed` lines) against the key
    /// its principal registered before it (`key-registered`); when the export is the signer's own
    /// log (`origin`), also that the statement's checkpoint is one this log has had. Returns how
    /// many were checked.
    ///
    /// - Throws: ``Failure`` naming the line whose signature or checkpoint does not hold.
    public func verifySignedAgreements(origin: String) throws(Failure) -> Int {
        var keys: [String: String] = [:]
        var checked = 0
        for (index, line) in lines.enumerated() {
            guard let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let type = event["type"] as? String, let member = event["member"] as? String
            else { continue }
            if type == "key-registered", let key = event["publicKey"] as? String { keys[member] = key }
            guard type == "agreement-signed" else { continue }
            let place = "line \(index + 1)"
            guard let statement = event["statement"] as? String, let signature = event["signature"] as? String else {
                throw Failure("\(place): a signed agreement without its statement or signature")
            }
            guard let key = keys[member] else {
                throw Failure("\(place): signed by \(member), who registered no key before it")
            }
            guard Self.isValid(signature, of: statement, by: key) else {
                throw Failure("\(place): the signature of \(member) does not verify with the key they registered")
            }
            try checkReference(in: statement, at: place, origin: origin)
            checked += 1
        }
        return checked
    }

    private static func isValid(_ signature: String, of statement: String, by key: String) -> Bool {
        guard let keyBytes = Data(base64Encoded: key), let bytes = Data(base64Encoded: signature),
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes)
        else { return false }
        return publicKey.isValidSignature(bytes, for: Data(statement.utf8))
    }

    /// A statement's `checkpoint ORIGIN SIZE ROOT` line, checked against this log when it names it.
    private func checkReference(in statement: String, at place: String, origin: String) throws(Failure) {
        let line = statement.split(separator: "\n").first { $0.hasPrefix("checkpoint ") } ?? ""
        let parts = line.split(separator: " ")
        guard parts.count == 4, let size = Int(parts[2]) else {
            throw Failure("\(place): the signed statement has no checkpoint line")
        }
        guard parts[1] == origin else { return }
        guard size >= 1, size <= lines.count, Data(tree.root(size: size)).base64EncodedString() == parts[3] else {
            throw Failure(
                "\(place): the signed statement refers to a checkpoint this record never had (\(size) events)"
            )
        }
    }
}
