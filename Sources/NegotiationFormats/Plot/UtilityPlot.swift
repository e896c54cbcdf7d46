public import NegotiationEngine

/// Draws the two-party utility space as an SVG picture, the way NegMAS and GENIUS show it:
/// every package as a point (or, past ``pointLimit`` packages, their density on a grid), the
/// Pareto frontier, the Nash, Kalai–Smorodinsky and maximum-welfare points, and each party's
/// reservation value as a dashed line.
public enum UtilityPlot {
    /// One negotiation drawn over the space: each seat's offers in order, and the agreement.
    public struct Offers: Sendable {
        /// `paths[seat]` is the utility pair of each offer the seat made, in order.
        public var paths: [[(Double, Double)]]
        public var names: [String]
        public var agreement: (Double, Double)?

        public init(paths: [[(Double, Double)]], names: [String], agreement: (Double, Double)?) {
            self.paths = paths
            self.names = names
            self.agreement = agreement
        }
    }

    /// Spaces with at most this many packages are drawn point by point.
    public static let pointLimit = 5_000
    /// Spaces with more packages than this are drawn from a uniform sample of this many.
    public static let sampleLimit = 1_000_000

    /// The SVG document.
    ///
    /// - Precondition: the scenario has exactly two parties and a finite space.
    public static func svg(_ scenario: Scenario, analysis: ScenarioAnalysis, offers: Offers? = nil) -> String {
        precondition(scenario.parties.count == 2, "a utility plot needs two parties")
        let size = 640.0
        let margin = 70.0
        let plot = size - 2 * margin

        // Gather the package cloud: every point, or density counts on a grid.
        let total = scenario.space.count
        var points: [(Double, Double)] = []
        let bins = 80
        var density = [Int](repeating: 0, count: bins * bins)
        var lower = (Double.infinity, Double.infinity)
        var upper = (-Double.infinity, -Double.infinity)
        var cloud: [(Double, Double)] = []
        if let count = total.intValue, count <= sampleLimit {
            let all = scenario.space.optionCounts.map { Array(0..<$0) }
            OutcomeEvaluator(scenario).forEach(allowedOptions: all) { _, utilities in
                cloud.append((utilities[0], utilities[1]))
                return true
            }
        } else {
            var generator = SeededGenerator(seed: 1)
            for _ in 0..<sampleLimit {
                let utilities = scenario.utilities(of: scenario.space.randomOutcome(using: &generator))
                cloud.append((utilities[0], utilities[1]))
            }
        }
        let markers =
            analysis.frontier + [analysis.nash, analysis.kalaiSmorodinsky, analysis.maximumWelfare].compactMap { $0 }
        let offerPoints = (offers?.paths.flatMap { $0 } ?? []) + [offers?.agreement].compactMap { $0 }
        for (x, y) in cloud + markers.map({ ($0.utilities[0], $0.utilities[1]) }) + offerPoints {
            lower = (min(lower.0, x), min(lower.1, y))
            upper = (max(upper.0, x), max(upper.1, y))
        }
        // Axes start at 0 when every utility is non-negative, as people expect.
        if lower.0 >= 0 { lower.0 = 0 }
        if lower.1 >= 0 { lower.1 = 0 }
        if upper.0 <= lower.0 { upper.0 = lower.0 + 1 }
        if upper.1 <= lower.1 { upper.1 = lower.1 + 1 }
        let spanX = upper.0 - lower.0
        let spanY = upper.1 - lower.1
        func px(_ x: Double) -> Double { margin + (x - lower.0) / spanX * plot }
        func py(_ y: Double) -> Double { size - margin - (y - lower.1) / spanY * plot }
        func number(_ value: Double) -> String { String((value * 100).rounded() / 100) }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(size))" height="\(Int(size))" viewBox="0 0 \(Int(size)) \(Int(size))" font-family="sans-serif" font-size="12">
            <title>\(XMLReader.escape(scenario.name)): utility space</title>
            <rect width="100%" height="100%" fill="white"/>

