/// What people type, checked by rules stated once, exactly as the API's OpenAPI document states
/// them, so that the server accepts what the document allows and nothing else.
///
/// Whitespace here is a fixed set — space, tab, line feed, carriage return — rather than
/// Unicode's, whose edges differ between languages' regular expressions (`[^ \t\n\r]` means the
/// same to every client). Lengths count Unicode scalars, as JSON Schema's `maxLength` does.
enum TextRules {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// A text (a message, a title, a clause): at most ``Talks/maximumTextLength`` scalars as
    /// written, and not only whitespace. Kept without the whitespace at its ends.
    static func text(_ value: String, what: String) throws(TalksError) -> String {
        let scalars = value.unicodeScalars
        guard scalars.count <= Talks.maximumTextLength else {
            throw .invalid("\(what) is longer than \(Talks.maximumTextLength) characters")
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else {
            throw .invalid("\(what) cannot be empty")
        }
        return String(scalars[first...last])
    }

    /// A party's name: not empty, with no whitespace at either end (two names are the same
    /// exactly when their text is).
    static func isName(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return false }
        return !isSpace(first) && !isSpace(last)
    }

    /// A date as `YYYY-MM-DD`: four digits, a month 01–12, a day 01–31.
    static func day(_ value: String) throws(TalksError) -> String {
        let digits = Array(value.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digits[$0]) }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(digits[$1] - UInt8(ascii: "0")) }
        }
        guard digits.count == 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"), number(0..<4) != nil,
            let month = number(5..<7), (1...12).contains(month), let day = number(8..<10), (1...31).contains(day)
        else { throw .invalid("'\(value.prefix(40))' is not a date as YYYY-MM-DD") }
        return value
    }

    /// Whether `values` differ as written (scalar by scalar, as JSON Schema's `uniqueItems`
    /// compares), and whether they also differ as read (Swift compares canonically: "é" written
    /// as one scalar or as two is the same name).
    static func distinct(_ values: [String]) -> (asWritten: Bool, asRead: Bool) {
        (Set(values.map { Array($0.unicodeScalars) }).count == values.count, Set(values).count == values.count)
    }
}
