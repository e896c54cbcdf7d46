import CommandTesting
import Foundation
import Testing

/// `shuttle negotiate` and `shuttle tournament`, run as a user runs them.
@Suite(.serialized)
struct NegotiationCommandTests {
    static let lunch = "Tests/NegotiationFormatsTests/Fixtures/lunch"
    static let sample = "Samples/april-2025-talks.json"

    @Test(.timeLimit(.minutes(1)), arguments: ["sao", "single-text", "shuttle"])
    func negotiatePrintsTheTraceAsJSON(protocolName: String) async throws {
        let run = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.sample,
            "--negotiators",
            "boulware,conceder",
            "--protocol",
            protocolName,
            "--steps",
            "40",
            "--json"
        )
        #expect(run.status == 0, "\(run.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(object["protocol"] as? String == protocolName)
        #expect(object["negotiators"] as? [String] == ["boulware", "conceder"])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { ($0["step"] as? Int ?? 99) < 40 })
        if object["ending"] as? String == "agreement" {
            #expect((object["utilities"] as? [Double])?.count == 2)
            #expect(events.last?["action"] as? String == "agreement")
        }
        if protocolName == "shuttle" {
            // Seats' own moves are seen by the seat and the mediator only.
            for event in events where event["by"] as? String != "mediator" {
                #expect((event["seenBy"] as? [String])?.count == 2)
            }
        }
        let again = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.sample,
            "--negotiators",
            "boulware,conceder",
            "--protocol",
            protocolName,
            "--steps",
            "40",
            "--json"
        )
        #expect(again.output == run.output, "the same seed replays the same negotiation")
    }

    /// `--relay 0`: the mediator never passes one side's offer to the other; `--relay 1`: always.
    @Test(.timeLimit(.minutes(1)))
    func relayProbabilityChoosesTheMediator() async throws {
        func actions(_ relay: String) async throws -> [String] {
            let run = try await ShuttleCommandTests.shuttle(
                "negotiate",
                Self.sample,
                "--negotiators",
                "linear,boulware",
                "--protocol",
                "shuttle",
                "--relay",
                relay,
                "--json"
            )
            #expect(run.status == 0, "\(run.error)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
            return (object["events"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
        }
        let never = try await actions("0")
        #expect(!never.contains { $0.hasPrefix("relay") })
        #expect(never.contains("text"))
        let always = try await actions("1")
        #expect(always.contains { $0.hasPrefix("relay") })
        #expect(!always.contains("text"), "a relaying mediator shows no package of its own")
    }

    @Test(.timeLimit(.minutes(1)))
    func negotiateDrawsTheOffers() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let plot = folder.appendingPathComponent("offers.svg").path
        let run = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.lunch,
            "--negotiators",
            "linear,frequency",
            "--plot",
            plot
        )
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("linear vs frequency"))
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.contains("offers by linear"))
        #expect(svg.contains("offers by frequency"))
        #expect(svg.hasSuffix("</svg>\n"))
    }

    @Test(.timeLimit(.minutes(1)))
    func negotiateRefusesBadLineUps() async throws {
        let unknown = try await ShuttleCommandTests.shuttle("negotiate", Self.lunch, "--negotiators", "boulware,nobody")
        #expect(unknown.status == 64)
        #expect(unknown.error.contains("unknown negotiator 'nobody'"))
        let short = try await ShuttleCommandTests.shuttle("negotiate", Self.lunch, "--negotiators", "boulware")
        #expect(short.status == 64)
        #expect(short.error.contains("2 parties"))
        let steps = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.lunch,
            "--negotiators",
            "boulware,linear",
            "--steps",
            "0"
        )
        #expect(steps.status == 64)
        let missing = try await ShuttleCommandTests.shuttle(
            "negotiate",
            "no/such/folder",
            "--negotiators",
            "boulware,linear"
        )
        #expect(missing.status == 65)
    }

    /// A tournament run in 3 shards (as 3 machines would) and merged, in another order, writes
    /// the whole run's negotiations.csv and scores.csv, byte for byte.
    @Test(.timeLimit(.minutes(1)))
    func threeShardsMergedAreTheWholeRun() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let common = [
            Self.lunch, Self.sample, "--negotiators", "boulware,tit-for-tat,frequency,conceder", "--repetitions", "2",
            "--steps", "30",
        ]
        let whole = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament"] + common + ["--out", folder.appendingPathComponent("whole").path]
        )
        #expect(whole.status == 0, "\(whole.error)")
        for shard in 1...3 {
            let run = try await ShuttleCommandTests.shuttle(
                in: ShuttleCommandTests.root,
                ["tournament"] + common + [
                    "--shard", "\(shard)/3", "--out", folder.appendingPathComponent("shard\(shard)").path,
                ]
            )
            #expect(run.status == 0, "\(run.error)")
            #expect(run.output.contains("shard \(shard) of 3: 16 negotiations"), "48 negotiations, 16 each")
        }
        let shards = [3, 1, 2].map { folder.appendingPathComponent("shard\($0)").path }
        let merged = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament", "merge"] + shards + ["--out", folder.appendingPathComponent("merged").path]
        )
        #expect(merged.status == 0, "\(merged.error)")
        for file in ["negotiations.csv", "scores.csv"] {
            let expected = try Data(contentsOf: folder.appendingPathComponent("whole/\(file)"))
            #expect(try Data(contentsOf: folder.appendingPathComponent("merged/\(file)")) == expected, "\(file)")
        }
        let missing = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament", "merge"] + shards.dropLast() + ["--out", folder.appendingPathComponent("partial").path]
        )
        #expect(missing.status == 65)
        #expect(missing.error.contains("shards missing: 2 of 3"))
        let wrong = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament"] + common + ["--shard", "0/3", "--out", folder.path]
        )
        #expect(wrong.status == 64)
        #expect(wrong.error.contains("--shard takes I/N"))
    }

    @Test(.timeLimit(.minutes(1)))
    func tournamentWritesCSVAndJSON() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let run = try await ShuttleCommandTests.shuttle(
            "tournament",
            Self.lunch,
            Self.sample,
            "--negotiators",
            "boulware,tit-for-tat,frequency",
            "--repetitions",
            "2",
            "--steps",
            "30",
            "--out",
            folder.path
        )
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("24 negotiations"))
        let negotiations = try String(contentsOf: folder.appendingPathComponent("negotiations.csv"), encoding: .utf8)
        let rows = negotiations.split(separator: "\n")
        #expect(rows.count == 1 + 2 * 6 * 2)
        #expect(rows[0].hasPrefix("scenario,first,second,repetition,seed,ending,steps,agreement"))
        let scores = try String(contentsOf: folder.appendingPathComponent("scores.csv"), encoding: .utf8)
        #expect(scores.split(separator: "\n").count == 4)
        let json = try Data(contentsOf: folder.appendingPathComponent("tournament.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let entries = try #require(object["scores"] as? [[String: Any]])
        #expect(entries.map { $0["negotiator"] as? String } == ["boulware", "tit-for-tat", "frequency"])
        #expect(entries.allSatisfy { ($0["negotiations"] as? Int) == 16 })
        #expect(object["negotiations"] as? Int == 24)
        let plot = try String(contentsOf: folder.appendingPathComponent("negotiation-1.svg"), encoding: .utf8)
        #expect(plot.contains("offers by boulware") && plot.contains("offers by tit-for-tat"))
    }

    /// A three-party scenario seats three negotiators in every assignment, scores every seat,
    /// and says when it ran a sample.
    @Test(.timeLimit(.minutes(1)))
    func tournamentSeatsEveryPartyOfAMultilateralScenario() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let scenario = folder.appendingPathComponent("three").path
        let generated = try await ShuttleCommandTests.shuttle(
            "generate",
            "--issues",
            "2",
            "--options",
            "3",
            "--parties",
            "3",
            scenario
        )
        #expect(generated.status == 0)
        let tooFew = try await ShuttleCommandTests.shuttle("tournament", scenario, "--negotiators", "boulware,linear")
        #expect(tooFew.status == 65)
        #expect(tooFew.error.contains("has 3 seats but only 2 negotiators"))
        let out = folder.appendingPathComponent("out")
        let run = try await ShuttleCommandTests.shuttle(
            "tournament",
            scenario,
            "--negotiators",
            "boulware,linear,conceder",
            "--steps",
            "30",
            "--out",
            out.path
        )
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("3 seats: all 6 assignments of negotiators to seats"))
        let rows = try String(contentsOf: out.appendingPathComponent("negotiations.csv"), encoding: .utf8).split(
            separator: "\n"
        )
        #expect(rows.count == 7)
        #expect(
            rows[0]
                == "scenario,seat_1,seat_2,seat_3,repetition,seed,ending,steps,agreement,utility_1,utility_2,utility_3,welfare,distance_to_frontier,distance_to_nash"
        )
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("negotiation-1.svg").path))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("tournament.json")))
                as? [String: Any]
        )
        #expect(
            (json["scores"] as? [[String: Any]])?.allSatisfy { ($0["negotiations"] as? Int) == 6 } == true,
            "each takes 6 of the 18 seats"
        )
        let sampled = try await ShuttleCommandTests.shuttle(
            "tournament",
            scenario,
            "--negotiators",
            "boulware,linear",
            "--self-play",
            "--assignments",
            "5",
            "--steps",
            "10"
        )
        #expect(sampled.status == 0, "\(sampled.error)")
        #expect(sampled.output.contains("3 seats: a sample of 5 of the 8 assignments"))
        let human = try await ShuttleCommandTests.shuttle("tournament", Self.lunch, "--negotiators", "boulware,human")
        #expect(human.status == 64)
    }

    /// An external agent takes a seat from the command line; one that hangs fails its seat
    /// within --agent-timeout and the tournament records why.
    @Test(.timeLimit(.minutes(1)))
    func externalAgentsTakeSeats() async throws {
        let reference = "agent:python3 python/shuttle_agents/reference.py"
        let run = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.sample,
            "--negotiators",
            "boulware,\(reference)",
            "--json"
        )
        #expect(run.status == 0, "\(run.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(object["ending"] as? String == "agreement")
        let folder = try ShuttleCommandTests.temporaryFolder()
        let hanging = "agent:python3 Tests/NegotiationAgentsTests/Agents/faulty_agent.py hang"
        let tournament = try await ShuttleCommandTests.shuttle(
            "tournament",
            Self.sample,
            "--negotiators",
            "boulware,\(hanging)",
            "--agent-timeout",
            "0.5",
            "--steps",
            "10",
            "--out",
            folder.path
        )
        #expect(tournament.status == 0, "\(tournament.error)")
        let rows = try String(contentsOf: folder.appendingPathComponent("negotiations.csv"), encoding: .utf8).split(
            separator: "\n"
        )
        #expect(rows.count == 3)
        #expect(rows.dropFirst().allSatisfy { $0.contains("\(hanging) failed: agent gave no answer to") })
        let refused = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.sample,
            "--negotiators",
            "boulware,agent:",
            "--agent-timeout",
            "0"
        )
        #expect(refused.status == 64)
        let informed = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.sample,
            "--negotiators",
            "boulware,linear",
            "--protocol",
            "shuttle",
            "--mediator",
            "nash",
            "--json"
        )
        #expect(informed.status == 0, "\(informed.error)")
        #expect(!informed.output.contains("relay"), "the informed mediator never relays an offer")
        let misplaced = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.sample,
            "--negotiators",
            "boulware,linear",
            "--mediator",
            "nash"
        )
        #expect(misplaced.status == 64)
        #expect(misplaced.error.contains("--mediator nash needs --protocol shuttle"))
        let notAClass = try await ShuttleCommandTests.shuttle(
            "negotiate",
            Self.sample,
            "--negotiators",
            "boulware,python:negmas.sao"
        )
        #expect(notAClass.status == 64)
        #expect(notAClass.error.contains("'python:negmas.sao' is not python:MODULE:CLASS"))
    }

    /// GeniusWeb files converted to GENIUS and back analyse the same, by folder and by files; a
    /// GeniusWeb folder's stray JSON is skipped with a warning; what GeniusWeb cannot hold is named.
    @Test(.timeLimit(.minutes(1)))
    func geniusWebFilesConvertAndAnalyse() async throws {
        let holidayFolder = "Tests/NegotiationFormatsTests/Fixtures/geniusweb-holiday"
        let base = try ShuttleCommandTests.temporaryFolder()
        let genius = base.appendingPathComponent("genius").path
        let web = base.appendingPathComponent("web")
        for (from, format, to) in [(holidayFolder, "genius", genius), (genius, "geniusweb", web.path)] {
            let converted = try await ShuttleCommandTests.shuttle("convert", from, "--to", format, "--output", to)
            #expect(converted.status == 0, "\(converted.error)")
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: web.path).sorted() == [
                "domain.json", "profileA.json", "profileB.json",
            ]
        )
        func frontier(_ arguments: [String]) async throws -> NSArray {
            let run = try await ShuttleCommandTests.shuttle(
                in: ShuttleCommandTests.root,
                ["analyze"] + arguments + ["--json"]
            )
            #expect(run.status == 0, "\(run.error)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
            return NSArray(array: try #require(object["pareto"] as? [Any]))
        }
        let original = try await frontier([holidayFolder])
        #expect(original.count == 14)
        #expect(try await frontier([genius]) == original)
        #expect(try await frontier([web.path]) == original)
        #expect(
            try await frontier(
                ["domain.json", "profileA.json", "profileB.json"].map { web.appendingPathComponent($0).path }
            ) == original
        )
        let lunch = try await ShuttleCommandTests.shuttle(
            "convert",
            Self.lunch,
            "--to",
            "geniusweb",
            "--output",
            base.appendingPathComponent("lunch").path
        )
        #expect(lunch.status == 0)
        #expect(lunch.error.contains("caps totals at 1"))
        let holiday = try await ShuttleCommandTests.shuttle(
            "analyze",
            "Tests/NegotiationFormatsTests/Fixtures/geniusweb-holiday",
            "--json"
        )
        #expect(holiday.status == 0, "\(holiday.error)")
        #expect(holiday.error.contains("settings.json: warning: ignored"))
        try Data("{\"LinearAdditiveUtilitySpace\": {\"issueWeights\": 3}}".utf8).write(
            to: web.appendingPathComponent("broken.json")
        )
        let broken = try await ShuttleCommandTests.shuttle("analyze", web.path)
        #expect(broken.status == 65)
        #expect(
            broken.error.contains(
                "broken.json: .LinearAdditiveUtilitySpace: the required key 'issueUtilities' is missing"
            ),
            "\(broken.error)"
        )
    }
}
