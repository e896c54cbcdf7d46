import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Guided elicitation through the API: answers stored in the room and read back as fitted
/// preferences, conflicting answers refused by number, and nothing of it outside the room.
struct ElicitationAPITests {
    /// The United States would rather have no enrichment than any, and no relief than some;
    /// enrichment matters more to it than relief.
    static var answers: [[String: Any]] {
        [
            ["kind": "order", "issue": "enrichment", "levels": [["none"], ["3.67%"], ["20%"]]],
            ["kind": "order", "issue": "relief", "levels": [["none"], ["phased"], ["full"]]],
            [
                "kind": "compare", "first": ["enrichment": "none", "relief": "full"],
                "second": ["enrichment": "20%", "relief": "none"], "preference": "first",
            ],
        ]
    }

    /// Answers each of `answers` in turn, as a delegate's page does; the statuses.
    static func answer(
        _ answers: [[String: Any]],
        _ api: API,
        _ s: Session,
        as member: String = "us-expert"
    ) async throws -> [Int] {
        var statuses: [Int] = []
        for answer in answers {
            let reply = try await api.call(
                .post,
                s.path("/elicitation/answers"),
                token: s[member],
                json: ["answer": answer]
            )
            statuses.append(Int(reply.status.code))
        }
        return statuses
    }

    @Test func answersGiveFittedPreferencesAndTheNextQuestion() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let first = try await api.call(.get, s.path("/elicitation"), token: s["us-expert"])
            #expect(first.status == .ok, "\(first.text)")
            let question = try #require(first.object["question"] as? [String: Any])
            #expect(question["kind"] as? String == "order", "with nothing answered, an order tells the most")
            #expect((first.object["answers"] as? [Any])?.isEmpty == true)