            """
        if cloud.count <= pointLimit {
            points = cloud
            svg += "<g fill=\"#9aa5b1\" fill-opacity=\"0.7\">\n"
            for (x, y) in points {
                svg += "<circle cx=\"\(number(px(x)))\" cy=\"\(number(py(y)))\" r=\"2\"/>\n"
            }
            svg += "</g>\n"
        } else {
            for (x, y) in cloud {
                let column = min(bins - 1, Int((x - lower.0) / spanX * Double(bins)))
                let row = min(bins - 1, Int((y - lower.1) / spanY * Double(bins)))
                density[row * bins + column] += 1
            }
            let peak = log(Double(density.max() ?? 1) + 1)
            let cell = plot / Double(bins)
            svg += "<g fill=\"#52606d\" shape-rendering=\"crispEdges\">\n"
            for row in 0..<bins {
                for column in 0..<bins where density[row * bins + column] > 0 {
                    let opacity = 0.15 + 0.85 * log(Double(density[row * bins + column]) + 1) / peak
                    svg +=
                        "<rect x=\"\(number(margin + Double(column) * cell))\" y=\"\(number(size - margin - Double(row + 1) * cell))\" width=\"\(number(cell))\" height=\"\(number(cell))\" fill-opacity=\"\(number(opacity))\"/>\n"
                }
            }
            let note = total.intValue.map { $0 <= sampleLimit } == true ? "all" : "a sample of \(sampleLimit)"
            svg +=
                "</g>\n<text x=\"\(Int(size - margin))\" y=\"\(Int(margin - 10))\" text-anchor=\"end\" fill=\"#52606d\">density of \(note) outcomes</text>\n"
        }
        // Axes with ticks.
        svg += "<g stroke=\"#1f2933\" stroke-width=\"1\">\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(size - margin)\" x2=\"\(size - margin)\" y2=\"\(size - margin)\"/>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(margin)\" x2=\"\(margin)\" y2=\"\(size - margin)\"/>\n</g>\n"
        for step in 0...5 {
            let x = lower.0 + spanX * Double(step) / 5
            let y = lower.1 + spanY * Double(step) / 5
            svg +=
                "<text x=\"\(number(px(x)))\" y=\"\(Int(size - margin + 18))\" text-anchor=\"middle\">\(number(x))</text>\n"
            svg += "<text x=\"\(Int(margin - 8))\" y=\"\(number(py(y) + 4))\" text-anchor=\"end\">\(number(y))</text>\n"
        }
        let first = XMLReader.escape(scenario.parties[0].name)
        let second = XMLReader.escape(scenario.parties[1].name)
        svg +=
            "<text x=\"\(Int(size / 2))\" y=\"\(Int(size - 25))\" text-anchor=\"middle\" font-size=\"14\">utility of \(first)</text>\n"
        svg +=
            "<text transform=\"translate(22 \(Int(size / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\">utility of \(second)</text>\n"
        // Reservation lines.
        let reservations = analysis.reservationValues
        if reservations[0].isFinite, reservations[0] >= lower.0, reservations[0] <= upper.0 {
            svg +=
                "<line x1=\"\(number(px(reservations[0])))\" y1=\"\(margin)\" x2=\"\(number(px(reservations[0])))\" y2=\"\(size - margin)\" stroke=\"#c2410c\" stroke-dasharray=\"6 4\"/>\n"
        }
        if reservations[1].isFinite, reservations[1] >= lower.1, reservations[1] <= upper.1 {
            svg +=
                "<line x1=\"\(margin)\" y1=\"\(number(py(reservations[1])))\" x2=\"\(size - margin)\" y2=\"\(number(py(reservations[1])))\" stroke=\"#c2410c\" stroke-dasharray=\"6 4\"/>\n"
        }
        // The frontier as a staircase of points joined in order.
        if !analysis.frontier.isEmpty {
            let path = analysis.frontier.map { "\(number(px($0.utilities[0]))),\(number(py($0.utilities[1])))" }.joined(
                separator: " "
            )
            svg +=
                "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"1.5\"/>\n<g fill=\"#2563eb\">\n"
            for point in analysis.frontier {
                svg +=
                    "<circle cx=\"\(number(px(point.utilities[0])))\" cy=\"\(number(py(point.utilities[1])))\" r=\"3\"/>\n"
            }
            svg += "</g>\n"
        }
        let solutions: [(String, UtilityPoint?, String, String)] = [
            ("Nash", analysis.nash, "#dc2626", "M -6 -6 L 6 6 M -6 6 L 6 -6"),
            ("Kalai–Smorodinsky", analysis.kalaiSmorodinsky, "#16a34a", "M -7 0 L 0 -7 L 7 0 L 0 7 Z"),
            ("Maximum welfare", analysis.maximumWelfare, "#9333ea", "M -6 -6 H 6 V 6 H -6 Z"),
        ]
        var legendY = margin + 4
        var legend: [(String, String)] =
            [("Pareto frontier", "#2563eb"), ("reservation values", "#c2410c")]
            + solutions.map { ($0.1 == nil ? "\($0.0): none" : $0.0, $0.2) }
        if let offers {
            let colors = ["#ea580c", "#0d9488", "#a21caf", "#4d7c0f"]
            for (seat, path) in offers.paths.enumerated() where !path.isEmpty {
                let color = colors[seat % colors.count]
                let name = seat < offers.names.count ? offers.names[seat] : "seat \(seat)"
                let line = path.map { "\(number(px($0.0))),\(number(py($0.1)))" }.joined(separator: " ")
                svg +=
                    "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\" stroke-opacity=\"0.8\"/>\n<g fill=\"\(color)\">\n"
                for (x, y) in path {
                    svg += "<circle cx=\"\(number(px(x)))\" cy=\"\(number(py(y)))\" r=\"2.5\"/>\n"
                }
                svg += "</g>\n"
                legend.append(("offers by \(name)", color))
            }
            if let (x, y) = offers.agreement {
                svg +=
                    "<circle cx=\"\(number(px(x)))\" cy=\"\(number(py(y)))\" r=\"8\" fill=\"none\" stroke=\"#111827\" stroke-width=\"2.5\"><title>agreement</title></circle>\n"
                legend.append(("agreement", "#111827"))
            } else {
                legend.append(("no agreement", "#111827"))
            }
        }
        for (title, point, color, shape) in solutions {
            guard let point else { continue }
            svg +=
                "<path transform=\"translate(\(number(px(point.utilities[0]))) \(number(py(point.utilities[1]))))\" d=\"\(shape)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"><title>\(title)</title></path>\n"
        }
        for (title, color) in legend {
            svg +=
                "<rect x=\"\(Int(size - margin - 150))\" y=\"\(Int(legendY - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(Int(size - margin - 135))\" y=\"\(Int(legendY))\">\(XMLReader.escape(title))</text>\n"
            legendY += 16
        }
        svg += "</svg>\n"
        return svg
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
