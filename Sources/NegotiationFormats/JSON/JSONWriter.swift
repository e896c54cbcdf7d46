package import NegotiationEngine

/// A JSON value written with its keys in the order given, and with integers of any size.
///
/// The analysis report promises its keys in a fixed order and outcome counts beyond 2^64, which
/// `JSONEncoder` can give neither of.
package indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    /// A number already in JSON's syntax (an exact big integer).
    case literal(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// A finite number, or `null` for NaN and infinities, which JSON cannot hold.
    package static func finite(_ value: Double) -> JSONValue {
        value.isFinite ? .number(value) : .null
    }

    /// A package as an object from issue names to option labels, in the space's order.
    package static func outcome(_ outcome: Outcome, in space: OutcomeSpace) -> JSONValue {
        .object(zip(space.issues, space.labels(of: outcome)).map { ($0.name, .string($1)) })
    }

    /// The value as compact JSON (`indent` nil) or indented by `indent` spaces per level.
    package func serialized(indent: Int? = nil) -> String {
        var output = ""
        write(to: &output, indent: indent, level: 0)
        return output
    }

    private func write(to output: inout String, indent: Int?, level: Int) {
        let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) } ?? ""
        let closing = indent.map { "\n" + String(repeating: " ", count: $0 * level) } ?? ""
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += Self.format(value)
        case .literal(let text): output += text
        case .string(let text): output += Self.quote(text)
        case .array(let values):
            if values.isEmpty {
                output += "[]"
                return
            }
            // Arrays of plain numbers stay on one line: utility vectors read better that way.
            let flat = values.allSatisfy {
                if case .number = $0 { true } else if case .null = $0 { true } else { false }
            }
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += flat || indent == nil ? (indent == nil ? "," : ", ") : "," }
                if !flat { output += newline }
                value.write(to: &output, indent: indent, level: level + 1)
            }
            output += flat ? "]" : closing + "]"
        case .object(let members):
            if members.isEmpty {
                output += "{}"
                return
            }
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                output += newline + Self.quote(member.0) + (indent == nil ? ":" : ": ")
                member.1.write(to: &output, indent: indent, level: level + 1)
            }
            output += closing + "}"
        }
    }

    /// The shortest text that reads back to the same `Double` (as option labels are written).
    static func format(_ value: Double) -> String {
        value.isFinite ? Issue.format(value) : "null"
    }

    static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
