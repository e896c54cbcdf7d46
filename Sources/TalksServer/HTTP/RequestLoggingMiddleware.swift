import Hummingbird
import Logging

/// At debug level, one line per request: its method, its route as the contract names it
/// (`/talks/{id}/messages`) and its status. Never a path as sent (talks and member ids), a
/// header (tokens) or a body (texts): the log is one of the paths out that confidentiality covers.
struct RequestLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.logger.logLevel <= .debug,
            !RequestCountingMiddleware<Context>.uncounted.contains(context.endpointPath ?? "")
        else { return try await next(request, context) }
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int) {
        context.logger.debug(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "unmatched")",
                "status": "\(status)",
            ]
        )
    }
}
