import Foundation
import Hummingbird
import Talks
import TalksStore

/// A delegation's own preferences and its guesses of the others', kept in its room, and the
/// utility of a package by its own preferences.
struct PreferencesController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.put("/preferences", use: store)
        routes.commands.put("/guesses/:party", use: storeGuess)
        routes.reads.post("/utility", use: utility)
    }

    @Sendable func store(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(
            .storePreferences(try await request.json(Preferences.self, context: context)),
            for: context
        )
    }

    @Sendable func storeGuess(_ request: Request, context: MemberRequestContext) async throws -> Response {
        // Party names hold spaces ("United States"), percent-encoded in the path.
        let party = try context.parameters.require("party")
        let guess = try await request.json(Preferences.self, context: context)
        return try await hub.submit(.storeGuess(about: party.removingPercentEncoding ?? party, guess), for: context)
    }

    /// A party's utility for a package, by its own stored preferences: each party sees only its own.
    @Sendable func utility(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let party = try context.requireParty("the mediator has no utility; each party sees only its own")
        let body = try await request.json(Requests.Utility.self, context: context)
        guard let utility = try await hub.talks(context.talks).utility(of: body.package, for: party) else {
            throw Problem(
                .conflict,
                "no utility: store your preferences first, and name an option for every agenda issue"
            )
        }
        return try Answers.response(Answers.Utility(party: party, utility: utility))
    }
}
