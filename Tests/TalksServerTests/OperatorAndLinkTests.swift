import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOWebSocket
import Talks
import TalksServer
import TalksStore
import Testing
import WSClient

/// Operators open talks; the mediator replaces links and removes members; a revoked token
/// opens nothing, at once, on every path.
struct OperatorTests {
    @Test func onlyAnOperatorsTokenOpensTalks() async throws {
        try await withAPI { api in
            let body: [String: Any] = ["title": "Muscat", "parties": ["A", "B"], "mediator": "Oman"]
            #expect(try await api.call(.post, "/talks", json: body).status == .unauthorized)
            #expect(try await api.call(.post, "/talks", token: "not-a-token", json: body).status == .unauthorized)
            let s = try await api.openTalks()
            for token in [s.mediator, s["us-principal"]] {
                let refused = try await api.call(.post, "/talks", token: token, json: body)
                #expect(refused.status == .unauthorized, "a member's token, the mediator's included, opens no talks")
                #expect(refused.object["detail"] as? String == "an operator's bearer token is required")
            }
            // Bad bodies from an operator are still named.
            let untitled = try await api.call(
                .post,
                "/talks",
                token: api.operatorToken,
                json: ["title": " ", "parties": ["A", "B"]]
            )
            #expect(untitled.status == .unprocessableContent)
            #expect(try await api.call(.post, "/talks", token: api.operatorToken, json: body).status == .created)
        }
    }

    @Test func aRemovedOperatorOpensNothingAtOnce() async throws {
        try await withAPI { api in
            let body: [String: Any] = ["title": "Muscat", "parties": ["A", "B"]]
            let opened = try await api.call(.post, "/talks", token: api.operatorToken, json: body)
            #expect(opened.status == .created)
            #expect(try await api.store.removeOperator("test-operator"))
            #expect(try await api.call(.post, "/talks", token: api.operatorToken, json: body).status == .unauthorized)
            #expect(try await api.call(.get, "/operator/talks", token: api.operatorToken).status == .unauthorized)
        }
    }

    @Test func anOperatorSeesTheTalksTheyOpenedAndCanReplaceTheirMediatorsLink() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let other = try await Operators.add("other", to: api.store)
            let mine = try await api.call(.get, "/operator/talks", token: api.operatorToken)
            let listed = try #require(mine.object["talks"] as? [[String: Any]])
            #expect(listed.map { $0["id"] as? String } == [s.id])
            #expect(listed.first?["title"] as? String == "Muscat")
            #expect(
                (try await api.call(.get, "/operator/talks", token: other).object["talks"] as? [Any])?.isEmpty == true
            )
            #expect(try await api.call(.get, "/operator", token: other).object["name"] as? String == "other")

            #expect(
                try await api.call(.post, "/operator/talks/\(s.id)/mediator-link", token: other).status == .notFound
            )
            let replaced = try await api.call(.post, "/operator/talks/\(s.id)/mediator-link", token: api.operatorToken)
            #expect(replaced.status == .created)
            let token = try #require(replaced.object["token"] as? String)
            #expect(try await api.call(.get, s.path("/me"), token: token).object["role"] as? String == "mediator")
            let old = try await api.call(.get, s.path("/me"), token: s.mediator)
            #expect(old.status == .unauthorized)
            #expect((old.object["detail"] as? String)?.contains("replaced") == true)
        }
    }
}

