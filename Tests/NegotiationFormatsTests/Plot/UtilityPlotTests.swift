import Foundation
import NegotiationEngine
import Testing

@testable import NegotiationFormats

struct UtilityPlotTests {
    @Test(arguments: [(3, 4), (7, 6)])
    func drawsPointsOrDensityWithFrontierSolutionsAndAxes(issues: Int, options: Int) throws {
        let scenario = ScenarioGenerator.linearAdditive(
            issues: issues,
            options: options,
            parties: 2,
            seed: 11,
            reservationValue: 0.35
        )
        let analysis = ScenarioAnalysis(scenario)
        let svg = UtilityPlot.svg(scenario, analysis: analysis)
        let root = try XMLReader.parse(Array(svg.utf8), file: "plot.svg")
        #expect(root.name == "svg")
        let texts = svg
        #expect(texts.contains("utility of party1") && texts.contains("utility of party2"))
        #expect(texts.contains("<polyline"))
        #expect(texts.contains("<title>Nash</title>"))
        #expect(texts.contains("stroke-dasharray"), "reservation lines")
        let outcomes = scenario.space.count.intValue!
        if outcomes <= UtilityPlot.pointLimit {
            // One grey point per package, plus the frontier's points.
            #expect(svg.components(separatedBy: "r=\"2\"").count - 1 == outcomes)
        } else {
            #expect(svg.contains("density of all outcomes"))
        }
    }
}
