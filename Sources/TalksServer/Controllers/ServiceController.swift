import Hummingbird
import TalksStore

/// What is about the service rather than any talks: health, metrics, the contract.
struct ServiceController: APIController {
    let hub: TalksHub

    func addRoutes(to routes: APIRoutes) {
        routes.open.get("/health", use: health)
        routes.open.get("/openapi.json", use: contract)
        routes.operators.get("/metrics", use: metrics)
    }

    /// For load balancers and monitors: no token, nothing about any talks.
    @Sendable func health(_ request: Request, context: TalksRequestContext) async throws -> Response {
        do {
            try await hub.store.ping()
        } catch {
            throw Problem(.serviceUnavailable, "the store does not answer")
        }
        return .text("{\"status\":\"ok\"}")
    }

    @Sendable func contract(_ request: Request, context: TalksRequestContext) async throws -> Response {
        .text(OpenAPI.document)
    }

    /// Prometheus text, for the operators: service-wide counts move with every talks' traffic,
    /// so members may not read them.
    @Sendable func metrics(_ request: Request, context: OperatorRequestContext) async throws -> Response {
        .text(ServerMetrics.text(), type: "text/plain; version=0.0.4")
    }
}
