import Foundation
import Hummingbird
import HummingbirdTesting
import Talks
import TalksServer
import TalksStore
import Testing

struct TalksAPITests {
    @Test func openingInvitingAndTheCoreContract() async throws {
        try await withAPI { api in
            let session = try await api.openTalks()
            let posted = try await api.call(
                .post,
                session.path("/messages"),
                token: session["ir-principal"],
                json: ["channel": "shuttle", "text": "relief first"]
            )
            #expect(posted.status == .created)
            let seq = try #require(posted.object["seq"] as? Int)
            let events = try await api.call(.get, session.path("/events?after=0"), token: session.mediator)
            #expect(events.status == .ok)
            let last = try #require(events.events.last)
            #expect(
                last["seq"] as? Int == seq && last["type"] as? String == "message-posted"
                    && last["text"] as? String == "relief first"
            )
            #expect(last["hash"] == nil, "the chain's hashes are the server's own")
            #expect(events.events.map { $0["seq"] as! Int } == events.events.map { $0["seq"] as! Int }.sorted())
            let later = try await api.call(.get, session.path("/events?after=\(seq - 1)"), token: session.mediator)
            #expect(later.events.count == 1)
        }
    }

    @Test func eachMemberReadsOnlyTheirChannels() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            _ = try await api.call(
                .post,
                s.path("/messages"),
                token: s["us-principal"],
                json: ["channel": "room", "text": "US room secret"]
            )
            _ = try await api.call(
                .post,
                s.path("/messages"),
                token: s["ir-expert"],
                json: ["channel": "shuttle", "text": "Iran to mediator"]
            )
            _ = try await api.call(
                .post,
                s.path("/messages"),
                token: s.mediator,
                json: ["channel": "shuttle", "party": "United States", "text": "mediator to US"]
            )
            func texts(_ token: String) async throws -> String {
                try await api.call(.get, s.path("/events"), token: token).text
            }
            let mediator = try await texts(s.mediator)
            #expect(
                !mediator.contains("US room secret") && mediator.contains("Iran to mediator")
                    && mediator.contains("mediator to US")
            )
            let iran = try await texts(s["ir-observer"])
            #expect(
                !iran.contains("US room secret") && iran.contains("Iran to mediator")
                    && !iran.contains("mediator to US")
            )
            let us = try await texts(s["us-observer"])
            #expect(us.contains("US room secret") && !us.contains("Iran to mediator") && us.contains("mediator to US"))
            let export = try await api.call(.get, s.path("/export"), token: s["ir-principal"])
            #expect(export.status == .ok)
            #expect(!export.text.contains("US room secret"))
            #expect(
                export.text.split(separator: "\n").allSatisfy {
                    (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil
                }
            )
        }
    }

    @Test func refusalsSayWhatWentWrong() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let other = try await api.openTalks()
            func problem(_ reply: Reply, _ status: HTTPResponse.Status, _ detail: String) {
                #expect(reply.status == status, "\(reply.text)")
                #expect((reply.object["detail"] as? String)?.contains(detail) == true, "\(reply.text)")
                #expect(reply.object["status"] as? Int == Int(status.code))
            }
            problem(try await api.call(.get, s.path("/events"), token: "not-a-token"), .unauthorized, "bearer token")
            problem(try await api.call(.get, s.path("/events")), .unauthorized, "bearer token")
            problem(
                try await api.call(.get, s.path("/events"), token: other.mediator),
                .forbidden,
                "does not belong to these talks"
            )
            problem(
                try await api.call(
                    .post,
                    s.path("/messages"),
                    token: s["us-observer"],
                    json: ["channel": "room", "text": "hi"]
                ),
                .forbidden,
                "observers read"
            )
            problem(
                try await api.call(
                    .post,
                    s.path("/members"),
                    token: s["us-principal"],
                    json: ["party": "Iran", "name": "x", "role": "expert"]
                ),
                .forbidden,
                "only the mediator"
            )
            problem(
                try await api.call(
                    .post,
                    s.path("/proposals"),
                    token: s["ir-principal"],
                    json: ["package": ["missiles": "none"]]
                ),
                .conflict,
                "'missiles' is not on the agenda"
            )
            _ = try await api.call(
                .post,
                s.path("/clauses"),
                token: s.mediator,
                json: ["title": "Scope", "text": "[nuclear only]"]
            )
            _ = try await api.call(.put, s.path("/phase"), token: s.mediator, json: ["phase": "technical"])
            _ = try await api.call(.put, s.path("/phase"), token: s.mediator, json: ["phase": "principal-review"])
            problem(
                try await api.call(.put, s.path("/phase"), token: s.mediator, json: ["phase": "concluded"]),
                .conflict,
                "is bracketed"
            )
            problem(
                try await api.call(.post, s.path("/joint-session/open"), token: s.mediator),
                .conflict,
                "has not consented"
            )
            problem(
                try await api.call(
                    .post,
                    s.path("/messages"),
                    token: s["us-principal"],
                    json: ["channel": "joint", "text": "hello"]
                ),
                .conflict,
                "no joint session"
            )
            problem(
                try await api.call(.post, s.path("/messages"), token: s["us-principal"], raw: "{\"channel\": \"room\""),
                .unprocessableContent,
                "not valid JSON"
            )
            problem(
                try await api.call(.post, s.path("/messages"), token: s["us-principal"], json: ["text": "no channel"]),
                .unprocessableContent,
                "channel is required"
            )
            problem(
                try await api.call(
                    .post,
                    s.path("/messages"),
                    token: s["us-principal"],
                    json: ["channel": "lobby", "text": "x"]
                ),
                .unprocessableContent,
                "channel must be"
            )
            problem(
                try await api.call(
                    .post,
                    s.path("/proposals/P9/answer"),
                    token: s["us-principal"],
                    json: ["answer": "accept"]
                ),
                .notFound,
                "no proposal P9"
            )
            let huge = String(repeating: "x", count: 300_000)
            let tooLarge = try await api.call(
                .post,
                s.path("/messages"),
                token: s["us-principal"],
                json: ["channel": "room", "text": huge]
            )
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.object["status"] as? Int == 413, "a problem document too: \(tooLarge.text)")
            // Nothing refused reached the record.
            let events = try await api.call(.get, s.path("/events"), token: s["us-principal"]).text
            #expect(!events.contains("missiles") && !events.contains("\"phase-changed\",\"to\":\"concluded\""))
        }
    }

    @Test func relaysProposalsAndAnswersTravelThroughTheMediator() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let posted = try await api.call(
                .post,
                s.path("/messages"),
                token: s["ir-principal"],
                json: ["channel": "shuttle", "text": "we could live with 3.67% if relief comes first"]
            )
            let seq = posted.object["seq"] as! Int
            let relay = try await api.call(
                .post,
                s.path("/relays"),
                token: s.mediator,
                json: [
                    "message": seq, "party": "United States", "mode": "paraphrase",
                    "text": "Iran shows flexibility on enrichment",
                ]
            )
            #expect(relay.status == .created)
            let us = try await api.call(.get, s.path("/events"), token: s["us-principal"]).text
            #expect(us.contains("Iran shows flexibility on enrichment") && !us.contains("relief comes first"))

            #expect(
                try await api.call(
                    .post,
                    s.path("/proposals"),
                    token: s["ir-principal"],
                    json: ["package": ["enrichment": "3.67%", "relief": "full"]]
                ).status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/proposals/P1/forward"),
                    token: s.mediator,
                    json: ["party": "United States"]
                ).status == .created
            )
            let counter = try await api.call(
                .post,
                s.path("/proposals/P1/answer"),
                token: s["us-principal"],
                json: ["answer": "counter", "counter": ["package": ["enrichment": "3.67%", "relief": "phased"]]]
            )
            #expect(counter.status == .created)
            #expect(
                try await api.call(.post, s.path("/proposals/P2/forward"), token: s.mediator, json: ["party": "Iran"])
                    .status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/proposals/P2/answer"),
                    token: s["ir-principal"],
                    json: ["answer": "accept"]
                ).status == .created
            )
            let iran = try await api.call(.get, s.path("/events"), token: s["ir-principal"])
            #expect(
                iran.events.contains {
                    $0["type"] as? String == "proposal-answered" && $0["answer"] as? String == "accept"
                }
            )

            // The mediator's own proposal goes to the parties it names, and only them.
            let own = try await api.call(
                .post,
                s.path("/proposals"),
                token: s.mediator,
                json: ["text": "Both sides to pause new steps for 60 days.", "parties": ["Iran"]]
            )
            #expect(own.status == .created)
            #expect(
                try await api.call(.get, s.path("/events"), token: s["ir-observer"]).text.contains("pause new steps")
            )
            #expect(
                !(try await api.call(.get, s.path("/events"), token: s["us-observer"]).text.contains("pause new steps"))
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/proposals/P3/forward"),
                    token: s.mediator,
                    json: ["party": "United States"]
                ).status == .conflict
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/proposals"),
                    token: s.mediator,
                    json: ["package": ["enrichment": "none"], "text": "both"]
                ).status == .unprocessableContent
            )
        }
    }

    @Test func frameworkTextFromBracketsToConclusion() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let m = s.mediator
            #expect(
                try await api.call(
                    .post,
                    s.path("/tracks"),
                    token: m,
                    json: [
                        "name": "experts", "level": "technical", "issues": ["enrichment"],
                        "members": [s.ids["us-expert"]!, s.ids["ir-expert"]!],
                    ]
                ).status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/tracks"),
                    token: m,
                    json: [
                        "name": "principals", "level": "principal",
                        "members": [s.ids["us-principal"]!, s.ids["ir-principal"]!],
                    ]
                ).status == .created
            )
            _ = try await api.call(
                .post,
                s.path("/clauses"),
                token: m,
                json: ["title": "Enrichment", "text": "[no enrichment][3.67%]"]
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/clauses/C1/alternatives"),
                    token: s["ir-expert"],
                    json: ["text": "enrichment at 3.67%"]
                ).status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/messages"),
                    token: s["us-expert"],
                    json: ["channel": "track:experts", "text": "monitoring details"]
                ).status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/clauses/C1/settle"),
                    token: m,
                    json: ["status": "agreed-ad-referendum", "text": "3.67% with monitoring", "track": "experts"]
                ).status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/clauses/C1/settle"),
                    token: m,
                    json: ["status": "agreed", "text": "3.67% with monitoring", "track": "principals"]
                ).status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/rounds"),
                    token: m,
                    json: ["date": "2025-04-12", "venue": "Muscat", "level": "principal", "format": "indirect"]
                ).status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/rounds/R1/readouts"),
                    token: s["ir-principal"],
                    json: ["text": "constructive"]
                ).status == .created
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/rounds/R1/statement"),
                    token: m,
                    json: ["text": "the talks will continue"]
                ).status == .created
            )
            #expect(
                try await api.call(.put, s.path("/deadline"), token: m, json: ["date": "2025-06-12"]).status == .created
            )
            #expect(
                try await api.call(.post, s.path("/joint-session/consent"), token: s["us-principal"]).status == .created
            )
            #expect(
                try await api.call(.post, s.path("/joint-session/consent"), token: s["ir-principal"]).status == .created
            )
            #expect(try await api.call(.post, s.path("/joint-session/open"), token: m).status == .created)
            #expect(try await api.call(.post, s.path("/joint-session/close"), token: m).status == .created)
            for phase in ["technical", "principal-review", "concluded"] {
                #expect(try await api.call(.put, s.path("/phase"), token: m, json: ["phase": phase]).status == .created)
            }
            let track = try await api.call(.get, s.path("/events"), token: s["ir-principal"]).text
            #expect(!track.contains("monitoring details"), "not a member of the experts' track")
            #expect(
                try await api.call(.get, s.path("/events"), token: s["ir-expert"]).text.contains("monitoring details")
            )
        }
    }

    @Test func suggestionsNamePackagesOnlyAndUtilitiesStayWithTheirParty() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let missing = try await api.call(.get, s.path("/suggestions"), token: s.mediator)
            #expect(missing.object["status"] as? String == "missing-preferences")
            #expect(missing.object["parties"] as? [String] == ["United States", "Iran"])
            let us: [String: Any] = [
                "weights": ["enrichment": 0.6, "relief": 0.4],
                "values": [
                    "enrichment": ["none": 1, "3.67%": 0.6, "20%": 0], "relief": ["full": 0, "phased": 0.6, "none": 1],
                ], "forbidden": ["enrichment": ["20%"]], "reservationValue": 0.3,
            ]
            let iran: [String: Any] = [
                "weights": ["enrichment": 0.4, "relief": 0.6],
                "values": [
                    "enrichment": ["none": 0, "3.67%": 0.7, "20%": 1], "relief": ["full": 1, "phased": 0.7, "none": 0],
                ], "forbidden": ["relief": ["none"]], "reservationValue": 0.35,
            ]
            #expect(
                try await api.call(.put, s.path("/preferences"), token: s["us-technical-lead"], json: us).status
                    == .created
            )
            #expect(
                try await api.call(.put, s.path("/preferences"), token: s["ir-principal"], json: iran).status
                    == .created
            )
            let answer = try await api.call(.get, s.path("/suggestions?limit=10"), token: s.mediator)
            #expect(answer.status == .ok)
            #expect(answer.object["status"] as? String == "packages")
            let packages = try #require(answer.object["packages"] as? [[String: String]])
            #expect(!packages.isEmpty)
            for secret in ["0.6", "0.4", "0.7", "0.35", "0.3"] { #expect(!answer.text.contains(secret)) }
            #expect(try await api.call(.get, s.path("/suggestions"), token: s["us-principal"]).status == .forbidden)
            // Preferences are in the party's room only.
            #expect(!(try await api.call(.get, s.path("/events"), token: s.mediator).text.contains("reservationValue")))
            #expect(!(try await api.call(.get, s.path("/events"), token: s["ir-principal"]).text.contains("\"0.6\"")))
            #expect(
                try await api.call(.get, s.path("/events"), token: s["us-observer"]).text.contains("reservationValue")
            )
            let own = try await api.call(
                .post,
                s.path("/utility"),
                token: s["us-expert"],
                json: ["package": ["enrichment": "none", "relief": "none"]]
            )
            #expect(own.object["utility"] as? Double == 1)
            #expect(
                try await api.call(
                    .post,
                    s.path("/utility"),
                    token: s.mediator,
                    json: ["package": ["enrichment": "none", "relief": "none"]]
                ).status == .forbidden
            )
        }
    }

    /// After both parties accept a package, the mediator asks for improvements (packages only),
    /// proposes one, and both accept it: the record shows the agreement standing as the fallback
    /// until then. Parties cannot ask; a proposal not accepted by all cannot be improved.
    @Test func anAgreementIsImprovedWhenBothPartiesAccept() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let us: [String: Any] = [
                "weights": ["enrichment": 0.6, "relief": 0.4],
                "values": [
                    "enrichment": ["none": 1, "3.67%": 0.6, "20%": 0], "relief": ["full": 0, "phased": 0.7, "none": 1],
                ], "forbidden": [String: [String]](), "reservationValue": 0.1,
            ]
            let iran: [String: Any] = [
                "weights": ["enrichment": 0.4, "relief": 0.6],
                "values": [
                    "enrichment": ["none": 0, "3.67%": 0.7, "20%": 1], "relief": ["full": 1, "phased": 0.8, "none": 0],
                ], "forbidden": [String: [String]](), "reservationValue": 0.1,
            ]
            #expect(
                try await api.call(.put, s.path("/preferences"), token: s["us-principal"], json: us).status == .created
            )
            #expect(
                try await api.call(.put, s.path("/preferences"), token: s["ir-principal"], json: iran).status
                    == .created
            )
            // US 0.4, Iran 0.4: both gain from 3.67% and phased relief.
            let weak = ["enrichment": "20%", "relief": "none"]
            #expect(
                try await api.call(
                    .post,
                    s.path("/proposals"),
                    token: s.mediator,
                    json: ["package": weak, "parties": ["United States", "Iran"]]
                ).status == .created
            )
            #expect(
                try await api.call(.get, s.path("/improvements?proposal=P1"), token: s.mediator).status == .conflict,
                "not yet accepted"
            )
            for member in ["us-principal", "ir-principal"] {
                #expect(
                    try await api.call(
                        .post,
                        s.path("/proposals/P1/answer"),
                        token: s[member],
                        json: ["answer": "accept"]
                    ).status == .created
                )
            }
            let answer = try await api.call(.get, s.path("/improvements?proposal=P1&limit=50"), token: s.mediator)
            #expect(answer.status == .ok)
            #expect(answer.object["status"] as? String == "packages")
            let packages = try #require(answer.object["packages"] as? [[String: String]])
            #expect(packages.first == ["enrichment": "3.67%", "relief": "phased"])
            let labelsRemoved = ["3.67%", "20%"].reduce(answer.text) { $0.replacingOccurrences(of: $1, with: "") }
            let numbers = labelsRemoved.filter { $0.isNumber }
            #expect(numbers.isEmpty, "no numbers but option labels")
            #expect(
                try await api.call(.get, s.path("/improvements?proposal=P1"), token: s["us-principal"]).status
                    == .forbidden
            )
            #expect(
                try await api.call(.get, s.path("/improvements"), token: s.mediator).status == .unprocessableContent
            )
            #expect(
                try await api.call(.get, s.path("/improvements?proposal=P7"), token: s.mediator).status == .notFound
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/proposals/P1/improvements"),
                    token: s.mediator,
                    json: ["package": weak]
                ).status == .conflict
            )
            #expect(
                try await api.call(
                    .post,
                    s.path("/proposals/P1/improvements"),
                    token: s.mediator,
                    json: ["package": packages[0]]
                ).status == .created
            )
            let offered = try await api.call(.get, s.path("/events"), token: s["ir-expert"]).text
            #expect(offered.contains("improvement-proposed") && offered.contains("\"improves\":\"P1\""))
            for member in ["us-principal", "ir-principal"] {
                #expect(
                    try await api.call(
                        .post,
                        s.path("/proposals/P2/answer"),
                        token: s[member],
                        json: ["answer": "accept"]
                    ).status == .created
                )
            }
            for member in ["us-observer", "ir-expert", "mediator"] {
                let events = try await api.call(
                    .get,
                    s.path("/events"),
                    token: member == "mediator" ? s.mediator : s[member]
                ).text
                #expect(events.contains("\"adopted\":true"), "\(member) reads that the improvement was adopted")
            }
            let empty = try await api.call(.get, s.path("/improvements?proposal=P2"), token: s.mediator)
            #expect(empty.object["packages"] as? [[String: String]] == [], "nothing beats the Nash point for both")
        }
    }

    /// A delegation stores a guess of the other side's preferences and rehearses, watching and
    /// playing: every other member's events and export are byte for byte what they were, the
    /// delegation's own room records the guess and that it rehearsed, and no metric names it.
    @Test func aRehearsalLeavesNothingOutsideTheRoom() async throws {
        try await withAPI(.live) { api in
            let s = try await api.openTalks()
            let preferences: [String: Any] = [
                "weights": ["enrichment": 0.6, "relief": 0.4], "forbidden": [String: [String]](),
                "reservationValue": 0.2,
                "values": [
                    "enrichment": ["none": 1, "3.67%": 0.6, "20%": 0], "relief": ["full": 0, "phased": 0.7, "none": 1],
                ],
            ]
            #expect(
                try await api.call(.put, s.path("/preferences"), token: s["us-principal"], json: preferences).status
                    == .created
            )
            let others = ["mediator", "ir-principal", "ir-expert", "ir-observer"]
            func token(_ name: String) -> String { name == "mediator" ? s.mediator : s[name] }
            var before: [String: [String]] = [:]
            for name in others {
                before[name] = [
                    try await api.call(.get, s.path("/events"), token: token(name)).text,
                    try await api.call(.get, s.path("/export"), token: token(name)).text,
                ]
            }
            let rehearsal: [String: Any] = ["counterpart": "conceder", "protocol": "sao", "steps": 8, "seed": 5]
            #expect(
                try await api.call(.post, s.path("/rehearsals"), token: s["us-expert"], json: rehearsal).status
                    == .conflict,
                "no guess yet"
            )
            #expect(
                try await api.call(.put, s.path("/guesses/Iran"), token: s["us-expert"], json: preferences).status
                    == .created
            )
            #expect(
                try await api.call(.put, s.path("/guesses/United%20States"), token: s["us-expert"], json: preferences)
                    .status == .conflict
            )
            let watched = try await api.call(
                .post,
                s.path("/rehearsals"),
                token: s["us-principal"],
                json: rehearsal.merging(["player": "boulware"]) { $1 }
            )
            #expect(watched.status == .ok)
            #expect(watched.object["ending"] as? String != nil && !(watched.object["lines"] as! [Any]).isEmpty)
            // Played move by move: the first answer asks the opening offer of seat 0, the US.
            let first = try await api.call(.post, s.path("/rehearsals"), token: s["us-principal"], json: rehearsal)
            #expect((first.object["request"] as? [String: Any])?["type"] as? String == "propose")
            let moves: [[String: Any]] = [["type": "offer", "package": ["enrichment": "none", "relief": "none"]]]
            let second = try await api.call(
                .post,
                s.path("/rehearsals"),
                token: s["us-principal"],
                json: rehearsal.merging(["moves": moves]) { $1 }
            )
            #expect(second.status == .ok)
            #expect(((second.object["lines"] as? [[String: Any]])?.first?["by"] as? String) == "United States")
            let wrong: [[String: Any]] = [["type": "accept"]]
            #expect(
                try await api.call(
                    .post,
                    s.path("/rehearsals"),
                    token: s["us-principal"],
                    json: rehearsal.merging(["moves": wrong]) { $1 }
                ).status == .unprocessableContent
            )
            #expect(
                try await api.call(.post, s.path("/rehearsals"), token: s.mediator, json: rehearsal).status
                    == .forbidden
            )
            #expect(
                try await api.call(.post, s.path("/rehearsals"), token: s["us-observer"], json: rehearsal).status
                    == .forbidden
            )

            for name in others {
                let after = [
                    try await api.call(.get, s.path("/events"), token: token(name)).text,
                    try await api.call(.get, s.path("/export"), token: token(name)).text,
                ]
                #expect(after == before[name], "\(name) sees nothing of the rehearsal, not even in its numbers")
            }
            let room = try await api.call(.get, s.path("/events"), token: s["us-observer"]).events.map {
                $0["type"] as! String
            }
            #expect(room.filter { $0 == "rehearsal-held" }.count == 2, "the watched one and the played one, once each")
            #expect(room.contains("guess-stored"))
            let metrics = try await api.call(.get, "/metrics", token: api.operatorToken).text
            #expect(!metrics.contains("rehearsal"), "no metric counts a rehearsal: neither its requests nor its record")
        }
    }

    /// The verdict on the chain, and nothing that changes when others write where the caller
    /// cannot read.
    @Test func verificationTellsTheVerdictOnly() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let before = try await api.call(.get, s.path("/verification"), token: s["ir-principal"])
            #expect(before.status == .ok)
            #expect(before.object["intact"] as? Bool == true)
            _ = try await api.call(
                .post,
                s.path("/messages"),
                token: s["us-principal"],
                json: ["channel": "room", "text": "US room"]
            )
            let after = try await api.call(.get, s.path("/verification"), token: s["ir-principal"])
            #expect(after.text == before.text, "another room's traffic does not show")
            #expect(try await api.call(.get, s.path("/verification")).status == .unauthorized)
        }
    }

    @Test func theOpenAPIDocumentDescribesTheCore() async throws {
        try await withAPI { api in
            let reply = try await api.call(.get, "/openapi.json")
            #expect(reply.status == .ok)
            let paths = try #require(reply.object["paths"] as? [String: Any])
            for path in [
                "/talks", "/talks/{id}/members", "/talks/{id}/messages", "/talks/{id}/events", "/talks/{id}/stream",
                "/talks/{id}/export", "/talks/{id}/suggestions",
                "/talks/{id}/members/{member}/link", "/talks/{id}/members/{member}", "/operator/talks",
                "/operator/talks/{id}/mediator-link",
            ] {
                #expect(paths[path] != nil, "\(path)")
            }
        }
    }
}

