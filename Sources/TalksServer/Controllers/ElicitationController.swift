import Hummingbird
import Talks
import TalksStore

/// Guided elicitation in a delegation's room: its answers to simple questions, and what they
/// give (the next question, fitted preferences, how settled they are). The room's alone.
struct ElicitationController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.put("/elicitation/answers", use: store)
        routes.reads.get("/elicitation", use: progress)
    }

    @Sendable func store(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.PreferenceAnswers.self, context: context)
        return try await hub.submit(.storePreferenceAnswers(body.answers), for: context)
    }

    @Sendable func progress(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let party = try context.requireParty("the mediator answers no questions; delegations state their preferences")
        let progress = try await hub.talks(context.talks).elicitation(for: party)
        return try Answers.response(Answers.Elicitation(progress))
    }
}
