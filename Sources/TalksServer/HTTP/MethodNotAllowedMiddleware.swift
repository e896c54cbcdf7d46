import Foundation
import HTTPTypes
import Hummingbird

/// Answers 405 with an `Allow` header, rather than 404, when a path the API describes is asked
/// with a method it does not take (`TRACE /talks`, `DELETE /talks/{id}/events`).
///
/// The paths and their methods come from the OpenAPI document itself, so the answer and the
/// contract cannot drift apart.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each path of the document as segments (`nil` for a `{parameter}`), with its methods.
    private let routes: [(segments: [String?], methods: Set<HTTPRequest.Method>)]

    init(document: String) {
        let root = (try? JSONSerialization.jsonObject(with: Data(document.utf8))) as? [String: Any]
        let paths = root?["paths"] as? [String: [String: Any]] ?? [:]
        routes = paths.map { path, operations in
            let segments = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
            let methods = Set(operations.keys.compactMap { HTTPRequest.Method($0.uppercased()) })
            return (segments, methods)
        }
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let allowed = allowedMethods(for: request.uri.path), !allowed.contains(request.method) else {
                throw error
            }
            let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            throw Problem(
                .methodNotAllowed,
                "\(request.method.rawValue) is not a method of this path; it takes \(list)",
                headers: [.allow: list]
            )
        }
    }

    /// The methods of the document's path that `path` is, if any.
    private func allowedMethods(for path: String) -> Set<HTTPRequest.Method>? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let match = routes.first { route in
            route.segments.count == parts.count && zip(route.segments, parts).allSatisfy { $0 == nil || $0! == $1 }
        }
        return match?.methods
    }
}
