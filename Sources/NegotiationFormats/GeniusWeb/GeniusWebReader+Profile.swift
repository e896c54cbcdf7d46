import NegotiationEngine

extension GeniusWebReader {
    /// The party a `LinearAdditiveUtilitySpace` profile describes, named after its file.
    static func party(
        _ root: JSONNode,
        domain: Domain,
        reading: GeniusReading,
        warnings: inout [FormatWarning]
    ) throws(FormatError) -> Party {
        let body = try profileBody(root)
        if let own = body.member("domain"), own.file != domain.node.file || own.path != domain.node.path {
            try check(try Domain(own), matches: domain)
        }
        let issues = domain.space.issues
        func position(of name: String, at node: JSONNode) throws(FormatError) -> Int {
            guard let position = issues.firstIndex(where: { $0.name == name }) else {
                throw node.failure("the domain has no issue '\(name)'")
            }
            return position
        }
        var evaluators = [LinearAdditiveUtility.Evaluator?](repeating: nil, count: issues.count)
        let utilities = try body.required("issueUtilities")
        for (name, node) in try utilities.members() {
            let at = try position(of: name, at: node)
            evaluators[at] = try evaluator(node, issue: at, domain: domain, warnings: &warnings)
        }
        var weights = [Double?](repeating: nil, count: issues.count)
        let weightsNode = try body.required("issueWeights")
        for (name, node) in try weightsNode.members() {
            let weight = try node.number()
            guard weight >= 0 else { throw node.failure("the weight \(weight) of issue '\(name)' is negative") }
            weights[try position(of: name, at: node)] = weight
        }
        if let missing = evaluators.firstIndex(where: { $0 == nil }) {
            throw utilities.failure("the profile gives no utilities for the domain's issue '\(issues[missing].name)'")
        }
        if let missing = weights.firstIndex(where: { $0 == nil }) {
            throw weightsNode.failure("the profile gives no weight for the domain's issue '\(issues[missing].name)'")
        }
        let total = weights.reduce(0) { $0 + $1! }
        if abs(total - 1) > GeniusReader.weightTolerance {
            warnings.append(
                FormatWarning(
                    file: root.file,
                    message: "the weights add up to \(total), not 1; they are used as written"
                )
            )
        }
        let utility = LinearAdditiveUtility(
            weights: weights.map { $0! },
            evaluators: evaluators.map { $0! },
            arithmetic: reading == .genius ? .decimal : .binary
        )
        var party = Party(
            name: GeniusReader.baseName(root.file),
            utility: .linearAdditive(utility),
            reservationValue: 0
        )
        if let bid = body.member("reservationBid") {
            party.reservationValue = try reservationValue(bid, utility: utility, domain: domain)
        }
        return party
    }

    /// A profile's copy of the domain must be the domain it is read with.
    static func check(_ own: Domain, matches domain: Domain) throws(FormatError) {
        let mine = Dictionary(uniqueKeysWithValues: own.space.issues.map { ($0.name, $0.values) })
        for issue in domain.space.issues {
            guard let values = mine[issue.name] else {
                throw own.node.failure(
                    "this profile's domain has no issue '\(issue.name)', which the domain \(domain.node.file) declares"
                )
            }
            guard values == issue.values else {
                throw own.node.failure(
                    "this profile's domain gives issue '\(issue.name)' other values than the domain \(domain.node.file)"
                )
            }
        }
        let domainIssues = Set(domain.space.issues.map(\.name))
        if let extra = own.space.issues.first(where: { !domainIssues.contains($0.name) }) {
            throw own.node.failure(
                "this profile's domain has an issue '\(extra.name)' the domain \(domain.node.file) lacks"
            )
        }
    }