            #expect(try await Self.answer(Self.answers, api, s) == [201, 201, 201])
            let progress = try await api.call(.get, s.path("/elicitation"), token: s["us-principal"])
            #expect((progress.object["answers"] as? [Any])?.count == 3, "a colleague reads the room's answers")
            let fitted = try #require(progress.object["fitted"] as? [String: Any])
            let weights = try #require(fitted["weights"] as? [String: Double])
            #expect(weights["enrichment"]! > weights["relief"]!, "\(weights)")
            #expect(abs(weights.values.reduce(0, +) - 1) < 1e-9)
            let values = try #require(fitted["values"] as? [String: [String: Double]])
            #expect(values["enrichment"]!["none"] == 1 && values["enrichment"]!["20%"] == 0)
            #expect(values["relief"]!["none"] == 1 && values["relief"]!["full"] == 0)
            let best = try #require(progress.object["best"] as? [String: Any])
            #expect(best["package"] as? [String: String] == ["enrichment": "none", "relief": "none"])
            #expect(best["settled"] as? Double == 1, "both orders are known: the best package is settled")
            #expect(progress.object["suggestion"] is NSNull, "no guess of Iran yet")
            if let next = progress.object["question"] as? [String: Any] {
                #expect(next["kind"] as? String == "compare", "both orders are answered: \(next)")
            }
        }
    }

    @Test func theSameOrderStoredTwiceStillGivesTheRoomsProgress() async throws {
        // Stored twice, an order holds together with itself; reading the room's progress once
        // stopped the whole server (a dictionary built from the orders trapped on the repeat).
        try await withAPI { api in
            let s = try await api.openTalks()
            let order = Self.answers[0]
            #expect(try await Self.answer([order, order], api, s) == [201, 201])
            let progress = try await api.call(.get, s.path("/elicitation"), token: s["us-expert"])
            #expect(progress.status == .ok, "\(progress.text)")
            #expect((progress.object["answers"] as? [Any])?.count == 2)
            let question = try #require(progress.object["question"] as? [String: Any])
            #expect(question["issue"] as? String != "enrichment", "an ordered issue is not asked again: \(question)")
        }
    }

    @Test func aConflictingAnswerIsRefusedByNumberAndNothingIsLost() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let path = s.path("/elicitation/answers")
            #expect(try await Self.answer(Self.answers, api, s) == [201, 201, 201])
            let contrary: [String: Any] = [
                "kind": "compare", "first": ["enrichment": "20%"], "second": ["enrichment": "none"],
                "preference": "first",
            ]
            let refused = try await api.call(.post, path, token: s["us-expert"], json: ["answer": contrary])
            #expect(refused.status == .conflict, "\(refused.text)")
            let detail = refused.object["detail"] as? String ?? ""
            #expect(detail.contains("answers 1, 4 cannot all hold"), "\(detail)")
            #expect(!detail.contains("none") && !detail.contains("20%"), "the refusal names numbers, not preferences")
            #expect(!detail.contains("first") && !detail.contains("enrichment"))
            let after = try await api.call(.get, s.path("/elicitation"), token: s["us-expert"])
            #expect((after.object["answers"] as? [Any])?.count == 3, "the stored answers stand")

            // Withdrawing the answers it contradicts and keeping the new one, in one step.
            let kept = try await api.call(
                .post,
                path,
                token: s["us-principal"],
                json: ["answer": contrary, "withdraw": [Self.answers[0], Self.answers[2]]]
            )
            #expect(kept.status == .created, "\(kept.text)")
            let revised = try await api.call(.get, s.path("/elicitation"), token: s["us-expert"])
            let remaining = try #require(revised.object["answers"] as? [[String: Any]])
            #expect(remaining.map { $0["kind"] as? String } == ["order", "compare"])
            #expect((remaining.last?["first"] as? [String: String]) == ["enrichment": "20%"])
            let gone = try await api.call(.post, path, token: s["us-expert"], json: ["withdraw": [Self.answers[0]]])
            #expect(gone.status == .notFound && gone.text.contains("withdrawn meanwhile"), "\(gone.text)")
            let nothing = try await api.call(.post, path, token: s["us-expert"], json: [String: Any]())
            #expect(nothing.status == .unprocessableContent, "\(nothing.text)")

            let unknown = try await api.call(
                .post,
                path,
                token: s["us-expert"],
                json: ["answer": ["kind": "order", "issue": "oil", "levels": [["a"]]]]
            )
            #expect(
                unknown.status == .conflict && unknown.text.contains("answer 3: the agenda has no issue 'oil'"),
                "\(unknown.text)"
            )
            let incomplete = try await api.call(
                .post,
                path,
                token: s["us-expert"],
                json: ["answer": ["kind": "order", "issue": "relief", "levels": [["none"]]]]
            )
            #expect(
                incomplete.status == .unprocessableContent && incomplete.text.contains("each option of its issue once"),
                "\(incomplete.text)"
            )
            let badKind = try await api.call(.post, path, token: s["us-expert"], json: ["answer": ["kind": "rank"]])
            #expect(badKind.status == .unprocessableContent && badKind.text.contains("kind"), "\(badKind.text)")
        }
    }

    @Test func answersStayInTheRoom() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            #expect(try await Self.answer(Self.answers, api, s) == [201, 201, 201])
            let mine = try await api.call(.get, s.path("/events"), token: s["us-observer"])
            #expect(mine.events.contains { $0["type"] as? String == "preference-answers-stored" })
            for token in [s.mediator, s["ir-principal"], s["ir-observer"]] {
                let events = try await api.call(.get, s.path("/events"), token: token)
                #expect(!events.text.contains("preference-answers") && !events.text.contains("3.67%\"]"))
            }
            let theirs = try await api.call(.get, s.path("/elicitation"), token: s["ir-principal"])
            #expect((theirs.object["answers"] as? [Any])?.isEmpty == true, "Iran's room has its own answers")
            #expect(try await api.call(.get, s.path("/elicitation"), token: s.mediator).status == .forbidden)
            #expect(try await Self.answer(Self.answers, api, s, as: "us-observer") == [403, 403, 403])
            let metrics = try await api.call(.get, "/metrics", token: api.operatorToken).text
            #expect(!metrics.contains("revise-answers"), "no metric counts the room's answers")
            #expect(metrics.contains("command=\"set-agenda\""), "other commands are counted")
        }
    }

    @Test func theSuggestionFromTheRoomsGuessesSaysHowSettledItIs() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            _ = try await Self.answer(Self.answers, api, s)
            let guess: [String: Any] = [
                "weights": ["enrichment": 0.6, "relief": 0.4], "forbidden": [String: Any](), "reservationValue": 0,
                "values": [
                    "enrichment": ["none": 0, "3.67%": 0.8, "20%": 1], "relief": ["full": 1, "phased": 0.6, "none": 0],
                ],
            ]
            let guessed = try await api.call(.put, s.path("/guesses/Iran"), token: s["us-expert"], json: guess)
            #expect(guessed.status == .created, "\(guessed.text)")
            let progress = try await api.call(.get, s.path("/elicitation"), token: s["us-expert"])
            let suggestion = try #require(progress.object["suggestion"] as? [String: Any], "\(progress.text)")
            let package = try #require(suggestion["package"] as? [String: String])
            #expect(Set(package.keys) == ["enrichment", "relief"])
            let settled = try #require(suggestion["settled"] as? Double)
            #expect(settled > 0 && settled <= 1)
        }
    }

    @Test func answersFromAnEarlierAgendaAreSetAsideAndDoNotBlockNewOnes() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            #expect(try await Self.answer(Self.answers, api, s) == [201, 201, 201])
            let agenda: [String: Any] = [
                "issues": [
                    ["name": "enrichment", "options": ["none", "3.67%", "20%"]],
                    ["name": "relief", "options": ["full", "none"]],
                ]
            ]
            let changed = try await api.call(.put, s.path("/agenda"), token: s.mediator, json: agenda)
            #expect(changed.status == .created, "\(changed.text)")
            let progress = try await api.call(.get, s.path("/elicitation"), token: s["us-expert"])
            #expect(progress.object["setAside"] as? Int == 1, "the order of relief named 'phased': \(progress.text)")
            #expect((progress.object["answers"] as? [Any])?.count == 2)
            let order: [String: Any] = ["kind": "order", "issue": "relief", "levels": [["none"], ["full"]]]
            #expect(try await Self.answer([order], api, s) == [201], "the stale answer does not block a new one")
            let after = try await api.call(.get, s.path("/elicitation"), token: s["us-expert"])
            #expect(after.object["setAside"] as? Int == 0 && (after.object["answers"] as? [Any])?.count == 3)
        }
    }
}
