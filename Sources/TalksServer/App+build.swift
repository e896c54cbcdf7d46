import Foundation
public import Hummingbird
import HummingbirdWebSocket
public import Logging
import ServiceLifecycle
import Talks
public import TalksStore

/// Builds the server over `store`: the HTTP API and the WebSocket stream. The command line and
/// the tests both call this.
///
/// - Parameters:
///   - maxLoadedTalks: how many talks the server holds in memory at most (``TalksHub``).
///   - clock: the time events are stamped with (the system's when `nil`; tests fix it).
///   - name: the server's name, given to its signing key if the store holds none yet.
public func buildApplication(
    store: any TalksStore,
    host: String = "127.0.0.1",
    port: Int = 8080,
    maxLoadedTalks: Int = 1_000,
    clock: (@Sendable () -> Double)? = nil,
    name: String = "shuttle",
    logger: Logger = Logger(label: "shuttle")
) -> some ApplicationProtocol {
    ServerMetrics.start()
    let hub = TalksHub(store: store, maxLoadedTalks: maxLoadedTalks, now: clock, keyName: name)
    let router = buildRouter(hub: hub, logger: logger)
    let streams = Router(context: BasicWebSocketRequestContext.self)
    TalksStream(hub: hub).register(on: streams)
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: streams),
        configuration: .init(address: .hostname(host, port: port), serverName: "shuttle"),
        services: [HubShutdown(hub: hub), OtherInstances(hub: hub)],
        logger: logger
    )
}

/// The HTTP routes over `hub`: the pages, then the API's controllers (``TalksAPI``).
package func buildRouter(hub: TalksHub, logger: Logger) -> Router<TalksRequestContext> {
    let router = Router(context: TalksRequestContext.self)
    router.add(middleware: RequestLoggingMiddleware())
    router.add(middleware: RequestCountingMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(document: OpenAPI.document))
    router.add(middleware: SecurityHeadersMiddleware())
    if let pages = Bundle.module.resourceURL?.appendingPathComponent("Web").path {
        router.add(middleware: FileMiddleware(pages, searchForIndexHtml: true, logger: logger))
    }
    TalksAPI.addRoutes(to: router, hub: hub)
    return router
}

/// On SIGTERM (or SIGINT), once the HTTP server has finished the requests under way: lets the
/// hub end its streams and refuse anything new. (The server's graceful shutdown already closes
/// each WebSocket with a close code; this ends what remains.)
struct HubShutdown: Service {
    let hub: TalksHub

    func run() async throws {
        // Cancelled rather than shut down gracefully: nothing to wait for.
        guard (try? await gracefulShutdown()) != nil else { return }
        await hub.shutDown()
    }
}

/// On a database shared with other instances: hands this instance's streams what the others
/// append, until the server stops.
struct OtherInstances: Service {
    let hub: TalksHub

    func run() async throws {
        await cancelWhenGracefulShutdown { await hub.followOtherInstances() }
        // Without a shared store that returns at once; a service that ends would stop the server.
        try? await gracefulShutdown()
    }
}

/// Headers that keep the pages to themselves: no scripts or connections but the server's own,
/// no referrer (the token lives in the fragment, which browsers never send, but be sure), no
/// framing, no content sniffing.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = TalksRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
        response.headers[values: .init("Referrer-Policy")!] = ["no-referrer"]
        response.headers[values: .init("X-Content-Type-Options")!] = ["nosniff"]
        return response
    }
}
