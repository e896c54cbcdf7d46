/// An element of a parsed XML document: its name, attributes in file order, children, and the
/// line it starts on (for error messages).
package struct XMLElement: Sendable {
    package var name: String
    package var attributes: [(name: String, value: String)]
    package var children: [XMLElement]
    package var line: Int

    /// The value of the attribute `name`, compared case-insensitively (GENIUS files are not
    /// consistent about case).
    package subscript(attribute name: String) -> String? {
        attributes.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The direct children called `name` (case-insensitive).
    package func children(named name: String) -> [XMLElement] {
        children.filter { $0.name.lowercased() == name.lowercased() }
    }

    /// The first element called `name` in document order, this one included.
    package func firstDescendant(named name: String) -> XMLElement? {
        if self.name.lowercased() == name.lowercased() { return self }
        for child in children {
            if let found = child.firstDescendant(named: name) { return found }
        }
        return nil
    }

    /// The element as it opens in the file, for messages: `<issue name="price" index="1">`.
    package var tag: String {
        let shown = attributes.filter { ["name", "index", "value"].contains($0.name.lowercased()) }
        return "<" + ([name] + shown.map { "\($0.name)=\"\($0.value)\"" }).joined(separator: " ") + ">"
    }
}
