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
            try await hub.check(
                body.checkpoint,
                committedTo: statement.checkpoint,
                in: context.talks,
                for: context.member.id
            )
        }
        return try await hub.submit(.signAgreement(statement: body.statement, signature: body.signature), for: context)
    }
}

extension TalksHub {
    /// Checks that `text`, a checkpoint (or the signed note of one), is one `member`'s own log
    /// has had and is the one `commitment` names.
    ///
    /// - Throws: a 409 ``Problem`` naming what does not match.
    nonisolated func check(
        _ text: String,
        committedTo commitment: String,
        in id: TalksID,
        for member: MemberID
    ) async throws {
        let body = text.range(of: "\n\n").map { String(text[..<$0.lowerBound]) + "\n" } ?? text
        guard let checkpoint = try? Checkpoint(parsing: body), checkpoint.commitment == commitment else {
            throw Problem(.conflict, "'checkpoint' is not the checkpoint the statement names")
        }
        let origin = Self.origin(of: member, in: id, signer: try await signer())
        guard checkpoint.origin == origin else {
            throw Problem(
                .conflict,
                "the statement's checkpoint is for \(checkpoint.origin), not your record (\(origin))"
            )
        }
        guard try await root(of: member, in: id, size: checkpoint.size) == checkpoint.rootHash else {
            throw Problem(
                .conflict,
                "the statement's checkpoint (\(checkpoint.size) events) is not one your record has had"
            )
        }
    }
}
