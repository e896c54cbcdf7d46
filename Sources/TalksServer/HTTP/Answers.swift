import Foundation
import Hummingbird
import Talks

/// The JSON bodies the API answers with (beside the events, whose text is the record's),
/// each shaped as `openapi.json` describes it.
enum Answers {
    struct Opened: Encodable {
        var id: String
        var mediatorId: String
        var mediatorToken: String
    }
    struct Invited: Encodable {
        var memberId: String
        var token: String
    }
    struct Token: Encodable { var token: String }

    struct Members: Encodable {
        struct Entry: Encodable {
            var memberId: String
            var name: String
            var role: String
            var party: String?
            var affiliation: String?
            var linkOpened: Bool
        }
        var members: [Entry]
    }

    struct Utility: Encodable {
        var party: String
        var utility: Double
    }

    struct Me: Encodable {
        var talks: String
        var memberId: String
        var name: String
        var role: String
        var party: String?
        var title: String
        var parties: [String]
        var sealedRooms: Bool
    }

    struct Verification: Encodable { var intact: Bool }
    struct InclusionProof: Encodable {
        var leafHash: String
        var proof: [String]
    }
    struct ConsistencyProof: Encodable { var proof: [String] }
    struct Operator: Encodable { var name: String }

    struct OperatorTalks: Encodable {
        struct Entry: Encodable {
            var id: String
            var title: String
            var parties: [String]
            var mediator: String
        }
        var talks: [Entry]
    }

    /// The mediator's suggested packages, or why there are none: never a number.
    struct Suggested: Encodable {
        var status: String
        var packages: [[String: String]]?
        var parties: [String]?

        init(_ suggestions: Suggestions) {
            switch suggestions {
            case .packages(let packages): (status, self.packages) = ("packages", packages)
            case .noZoneOfAgreement: (status, packages) = ("no-zone-of-agreement", [])
            case .missingPreferences(let parties): (status, self.parties) = ("missing-preferences", parties)
            case .stalePreferences(let parties): (status, self.parties) = ("stale-preferences", parties)
            }
        }
    }

    /// `answer` as a response (absent optionals are left out, keys sorted).
    static func response(_ answer: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response.text(try json(answer), status: status)
    }

    /// `answer` in JSON (absent optionals are left out, keys sorted).
    static func json(_ answer: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(answer), as: UTF8.self)
    }
}