    /// The value set utilities of issue `position`: discrete (a utility per value) or number
    /// (linear between two values, 0 outside them).
    static func evaluator(
        _ node: JSONNode,
        issue position: Int,
        domain: Domain,
        warnings: inout [FormatWarning]
    ) throws(FormatError) -> LinearAdditiveUtility.Evaluator {
        let issue = domain.space.issues[position]
        if let discrete = node.member(anyOf: ["DiscreteValueSetUtilities", "discreteutils"]) {
            guard case .discrete(let labels) = issue.values, domain.numbers[position] == nil else {
                throw discrete.failure("issue '\(issue.name)' is a number range; it needs NumberValueSetUtilities")
            }
            var table = [Double?](repeating: nil, count: labels.count)
            for (label, value) in try discrete.required("valueUtilities").members() {
                guard let option = labels.firstIndex(of: label) else {
                    throw value.failure("issue '\(issue.name)' has no value '\(label)'")
                }
                table[option] = try unitUtility(value)
            }
            for (option, value) in table.enumerated() where value == nil {
                warnings.append(
                    FormatWarning(
                        file: node.file,
                        message:
                            "value '\(labels[option])' of issue '\(issue.name)' has no utility; it counts 0, as in GeniusWeb"
                    )
                )
            }
            return .table(table.map { $0 ?? 0 })
        }
        guard let number = node.member(anyOf: ["NumberValueSetUtilities", "numberutils"]) else {
            throw node.failure("expected {\"DiscreteValueSetUtilities\": …} or {\"NumberValueSetUtilities\": …}")
        }
        guard let listed = domain.numbers[position] else {
            throw number.failure("issue '\(issue.name)' is a list of values; it needs DiscreteValueSetUtilities")
        }
        let low = try number.required("lowValue").number()
        let high = try number.required("highValue").number()
        let lowUtility = try unitUtility(try number.required("lowUtility"))
        let highUtility = try unitUtility(try number.required("highUtility"))
        guard low < high else { throw number.failure("highValue must be above lowValue") }
        // lowU + ΔU · (x − lowV) / ΔV, in that order, as GeniusWeb computes it.
        func value(_ x: Double) -> Double {
            x < low || x > high ? 0 : lowUtility + (highUtility - lowUtility) * (x - low) / (high - low)
        }
        if case .integer(let range) = issue.values {
            if Double(range.lowerBound) >= low, Double(range.upperBound) <= high {
                return .linear(
                    slope: (highUtility - lowUtility) / (high - low),
                    offset: lowUtility,
                    origin: low,
                    clampedToUnit: false
                )
            }
            guard range.count <= Domain.maximumListedRange else {
                throw number.failure(
                    "issue '\(issue.name)' runs beyond lowValue…highValue over more than \(Domain.maximumListedRange) values"
                )
            }
            return .table(range.map { value(Double($0)) })
        }
        return .table(listed.map(value))
    }

    /// A utility GeniusWeb accepts: a number in [0, 1].
    static func unitUtility(_ node: JSONNode) throws(FormatError) -> Double {
        let value = try node.number()
        guard (0...1).contains(value) else { throw node.failure("the utility \(value) is outside [0, 1]") }
        return value
    }

    /// The utility of the reservation bid `{"issuevalues": {…}}`: the issues it leaves out count 0.
    static func reservationValue(
        _ bid: JSONNode,
        utility: LinearAdditiveUtility,
        domain: Domain
    ) throws(FormatError) -> Double {
        let values = try bid.member(anyOf: ["issuevalues", "issueValues"]).map { node throws(FormatError) in
            try node.members()
        }
        guard let values else { throw bid.failure("a bid is {\"issuevalues\": {issue: value, …}}") }
        var options = [Int?](repeating: nil, count: domain.space.issues.count)
        for (name, node) in values {
            guard let position = domain.space.issues.firstIndex(where: { $0.name == name }) else {
                throw node.failure("the domain has no issue '\(name)'")
            }
            options[position] = try domain.option(node, issue: position)
        }
        if options.allSatisfy({ $0 != nil }) {
            // A whole package gets the utility every other path gives it, to the bit.
            return UtilityFunction.linearAdditive(utility).utility(of: Outcome(options.map { $0! }), in: domain.space)
        }
        var total = 0.0
        for (position, option) in options.enumerated() {
            guard let option else { continue }
            total +=
                utility.weights[position]
                * utility.value(ofOption: option, issue: domain.space.issues[position], at: position)
        }
        return total
    }
}