struct HealthTests {
    @Test func healthSaysTheStoreAnswersWithoutAToken() async throws {
        try await withAPI { api in
            let reply = try await api.call(.get, "/health")
            #expect(reply.status == .ok)
            #expect(reply.text == "{\"status\":\"ok\"}")
        }
    }

    /// A store that does not answer: every call fails, as a database that is down would.
    struct DownStore: TalksStore {
        struct Down: Error {}
        func create(_ talks: TalksID, first: RecordedEvent, openedBy: String?) async throws -> RecordChain.Link {
            throw Down()
        }
        func append(_ links: [RecordChain.Link], to talks: TalksID) async throws -> Bool { throw Down() }
        func links(of talks: TalksID, after: Int, limit: Int?) async throws -> [RecordChain.Link] { throw Down() }
        func links(of talks: TalksID, seqs: [Int]) async throws -> [RecordChain.Link] { throw Down() }
        func allTalks() async throws -> [TalksID] { throw Down() }
        func talks(openedBy name: String) async throws -> [TalksID] { throw Down() }
        func saveCredential(tokenHash: String, talks: TalksID, member: MemberID, version: Int) async throws {
            throw Down()
        }
        func credential(tokenHash: String) async throws -> Credential? { throw Down() }
        func markOpened(tokenHash: String) async throws { throw Down() }
        func openedLinks(in talks: TalksID) async throws -> Set<MemberLink> { throw Down() }
        func addOperator(_ name: String, tokenHash: String, time: Double) async throws { throw Down() }
        func operators() async throws -> [Operator] { throw Down() }
        func removeOperator(_ name: String) async throws -> Bool { throw Down() }
        func operatorName(tokenHash: String) async throws -> String? { throw Down() }
        func allCredentials() async throws -> [String: Credential] { throw Down() }
        func operatorTokenHashes() async throws -> [String: String] { throw Down() }
        func ping() async throws { throw Down() }
        func signingKey(storingIfNone candidate: String?) async throws -> String? { throw Down() }
    }

