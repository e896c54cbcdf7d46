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
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0)) && $0.isASCII }
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

    /// The text of a JSON number, or of a string holding one.
    private func numberText() throws(FormatError) -> String {
        switch tree {
        case .number(let written): written
        case .string(let written): written.trimmingWhitespace()
        default: throw failure("expected a number, found \(tree.kind)")
        }
    }

    /// A number as the exact decimal written: a JSON number, or a string holding one (GeniusWeb
    /// writes big decimals either way). For the values of number issues, which must match exactly.
    func decimal() throws(FormatError) -> Decimal {
        let text = try numberText()
        guard let value = Decimal(text) else { throw failure("'\(text)' is not a decimal of at most 18 digits and 18 places") }
        return value
    }

    func number() throws(FormatError) -> Double {
        let text = try numberText()
        guard let value = Double(text), value.isFinite else { throw failure("'\(text)' is not a finite number") }
        return value
    }

    /// A decimal number as exact as the file wrote it: `mantissa · 10^-scale`.
    struct Decimal: Hashable, Comparable {
        var mantissa: Int
        var scale: Int

        /// Plain decimal text (`-12.50`, `3`, `1e-3`); `nil` when it needs more than 18 digits.
        init?(_ text: String) {
            var digits = Substring(text)
            var exponent = 0
            if let marker = digits.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                guard let value = Int(digits[digits.index(after: marker)...]), abs(value) < 20 else { return nil }
                exponent = value
                digits = digits[..<marker]
            }
            var scale = 0
            if let point = digits.firstIndex(of: ".") {
                scale = digits.distance(from: point, to: digits.endIndex) - 1
                digits.remove(at: point)
            }
            guard digits.count <= 19, !digits.isEmpty, let mantissa = Int(digits) else { return nil }
            self.init(mantissa: mantissa, scale: scale - exponent)
            guard self.scale <= 18 else { return nil }
        }

        init(mantissa: Int, scale: Int) {
            var mantissa = mantissa
            var scale = scale
            while scale < 0 {
                mantissa *= 10
                scale += 1
            }
            while scale > 0, mantissa % 10 == 0 {
                mantissa /= 10
                scale -= 1
            }
            self.mantissa = mantissa
            self.scale = scale
        }

        var double: Double { Double(text)! }
        var isInteger: Bool { scale == 0 }

        /// The shortest decimal text: `12.5`, `-3`, `0.001`.
        var text: String {
            guard scale > 0 else { return String(mantissa) }
            let digits = String(mantissa.magnitude)
            let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
            let cut = padded.index(padded.endIndex, offsetBy: -scale)
            return (mantissa < 0 ? "-" : "") + padded[..<cut] + "." + padded[cut...]
        }

        /// `values` as integers over one scale, or `nil` when that overflows.
        static func aligned(_ values: [Decimal]) -> ([Int], scale: Int)? {
            let scale = values.map(\.scale).max() ?? 0
            var result: [Int] = []
            for value in values {
                guard let scaled = scaled(value.mantissa, by: scale - value.scale) else { return nil }
                result.append(scaled)
            }
            return (result, scale)
        }

        static func scaled(_ value: Int, by places: Int) -> Int? {
            var result = value
            for _ in 0..<places {
                let (product, overflow) = result.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                result = product
            }
            return result
        }

        static func < (a: Decimal, b: Decimal) -> Bool {
            guard let (pair, _) = aligned([a, b]) else { return a.double < b.double }
            return pair[0] < pair[1]
        }
    }
}
