import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Talks
import TalksServer
import TalksStore
import Testing

/// A JSON answer from the API.
struct Reply {
    var status: HTTPResponse.Status
    var text: String
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
    var events: [[String: Any]] { object["events"] as? [[String: Any]] ?? [] }
}

/// Talks through the API with one client.
struct API {
    let client: any TestClientProtocol
    /// An operator's token, which opens talks.
    let operatorToken: String
    /// The server's store, for the god's-eye view.
    let store: any TalksStore

    func call(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = nil,
        json: Any? = nil,
        raw: String? = nil
    ) async throws -> Reply {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json { body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) }
        if let raw { body = ByteBuffer(string: raw) }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, text: String(buffer: response.body))
        }
    }

    /// A talks between the US and Iran, mediated by Oman, with an agenda and one member per role.
    func openTalks(sealedRooms: Bool? = nil) async throws -> Session {
        var body: [String: Any] = ["title": "Muscat", "parties": ["United States", "Iran"], "mediator": "Oman"]
        if let sealedRooms { body["sealedRooms"] = sealedRooms }
        let opened = try await call(.post, "/talks", token: operatorToken, json: body)
        #expect(opened.status == .created)
        let id = try #require(opened.object["id"] as? String)
        let mediator = try #require(opened.object["mediatorToken"] as? String)
        var tokens: [String: String] = [:]
        var ids: [String: String] = [:]
        for (party, short) in [("United States", "us"), ("Iran", "ir")] {
            for role in ["principal", "technical-lead", "expert", "observer"] {
                let invited = try await call(
                    .post,
                    "/talks/\(id)/members",
                    token: mediator,
                    json: ["party": party, "name": "\(short) \(role)", "role": role]
                )
                #expect(invited.status == .created)
                tokens["\(short)-\(role)"] = invited.object["token"] as? String
                ids["\(short)-\(role)"] = invited.object["memberId"] as? String
            }
        }
        let agenda = try await call(
            .put,
            "/talks/\(id)/agenda",
            token: mediator,
            json: [
                "issues": [
                    ["name": "enrichment", "options": ["none", "3.67%", "20%"]],
                    ["name": "relief", "options": ["full", "phased", "none"]],
                ]
            ]
        )
        #expect(agenda.status == .created)
        return Session(id: id, mediator: mediator, tokens: tokens, ids: ids)
    }
}

struct Session {
    var id: String
    var mediator: String
    var tokens: [String: String]
    var ids: [String: String]
    subscript(_ name: String) -> String { tokens[name]! }
    func path(_ rest: String) -> String { "/talks/\(id)\(rest)" }
}

/// A server over a new memory store with one operator, tested in `mode`; `clock` fixes the
/// time events are stamped with.
@discardableResult
func withAPI<Value: Sendable>(
    _ mode: TestingSetup = .router,
    clock: (@Sendable () -> Double)? = nil,
    logger: Logger = Logger(label: "shuttle"),
    _ body: @Sendable (API) async throws -> Value
) async throws -> Value {
    let store = MemoryTalksStore()
    let operatorToken = try await Operators.add("test-operator", to: store)
    let app = buildApplication(store: store, port: 0, clock: clock, logger: logger)
    return try await app.test(mode) { client in
        try await body(API(client: client, operatorToken: operatorToken, store: store))
    }
}

extension TalksHub {
    /// Talks between the US and Iran with Oman in the chair, and a US principal, "Envoy",
    /// invited: what most hub tests start from. Returns the talks, the mediator, the envoy and
    /// the envoy's token.
    func openWithEnvoy(title: String = "Muscat") async throws -> (TalksID, MemberID, MemberID, String) {
        let (id, mediator, _) = try await open(title: title, parties: ["US", "Iran"], mediatorName: "Oman")
        let (envoy, token, _) = try await invite(
            party: "US",
            name: "Envoy",
            role: .principal,
            affiliation: nil,
            in: id,
            by: mediator
        )
        return (id, mediator, envoy, token)
    }
}
