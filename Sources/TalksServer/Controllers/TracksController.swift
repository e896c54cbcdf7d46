import Hummingbird
import Talks
import TalksStore

/// Technical and principal tracks.
struct TracksController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.post("/tracks", use: open)
    }

    @Sendable func open(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.Track.self, context: context)
        return try await hub.submit(
            .openTrack(name: body.name, level: body.level, issues: body.issues ?? [], members: body.members ?? []),
            for: context
        )
    }
}