    @Test func healthIs503WhenTheStoreDoesNotAnswer() async throws {
        let app = buildApplication(store: DownStore())
        try await app.test(.router) { client in
            let reply = try await API(client: client, operatorToken: "", store: DownStore()).call(.get, "/health")
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.object["detail"] as? String == "the store does not answer")
        }
    }
}

/// What the contract says about methods and paths, the server answers.
struct MethodTests {
    @Test func aPathAskedWithAMethodItDoesNotTakeIs405WithAllow() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            for (method, path, allowed) in [
                (HTTPRequest.Method.trace, "/talks", "POST"), (.delete, s.path("/events"), "GET"),
                (.put, s.path("/members"), "GET, POST"),
                (.get, s.path("/messages"), "POST"), (.patch, "/health", "GET"),
            ] {
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(s.mediator)"
                try await api.client.execute(uri: path, method: method, headers: headers) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                    #expect(response.headers[.allow] == allowed, "\(method) \(path)")
                }
            }
            #expect(try await api.call(.get, "/nowhere").status == .notFound)
            #expect(try await api.call(.get, "/talks/x/y/z").status == .notFound)
            let plain = try await api.call(.get, s.path("/stream"), token: s.mediator)
            #expect(
                plain.status == .upgradeRequired && (plain.object["detail"] as? String)?.contains("WebSocket") == true
            )
        }
    }
}
