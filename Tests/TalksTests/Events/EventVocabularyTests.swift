import Foundation
import Talks
import TalksTesting
import Testing

/// Every kind of event, named once in ``TalksEvent/Kind``, is made by some command, travels as
/// JSON under its name, is folded, and has an audience that agrees with the oracle.
struct EventVocabularyTests {
    @Test func everyKindIsMadeBySomeCommand() throws {
        let made = Set(try Fixture.withEveryKindOfEvent().record.map(\.event.kind))
        #expect(made == Set(TalksEvent.Kind.allCases), "never made: \(Set(TalksEvent.Kind.allCases).subtracting(made))")
    }

    @Test func namesAreDistinctAndInTheRecordsStyle() {
        let names = TalksEvent.Kind.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for name in names { #expect(name.allSatisfy { $0.isLowercase || $0 == "-" }, "\(name)") }
    }

    @Test func everyKindTravelsUnderItsName() throws {
        for event in try Fixture.withEveryKindOfEvent().record {
            let json = RecordChain.encode(event)
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(object?["type"] as? String == event.event.kind.rawValue)
            #expect(try RecordChain.decode(json) == event)
        }
    }

    /// Folding what was recorded, read back from its JSON, gives the state the commands left.
    @Test func theDecodedRecordFoldsToTheSameState() throws {
        let fixture = try Fixture.withEveryKindOfEvent()
        let decoded = try fixture.record.map { try RecordChain.decode(RecordChain.encode($0)) }
        #expect(Talks(folding: decoded).state == fixture.talks.state)
        var replayed = Talks(folding: [])
        for event in decoded { replayed.replay(event) }
        #expect(replayed.state == fixture.talks.state)
    }

    @Test func everyKindHasAnAudienceTheOracleAgreesWith() throws {
        let fixture = try Fixture.withEveryKindOfEvent()
        let state = fixture.talks.state
        for event in fixture.record {
            #expect(!event.audience.isEmpty, "\(event.event.kind) reaches nobody")
            #expect(event.audience == Visibility.audience(of: event.event))
            for member in state.members.values {
                #expect(
                    Visibility.canSee(member, event, in: state)
                        == VisibilityOracle.shouldSee(member, event.event, state: state),
                    "\(member.id) and \(event.event.kind)"
                )
            }
        }
    }

    @Test func anUnknownTypeIsRefusedByName() {
        let json = #"{"seq":1,"time":0,"audience":["plenary"],"type":"talks-adjourned"}"#
        #expect {
            _ = try RecordChain.decode(json)
        } throws: { error in
            "\(error)".contains("unknown event type 'talks-adjourned'")
        }
    }
}
