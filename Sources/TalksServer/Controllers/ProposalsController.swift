import Hummingbird
import Talks
import TalksStore

/// Proposals, their forwarding and answers, and improvements on an agreement.
struct ProposalsController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.post("/proposals", use: propose)
        routes.commands.post("/proposals/:proposal/forward", use: forward)
        routes.commands.post("/proposals/:proposal/answer", use: answer)
        routes.commands.post("/proposals/:proposal/improvements", use: proposeImprovement)
        routes.reads.get("/improvements", use: improvements)
    }

    @Sendable func propose(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.Proposal.self, context: context)
        return try await hub.submit(.propose(try body.content(), parties: body.parties ?? []), for: context)
    }

    @Sendable func forward(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let proposal = try context.parameters.require("proposal")
        let body = try await request.json(Requests.Forward.self, context: context)
        return try await hub.submit(.forward(proposal: proposal, party: body.party), for: context)
    }

    @Sendable func answer(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.AnswerBody.self, context: context)
        let proposal = try context.parameters.require("proposal")
        return try await hub.submit(
            .answer(proposal: proposal, answer: body.answer, counter: try body.counter?.content()),
            for: context
        )
    }

    @Sendable func proposeImprovement(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.Improvement.self, context: context)
        return try await hub.submit(
            .proposeImprovement(of: try context.parameters.require("proposal"), package: body.package),
            for: context
        )
    }

    /// Packages every party strictly prefers to an agreement all of them accepted.
    @Sendable func improvements(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try context.requireMediator("only the mediator asks for improvements")
        guard let proposal = request.uri.queryParameters["proposal"].map(String.init), !proposal.isEmpty else {
            throw Problem(
                .unprocessableContent,
                "query parameter 'proposal' names the agreed proposal to improve on (proposal=P3)"
            )
        }
        let limit = try request.integer(query: "limit", default: 5, in: 1...50)
        return try Answers.response(
            Answers.Suggested(try await hub.talks(context.talks).improvements(of: proposal, limit: limit))
        )
    }
}
