import Talks
import Testing

/// What people type is checked exactly as the API document says (so that schemathesis finds the
/// server and the document in agreement): lengths in Unicode scalars, whitespace as space, tab,
/// line feed and carriage return only.
struct TextRulesTests {
    let mediator = Member(id: MemberID("m"), name: "Oman", seat: .mediator)

    @Test func textsAreUpTo20000ScalarsAndNotOnlyWhitespace() throws {
        var fixture = try Fixture()
        let us = Fixture.id("US", .principal)
        let longest = String(repeating: "é", count: Talks.maximumTextLength)
        #expect(try fixture.run(.post(channel: .room(party: "US"), text: longest), by: us).count == 1)
        #expect(throws: TalksError.invalid("a message is longer than 20000 characters")) {
            try fixture.run(.post(channel: .room(party: "US"), text: longest + "é"), by: us)
        }
        // Counted as written, before trimming: 20,000 letters and a space are too many.
        #expect(throws: TalksError.invalid("a message is longer than 20000 characters")) {
            try fixture.run(
                .post(channel: .room(party: "US"), text: String(repeating: "a", count: Talks.maximumTextLength) + " "),
                by: us
            )
        }
        for blank in ["", " ", " \t\r\n "] {
            #expect(throws: TalksError.invalid("a message cannot be empty")) {
                try fixture.run(.post(channel: .room(party: "US"), text: blank), by: us)
            }
        }
        let trimmed = try fixture.run(.post(channel: .room(party: "US"), text: "\n  relief first \t"), by: us)
        #expect(trimmed[0].event == .messagePosted(channel: .room(party: "US"), author: us, text: "relief first"))
        // Other characters count as text, whatever Unicode calls them.
        for kept in ["\u{A0}", "\u{1F}", "\u{2003}"] {
            #expect(try fixture.run(.post(channel: .room(party: "US"), text: kept), by: us).count == 1)
        }
    }

    @Test func partyNamesHaveNoWhitespaceAtTheirEnds() throws {
        _ = try Talks.open(title: "t", parties: ["United States", "Iran"], mediator: mediator, time: 0)
        for bad in [" Iran", "Iran\n", "", "\t"] {
            #expect(throws: TalksError.invalid("a party needs a name, without spaces or line breaks at either end")) {
                try Talks.open(title: "t", parties: ["US", bad], mediator: mediator, time: 0)
            }
        }
    }

    @Test func datesAreFourDigitsAMonthAndADay() throws {
        var fixture = try Fixture()
        for good in ["2025-06-12", "0000-01-01", "2025-02-31", "9999-12-31"] {
            #expect(try fixture.run(.setDeadline(good), by: fixture.mediator).count == 1)
        }
        for bad in [
            "2025-13-01", "2025-00-10", "2025-01-32", "+123-01-01", "2025-1-01", "2025-01-01 ", "２０２５-01-01", "",
        ] {
            #expect(throws: TalksError.self, "\(bad)") { try fixture.run(.setDeadline(bad), by: fixture.mediator) }
        }
    }
}

extension TextRulesTests {
    /// Names that differ as written but read the same ("é" as one scalar or two) are a rule
    /// (409), not malformed input (422): JSON Schema's uniqueItems finds them distinct.
    @Test func namesThatReadTheSameAreARuleNotMalformed() throws {
        #expect(throws: TalksError.invalid("each party must be named once")) {
            try Talks.open(title: "t", parties: ["é", "é"], mediator: mediator, time: 0)
        }
        #expect(throws: TalksError.rule("two parties' names read the same; name each once")) {
            try Talks.open(title: "t", parties: ["\u{E9}", "e\u{301}"], mediator: mediator, time: 0)
        }
        var fixture = try Fixture()
        #expect(throws: TalksError.rule("issue 'x' has options that read the same")) {
            try fixture.run(
                .setAgenda([AgendaIssue(name: "x", options: ["\u{E9}", "e\u{301}"])]),
                by: fixture.mediator
            )
        }
    }
}
