import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket
import Talks
import TalksStore

/// `GET /talks/{id}/stream`: the caller's visible events, live, after `?after=N`.
///
/// API clients authenticate the upgrade request with `Authorization: Bearer TOKEN`. Browsers
/// cannot set that header on a WebSocket, and a token in the URL would land in logs, so a
/// connection without the header must send `{"token": "…"}` as its first message, within 10
/// seconds; until then it receives nothing.
struct TalksStream: Sendable {
    let hub: TalksHub
    static let authenticationTimeout: Duration = .seconds(10)

    func register(on router: Router<BasicWebSocketRequestContext>) {
        router.ws("/talks/:id/stream") { request, context in
            if let header = request.headers[.authorization], try await member(header: header, talks: context.parameters.get("id")) == nil {
                return .dontUpgrade
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let id = TalksID(context.requestContext.parameters.get("id") ?? "")
            var messages = inbound.messages(maxSize: 16_384).makeAsyncIterator()
            var member = try await self.member(header: context.request.headers[.authorization], talks: id.rawValue)
            if member == nil {
                member = try await firstMessageToken(&messages, outbound: outbound, talks: id)
            }
            guard let member else {
                try await outbound.close(.policyViolation, reason: "send {\"token\": …} first")
                return
            }
            let after = context.request.uri.queryParameters.get("after", as: Int.self) ?? 0
            let events = try await hub.subscribe(to: id, as: member.id, after: after)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await link in events { try await outbound.write(.text(link.publishedJSON)) }
                }
                // Read (and ignore) until the client goes away, then stop streaming.
                while try await messages.next() != nil {}
                group.cancelAll()
            }
        }
    }

    private func member(header: String?, talks: String?) async throws -> Member? {
        guard let token = TalksAPI.bearer(header), let found = try await hub.authenticate(token: token), found.talks.rawValue == talks else {
            return nil
        }
        return found.member
    }

    private struct TokenMessage: Decodable { var token: String }

    /// The member named by a `{"token": …}` first message; `nil` for a wrong token, or when the
    /// connection is closed after the timeout.
    private func firstMessageToken(
        _ messages: inout WebSocketInboundMessageStream.AsyncIterator, outbound: WebSocketOutboundWriter, talks: TalksID
    ) async throws -> Member? {
        let timer = Task {
            try await Task.sleep(for: Self.authenticationTimeout)
            try await outbound.close(.policyViolation, reason: "send {\"token\": …} within 10 seconds")
        }
        defer { timer.cancel() }
        guard case .text(let text)? = try await messages.next(), let data = text.data(using: .utf8),
            let message = try? JSONDecoder().decode(TokenMessage.self, from: data)
        else { return nil }
        return try await member(header: "Bearer \(message.token)", talks: talks.rawValue)
    }
}
