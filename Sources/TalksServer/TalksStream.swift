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
///
/// When the link the stream was opened with stops opening the seat (the mediator gave the
/// member a new link, or removed them), the server closes the stream with code 4401 and a
/// reason in words.
struct TalksStream: Sendable {
    let hub: TalksHub
    static let authenticationTimeout: Duration = .seconds(10)
    /// The close code for a revoked link (4000–4999 are the application's; 401 as in HTTP).
    static let revokedCode = WebSocketErrorCode.unknown(4401)

    func register(on router: Router<BasicWebSocketRequestContext>) {
        router.ws("/talks/:id/stream") { request, context in
            if let token = TalksAPI.bearer(request.headers[.authorization]) {
                guard case .member = try await caller(token, talks: context.parameters.get("id")) else { return .dontUpgrade }
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let id = TalksID(context.requestContext.parameters.get("id") ?? "")
            var messages = inbound.messages(maxSize: 16_384).makeAsyncIterator()
            var token = TalksAPI.bearer(context.request.headers[.authorization])
            if token == nil {
                token = try await firstMessageToken(&messages, outbound: outbound)
            }
            var found = TalksHub.Caller.unknown
            if let token { found = try await caller(token, talks: id.rawValue) }
            guard case .member(_, let member, let version) = found else {
                if case .revoked(_, let reason) = found {
                    try await outbound.close(Self.revokedCode, reason: reason)
                } else {
                    try await outbound.close(.policyViolation, reason: "send {\"token\": …} first")
                }
                return
            }
            let after = context.request.uri.queryParameters.get("after", as: Int.self) ?? 0
            let events = try await hub.subscribe(to: id, as: member.id, version: version, after: after)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await link in events { try await outbound.write(.text(link.publishedJSON)) }
                    // The hub ends the stream when the link is revoked; a client leaving cancels.
                    if !Task.isCancelled {
                        try await outbound.close(Self.revokedCode, reason: "this link was replaced or its member removed")
                    }
                }
                // Read (and ignore) until the client goes away, then stop streaming.
                while try await messages.next() != nil {}
                group.cancelAll()
            }
        }
    }

    /// Who `token` is in `talks`; a token of another talks is nobody here.
    private func caller(_ token: String, talks: String?) async throws -> TalksHub.Caller {
        switch try await hub.authenticate(token: token) {
        case .member(let found, _, _) where found.rawValue != talks, .revoked(let found, _) where found.rawValue != talks: .unknown
        case let caller: caller
        }
    }

    private struct TokenMessage: Decodable { var token: String }

    /// The token in a `{"token": …}` first message; `nil` for anything else, or when the
    /// connection is closed after the timeout.
    private func firstMessageToken(_ messages: inout WebSocketInboundMessageStream.AsyncIterator, outbound: WebSocketOutboundWriter) async throws -> String? {
        let timer = Task {
            try await Task.sleep(for: Self.authenticationTimeout)
            try await outbound.close(.policyViolation, reason: "send {\"token\": …} within 10 seconds")
        }
        defer { timer.cancel() }
        guard case .text(let text)? = try await messages.next(), let data = text.data(using: .utf8),
            let message = try? JSONDecoder().decode(TokenMessage.self, from: data)
        else { return nil }
        return message.token
    }
}
