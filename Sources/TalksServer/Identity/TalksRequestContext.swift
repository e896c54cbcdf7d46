import Foundation
public import Hummingbird
import Talks
import TalksStore

/// The context of every HTTP request: a body limit fit for messages and preferences, and who
/// the caller is once an authenticator in front of the route (``OperatorAuthenticator``,
/// ``MemberAuthenticator``) has read their bearer token.
///
/// Routes do not read ``identity`` themselves: they are added to a group whose child context
/// (``OperatorRequestContext``, ``MemberRequestContext``) requires it, as hummingbird-auth's
/// `AuthRequestContext` and Hummingbird's `ChildRequestContext` do.
public struct TalksRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who the bearer token belongs to; `nil` until an authenticator has resolved it.
    var identity: Identity?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Larger bodies get 413.
    public static let maximumBodySize = 256 * 1024
    public var maxUploadSize: Int { Self.maximumBodySize }
}

/// Who a request comes from.
enum Identity: Sendable {
    /// One of the people the organisation lets open talks on this server.
    case `operator`(name: String)
    /// A member of the talks in the request's path, with the version of the link they came with.
    case member(talks: TalksID, member: Member, link: Int)
}

/// The bearer token of an `Authorization` header, if it carries one.
enum BearerToken {
    static func from(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
