import Hummingbird
import Talks
import TalksStore

/// The framework text: clauses, the parties' bracketed alternatives, and what a track agreed.
struct FrameworkTextController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.post("/clauses", use: addClause)
        routes.commands.post("/clauses/:clause/alternatives", use: proposeAlternative)
        routes.commands.post("/clauses/:clause/settle", use: settle)
    }

    @Sendable func addClause(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.Clause.self, context: context)
        return try await hub.submit(.addClause(title: body.title, text: body.text), for: context)
    }

    @Sendable func proposeAlternative(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let clause = try context.parameters.require("clause")
        let body = try await request.json(Requests.Text.self, context: context)
        return try await hub.submit(.proposeAlternative(clause: clause, text: body.text), for: context)
    }

    @Sendable func settle(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.Settle.self, context: context)
        let clause = try context.parameters.require("clause")
        return try await hub.submit(
            .settleClause(clause: clause, status: body.status, text: body.text, track: body.track),
            for: context
        )
    }
}
