import NegotiationEngine

extension GeniusReader {
    /// Weights may sum to 1 up to this much rounding before a warning is given.
    static let weightTolerance = 1e-6

    static func party(
        _ root: XMLElement,
        file: String,
        space: OutcomeSpace,
        domainIndices: [Int?],
        reading: GeniusReading,
        warnings: inout [FormatWarning]
    ) throws(FormatError) -> Party {
        guard root.name.lowercased() == "utility_space" else {
            throw FormatError(
                file: file,
                line: root.line,
                element: "<\(root.name)>",
                message: "not a GENIUS profile: the root element must be <utility_space>"
            )
        }
        guard let objective = root.firstDescendant(named: "objective") else {
            throw FormatError(
                file: file,
                line: root.line,
                element: "<utility_space>",
                message: "no <objective> element holds the issues"
            )
        }
        // Match the profile's issues to the domain's: by name, or by the domain's own index when
        // the profile names none.
        var positionByIndex: [Int: Int] = [:]
        var elementByPosition: [Int: XMLElement] = [:]
        for element in issueElements(objective) {
            let name = element[attribute: "name"]
            let index = element[attribute: "index"].flatMap { Int($0.trimmingWhitespace()) }
            let position: Int
            if let name, let found = space.issues.firstIndex(where: { $0.name == name }) {
                position = found
            } else if name == nil, let index, let found = domainIndices.firstIndex(of: index) {
                position = found
            } else {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "the domain has no issue '\(name ?? "index \(index.map(String.init) ?? "?")")'"
                )
            }
            if elementByPosition[position] != nil {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "the issue '\(space.issues[position].name)' is evaluated twice"
                )
            }
            elementByPosition[position] = element
            if let index { positionByIndex[index] = position }
        }
        let discount = try discountFactor(root, file: file)
        let name = baseName(file)
        var reservation =
            try root.firstDescendant(named: "reservation").map { element throws(FormatError) in
                try number(element[attribute: "value"] ?? "", file: file, element: element, what: "reservation value")
            } ?? 0
        let partyDiscount: Party.Discount? = discount.map { reading == .genius ? .normalizedTime($0) : .perRound($0) }
        if reading == .negmas, discount != nil { reservation = -.infinity }

        if (root[attribute: "type"] ?? "").lowercased() == "nonlinear"
            || objective.firstDescendant(named: "hyperRectangle") != nil
        {
            let utility = try hyperRectangles(objective, file: file, space: space, positionByIndex: positionByIndex)
            return Party(
                name: name,
                utility: .hyperRectangles(utility),
                reservationValue: reservation,
                discount: partyDiscount
            )
        }

        var weights = [Double](repeating: 0, count: space.issues.count)
        var weighted = Set<Int>()
        for element in objective.children(named: "weight") {
            guard let indexText = element[attribute: "index"], let index = Int(indexText.trimmingWhitespace()) else {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "the weight has no integer index"
                )
            }
            guard let position = positionByIndex[index] else {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "no issue of this profile has index \(index)"
                )
            }
            let weight = try number(element[attribute: "value"] ?? "", file: file, element: element, what: "weight")
            guard weight >= 0 else {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "the weight \(weight) of issue '\(space.issues[position].name)' is negative"
                )
            }
            weights[position] = weight
            weighted.insert(position)
        }
        var evaluators: [LinearAdditiveUtility.Evaluator] = []
        for (position, issue) in space.issues.enumerated() {
            guard let element = elementByPosition[position] else {
                throw FormatError(
                    file: file,
                    line: objective.line,
                    element: objective.tag,
                    message: "the profile does not evaluate the domain's issue '\(issue.name)'"
                )
            }
            evaluators.append(try evaluator(element, issue: issue, file: file, reading: reading))
            guard weighted.contains(position) else {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "the issue '\(issue.name)' has no <weight>"
                )
            }
        }
        let total = weights.reduce(0, +)
        if abs(total - 1) > weightTolerance {
            warnings.append(
                FormatWarning(file: file, message: "the weights add up to \(total), not 1; they are used as written")
            )
        }
        // NegMAS adds `Double`s and caps nothing; its answers are reproduced noise and all.
        let utility = LinearAdditiveUtility(
            weights: weights,
            evaluators: evaluators,
            maximumTotal: reading == .genius ? 1 : nil,
            arithmetic: reading == .genius ? .decimal : .binary
        )
        return Party(
            name: name,
            utility: .linearAdditive(utility),
            reservationValue: reservation,
            discount: partyDiscount
        )
    }

    /// The discount factor, or `nil` when there is none (absent, 0 or 1 mean none in both tools).
    static func discountFactor(_ root: XMLElement, file: String) throws(FormatError) -> Double? {
        guard let element = root.firstDescendant(named: "discount_factor") else { return nil }
        let value = try number(element[attribute: "value"] ?? "", file: file, element: element, what: "discount factor")
        guard value >= 0, value <= 1 else {
            throw FormatError(
                file: file,
                line: element.line,
                element: element.tag,
                message: "the discount factor \(value) is outside [0, 1]"
            )
        }
        return value == 0 || value == 1 ? nil : value
    }

    static func evaluator(
        _ element: XMLElement,
        issue: Issue,
        file: String,
        reading: GeniusReading
    ) throws(FormatError) -> LinearAdditiveUtility.Evaluator {
        switch issue.values {
        case .discrete(let options):
            var values = [Double?](repeating: nil, count: options.count)
            for item in element.children(named: "item") {
                let label = item[attribute: "value"] ?? ""
                guard let option = options.firstIndex(of: label) else {
                    throw FormatError(
                        file: file,
                        line: item.line,
                        element: item.tag,
                        message: "the domain's issue '\(issue.name)' has no option '\(label)'"
                    )
                }
                guard let text = item[attribute: "evaluation"] else {
                    throw FormatError(
                        file: file,
                        line: item.line,
                        element: item.tag,
                        message: "option '\(label)' of issue '\(issue.name)' has no evaluation"
                    )
                }
                let value = try number(text, file: file, element: item, what: "evaluation")
                guard value >= 0 else {
                    throw FormatError(
                        file: file,
                        line: item.line,
                        element: item.tag,
                        message: "the evaluation \(text) of option '\(label)' is negative"
                    )
                }
                values[option] = value
            }
            if let missing = values.firstIndex(where: { $0 == nil }) {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "the profile gives no evaluation for option '\(options[missing])' of issue '\(issue.name)'"
                )
            }
            var table = values.map { $0! }
            if reading == .genius, let largest = table.max(), largest > 0 {
                table = table.map { $0 / largest }
            }
            return .table(table)
        case .integer(let range):
            let (slope, offset) = try linearParameters(
                element,
                issue: issue,
                file: file,
                slope: "slope",
                offset: "offset"
            )
            return .linear(
                slope: slope,
                offset: offset,
                origin: reading == .genius ? Double(range.lowerBound) : 0,
                clampedToUnit: reading == .genius
            )
        case .real, .sampled:
            let (slope, offset) = try linearParameters(
                element,
                issue: issue,
                file: file,
                slope: "parameter1",
                offset: "parameter0"
            )
            return .linear(slope: slope, offset: offset, origin: 0, clampedToUnit: reading == .genius)
        }
    }

    private static func linearParameters(
        _ element: XMLElement,
        issue: Issue,
        file: String,
        slope: String,
        offset: String
    ) throws(FormatError) -> (Double, Double) {
        guard let evaluator = element.children(named: "evaluator").first else {
            throw FormatError(
                file: file,
                line: element.line,
                element: element.tag,
                message: "the numeric issue '\(issue.name)' has no <evaluator>"
            )
        }
        let kind = (evaluator[attribute: "ftype"] ?? "linear").lowercased()
        guard kind == "linear" else {
            throw FormatError(
                file: file,
                line: evaluator.line,
                element: evaluator.tag,
                message: "evaluator type '\(kind)' is not supported (only linear)"
            )
        }
        let slopeValue = try number(evaluator[attribute: slope] ?? "", file: file, element: evaluator, what: slope)
        let offsetValue = try number(evaluator[attribute: offset] ?? "0", file: file, element: evaluator, what: offset)
        return (slopeValue, offsetValue)
    }

    static func hyperRectangles(
        _ objective: XMLElement,
        file: String,
        space: OutcomeSpace,
        positionByIndex: [Int: Int]
    ) throws(FormatError) -> HyperRectangleUtility {
        guard let utility = objective.firstDescendant(named: "utility") else {
            throw FormatError(
                file: file,
                line: objective.line,
                element: objective.tag,
                message: "a nonlinear profile needs a <utility> element"
            )
        }
        var rectangles: [HyperRectangleUtility.Rectangle] = []
        for ufun in utility.children(named: "ufun") {
            let aggregation = (ufun[attribute: "aggregation"] ?? "sum").lowercased()
            guard aggregation == "sum" else {
                throw FormatError(
                    file: file,
                    line: ufun.line,
                    element: ufun.tag,
                    message: "aggregation '\(aggregation)' is not supported (only sum)"
                )
            }
            let weight = try number(ufun[attribute: "weight"] ?? "1", file: file, element: ufun, what: "weight")
            for box in ufun.children {
                guard box.name.lowercased() == "hyperrectangle" else {
                    throw FormatError(
                        file: file,
                        line: box.line,
                        element: box.tag,
                        message: "only <hyperRectangle> boxes are supported"
                    )
                }
                let value = try number(box[attribute: "utility"] ?? "", file: file, element: box, what: "utility")
                var bounds: [Int: ClosedRange<Int>] = [:]
                for include in box.children {
                    guard include.name.lowercased() == "includes" else {
                        throw FormatError(
                            file: file,
                            line: include.line,
                            element: include.tag,
                            message: "only INCLUDES constraints are supported"
                        )
                    }
                    guard let indexText = include[attribute: "index"], let index = Int(indexText),
                        let position = positionByIndex[index]
                    else {
                        throw FormatError(
                            file: file,
                            line: include.line,
                            element: include.tag,
                            message: "no issue of this profile has index \(include[attribute: "index"] ?? "?")"
                        )
                    }
                    guard case .integer(let range) = space.issues[position].values else {
                        throw FormatError(
                            file: file,
                            line: include.line,
                            element: include.tag,
                            message: "boxes need integer issues; '\(space.issues[position].name)' is not one"
                        )
                    }
                    let low = try number(include[attribute: "min"] ?? "", file: file, element: include, what: "min")
                    let high = try number(include[attribute: "max"] ?? "", file: file, element: include, what: "max")
                    guard let lower = Int(exactly: low), let upper = Int(exactly: high), lower <= upper,
                        range.contains(lower), range.contains(upper)
                    else {
                        throw FormatError(
                            file: file,
                            line: include.line,
                            element: include.tag,
                            message:
                                "the range \(low)…\(high) is not within issue '\(space.issues[position].name)' (\(range.lowerBound)…\(range.upperBound))"
                        )
                    }
                    bounds[position] = (lower - range.lowerBound)...(upper - range.lowerBound)
                }
                rectangles.append(HyperRectangleUtility.Rectangle(bounds: bounds, utility: value * weight))
            }
        }
        let normalizer = try number(
            utility[attribute: "maxutility"] ?? "1",
            file: file,
            element: utility,
            what: "maxutility"
        )
        guard normalizer > 0 else {
            throw FormatError(
                file: file,
                line: utility.line,
                element: utility.tag,
                message: "maxutility must be positive"
            )
        }
        return HyperRectangleUtility(rectangles: rectangles, normalizer: normalizer)
    }
}
