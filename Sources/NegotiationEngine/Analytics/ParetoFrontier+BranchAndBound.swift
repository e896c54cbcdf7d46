extension ParetoFrontier {
    /// The exact frontier for hyper-rectangle utilities without enumerating the space.
    ///
    /// Two reductions make it fast. Options of an issue that every box of every party treats
    /// alike give identical utilities, so only the first of each such class is tried. And a
    /// partial package is dropped when some point found so far is at least as good, for every
    /// party, as the sum of the positive boxes its completions could still fall in.
    ///
    /// - Complexity: exponential in the worst case, as the problem is; in practice the bound
    ///   prunes all but a small part of the tree (ANAC 2014's 10^10-package domain: under a second).
    static func branchAndBound(_ scenario: Scenario, allowedOptions: [[Int]]) -> [UtilityPoint] {
        let functions: [HyperRectangleUtility] = scenario.parties.map {
            guard case .hyperRectangles(let function) = $0.utility else { preconditionFailure("hyper-rectangles only") }
            return function
        }
        let issueCount = allowedOptions.count
        // Boxes of all parties, flattened, with their owner.
        var boxes: [(party: Int, rectangle: HyperRectangleUtility.Rectangle)] = []
        for (party, function) in functions.enumerated() {
            for rectangle in function.rectangles { boxes.append((party, rectangle)) }
        }
        // Per issue: the representatives of its classes of equivalent options.
        let representatives: [[Int]] = (0..<issueCount).map { issue in
            var seen: Set<[Bool]> = []
            var kept: [Int] = []
            for option in allowedOptions[issue] {
                let signature = boxes.compactMap { $0.rectangle.bounds[issue].map { $0.contains(option) } }
                if seen.insert(signature).inserted { kept.append(option) }
            }
            return kept
        }
        // Decide the most constrained issues first: their choices move the bounds most.
        let order = (0..<issueCount).sorted { lhs, rhs in
            let l = boxes.count { $0.rectangle.bounds[lhs] != nil }
            let r = boxes.count { $0.rectangle.bounds[rhs] != nil }
            return l != r ? l > r : lhs < rhs
        }
        // For each issue, the boxes that constrain it.
        let boxesByIssue: [[Int]] = (0..<issueCount).map { issue in
            boxes.indices.filter { boxes[$0].rectangle.bounds[issue] != nil }
        }

        var violated = [Int](repeating: 0, count: boxes.count)
        var outcome = Outcome(allowedOptions.map { UInt32($0.first ?? 0) })
        var found: [UtilityPoint] = []
        let parties = functions.count

        func upperBounds() -> [Double] {
            var totals = [Double](repeating: 0, count: parties)
            for (index, box) in boxes.enumerated() where violated[index] == 0 && box.rectangle.utility > 0 {
                totals[box.party] += box.rectangle.utility
            }
            return (0..<parties).map { totals[$0] / functions[$0].normalizer }
        }

        func isCovered(_ bound: [Double]) -> Bool {
            found.contains { point in zip(point.utilities, bound).allSatisfy { $0 >= $1 } }
        }

        func assign(_ issue: Int, _ option: Int, undo: Bool) {
            for index in boxesByIssue[issue] where !boxes[index].rectangle.bounds[issue]!.contains(option) {
                violated[index] += undo ? -1 : 1
            }
        }

        func search(depth: Int) {
            if depth == issueCount {
                let point = UtilityPoint(outcome: outcome, utilities: scenario.utilities(of: outcome))
                if found.contains(where: { $0.weaklyDominates(point) }) { return }
                found.removeAll { point.weaklyDominates($0) }
                found.append(point)
                return
            }
            let issue = order[depth]
            var children: [(option: Int, bound: [Double])] = []
            for option in representatives[issue] {
                assign(issue, option, undo: false)
                children.append((option, upperBounds()))
                assign(issue, option, undo: true)
            }
            children.sort { $0.bound.reduce(0, +) > $1.bound.reduce(0, +) }
            for child in children where !isCovered(child.bound) {
                assign(issue, child.option, undo: false)
                outcome.optionIndices[issue] = UInt32(child.option)
                search(depth: depth + 1)
                assign(issue, child.option, undo: true)
            }
        }

        if !representatives.contains(where: \.isEmpty) { search(depth: 0) }
        return nondominated(found)
    }
}
