import Hummingbird
import Talks
import TalksStore

/// How a talks is run (the agenda, the phase, the deadline) and who the caller is in it.
struct TalksController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.reads.get("/me", use: me)
        routes.commands.put("/agenda", use: setAgenda)
        routes.commands.put("/phase", use: changePhase)
        routes.commands.put("/deadline", use: setDeadline)
    }

    @Sendable func me(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let state = try await hub.talks(context.talks).state
        let member = context.member
        return try Answers.response(
            Answers.Me(
                talks: context.talks.rawValue,
                memberId: member.id.rawValue,
                name: member.name,
                role: member.role?.rawValue ?? "mediator",
                party: member.party,
                title: state.title,
                parties: state.parties,
                sealedRooms: state.sealedRooms
            )
        )
    }

    @Sendable func setAgenda(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(
            .setAgenda(try await request.json(Requests.Agenda.self, context: context).issues),
            for: context
        )
    }

    @Sendable func changePhase(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(
            .changePhase(try await request.json(Requests.PhaseBody.self, context: context).phase),
            for: context
        )
    }

    @Sendable func setDeadline(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(
            .setDeadline(try await request.json(Requests.Deadline.self, context: context).date),
            for: context
        )
    }
}
