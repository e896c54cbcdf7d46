import NegotiationEngine

/// Reads GeniusWeb JSON: the domain and profile files of ANAC's Automated Negotiation League
/// since 2020.
///
/// A domain is `{"name", "issuesValues": {issue: {"values": […]} | {"range": …}}}`; a profile is
/// `{"LinearAdditiveUtilitySpace": {"domain", "name", "issueUtilities", "issueWeights",
/// "reservationBid"}}`. The variants GeniusWeb itself has written are accepted: the older
/// `discreteutils`/`numberutils` keys, and a range as `{"low", "high", "step"}` or as
/// `[low, high, step]`. Files are told apart by content, not name.
///
/// Issues keep the domain file's order. A number range of integers in steps of 1 becomes an
/// integer issue; any other range becomes a discrete issue whose options are its values written
/// as exact decimals (`12.2`, `12.5`). A profile's utility is Σ weight · value with nothing
/// rescaled or capped, as GeniusWeb computes it (it rounds number utilities to 8 decimals; we do
/// not). The reservation bid's utility becomes the reservation value. Files GeniusWeb refuses
/// (a value the domain lacks, a utility outside [0, 1], number utilities that do not span the
/// range) are refused with a ``FormatError`` naming the file, the JSON path and the problem.
/// ``GeniusReading/negmas`` changes one thing here: totals are summed in binary floating point,
/// as NegMAS sums them, rather than exactly (see ``LinearAdditiveUtility/Arithmetic``).
public enum GeniusWebReader {
    /// The profile types GeniusWeb defines; only the first is a utility Shuttle can hold.
    static let profileKinds = [
        "LinearAdditiveUtilitySpace", "SumOfGroupsUtilitySpace", "DefaultPartialOrdering", "DefaultProfile",
    ]

    /// What a JSON file is, judged by its content.
    enum Content {
        case domain(JSONNode)
        case profile(JSONNode)
        case other
    }

    static func content(of tree: JSONTree, file: String) -> Content {
        let root = JSONNode(tree, file: file)
        if case .object(let members) = tree, members.count == 1, profileKinds.contains(members[0].key) {
            return .profile(root)
        }
        if tree["issuesValues"] != nil { return .domain(root) }
        return .other
    }

    /// Whether `bytes` is a GeniusWeb domain or profile (and not, say, a Shuttle scenario).
    public static func recognizes(_ bytes: [UInt8]) -> Bool {
        guard let tree = try? JSONTree.parse(bytes, file: "") else { return false }
        if case .other = content(of: tree, file: "") { return false }
        return true
    }

    /// Reads a set of JSON files in any order: the one holding `issuesValues` is the domain, each
    /// `{"LinearAdditiveUtilitySpace": …}` a profile, in the order given. Without a domain file,
    /// the first profile's own copy of the domain is used.
    ///
    /// - Parameter ignoringOthers: skip files that are neither, with a warning (reading a
    ///   folder), rather than refuse them (files the user named).
    public static func scenario(
        files: [(name: String, bytes: [UInt8])],
        reading: GeniusReading = .genius,
        ignoringOthers: Bool = false
    ) throws(FormatError) -> LoadedScenario {
        var domainFile: JSONNode?
        var profiles: [JSONNode] = []
        var warnings: [FormatWarning] = []
        for file in files {
            switch content(of: try JSONTree.parse(file.bytes, file: file.name), file: file.name) {
            case .domain(let node):
                if let domainFile {
                    throw FormatError(
                        file: file.name,
                        message:
                            "a second GeniusWeb domain (the first is \(domainFile.file)); give one domain and its profiles"
                    )
                }
                domainFile = node
            case .profile(let node):
                profiles.append(node)
            case .other where ignoringOthers:
                warnings.append(
                    FormatWarning(
                        file: file.name,
                        message:
                            "ignored: neither a GeniusWeb domain (issuesValues) nor a profile (LinearAdditiveUtilitySpace)"
                    )
                )
            case .other:
                throw FormatError(
                    file: file.name,
                    element: "the top level",
                    message:
                        "not a GeniusWeb file: a domain has 'issuesValues', a profile is {\"LinearAdditiveUtilitySpace\": …}"
                )
            }
        }
        guard let first = profiles.first else {
            throw FormatError(
                file: domainFile?.file ?? files.first?.name ?? "(none)",
                message: "no GeniusWeb profile comes with the domain"
            )
        }
        let domain: Domain
        if let domainFile {
            domain = try Domain(domainFile)
        } else {
            domain = try Domain(try profileBody(first).required("domain"))
        }
        var parties: [Party] = []
        for profile in profiles {
            parties.append(try party(profile, domain: domain, reading: reading, warnings: &warnings))
        }
        return LoadedScenario(
            scenario: Scenario(name: domain.name, space: domain.space, parties: parties),
            warnings: warnings
        )
    }

    /// The body of `{"LinearAdditiveUtilitySpace": {…}}`.
    static func profileBody(_ root: JSONNode) throws(FormatError) -> JSONNode {
        let (kind, body) = try root.members()[0]
        guard kind == "LinearAdditiveUtilitySpace" else {
            throw root.failure("a \(kind) profile is not supported: Shuttle reads LinearAdditiveUtilitySpace profiles")
        }
        return body
    }
}

