import Foundation
public import Talks
public import TalksStore

/// The people who may open talks on a server.
public enum Operators {
    /// Adds the operator `name` to `store` and returns their token: given once, stored only as
    /// its hash.
    ///
    /// - Throws: ``StoreError/invalid(_:)`` for a name that is not 1 to 64 letters, digits,
    ///   `.`, `_` or `-`; ``StoreError/conflict(_:)`` when the name is taken.
    public static func add(_ name: String, to store: any TalksStore) async throws -> String {
        let token = Tokens.token()
        try await store.addOperator(name, tokenHash: Tokens.hash(token), time: Date().timeIntervalSince1970)
        return token
    }

    /// The operator page's address on a server at `base`: the token rides in the fragment,
    /// which browsers never send to a server.
    public static func pageLink(base: String, token: String) -> String {
        "\(base)/#operator=\(token)"
    }

    /// A member's page: the talks and the token in the fragment.
    public static func memberLink(base: String, talks: TalksID, token: String) -> String {
        "\(base)/#talks=\(talks.rawValue)&token=\(token)"
    }
}
