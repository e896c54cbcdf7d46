import NegotiationEngine
import Talks

/// A talks with a mediator and, for each party, one member of each role.
struct Fixture {
    var talks: Talks
    var record: [RecordedEvent]
    let mediator = MemberID("mediator")
    var time = 0.0
    /// How far the clock moves per command: 0 stamps every event alike.
    var tick = 1.0

    static let agenda = [
        AgendaIssue(name: "enrichment", options: ["none", "3.67%", "20%"]),
        AgendaIssue(name: "relief", options: ["full", "phased", "none"]),
    ]

    init(parties: [String] = ["US", "Iran"], sealedRooms: Bool = false) throws {
        let (talks, opened) = try Talks.open(
            title: "Muscat",
            parties: parties,
            mediator: Member(id: MemberID("mediator"), name: "Oman", seat: .mediator),
            sealedRooms: sealedRooms,
            time: 0
        )
        self.talks = talks
        record = [opened]
        for party in parties {
            for role in Role.allCases {
                try run(
                    .invite(
                        id: Self.id(party, role),
                        party: party,
                        name: "\(party) \(role.rawValue)",
                        role: role,
                        affiliation: nil
                    ),
                    by: mediator
                )
            }
        }
        try run(.setAgenda(Self.agenda), by: mediator)
    }

    static func id(_ party: String, _ role: Role) -> MemberID { MemberID("\(party)-\(role.rawValue)") }

    @discardableResult
    mutating func run(_ command: TalksCommand, by actor: MemberID) throws(TalksError) -> [RecordedEvent] {
        time += tick
        let events = try talks.handle(command, by: actor, time: time)
        record += events
        return events
    }

    func visible(to id: MemberID) -> [RecordedEvent] {
        Visibility.visible(to: talks.state.members[id]!, in: record, state: talks.state)
    }
}
