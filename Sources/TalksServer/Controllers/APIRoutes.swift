import Hummingbird
import Talks
import TalksStore

/// The route groups of the API, each with its authentication in front, for the controllers to
/// add their routes to. Every group answers errors as problem documents (``ProblemMiddleware``).
struct APIRoutes {
    /// No token: health, the contract, the stream's upgrade hint.
    let open: RouterGroup<TalksRequestContext>
    /// An operator's token (``OperatorAuthenticator``).
    let operators: RouterGroup<OperatorRequestContext>
    /// `/talks/:id`, a member's token, read against the talks as the store holds them now.
    let reads: RouterGroup<MemberRequestContext>
    /// `/talks/:id`, a member's token, for a command: the link is checked again on the state the
    /// command is decided on.
    let commands: RouterGroup<MemberRequestContext>

    init(on router: Router<TalksRequestContext>, hub: TalksHub) {
        let api = router.group().add(middleware: ProblemMiddleware())
        open = api
        operators = api.group().add(middleware: OperatorAuthenticator(hub: hub)).group(
            context: OperatorRequestContext.self
        )
        reads = api.group("/talks/:id").add(middleware: MemberAuthenticator(hub: hub, use: .reading)).group(
            context: MemberRequestContext.self
        )
        commands = api.group("/talks/:id").add(middleware: MemberAuthenticator(hub: hub, use: .commanding)).group(
            context: MemberRequestContext.self
        )
    }
}

/// The routes of one resource, with a named handler for each.
protocol APIController {
    func addRoutes(to routes: APIRoutes)
}

/// Every controller of the API: the route groups they share, then each one's routes.
enum TalksAPI {
    static func addRoutes(to router: Router<TalksRequestContext>, hub: TalksHub) {
        let routes = APIRoutes(on: router, hub: hub)
        let controllers: [any APIController] = [
            ServiceController(hub: hub), OperatorController(hub: hub), TalksController(hub: hub),
            MembersController(hub: hub),
            MessagesController(hub: hub), ProposalsController(hub: hub), FrameworkTextController(hub: hub),
            RoundsController(hub: hub), TracksController(hub: hub), PreferencesController(hub: hub),
            ElicitationController(hub: hub),
            SuggestionsController(hub: hub), RecordController(hub: hub), SignaturesController(hub: hub),
            SealingController(hub: hub),
        ]
        for controller in controllers { controller.addRoutes(to: routes) }
    }
}

extension TalksHub {
    /// Runs `command`, written in the caller's own numbers, with the link they came with, and
    /// answers as every write does: the caller's numbers of the events it recorded (``MemberView``).
    /// The answer is written off the hub's actor.
    nonisolated func submit(
        _ command: TalksCommand,
        for caller: MemberRequestContext,
        status: HTTPResponse.Status = .created
    ) async throws -> Response {
        let numbers = try await submit(command, in: caller.talks, by: caller.member.id, link: caller.link)
        // Written by hand: this is the answer to every write, the hottest path of the API.
        let receipt = await receiptJSON(for: caller, number: numbers.last).map { ",\"receipt\":" + $0 } ?? ""
        return .text(
            "{\"events\":[\(numbers.map(String.init).joined(separator: ","))],\"seq\":\(numbers.last ?? 0)\(receipt)}",
            status: status
        )
    }
}
