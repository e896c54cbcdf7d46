public import NegotiationEngine

/// A scenario read from GENIUS / ANAC files, with what the reader had to say about them.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    public var warnings: [FormatWarning]

    public init(scenario: Scenario, warnings: [FormatWarning] = []) {
        self.scenario = scenario
        self.warnings = warnings
    }
}

/// Reads GENIUS domain and profile files (the XML of GENIUS and the ANAC competitions).
///
/// Issues are matched by name and index, whatever the first index is. Profiles are given the
/// meaning of the chosen ``GeniusReading``. Files GENIUS accepts are accepted; files that are
/// wrong (an option the domain lacks, a missing weight, a negative evaluation) are refused with
/// a ``FormatError`` naming the file, the line and the element.
public enum GeniusReader {
    /// Reads a domain and its profiles from bytes.
    ///
    /// - Parameters:
    ///   - domain: the domain file's name and bytes.
    ///   - profiles: each profile's name (the party's name is the file name without `.xml`) and bytes.
    public static func scenario(
        domain: (name: String, bytes: [UInt8]),
        profiles: [(name: String, bytes: [UInt8])],
        reading: GeniusReading = .genius
    ) throws(FormatError) -> LoadedScenario {
        let domainRoot = try XMLReader.parse(domain.bytes, file: domain.name)
        var parsed: [(name: String, root: XMLElement)] = []
        for profile in profiles {
            parsed.append((profile.name, try XMLReader.parse(profile.bytes, file: profile.name)))
        }
        return try scenario(domain: (domain.name, domainRoot), profiles: parsed, reading: reading)
    }

    /// Reads a set of files in any order: the one whose root is `<negotiation_template>` is the
    /// domain, every `<utility_space>` a profile, in the order given.
    ///
    /// - Throws: ``FormatError`` when there is not exactly one domain, no profile, or a file
    ///   that is neither.
    public static func scenario(
        files: [(name: String, bytes: [UInt8])],
        reading: GeniusReading = .genius
    ) throws(FormatError) -> LoadedScenario {
        var domain: (name: String, root: XMLElement)?
        var profiles: [(name: String, root: XMLElement)] = []
        for file in files {
            let root = try XMLReader.parse(file.bytes, file: file.name)
            switch root.name.lowercased() {
            case "negotiation_template":
                if let domain {
                    throw FormatError(
                        file: file.name,
                        message: "a second domain file (the first is \(domain.name)); give one domain and its profiles"
                    )
                }
                domain = (file.name, root)
            case "utility_space":
                profiles.append((file.name, root))
            default:
                throw FormatError(
                    file: file.name,
                    line: root.line,
                    element: "<\(root.name)>",
                    message:
                        "not a GENIUS file: the root element must be <negotiation_template> (a domain) or <utility_space> (a profile)"
                )
            }
        }
        guard let domain else {
            throw FormatError(
                file: files.first?.name ?? "(none)",
                message: "none of the files is a domain (<negotiation_template>)"
            )
        }
        guard !profiles.isEmpty else {
            throw FormatError(file: domain.name, message: "no profile (<utility_space>) comes with the domain")
        }
        return try scenario(domain: domain, profiles: profiles, reading: reading)
    }

    private static func scenario(
        domain: (name: String, root: XMLElement),
        profiles: [(name: String, root: XMLElement)],
        reading: GeniusReading
    ) throws(FormatError) -> LoadedScenario {
        let declared = try domainIssues(domain.root, file: domain.name)
        let space = OutcomeSpace(issues: declared.map(\.issue))
        let indices = declared.map(\.index)
        var warnings: [FormatWarning] = []
        var parties: [Party] = []
        for profile in profiles {
            parties.append(
                try party(
                    profile.root,
                    file: profile.name,
                    space: space,
                    domainIndices: indices,
                    reading: reading,
                    warnings: &warnings
                )
            )
        }
        return LoadedScenario(
            scenario: Scenario(name: baseName(domain.name), space: space, parties: parties),
            warnings: warnings
        )
    }

    /// The file's name without its folders and `.xml` or `.json`: a party's or scenario's
    /// name in both GENIUS and GeniusWeb folders.
    package static func baseName(_ path: String) -> String {
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        for suffix in [".xml", ".json"] where name.lowercased().hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        return String(name)
    }

    // MARK: - Domain

    /// A domain issue as declared, with its index and line, for matching profiles against it.
    struct DeclaredIssue {
        var issue: Issue
        var index: Int?
        var line: Int
    }

    static func domainIssues(_ root: XMLElement, file: String) throws(FormatError) -> [DeclaredIssue] {
        guard root.name.lowercased() == "negotiation_template" || root.name.lowercased() == "utility_space" else {
            throw FormatError(
                file: file,
                line: root.line,
                element: "<\(root.name)>",
                message: "not a GENIUS domain: the root element must be <negotiation_template>"
            )
        }
        let issues = try declaredIssues(root, file: file)
        var names = Set<String>()
        for declared in issues where !names.insert(declared.issue.name).inserted {
            throw FormatError(
                file: file,
                line: declared.line,
                element: "<issue name=\"\(declared.issue.name)\">",
                message: "the issue '\(declared.issue.name)' is declared twice"
            )
        }
        return issues
    }

