import Foundation
import Hummingbird

extension Request {
    /// The body as JSON: malformed JSON is a 422 naming the field (``Problem/from(_:)``), an
    /// oversized body a 413. Hummingbird's own `decode` would answer 400.
    func json<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    /// The integer query parameter `name`: `fallback` when absent, 422 when it is not a whole
    /// number in `range` (never a silent default).
    func integer(query name: String, default fallback: Int, in range: ClosedRange<Int>) throws(Problem) -> Int {
        guard uri.queryParameters[Substring(name)] != nil else { return fallback }
        return try integer(query: name, in: range)
    }

    /// The query parameter `name`, which must be given, as a whole number within `range`.
    ///
    /// - Throws: a 422 ``Problem`` naming the parameter when it is missing or is not one.
    func integer(query name: String, in range: ClosedRange<Int>) throws(Problem) -> Int {
        guard let text = uri.queryParameters[Substring(name)] else {
            throw Problem(.unprocessableContent, "query parameter '\(name)' is required")
        }
        guard let value = Int(text), range.contains(value) else {
            let bounds =
                range.upperBound == Int.max
                ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw Problem(
                .unprocessableContent,
                "query parameter '\(name)' must be a whole number \(bounds), not '\(text.prefix(40))'"
            )
        }
        return value
    }
}

extension Response {
    /// A response whose body is already written.
    static func text(_ body: String, status: HTTPResponse.Status = .ok, type: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
