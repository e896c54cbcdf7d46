import Hummingbird
import Talks

/// The JSON bodies the API accepts.
enum Requests {
    struct CreateTalks: Decodable {
        var title: String
        var parties: [String]
        var mediator: String?
        /// Whether the delegations' rooms are sealed; false unless asked, so that scripts that
        /// post plain text in rooms keep working.
        var sealedRooms: Bool?
    }
    struct SealingKey: Decodable { var publicKey: String }
    struct Invite: Decodable {
        var party: String
        var name: String
        var role: Role
        var affiliation: String?
    }
    struct Message: Decodable {
        var channel: String
        var text: String
        var party: String?
    }
    struct Relay: Decodable {
        var message: Int
        var party: String
        var mode: RelayMode
        var text: String?
    }
    struct Proposal: Decodable {
        var package: [String: String]?
        var clause: String?
        var text: String?
        var parties: [String]?

        func content() throws(Problem) -> ProposalContent {
            switch (package, text) {
            case (let package?, nil): return .package(package)
            case (nil, let text?): return .clauseText(clause: clause, text: text)
            default: throw Problem(.unprocessableContent, "a proposal has either a package or a text")
            }
        }
    }
    struct Forward: Decodable { var party: String }
    struct AnswerBody: Decodable {
        var answer: Answer
        var counter: Proposal?
    }
    struct Improvement: Decodable { var package: [String: String] }
    struct Rehearsal: Decodable {
        var settings: RehearsalSettings
        var moves: [RehearsalMove]

        private enum Key: String, CodingKey { case moves }

        init(from decoder: any Decoder) throws {
            settings = try RehearsalSettings(from: decoder)
            moves = try decoder.container(keyedBy: Key.self).decodeIfPresent([RehearsalMove].self, forKey: .moves) ?? []
        }
    }
    struct Agenda: Decodable { var issues: [AgendaIssue] }
    struct PhaseBody: Decodable { var phase: Phase }
    struct Deadline: Decodable { var date: String }
    struct Track: Decodable {
        var name: String
        var level: TrackLevel
        var issues: [String]?
        var members: [MemberID]?
    }
    struct Clause: Decodable {
        var title: String
        var text: String
    }
    struct Text: Decodable { var text: String }
    struct Settle: Decodable {
        var status: ClauseStatus
        var text: String
        var track: String
    }
    struct RoundBody: Decodable {
        var date: String
        var venue: String
        var level: TrackLevel
        var format: Round.Format
    }
    struct Utility: Decodable { var package: [String: String] }
    struct AnswerRevision: Decodable {
        var answer: PreferenceAnswer?
        var withdraw: [PreferenceAnswer]?
    }
    struct SigningKey: Decodable { var publicKey: String }
    struct SignedAgreement: Decodable {
        var statement: String
        var signature: String
        /// The checkpoint the statement names by its commitment: shown to the server, never stored.
        var checkpoint: String
    }
}
