public import NegotiationEngine

/// Writes scenarios as GENIUS XML: one domain file and one profile per party, which GENIUS,
/// NegMAS and Shuttle all read.
///
/// Profiles are written so that reading them back with ``GeniusReading/genius`` gives the same
/// utilities: discrete values as evaluations (GENIUS divides by the largest, so write values
/// whose largest is 1 to keep them unchanged), integer evaluators shifted to the lower bound.
public enum GeniusWriter {
    /// The domain file.
    public static func domain(_ scenario: Scenario) -> String {
        var xml = "<negotiation_template>\n<utility_space number_of_issues=\"\(scenario.space.issues.count)\">\n"
        xml +=
            "<objective index=\"0\" description=\"\" name=\"\(XMLReader.escape(scenario.name))\" type=\"objective\" etype=\"objective\">\n"
        for (position, issue) in scenario.space.issues.enumerated() {
            xml += issueOpening(issue, index: position + 1)
            switch issue.values {
            case .discrete(let options):
                for (option, label) in options.enumerated() {
                    xml += "    <item index=\"\(option + 1)\" value=\"\(XMLReader.escape(label))\"/>\n"
                }
            case .real(let range), .sampled(let range, _):
                xml += "    <range lowerbound=\"\(range.lowerBound)\" upperbound=\"\(range.upperBound)\"/>\n"
            case .integer:
                break
            }
            xml += "  </issue>\n"
        }
        xml += "</objective>\n</utility_space>\n</negotiation_template>\n"
        return xml
    }

    /// The profile file of `party`.
    public static func profile(_ party: Party, in scenario: Scenario) -> String {
        let space = scenario.space
        var xml: String
        switch party.utility {
        case .linearAdditive(let utility):
            xml =
                "<utility_space>\n<objective index=\"0\" description=\"\" name=\"\(XMLReader.escape(scenario.name))\" type=\"objective\" etype=\"objective\">\n"
            for (position, issue) in space.issues.enumerated() {
                xml += issueOpening(issue, index: position + 1)
                switch (issue.values, utility.evaluators[position]) {
                case (.integer(let range), .linear(let slope, let offset, let origin, _)):
                    // GENIUS evaluates slope · (x − lowerbound) + offset.
                    let shifted = offset + slope * (Double(range.lowerBound) - origin)
                    xml += "    <evaluator ftype=\"linear\" slope=\"\(slope)\" offset=\"\(shifted)\"/>\n"
                case (.real(let range), .linear(let slope, let offset, let origin, _)),
                    (.sampled(let range, _), .linear(let slope, let offset, let origin, _)):
                    xml += "    <range lowerbound=\"\(range.lowerBound)\" upperbound=\"\(range.upperBound)\"/>\n"
                    xml +=
                        "    <evaluator ftype=\"linear\" parameter0=\"\(offset - slope * origin)\" parameter1=\"\(slope)\"/>\n"
                default:
                    for option in 0..<(issue.optionCount ?? 0) {
                        let value = utility.value(ofOption: option, issue: issue, at: position)
                        xml +=
                            "    <item index=\"\(option + 1)\" value=\"\(XMLReader.escape(issue.label(ofOption: option)))\" evaluation=\"\(value)\"/>\n"
                    }
                }
                xml += "  </issue>\n"
            }
            for (position, weight) in utility.weights.enumerated() {
                xml += "  <weight index=\"\(position + 1)\" value=\"\(weight)\"/>\n"
            }
            xml += "</objective>\n"
        case .hyperRectangles(let utility):
            xml =
                "<utility_space type=\"nonlinear\">\n<objective index=\"0\" description=\"\" name=\"root\" type=\"objective\" etype=\"objective\">\n"
            for (position, issue) in space.issues.enumerated() {
                xml += issueOpening(issue, index: position + 1) + "  </issue>\n"
            }
            xml +=
                "  <utility maxutility=\"\(utility.normalizer)\">\n    <ufun type=\"PlainUfun\" weight=\"1\" aggregation=\"sum\">\n"
            for rectangle in utility.rectangles {
                xml += "      <hyperRectangle utility=\"\(rectangle.utility)\">\n"
                for (position, range) in rectangle.bounds.sorted(by: { $0.key < $1.key }) {
                    let lower: Int
                    if case .integer(let bounds) = space.issues[position].values {
                        lower = bounds.lowerBound
                    } else {
                        lower = 0
                    }
                    xml +=
                        "        <INCLUDES index=\"\(position + 1)\" min=\"\(range.lowerBound + lower)\" max=\"\(range.upperBound + lower)\"/>\n"
                }
                xml += "      </hyperRectangle>\n"
            }
            xml += "    </ufun>\n  </utility>\n</objective>\n"
        }
        switch party.discount {
        case .normalizedTime(let factor), .perRound(let factor): xml += "<discount_factor value=\"\(factor)\"/>\n"
        case .none: break
        }
        if party.reservationValue.isFinite {
            xml += "<reservation value=\"\(party.reservationValue)\"/>\n"
        }
        xml += "</utility_space>\n"
        return xml
    }

    private static func issueOpening(_ issue: Issue, index: Int) -> String {
        let name = XMLReader.escape(issue.name)
        switch issue.values {
        case .discrete:
            return
                "  <issue index=\"\(index)\" name=\"\(name)\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\">\n"
        case .integer(let range):
            return
                "  <issue index=\"\(index)\" name=\"\(name)\" etype=\"integer\" type=\"integer\" vtype=\"integer\" lowerbound=\"\(range.lowerBound)\" upperbound=\"\(range.upperBound)\">\n"
        case .real, .sampled:
            return "  <issue index=\"\(index)\" name=\"\(name)\" etype=\"real\" type=\"real\" vtype=\"real\">\n"
        }
    }
}
