import NegotiationEngine

/// A value of a JSON file with the path that leads to it, so that every complaint about it can
/// say where it is: `profile.json: .LinearAdditiveUtilitySpace.issueWeights["lease car"]: …`.
struct JSONNode {
    var tree: JSONTree
    var path: String
    var file: String

    init(_ tree: JSONTree, file: String, path: String = "") {
        self.tree = tree
        self.file = file
        self.path = path
    }

    func failure(_ message: String) -> FormatError {
        FormatError(file: file, element: path.isEmpty ? "the top level" : path, message: message)
    }

    /// The path of the member `key`: `.key`, or `["key"]` when the key is not a plain word.
    func path(of key: String) -> String {
        let plain =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy {
                ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0)) && $0.isASCII
            }
        return path + (plain ? ".\(key)" : "[\(JSONValue.quote(key))]")
    }

    /// The member `key`, `nil` when absent or null.
    func member(_ key: String) -> JSONNode? {
        guard let value = tree[key] else { return nil }
        if case .null = value { return nil }
        return JSONNode(value, file: file, path: path(of: key))
    }

    /// The first of `keys` present: formats that renamed a key over the years.
    func member(anyOf keys: [String]) -> JSONNode? {
        keys.lazy.compactMap { member($0) }.first
    }

    func required(_ key: String) throws(FormatError) -> JSONNode {
        guard let node = member(key) else { throw failure("the required key '\(key)' is missing") }
        return node
    }

    func members() throws(FormatError) -> [(key: String, node: JSONNode)] {
        guard case .object(let members) = tree else { throw failure("expected an object, found \(tree.kind)") }
        var seen = Set<String>()
        var result: [(key: String, node: JSONNode)] = []
        for member in members {
            guard seen.insert(member.key).inserted else { throw failure("the key '\(member.key)' appears twice") }
            result.append((member.key, JSONNode(member.value, file: file, path: path(of: member.key))))
        }
        return result
    }

    func elements() throws(FormatError) -> [JSONNode] {
        guard case .array(let elements) = tree else { throw failure("expected a list, found \(tree.kind)") }
        return elements.enumerated().map { JSONNode($1, file: file, path: path + "[\($0)]") }
    }

    func string() throws(FormatError) -> String {
        guard case .string(let text) = tree else { throw failure("expected a string, found \(tree.kind)") }
        return text
    }

    /// A number: a JSON number, or a string holding one (GeniusWeb writes big decimals either
    /// way). Read as the nearest `Double`, whose shortest decimal is the one written.
    func number() throws(FormatError) -> Double {
        let text: String
        switch tree {
        case .number(let written): text = written
        case .string(let written): text = written.trimmingWhitespace()
        default: throw failure("expected a number, found \(tree.kind)")
        }
        guard let value = Double(text), value.isFinite else { throw failure("'\(text)' is not a finite number") }
        return value
    }
}
