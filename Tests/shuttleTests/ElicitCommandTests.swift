import CommandTesting
import Foundation
import Testing

/// `shuttle elicit simulate`: a party's own preferences answer, τ is printed after each question,
/// and the scenario comes back with that party's preferences fitted.
struct ElicitCommandTests {
    @Test(.timeLimit(.minutes(2)))
    func simulatesOnTheShippedSampleAndWritesTheFittedScenario() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let out = folder.appendingPathComponent("fitted.json").path
        let run = try await ShuttleCommandTests.shuttle(
            "elicit",
            "simulate",
            "Samples/april-2025-talks.json",
            "--party",
            "Iran",
            "--questions",
            "5",
            "--seed",
            "3",
            "--out",
            out
        )
        #expect(run.status == 0, "\(run.error)")
        let taus = run.output.split(separator: "\n").filter { $0.hasPrefix("question ") }
        #expect(taus.count == 5 && taus.last?.hasPrefix("question 5: tau ") == true, "\(run.output)")
        let last = try #require(Double(taus.last!.split(separator: " ").last!))
        #expect((-1...1).contains(last) && last > 0.3, "five answers order many packages as Iran does: \(last)")
        #expect(run.output.contains("nash distance "))
        let analysis = try await ShuttleCommandTests.shuttle("analyze", out)
        #expect(analysis.status == 0, "\(analysis.error)")
        #expect(analysis.output.contains("Outcomes:           2,500") && analysis.output.contains("United States"))
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnknownPartyOrMethodIsRefusedByName() async throws {
        let party = try await ShuttleCommandTests.shuttle(
            "elicit",
            "simulate",
            "Samples/april-2025-talks.json",
            "--party",
            "Oman",
            "--questions",
            "3"
        )
        #expect(party.status == 64 && party.error.contains("no party 'Oman'") && party.error.contains("Iran"))
        let method = try await ShuttleCommandTests.shuttle(
            "elicit",
            "simulate",
            "Samples/april-2025-talks.json",
            "--party",
            "Iran",
            "--questions",
            "3",
            "--method",
            "guess"
        )
        #expect(method.status != 0 && method.error.contains("--method must be engine, random or ranking"))
    }
}