    static func declaredIssues(_ root: XMLElement, file: String) throws(FormatError) -> [DeclaredIssue] {
        guard let objective = root.firstDescendant(named: "objective") else {
            throw FormatError(
                file: file,
                line: root.line,
                element: "<\(root.name)>",
                message: "no <objective> element holds the issues"
            )
        }
        var result: [DeclaredIssue] = []
        for element in issueElements(objective) {
            result.append(try declaredIssue(element, file: file))
        }
        if result.isEmpty {
            throw FormatError(
                file: file,
                line: objective.line,
                element: objective.tag,
                message: "the domain declares no issue"
            )
        }
        return result
    }

    /// Issue elements in document order, through nested objectives.
    static func issueElements(_ objective: XMLElement) -> [XMLElement] {
        objective.children.flatMap { child -> [XMLElement] in
            switch child.name.lowercased() {
            case "issue": [child]
            case "objective": issueElements(child)
            default: []
            }
        }
    }

    static func declaredIssue(_ element: XMLElement, file: String) throws(FormatError) -> DeclaredIssue {
        guard let name = element[attribute: "name"], !name.isEmpty else {
            throw FormatError(file: file, line: element.line, element: element.tag, message: "the issue has no name")
        }
        let index = try element[attribute: "index"].map { text throws(FormatError) in
            guard let value = Int(text.trimmingWhitespace()) else {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "index '\(text)' is not an integer"
                )
            }
            return value
        }
        let kind =
            (element[attribute: "type"] ?? element[attribute: "etype"] ?? element[attribute: "vtype"] ?? "discrete")
            .lowercased()
        let issue: Issue
        switch kind {
        case "discrete":
            let items = element.children(named: "item")
            var labels: [String] = []
            for item in items {
                guard let value = item[attribute: "value"] else {
                    throw FormatError(
                        file: file,
                        line: item.line,
                        element: item.tag,
                        message: "an item of issue '\(name)' has no value"
                    )
                }
                if labels.contains(value) {
                    throw FormatError(
                        file: file,
                        line: item.line,
                        element: item.tag,
                        message: "issue '\(name)' lists the option '\(value)' twice"
                    )
                }
                labels.append(value)
            }
            if labels.isEmpty {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "the discrete issue '\(name)' has no <item>"
                )
            }
            issue = Issue(name: name, options: labels)
        case "integer":
            let (low, high) = try bounds(element, file: file, name: name)
            guard let lower = Int(exactly: low), let upper = Int(exactly: high) else {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message: "integer issue '\(name)' has non-integer bounds \(low)…\(high)"
                )
            }
            guard upper - lower < 100_000_000 else {
                throw FormatError(
                    file: file,
                    line: element.line,
                    element: element.tag,
                    message:
                        "integer issue '\(name)' has \(upper - lower + 1) values; at most 100,000,000 are supported"
                )
            }
            issue = Issue(name: name, integers: lower...upper)
        case "real":
            let (lower, upper) = try bounds(element, file: file, name: name)
            issue = Issue(name: name, reals: lower...upper)
        default:
            throw FormatError(
                file: file,
                line: element.line,
                element: element.tag,
                message: "unknown issue type '\(kind)' (expected discrete, integer or real)"
            )
        }
        return DeclaredIssue(issue: issue, index: index, line: element.line)
    }

    /// `lowerbound`/`upperbound` on the issue or on its `<range>` child.
    static func bounds(_ element: XMLElement, file: String, name: String) throws(FormatError) -> (Double, Double) {
        let holder =
            element[attribute: "lowerbound"] != nil ? element : (element.children(named: "range").first ?? element)
        guard let lowText = holder[attribute: "lowerbound"], let highText = holder[attribute: "upperbound"] else {
            throw FormatError(
                file: file,
                line: element.line,
                element: element.tag,
                message: "issue '\(name)' has no lowerbound/upperbound"
            )
        }
        let low = try number(lowText, file: file, element: holder, what: "lowerbound")
        let high = try number(highText, file: file, element: holder, what: "upperbound")
        guard low <= high else {
            throw FormatError(
                file: file,
                line: holder.line,
                element: holder.tag,
                message: "issue '\(name)' has lowerbound \(lowText) above upperbound \(highText)"
            )
        }
        return (low, high)
    }

    static func number(_ text: String, file: String, element: XMLElement, what: String) throws(FormatError) -> Double {
        guard let value = Double(text.trimmingWhitespace()), value.isFinite else {
            throw FormatError(
                file: file,
                line: element.line,
                element: element.tag,
                message: "\(what) '\(text)' is not a finite number"
            )
        }
        return value
    }
}
