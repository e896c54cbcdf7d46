import Hummingbird
import Talks
import TalksStore

/// Resolves an operator's bearer token before the route runs; any other token is 401.
struct OperatorAuthenticator: RouterMiddleware {
    typealias Context = TalksRequestContext
    let hub: TalksHub

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token = BearerToken.from(request.headers[.authorization]),
            let name = try await hub.authenticateOperator(token: token)
        else {
            throw OperatorRequestContext.refusal
        }
        var context = context
        context.identity = .operator(name: name)
        return try await next(request, context)
    }
}

/// Resolves a member's bearer token for the talks in the path (`/talks/:id/…`) before the route
/// runs: 401 for a token that opens no seat (with the reason, for a link replaced or a member
/// removed), 403 for a member of other talks.
struct MemberAuthenticator: RouterMiddleware {
    typealias Context = TalksRequestContext

    /// What the route does with the caller's seat.
    enum Use {
        /// Reads: the talks are brought up to what the store holds first, so that no instance
        /// trusts a link another has replaced.
        case reading
        /// Runs a command with the link's version: the link is checked again on the state the
        /// command is decided on, so the talks need not be brought up to date here.
        case commanding
    }

    let hub: TalksHub
    let use: Use

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let id = TalksID(try context.parameters.require("id"))
        guard let token = BearerToken.from(request.headers[.authorization]) else { throw Problem.unauthorized }
        var context = context
        switch try await hub.authenticate(token: token, beforeSubmitting: use == .commanding) {
        case .unknown:
            throw Problem.unauthorized
        case .revoked(let talks, let reason):
            throw talks == id ? Problem(.unauthorized, reason) : Problem.unauthorized
        case .member(let talks, let member, let version):
            // Do not confirm whether another talks exists.
            guard talks == id else { throw Problem(.forbidden, "the token does not belong to these talks") }
            context.identity = .member(talks: id, member: member, link: version)
        }
        return try await next(request, context)
    }
}
