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
/// Events come in the member's own numbers (``MemberView``); `after` is the last number the
/// member was given. When the link the stream was opened with stops opening the seat (the
/// mediator gave the member a new link, or removed them), the server closes the stream with
/// code 4401; a client too far behind gets 4429, and a server shutting down 1001. Each close
/// carries a reason in words; the client reconnects with `after=` to resume.
struct TalksStream: Sendable {
    let hub: TalksHub
    static let authenticationTimeout: Duration = .seconds(10)
    /// The close code for a revoked link (4000–4999 are the application's; 401 as in HTTP).
    static let revokedCode = WebSocketErrorCode.unknown(4401)
    /// The close code for a client that fell too far behind the live events (429 as in HTTP).
    static let tooSlowCode = WebSocketErrorCode.unknown(4429)

    func register(on router: Router<BasicWebSocketRequestContext>) {
        router.ws("/talks/:id/stream") { request, context in
            if let token = BearerToken.from(request.headers[.authorization]) {
                guard case .member = try await caller(token, talks: context.parameters.get("id")) else {
                    return .dontUpgrade
                }
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let id = TalksID(context.requestContext.parameters.get("id") ?? "")
            var messages = inbound.messages(maxSize: 16_384).makeAsyncIterator()
            var token = BearerToken.from(context.request.headers[.authorization])
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
            guard let after = Int(context.request.uri.queryParameters["after"] ?? "0"), after >= 0 else {
                try await outbound.close(.unacceptableData, reason: "after must be a whole number, 0 or more")
                return
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await deliver(id, to: member, version: version, after: after, outbound) }
                // Read (and ignore) until the client goes away, then stop streaming.
                while try await messages.next() != nil {}
                group.cancelAll()
            }
        }
    }

    /// The member's backlog, page by page as the socket takes it, then their live events;
    /// closes the socket with the reason the stream ended.
    private func deliver(
        _ id: TalksID,
        to member: Member,
        version: Int,
        after: Int,
        _ outbound: WebSocketOutboundWriter
    ) async throws {
        let cursor: Int
        do {
            cursor = try await hub.forEachPage(in: id, for: member.id, after: after) { events in
                for event in events { try await outbound.write(.text(event)) }
            }
        } catch let error as TalksError {
            try await outbound.close(.unacceptableData, reason: error.message)
            return
        }
        var ending: TalksHub.Ending?
        for await delivery in try await hub.subscribe(to: id, as: member.id, version: version, after: cursor) {
            switch delivery {
            case .event(let text): try await outbound.write(.text(text))
            case .ended(let reason): ending = reason
            }
        }
        guard !Task.isCancelled else { return }  // the client left
        switch ending {
        case .revoked?:
            try await outbound.close(Self.revokedCode, reason: "this link was replaced or its member removed")
        case .shuttingDown?:
            try await outbound.close(.goingAway, reason: "the server is shutting down; reconnect with after=N")
        case nil: try await outbound.close(Self.tooSlowCode, reason: "too far behind; reconnect with after=N")
        }
    }

    /// Who `token` is in `talks`; a token of another talks is nobody here.
    private func caller(_ token: String, talks: String?) async throws -> TalksHub.Caller {
        switch try await hub.authenticate(token: token) {
        case .member(let found, _, _) where found.rawValue != talks,
            .revoked(let found, _) where found.rawValue != talks:
            .unknown
        case let caller: caller
        }
    }

    private struct TokenMessage: Decodable { var token: String }

    /// The token in a `{"token": …}` first message; `nil` for anything else, or when the
    /// connection is closed after the timeout.
    private func firstMessageToken(
        _ messages: inout WebSocketInboundMessageStream.AsyncIterator,
        outbound: WebSocketOutboundWriter
    ) async throws -> String? {
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
