import Testing

@testable import NegotiationFormats

struct XMLReaderTests {
    @Test func readsElementsAttributesAndEntities() throws {
        let xml = """
            <?xml version="1.0"?>
            <root a="1" b='two &amp; &lt;three&gt; &#65;&#x42;'>
              <child name="x"/>
              <child name="y">text is ignored<![CDATA[ <not an element> ]]></child>
            </root>
            """
        let root = try XMLReader.parse(Array(xml.utf8), file: "t.xml")
        #expect(root.name == "root")
        #expect(root[attribute: "B"] == "two & <three> AB")
        #expect(root.children(named: "child").map { $0[attribute: "name"] } == ["x", "y"])
        #expect(root.children[1].line == 4)
    }

    @Test func toleratesWhatGeniusTolerates() throws {
        // A comment before the declaration, a raw '&', Latin-1 bytes, leading blank lines.
        let bytes: [UInt8] =
            Array("\n\n<!-- first -->\n<?xml version=\"1.0\"?>\n<r v=\"salt & pepper\" w=\"caf".utf8) + [0xE9]
            + Array("\"/>".utf8)
        let root = try XMLReader.parse(bytes, file: "t.xml")
        #expect(root[attribute: "v"] == "salt & pepper")
        #expect(root[attribute: "w"] == "café")
    }

    @Test(
        arguments: [
            ("", "the file is empty", nil),
            ("   \n ", "the file is empty", nil),
            ("hello, world", "holds no XML element", 1),
            ("<a>\n<b>\n</a>", "</a> closes <b> opened on line 2", 3),
            ("<a>\n<b/>\n", "<a> is never closed", 1),
            ("<a x=1/>", "is not quoted", 1),
            ("<a x=\"1/>", "never closed", 1),
            ("<a/><b/>", "content after the root element", 1),
            ("</a>", "a closing tag comes before any element", 1),
            ("<a><!-- never closed", "a comment is never closed", 1),
        ] as [(String, String, Int?)]
    )
    func refusesWhatIsNotXML(text: String, message: String, line: Int?) {
        #expect {
            try XMLReader.parse(Array(text.utf8), file: "bad.xml")
        } throws: { error in
            guard let error = error as? FormatError else { return false }
            return error.file == "bad.xml" && error.message.contains(message) && error.line == line
        }
    }

    @Test func refusesHugeAndDeepFilesWithoutCrashing() {
        let huge = [UInt8](repeating: 0x20, count: XMLReader.maximumSize + 1)
        #expect(throws: FormatError.self) { try XMLReader.parse(huge, file: "huge.xml") }
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect {
            try XMLReader.parse(Array(deep.utf8), file: "deep.xml")
        } throws: { ($0 as? FormatError)?.message.contains("nested more than") == true }
    }

    @Test func escapeAndUnescapeRoundTrip() {
        for text in ["plain", "a & b", "<tag attr=\"v\">", "&amp; already", "café ☕"] {
            #expect(XMLReader.unescape(XMLReader.escape(text)) == text)
        }
    }
}
