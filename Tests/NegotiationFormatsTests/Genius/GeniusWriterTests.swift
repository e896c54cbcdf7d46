import NegotiationEngine
import Testing

@testable import NegotiationFormats

struct GeniusWriterTests {
    /// Written files read back to the same utilities for every package.
    @Test(arguments: 0..<40)
    func writtenScenariosReadBackTheSame(seed: Int) throws {
        // An integer issue with a lower bound that is not 0, evaluated GENIUS's way.
        var scenario = Scenario.randomWithYears(seed: seed, clampedToUnit: true)
        for index in scenario.parties.indices {
            guard case .linearAdditive(var utility) = scenario.parties[index].utility else { continue }
            utility.maximumTotal = 1
            scenario.parties[index].utility = .linearAdditive(utility)
            scenario.parties[index].reservationValue = 0.1 * Double(index)
            scenario.parties[index].discount = index == 1 ? .normalizedTime(0.9) : nil
        }
        let read = try GeniusReader.scenario(
            domain: ("domain.xml", Array(GeniusWriter.domain(scenario).utf8)),
            profiles: scenario.parties.map { ("\($0.name).xml", Array(GeniusWriter.profile($0, in: scenario).utf8)) }
        )
        #expect(read.scenario.space == scenario.space)
        #expect(read.scenario.parties.map(\.name) == scenario.parties.map(\.name))
        #expect(read.scenario.parties.map(\.reservationValue) == scenario.parties.map(\.reservationValue))
        #expect(read.scenario.parties.map(\.discount) == scenario.parties.map(\.discount))
        for (ours, theirs) in zip(scenario.allUtilities(), read.scenario.allUtilities()) {
            for (a, b) in zip(ours, theirs) { #expect(abs(a - b) < 1e-12) }
        }
    }

    @Test func hyperRectanglesRoundTrip() throws {
        let space = OutcomeSpace(issues: [Issue(name: "a", integers: 2...6), Issue(name: "b", integers: 0...3)])
        let party = Party(
            name: "boxes",
            utility: .hyperRectangles(
                HyperRectangleUtility(
                    rectangles: [
                        .init(bounds: [0: 1...3], utility: 7), .init(bounds: [0: 0...0, 1: 2...3], utility: 3),
                    ],
                    normalizer: 10
                )
            )
        )
        let scenario = Scenario(name: "boxes", space: space, parties: [party])
        let read = try GeniusReader.scenario(
            domain: ("d.xml", Array(GeniusWriter.domain(scenario).utf8)),
            profiles: [("boxes.xml", Array(GeniusWriter.profile(party, in: scenario).utf8))]
        ).scenario
        #expect(read.parties[0].utility == party.utility)
    }

    @Test func namesWithMarkupAreEscaped() throws {
        let space = OutcomeSpace(issues: [Issue(name: "R&D <share>", options: ["\"a\"", "b & c"])])
        let party = Party(
            name: "p",
            utility: .linearAdditive(
                LinearAdditiveUtility(weights: [1], evaluators: [.table([1, 0.5])], maximumTotal: 1)
            )
        )
        let scenario = Scenario(name: "x", space: space, parties: [party])
        let read = try GeniusReader.scenario(
            domain: ("d.xml", Array(GeniusWriter.domain(scenario).utf8)),
            profiles: [("p.xml", Array(GeniusWriter.profile(party, in: scenario).utf8))]
        ).scenario
        #expect(read.space == space)
        #expect(read.parties[0].utility == party.utility)
    }
}
