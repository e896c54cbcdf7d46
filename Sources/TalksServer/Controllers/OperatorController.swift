import Hummingbird
import Talks
import TalksStore

/// What operators do: open talks, list the talks they opened, and give a mediator a new link.
struct OperatorController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.operators.get("/operator", use: whoAmI)
        routes.operators.get("/operator/talks", use: openedTalks)
        routes.operators.post("/operator/talks/:id/mediator-link", use: replaceMediatorLink)
        // Only an operator opens talks: any other token, a mediator's included, is 401.
        routes.operators.post("/talks", use: openTalks)
    }

    @Sendable func whoAmI(_ request: Request, context: OperatorRequestContext) async throws -> Response {
        try Answers.response(Answers.Operator(name: context.operatorName))
    }

    @Sendable func openedTalks(_ request: Request, context: OperatorRequestContext) async throws -> Response {
        var list: [Answers.OperatorTalks.Entry] = []
        // From each talks' first event: listing does not load them.
        for id in try await hub.talks(openedBy: context.operatorName) {
            let (title, parties, mediator) = try await hub.opening(of: id)
            list.append(.init(id: id.rawValue, title: title, parties: parties, mediator: mediator.name))
        }
        return try Answers.response(Answers.OperatorTalks(talks: list))
    }

    @Sendable func replaceMediatorLink(_ request: Request, context: OperatorRequestContext) async throws -> Response {
        let id = TalksID(try context.parameters.require("id"))
        guard try await hub.talks(openedBy: context.operatorName).contains(id) else {
            throw Problem(.notFound, "you opened no talks '\(id)'")
        }
        let mediator = MemberID("mediator")
        return try Answers.response(
            Answers.Token(token: try await hub.replaceLink(of: mediator, in: id, by: mediator).token),
            status: .created
        )
    }

    @Sendable func openTalks(_ request: Request, context: OperatorRequestContext) async throws -> Response {
        let body = try await request.json(Requests.CreateTalks.self, context: context)
        let (id, mediator, token) = try await hub.open(
            title: body.title,
            parties: body.parties,
            mediatorName: body.mediator ?? "Mediator",
            sealedRooms: body.sealedRooms ?? false,
            openedBy: context.operatorName
        )
        return try Answers.response(
            Answers.Opened(id: id.rawValue, mediatorId: mediator.rawValue, mediatorToken: token),
            status: .created
        )
    }
}
