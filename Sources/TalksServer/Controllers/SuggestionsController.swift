import Hummingbird
import Talks
import TalksStore

/// The engine's help: suggested packages for the mediator, rehearsals for a delegation.
struct SuggestionsController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.reads.get("/suggestions", use: suggestions)
        // A read, for the steps with moves record nothing: the caller's link is checked on the
        // talks as the store holds them now, so a link revoked through another instance
        // rehearses nothing more (the first step's record checks it again where it is decided).
        routes.reads.post("/rehearsals", use: rehearse)
    }

    /// Packages inside every red line, efficient, toward the Nash point: never a number.
    @Sendable func suggestions(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try context.requireMediator("only the mediator asks for suggested packages")
        let limit = try request.integer(query: "limit", default: 5, in: 1...50)
        return try Answers.response(Answers.Suggested(try await hub.talks(context.talks).suggestions(limit: limit)))
    }

    /// A step of a rehearsal, answered to the delegation alone: the first (no moves yet) records
    /// in its room that it rehearsed; every step replays the rehearsal from the moves sent.
    @Sendable func rehearse(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let party = try context.requireParty("the mediator does not rehearse; delegations rehearse in their rooms")
        let body = try await request.json(Requests.Rehearsal.self, context: context)
        if body.moves.isEmpty {
            _ = try await hub.submit(
                .recordRehearsal(body.settings),
                in: context.talks,
                by: context.member.id,
                link: context.link
            )
        }
        return try Answers.response(
            try await hub.talks(context.talks).rehearse(for: party, body.settings, moves: body.moves)
        )
    }
}
