import Hummingbird
import Talks
import TalksStore

/// The talks' members and their links: invitations, new links, removals, and who has opened theirs.
struct MembersController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.reads.get("/members", use: list)
        routes.commands.post("/members", use: invite)
        routes.commands.post("/members/:member/link", use: replaceLink)
        routes.commands.delete("/members/:member", use: remove)
    }

    @Sendable func list(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try context.requireMediator("only the mediator sees who has opened their link")
        let state = try await hub.talks(context.talks).state
        let opened = try await hub.linksOpened(in: context.talks)
        let members = state.members.values.sorted {
            ($0.isMediator ? 0 : 1, $0.party ?? "", $0.name) < ($1.isMediator ? 0 : 1, $1.party ?? "", $1.name)
        }
        return try Answers.response(
            Answers.Members(
                members: members.map { member in
                    Answers.Members.Entry(
                        memberId: member.id.rawValue,
                        name: member.name,
                        role: member.role?.rawValue ?? "mediator",
                        party: member.party,
                        affiliation: member.affiliation,
                        linkOpened: opened[member.id] ?? false
                    )
                }
            )
        )
    }

    @Sendable func invite(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.Invite.self, context: context)
        let (member, token, numbers) = try await hub.invite(
            party: body.party,
            name: body.name,
            role: body.role,
            affiliation: body.affiliation,
            in: context.talks,
            by: context.member.id,
            link: context.link
        )
        let answer = try Answers.json(Answers.Invited(memberId: member.rawValue, token: token))
        return .text(try await hub.withReceipt(answer, for: context, number: numbers.last), status: .created)
    }

    @Sendable func replaceLink(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let target = MemberID(try context.parameters.require("member"))
        let (token, numbers) = try await hub.replaceLink(
            of: target,
            in: context.talks,
            by: context.member.id,
            link: context.link
        )
        let answer = try Answers.json(Answers.Token(token: token))
        return .text(try await hub.withReceipt(answer, for: context, number: numbers.last), status: .created)
    }

    @Sendable func remove(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(
            .removeMember(MemberID(try context.parameters.require("member"))),
            for: context,
            status: .ok
        )
    }
}