extension GeniusWebReader {
    /// A domain: its name, its issues, and for number issues their values.
    struct Domain {
        var name: String
        var space: OutcomeSpace
        /// Per issue, the option values of a number range, each the `Double` of its exact decimal
        /// (`nil` for a list of values; empty for an integer issue, whose values its range gives).
        var numbers: [[Double]?]
        var node: JSONNode

        /// Number ranges larger than this are refused, as the GENIUS reader refuses them.
        static let maximumRange = 100_000_000
        /// Ranges that are not integers in steps of 1 become this many options at most.
        static let maximumListedRange = 1_000_000

        init(_ node: JSONNode) throws(FormatError) {
            self.node = node
            name = try node.member("name")?.string() ?? GeniusReader.baseName(node.file)
            let declared = try node.required("issuesValues").members()
            guard !declared.isEmpty else { throw node.failure("the domain declares no issue") }
            var issues: [Issue] = []
            var numbers: [[Double]?] = []
            for (issueName, valueSet) in declared {
                if let values = valueSet.member("values") {
                    var labels: [String] = []
                    for element in try values.elements() {
                        let label: String
                        if case .number(let text) = element.tree { label = text } else { label = try element.string() }
                        guard !labels.contains(label) else {
                            throw element.failure("issue '\(issueName)' lists the value '\(label)' twice")
                        }
                        labels.append(label)
                    }
                    guard !labels.isEmpty else { throw values.failure("issue '\(issueName)' has no value") }
                    issues.append(Issue(name: issueName, options: labels))
                    numbers.append(nil)
                } else if let range = valueSet.member("range") {
                    let (issue, values) = try Self.numberIssue(issueName, range: range)
                    issues.append(issue)
                    numbers.append(values)
                } else {
                    throw valueSet.failure("issue '\(issueName)' needs 'values' (a list) or 'range' (low, high, step)")
                }
            }
            space = OutcomeSpace(issues: issues)
            self.numbers = numbers
        }

        /// A number range: an integer issue when it counts in ones, else its values listed.
        static func numberIssue(_ name: String, range: JSONNode) throws(FormatError) -> (Issue, [Double]) {
            let low: Double
            let high: Double
            let step: Double
            if case .array = range.tree {
                let parts = try range.elements()
                guard parts.count == 3 else {
                    throw range.failure("a range list is [low, high, step]; this one has \(parts.count) numbers")
                }
                (low, high, step) = (try parts[0].number(), try parts[1].number(), try parts[2].number())
            } else {
                (low, high, step) = (
                    try range.required("low").number(), try range.required("high").number(),
                    try range.required("step").number()
                )
            }
            guard low <= high else {
                throw range.failure("issue '\(name)' has low \(Issue.format(low)) above high \(Issue.format(high))")
            }
            guard step > 0 else {
                throw range.failure("issue '\(name)' has step \(Issue.format(step)); it must be positive")
            }
            // Stepped in exact decimals, so that 0.1 + 0.2 is the option 0.3.
            guard let (integers, exponent) = ExactDecimal.common([low, high, step]) else {
                throw range.failure("issue '\(name)': the range's numbers have too many digits")
            }
            let total = (integers[1] - integers[0]) / integers[2] + 1
            guard total <= maximumRange else {
                throw range.failure("issue '\(name)' has \(total) values; at most \(maximumRange) are supported")
            }
            let count = Int(total)
            if low == low.rounded(), step == 1, let first = Int(exactly: low) {
                // Integer issues need no list: an option is its value less the low end.
                return (Issue(name: name, integers: first...(first + count - 1)), [])
            }
            guard count <= maximumListedRange else {
                throw range.failure(
                    "issue '\(name)' has \(count) values in steps of \(Issue.format(step)); at most \(maximumListedRange) are supported"
                )
            }
            let values = (0..<count).map {
                ExactDecimal.double(integers[0] + Int128($0) * integers[2], exponent: exponent)
            }
            return (Issue(name: name, options: values.map(Issue.format)), values)
        }

        /// The option of issue `position` that `node` (a bid's value) names.
        func option(_ node: JSONNode, issue position: Int) throws(FormatError) -> Int {
            let issue = space.issues[position]
            if let values = numbers[position] {
                let value = try node.number()
                let option: Int?
                if case .integer(let range) = issue.values {
                    option = Int(exactly: value).flatMap { range.contains($0) ? $0 - range.lowerBound : nil }
                } else {
                    option = values.firstIndex(of: value)
                }
                guard let option else {
                    throw node.failure("issue '\(issue.name)' has no value \(Issue.format(value))")
                }
                return option
            }
            let label: String
            if case .number(let text) = node.tree { label = text } else { label = try node.string() }
            guard let option = issue.optionIndex(of: label) else {
                throw node.failure("issue '\(issue.name)' has no value '\(label)'")
            }
            return option
        }
    }
}
