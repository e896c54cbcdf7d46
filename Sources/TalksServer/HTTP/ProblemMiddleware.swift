import Hummingbird

/// Turns whatever a route throws into the problem document the API answers with
/// (``Problem/from(_:)``), so that routes throw the talks' and the store's own errors.
///
/// It sits on the API's routes only: a path no route takes is left to the pages and to
/// ``MethodNotAllowedMiddleware``, which tell a 404 from a 405.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw Problem.from(error)
        }
    }
}