struct MemberLinkTests {
    @Test func aNewLinkKillsTheOldTokenAtOnceAndTheRecordHoldsNoToken() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let member = s.ids["us-expert"]!
            #expect(try await api.call(.get, s.path("/me"), token: s["us-expert"]).status == .ok)
            #expect(
                try await api.call(.post, s.path("/members/\(member)/link"), token: s["us-principal"]).status
                    == .forbidden
            )
            #expect(try await api.call(.post, s.path("/members/nobody/link"), token: s.mediator).status == .notFound)

            let replaced = try await api.call(.post, s.path("/members/\(member)/link"), token: s.mediator)
            #expect(replaced.status == .created)
            // The token, and the receipt for the replacement in the mediator's own record.
            #expect(replaced.object.keys.sorted() == ["receipt", "token"])
            let token = try #require(replaced.object["token"] as? String)
            #expect(token != s["us-expert"])
            let old = try await api.call(.get, s.path("/events"), token: s["us-expert"])
            #expect(old.status == .unauthorized)
            #expect(old.object["detail"] as? String == "this link was replaced by a newer one; ask the mediator for it")
            let posted = try await api.call(
                .post,
                s.path("/messages"),
                token: s["us-expert"],
                json: ["channel": "room", "text": "still here?"]
            )
            #expect(posted.status == .unauthorized)
            #expect(try await api.call(.get, s.path("/me"), token: token).object["memberId"] as? String == member)

            // The record says it happened, to the mediator and the member's delegation only, and never holds a token.
            let record = try await api.store.links(of: TalksID(s.id), after: 0).map(\.json).joined()
            #expect(record.contains("member-link-replaced"))
            #expect(!record.contains(token) && !record.contains(s["us-expert"]))
            let usSees = try await api.call(.get, s.path("/events"), token: s["us-principal"]).text
            let iranSees = try await api.call(.get, s.path("/events"), token: s["ir-principal"]).text
            #expect(usSees.contains("member-link-replaced") && !iranSees.contains("member-link-replaced"))
        }
    }

    @Test func aRemovedMemberIsGoneFromEveryPathAndTheRecordSaysSo() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let member = s.ids["ir-expert"]!
            _ = try await api.call(
                .post,
                s.path("/tracks"),
                token: s.mediator,
                json: ["name": "technical", "level": "technical", "members": [member, s.ids["us-expert"]!]]
            )
            #expect(
                try await api.call(.delete, s.path("/members/\(member)"), token: s["ir-principal"]).status == .forbidden
            )
            #expect(try await api.call(.delete, s.path("/members/mediator"), token: s.mediator).status == .conflict)
            let removed = try await api.call(.delete, s.path("/members/\(member)"), token: s.mediator)
            #expect(removed.status == .ok)
            for path in ["/me", "/events", "/export", "/verification"] {
                let refused = try await api.call(.get, s.path(path), token: s["ir-expert"])
                #expect(refused.status == .unauthorized, "\(path)")
                #expect(refused.object["detail"] as? String == "this link's member was removed from the talks")
            }
            #expect(try await api.call(.post, s.path("/members/\(member)/link"), token: s.mediator).status == .notFound)
            let seen = try await api.call(.get, s.path("/events"), token: s["us-observer"]).events
            #expect(seen.contains { $0["type"] as? String == "member-removed" && $0["member"] as? String == member })
            let roster = try await api.call(.get, s.path("/members"), token: s.mediator).text
            #expect(!roster.contains(member))
        }
    }

    @Test func theMediatorSeesWhoHasOpenedTheirCurrentLink() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            #expect(try await api.call(.get, s.path("/members"), token: s["us-expert"]).status == .forbidden)
            func opened() async throws -> [String: Bool] {
                let members =
                    try await api.call(.get, s.path("/members"), token: s.mediator).object["members"]
                    as? [[String: Any]] ?? []
                return Dictionary(
                    uniqueKeysWithValues: members.map { ($0["memberId"] as! String, $0["linkOpened"] as! Bool) }
                )
            }
            let member = s.ids["ir-principal"]!
            #expect(try await opened()[member] == false)
            _ = try await api.call(.get, s.path("/me"), token: s["ir-principal"])
            #expect(try await opened()[member] == true)
            #expect(try await opened()[s.ids["us-principal"]!] == false)
            let replaced = try await api.call(.post, s.path("/members/\(member)/link"), token: s.mediator)
            #expect(try await opened()[member] == false, "the new link has not been opened yet")
            _ = try await api.call(.get, s.path("/me"), token: replaced.object["token"] as? String)
            #expect(try await opened()[member] == true)
        }
    }

    /// Streams opened with a link close, with code 4401 and a reason, when the link is replaced
    /// or the member removed; a new stream with the old token is refused the same way.
    @Test(.timeLimit(.minutes(1)))
    func streamsCloseWhenTheirLinkIsRevoked() async throws {
        try await withAPI(.live) { api in
            let s = try await api.openTalks()
            for (name, revoke) in [("us-expert", "link"), ("ir-expert", "remove")] {
                let member = s.ids[name]!
                let frame = try await api.client.ws(s.path("/stream")) { inbound, outbound, _ in
                    try await outbound.write(.text("{\"token\": \"\(s[name])\"}"))
                    var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    _ = try await iterator.next()  // the backlog has begun: the stream is registered
                    if revoke == "link" {
                        _ = try await api.call(.post, s.path("/members/\(member)/link"), token: s.mediator)
                    } else {
                        _ = try await api.call(.delete, s.path("/members/\(member)"), token: s.mediator)
                    }
                    while try await iterator.next() != nil {}
                }
                #expect(frame?.closeCode == .unknown(4401), "\(revoke)")
                // Coming back with the old token: refused, with the reason.
                let again = try await api.client.ws(s.path("/stream")) { inbound, outbound, _ in
                    try await outbound.write(.text("{\"token\": \"\(s[name])\"}"))
                    var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    #expect(try await iterator.next() == nil, "no event for a revoked link")
                }
                #expect(again?.closeCode == .unknown(4401))
                #expect(again?.reason?.isEmpty == false)
            }
        }
    }
}

struct RevokedSubscriptionTests {
    /// A link revoked between authenticating and subscribing gets no event, not even the
    /// backlog: the stream ends at once.
    @Test(.timeLimit(.minutes(1)))
    func aStreamForAnOldLinkVersionGivesNothing() async throws {
        let hub = TalksHub(store: MemoryTalksStore())
        let (id, mediator, member, _) = try await hub.openWithEnvoy()
        _ = try await hub.execute(.post(channel: .room(party: "US"), text: "room words"), in: id, by: member)
        let backlog = try await hub.visibleEvents(in: id, for: member, after: 0, limit: 100).events
        #expect(backlog.count == 3, "talks opened, the invitation, the room message")
        var current = [TalksHub.Delivery]()
        for await delivery in try await hub.subscribe(to: id, as: member, version: 0, after: 0) {
            current.append(delivery)
            if current.count == backlog.count { break }
        }
        #expect(current == backlog.map { .event($0) }, "the current version streams the backlog")
        _ = try await hub.replaceLink(of: member, in: id, by: mediator)
        var stale = [TalksHub.Delivery]()
        for await delivery in try await hub.subscribe(to: id, as: member, version: 0, after: 0) {
            stale.append(delivery)
        }
        #expect(stale == [.ended(.revoked)], "nothing but why it ended")
    }
}
