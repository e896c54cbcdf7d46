import Foundation
import Hummingbird
import Talks
import TalksStore
import TransparencyLog

/// Agreements signed by the principals: a principal's public key, and their signed statements
/// of what their delegation agreed (``AgreementStatement``). The talks checks the agreement and
/// the signature; here, that the statement is for these talks and refers to a checkpoint of the
/// signer's own record.
struct SignaturesController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.post("/signing-key", use: registerKey)
        routes.commands.post("/agreements", use: signAgreement)
    }

    @Sendable func registerKey(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.SigningKey.self, context: context)
        return try await hub.submit(.registerKey(publicKey: body.publicKey), for: context)
    }

    @Sendable func signAgreement(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.SignedAgreement.self, context: context)
        // A statement that does not read is refused by the talks, after who may sign.
        if let statement = try? AgreementStatement(parsing: body.statement) {
            guard statement.talks == context.talks.rawValue else {
                throw Problem(.conflict, "the statement is for talks '\(statement.talks)', not these")
            }
            try await hub.checkReference(statement.checkpoint, in: context.talks, for: context.member.id)
        }
        return try await hub.submit(.signAgreement(statement: body.statement, signature: body.signature), for: context)
    }
}

extension TalksHub {
    /// Checks that `reference` names a checkpoint of `member`'s own log: their origin, a size it
    /// has held, and the root it had then.
    ///
    /// - Throws: a 409 ``Problem`` naming what does not match.
    nonisolated func checkReference(
        _ reference: AgreementStatement.CheckpointReference,
        in id: TalksID,
        for member: MemberID
    ) async throws {
        let origin = Self.origin(of: member, in: id, signer: try await signer())
        guard reference.origin == origin else {
            throw Problem(
                .conflict,
                "the statement's checkpoint is for \(reference.origin), not your record (\(origin))"
            )
        }
        let root = try await root(of: member, in: id, size: reference.size)
        guard let root, Data(root).base64EncodedString() == reference.rootHash else {
            throw Problem(
                .conflict,
                "the statement's checkpoint (\(reference.size) events) is not one your record has had"
            )
        }
    }
}
