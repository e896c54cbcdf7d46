/// A forgiving XML reader for the files negotiation tools write.
///
/// GENIUS reads its files with a lenient parser, and real ANAC files rely on it: a comment or
/// blank lines before the XML declaration, a raw `&` in a value, Latin-1 bytes. This reader
/// accepts all of these (bytes that are not UTF-8 are read as Latin-1) and still refuses what is
/// not XML at all, naming the line. It keeps elements and attributes and drops text, which the
/// formats do not use.
package enum XMLReader {
    /// Files above this size are refused before parsing.
    package static let maximumSize = 64 << 20
    /// Elements nested deeper than this are refused (no real file comes close).
    package static let maximumDepth = 256

    /// Parses `bytes` into its root element.
    ///
    /// - Parameter file: the file's name, for error messages.
    /// - Throws: ``FormatError`` naming the line when the bytes are not XML.
    package static func parse(_ bytes: [UInt8], file: String) throws(FormatError) -> XMLElement {
        if bytes.count > maximumSize {
            throw FormatError(
                file: file,
                message: "the file is \(bytes.count) bytes; files over \(maximumSize >> 20) MiB are refused"
            )
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw FormatError(file: file, message: "the file is empty")
        }
        var parser = Parser(bytes: bytes, file: file)
        return try parser.document()
    }

    /// Decodes bytes as UTF-8, or as Latin-1 when they are not valid UTF-8.
    package static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var text = ""
        text.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return text
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var position = 0
        var line = 1

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        func error(_ message: String, line: Int? = nil) -> FormatError {
            FormatError(file: file, line: line ?? self.line, message: message)
        }

        var atEnd: Bool { position >= bytes.count }

        func peek(_ offset: Int = 0) -> UInt8? {
            position + offset < bytes.count ? bytes[position + offset] : nil
        }

        mutating func advance() {
            if bytes[position] == 0x0A { line += 1 }
            position += 1
        }

        func starts(with text: String) -> Bool {
            let pattern = Array(text.utf8)
            guard position + pattern.count <= bytes.count else { return false }
            return bytes[position..<(position + pattern.count)].elementsEqual(pattern)
        }

        /// Moves past `terminator`, or throws `message` when the file ends first.
        mutating func skip(past terminator: String, _ message: String) throws(FormatError) {
            let start = line
            while !atEnd {
                if starts(with: terminator) {
                    for _ in 0..<terminator.utf8.count { advance() }
                    return
                }
                advance()
            }
            throw error(message, line: start)
        }

        mutating func skipWhitespace() {
            while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { advance() }
        }

        /// Skips declarations, comments, doctype and processing instructions; returns at the
        /// next `<` of an element (or a closing tag), or at the end.
        mutating func skipMarkupAndText() throws(FormatError) {
            while !atEnd {
                if starts(with: "<!--") {
                    try skip(past: "-->", "a comment is never closed with -->")
                } else if starts(with: "<?") {
                    try skip(past: "?>", "a declaration is never closed with ?>")
                } else if starts(with: "<![CDATA[") {
                    try skip(past: "]]>", "a CDATA section is never closed with ]]>")
                } else if starts(with: "<!") {
                    try skip(past: ">", "a <! declaration is never closed with >")
                } else if peek() == UInt8(ascii: "<") {
                    return
                } else {
                    advance()
                }
            }
        }

        mutating func name() throws(FormatError) -> String {
            let start = position
            while let byte = peek(), !(byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09),
                byte != UInt8(ascii: ">"), byte != UInt8(ascii: "/"), byte != UInt8(ascii: "="),
                byte != UInt8(ascii: "<")
            {
                advance()
            }
            guard position > start else { throw error("expected a name after '<'") }
            return XMLReader.decode(bytes[start..<position])
        }

        mutating func document() throws(FormatError) -> XMLElement {
            try skipMarkupAndText()
            guard !atEnd else { throw error("the file holds no XML element", line: 1) }
            if peek(1) == UInt8(ascii: "/") { throw error("a closing tag comes before any element") }
            let root = try element(depth: 0)
            try skipMarkupAndText()
            if !atEnd { throw error("content after the root element <\(root.name)> closed") }
            return root
        }

        mutating func element(depth: Int) throws(FormatError) -> XMLElement {
            guard depth < XMLReader.maximumDepth else {
                throw error("elements are nested more than \(XMLReader.maximumDepth) deep")
            }
            let startLine = line
            advance()  // <
            var element = XMLElement(name: try name(), attributes: [], children: [], line: startLine)
            // Attributes.
            while true {
                skipWhitespace()
                guard let byte = peek() else {
                    throw error("the tag <\(element.name)> is never closed", line: startLine)
                }
                if byte == UInt8(ascii: "/") {
                    advance()
                    guard peek() == UInt8(ascii: ">") else {
                        throw error("expected '>' after '/' in <\(element.name)>")
                    }
                    advance()
                    return element
                }
                if byte == UInt8(ascii: ">") {
                    advance()
                    break
                }
                let attribute = try name()
                skipWhitespace()
                guard peek() == UInt8(ascii: "=") else {
                    throw error("the attribute '\(attribute)' of <\(element.name)> has no value")
                }
                advance()
                skipWhitespace()
                guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                    throw error("the value of '\(attribute)' in <\(element.name)> is not quoted")
                }
                advance()
                let start = position
                while let byte = peek(), byte != quote { advance() }
                guard !atEnd else {
                    throw error("the value of '\(attribute)' in <\(element.name)> is never closed", line: startLine)
                }
                let value = XMLReader.unescape(XMLReader.decode(bytes[start..<position]))
                advance()
                element.attributes.append((attribute, value))
            }
            // Children until the matching close.
            while true {
                try skipMarkupAndText()
                guard !atEnd else { throw error("<\(element.name)> is never closed", line: startLine) }
                if peek(1) == UInt8(ascii: "/") {
                    advance()
                    advance()
                    let closing = try name()
                    skipWhitespace()
                    guard peek() == UInt8(ascii: ">") else { throw error("expected '>' to end </\(closing)>") }
                    advance()
                    guard closing == element.name else {
                        throw error("</\(closing)> closes <\(element.name)> opened on line \(startLine)")
                    }
                    return element
                }
                element.children.append(try self.element(depth: depth + 1))
            }
        }
    }

    /// Replaces the five named entities and numeric character references; any other `&` is kept
    /// as written, as GENIUS does.
    package static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[ampersand...]
            if let semicolon = after.firstIndex(of: ";"), after.distance(from: ampersand, to: semicolon) <= 10 {
                let entity = after[after.index(after: ampersand)..<semicolon]
                var replacement: String?
                switch entity {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X"),
                        let code = UInt32(entity.dropFirst(2), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    {
                        replacement = String(Character(scalar))
                    } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()),
                        let scalar = Unicode.Scalar(code)
                    {
                        replacement = String(Character(scalar))
                    }
                }
                if let replacement {
                    result += replacement
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = after.dropFirst()
        }
        return result + rest
    }

    /// Escapes text for an attribute value.
    package static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
