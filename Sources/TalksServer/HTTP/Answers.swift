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

    /// Where a delegation's guided elicitation stands (``ElicitationProgress``).
    struct Elicitation: Encodable {
        struct Question: Encodable {
            var kind: String
            var issue: String?
            var options: [String]?
            var first: [String: String]?
            var second: [String: String]?
        }
        struct Fitted: Encodable {
            var weights: [String: Double]
            var values: [String: [String: Double]]
            var spread: [String: Double]
        }
        struct Settled: Encodable {
            var package: [String: String]
            var settled: Double
        }
        var answers: [PreferenceAnswer]
        var setAside: Int
        var question: Question?
        var fitted: Fitted
        var best: Settled
        var suggestion: Settled?

        init(_ progress: ElicitationProgress) {
            answers = progress.answers
            setAside = progress.setAside
            question = progress.question.map { question in
                switch question {
                case .order(let issue, let options): Question(kind: "order", issue: issue, options: options)
                case .compare(let first, let second): Question(kind: "compare", first: first, second: second)
                }
            }
            fitted = Fitted(weights: progress.fitted.weights, values: progress.fitted.values, spread: progress.spread)
            best = Settled(package: progress.best.package, settled: progress.best.settled)
            suggestion = progress.suggestion.map { Settled(package: $0.package, settled: $0.settled) }
        }

        private enum Key: String, CodingKey { case answers, setAside, question, fitted, best, suggestion }

        /// `question` and `suggestion` are written as null when absent, as the contract says.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(answers, forKey: .answers)
            try c.encode(setAside, forKey: .setAside)
            try c.encode(question, forKey: .question)
            try c.encode(fitted, forKey: .fitted)
            try c.encode(best, forKey: .best)
            try c.encode(suggestion, forKey: .suggestion)
        }
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
