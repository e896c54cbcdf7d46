import Foundation
public import Hummingbird
import NIOCore
import Talks
import TalksStore

/// An error as the API reports it: an RFC 9457 problem details document whose status says
/// what went wrong. Messages name the rule or the field, never a party's private numbers.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var detail: String
    /// Headers the answer carries besides the content type (`Allow` for a 405).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: [String: Any] = [
            "type": "about:blank", "title": status.reasonPhrase, "status": status.code, "detail": detail,
        ]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let unauthorized = Problem(.unauthorized, "a valid bearer token is required")

    /// For a 503: when to try again, in seconds.
    static let retryAfter: HTTPFields = [.retryAfter: "1"]

    /// The problem for an error from the talks or the store.
    static func from(_ error: any Error) -> any Error {
        switch error {
        case let error as TalksError:
            switch error.kind {
            case .forbidden: return Problem(.forbidden, error.message)
            case .notFound: return Problem(.notFound, error.message)
            case .rule: return Problem(.conflict, error.message)
            case .invalid: return Problem(.unprocessableContent, error.message)
            }
        case let error as StoreError:
            switch error {
            case .notFound(let message): return Problem(.notFound, message)
            case .conflict(let message): return Problem(.conflict, message)
            case .invalid(let message): return Problem(.unprocessableContent, message)
            case .unavailable(let message): return Problem(.serviceUnavailable, message, headers: retryAfter)
            }
        case let error as TalksHub.LinkRevoked:
            return Problem(.unauthorized, error.reason)
        case let error as TalksHub.ChangedMeanwhile:
            return Problem(.conflict, error.description)
        case let error as TalksHub.ShuttingDown:
            return Problem(.serviceUnavailable, error.description, headers: retryAfter)
        case let error as DecodingError:
            return Problem(.unprocessableContent, Self.describe(error))
        case let error as HTTPError:
            return Problem(error.status, error.body ?? error.status.reasonPhrase)
        case is NIOTooManyBytesError:
            return Problem(
                .contentTooLarge,
                "the body is larger than \(TalksRequestContext.maximumBodySize / 1024) KiB"
            )
        default:
            return error
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the body" : text
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the body is not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "the body cannot be read"
        }
    }
}
