import Hummingbird
import Talks

/// The keys of sealed rooms: a delegate's sealing key, and room keys wrapped by one delegate's
/// page for colleagues. The server relays them to the delegation and can open none of them.
struct SealingController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.commands.post("/sealing-key", use: registerSealingKey)
        routes.commands.post("/room-keys", use: shareRoomKey)
    }

    @Sendable func registerSealingKey(_ request: Request, context: MemberRequestContext) async throws -> Response {
        let body = try await request.json(Requests.SealingKey.self, context: context)
        return try await hub.submit(.registerSealingKey(publicKey: body.publicKey), for: context)
    }

    @Sendable func shareRoomKey(_ request: Request, context: MemberRequestContext) async throws -> Response {
        try await hub.submit(.shareRoomKey(try await request.json(RoomKeyShare.self, context: context)), for: context)
    }
}
