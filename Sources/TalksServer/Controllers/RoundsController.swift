import Hummingbird
import Talks
import TalksStore

/// Rounds with their readouts and joint statements, and the joint session.
struct RoundsController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.post("/rounds", use: schedule)
        routes.commands.post("/rounds/:round/readouts", use: publishReadout)
        routes.commands.post("/rounds/:round/statement", use: publishJointStatement)
        routes.commands.post("/joint-session/consent", use: consentToJointSession)
        routes.commands.post("/joint-session/open", use: openJointSession)
        routes.commands.post("/joint-session/close", use: closeJointSession)
    }

    @Sendable func schedule(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.RoundBody.self, context: context)
        return try await hub.submit(
            .scheduleRound(date: body.date, venue: body.venue, level: body.level, format: body.format),
            for: context
        )
    }

    @Sendable func publishReadout(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let round = try context.parameters.require("round")
        return try await hub.submit(
            .publishReadout(round: round, text: try await request.json(Requests.Text.self, context: context).text),
            for: context
        )
    }

    @Sendable func publishJointStatement(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let round = try context.parameters.require("round")
        let text = try await request.json(Requests.Text.self, context: context).text
        return try await hub.submit(.publishJointStatement(round: round, text: text), for: context)
    }

    @Sendable func consentToJointSession(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(.consentToJointSession, for: context)
    }

    @Sendable func openJointSession(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(.openJointSession, for: context)
    }

    @Sendable func closeJointSession(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(.closeJointSession, for: context)
    }
}
