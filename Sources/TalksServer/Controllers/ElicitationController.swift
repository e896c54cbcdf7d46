import Hummingbird
import Talks
import TalksStore

/// Guided elicitation in a delegation's room: its answers to simple questions, and what they
/// give (the next question, fitted preferences, how settled they are). The room's alone.
struct ElicitationController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.post("/elicitation/answers", use: revise)
        routes.reads.get("/elicitation", use: progress)
    }

    /// One answer added, earlier ones withdrawn, or both in one step (withdraw an answer that
    /// conflicts and keep the new one).
    @Sendable func revise(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.AnswerRevision.self, context: context)
        return try await hub.submit(.reviseAnswers(add: body.answer, withdraw: body.withdraw ?? []), for: context)
    }

    @Sendable func progress(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let party = try context.requireParty("the mediator answers no questions; delegations state their preferences")
        let progress = try await hub.talks(context.talks).elicitation(for: party)
        return try Answers.response(Answers.Elicitation(progress))
    }
}
