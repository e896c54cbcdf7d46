import Hummingbird
import Talks
import TalksStore

/// Messages on the channels, and the mediator's relays between the shuttle channels.
struct MessagesController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.post("/messages", use: post)
        routes.commands.post("/relays", use: relay)
    }

    @Sendable func post(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.Message.self, context: context)
        let channel = try Talks.channel(named: body.channel, party: body.party, for: context.member)
        return try await hub.submit(.post(channel: channel, text: body.text), for: context)
    }

    @Sendable func relay(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.Relay.self, context: context)
        return try await hub.submit(
            .relay(message: body.message, party: body.party, mode: body.mode, text: body.text),
            for: context
        )
    }
}
