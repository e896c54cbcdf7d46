/// A JSON document as written: objects keep their members in file order and numbers keep their
/// text.
///
/// Our own reader, not `JSONSerialization`: a GeniusWeb domain's issue order is the order of its
/// keys (NegMAS keeps it too), `0.1` must stay the decimal the file wrote for exact ties, and a
/// syntax error should say on which line it is.
package indirect enum JSONTree: Sendable {
    case null
    case bool(Bool)
    /// A number's text, as in the file.
    case number(String)
    case string(String)
    case array([JSONTree])
    case object([(key: String, value: JSONTree)])

    /// What the value is, in the words an error message uses.
    package var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// The member `key` of an object, the first when the key is repeated.
    package subscript(key: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Parses `bytes` (UTF-8) as one JSON value.
    ///
    /// - Throws: ``FormatError`` with the line of the first syntax error.
    package static func parse(_ bytes: [UInt8], file: String) throws(FormatError) -> JSONTree {
        var parser = Parser(bytes: bytes, file: file)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.failure("text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var position = 0
        /// Nesting deeper than this is refused rather than risking the stack.
        static let maximumDepth = 256

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        func failure(_ message: String) -> FormatError {
            var line = 1
            for byte in bytes[..<min(position, bytes.count)] where byte == UInt8(ascii: "\n") { line += 1 }
            return FormatError(file: file, line: line, message: "not valid JSON: \(message)")
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(FormatError) {
            guard current == byte else { throw failure("expected \(what)") }
            position += 1
        }

        mutating func value(depth: Int) throws(FormatError) -> JSONTree {
            guard depth < Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) levels deep") }
            guard let byte = current else { throw failure("the text ends where a value should be") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try word("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try word("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try word("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw failure("unexpected character '\(Character(Unicode.Scalar(byte)))'")
            }
        }

        mutating func word(_ text: String) throws(FormatError) {
            for byte in text.utf8 {
                guard current == byte else { throw failure("expected '\(text)'") }
                position += 1
            }
        }

        mutating func object(depth: Int) throws(FormatError) -> JSONTree {
            position += 1
            var members: [(key: String, value: JSONTree)] = []
            skipSpace()
            if current == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a key in quotes") }
                let key = try string()
                skipSpace()
                try expect(UInt8(ascii: ":"), "':' after the key \"\(key)\"")
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                if current == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws(FormatError) -> JSONTree {
            position += 1
            var elements: [JSONTree] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipSpace()
                elements.append(try value(depth: depth + 1))
                skipSpace()
                if current == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                return .array(elements)
            }
        }

        mutating func number() throws(FormatError) -> String {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            func digits(_ parser: inout Parser) -> Int {
                let from = parser.position
                while let byte = parser.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    parser.position += 1
                }
                return parser.position - from
            }
            guard digits(&self) > 0 else { throw failure("a number needs digits") }
            if current == UInt8(ascii: ".") {
                position += 1
                guard digits(&self) > 0 else { throw failure("a number needs digits after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard digits(&self) > 0 else { throw failure("a number needs digits in its exponent") }
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func string() throws(FormatError) -> String {
            position += 1
            var scalars = String.UnicodeScalarView()
            var run = position
            func flush(_ parser: Parser, upTo end: Int) {
                scalars.append(contentsOf: String(decoding: parser.bytes[run..<end], as: UTF8.self).unicodeScalars)
            }
            while true {
                guard let byte = current else { throw failure("a string is not closed") }
                if byte == UInt8(ascii: "\"") {
                    flush(self, upTo: position)
                    position += 1
                    return String(scalars)
                }
                guard byte >= 0x20 else { throw failure("a control character inside a string") }
                guard byte == UInt8(ascii: "\\") else {
                    position += 1
                    continue
                }
                flush(self, upTo: position)
                position += 1
                guard let escape = current else { throw failure("a string is not closed") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                default: throw failure("unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
                run = position
            }
        }

        /// The scalar of `\uXXXX`, joining a surrogate pair.
        mutating func unicodeEscape() throws(FormatError) -> Unicode.Scalar {
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high), current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                bytes[position + 1] == UInt8(ascii: "u")
            {
                position += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("an unpaired surrogate in a \\u escape") }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(high) else { throw failure("an unpaired surrogate in a \\u escape") }
            return scalar
        }

        mutating func hex4() throws(FormatError) -> UInt32 {
            guard position + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else {
                throw failure("\\u needs four hexadecimal digits")
            }
            position += 4
            return value
        }
    }
}
