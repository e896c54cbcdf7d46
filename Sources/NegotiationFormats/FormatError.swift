/// A file Shuttle could not read, and exactly where and why.
///
/// ```
/// Car-B-prof1.xml:42: <item value="Audi">: the domain's issue 'Brand' has no option 'Audi'
/// ```
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, as the user named it.
    public var file: String
    /// The 1-based line, when the problem is at one place in the file.
    public var line: Int?
    /// The element (or JSON path) concerned, as it reads in the file.
    public var element: String?
    /// What is wrong, in words.
    public var message: String

    public init(file: String, line: Int? = nil, element: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.element = element
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let element { text += "\(element): " }
        return text + message
    }
}

/// Something a file does that Shuttle accepts but the user should know about.
public struct FormatWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String

    public var description: String { "\(file): warning: \(message)" }
}

/// Limits every reader applies, so that callers can check a file before reading it whole.
public enum XMLReaderLimits {
    /// Files above this many bytes are refused.
    public static var maximumSize: Int { XMLReader.maximumSize }
}
