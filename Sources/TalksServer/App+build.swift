import Foundation
public import Hummingbird
import HummingbirdWebSocket
public import Logging
import Talks
public import TalksStore

/// The request context: a body limit fit for messages and preferences.
public struct TalksRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Larger bodies get 413.
    public static let maximumBodySize = 256 * 1024
    public var maxUploadSize: Int { Self.maximumBodySize }
}

/// Builds the server over `store`: the HTTP API and the WebSocket stream. The command line and
/// the tests both call this.
public func buildApplication(
    store: any TalksStore, host: String = "127.0.0.1", port: Int = 8080, logger: Logger = Logger(label: "shuttle")
) -> some ApplicationProtocol {
    let hub = TalksHub(store: store)
    let router = Router(context: TalksRequestContext.self)
    TalksAPI(hub: hub).register(on: router)
    let streams = Router(context: BasicWebSocketRequestContext.self)
    TalksStream(hub: hub).register(on: streams)
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: streams),
        configuration: .init(address: .hostname(host, port: port), serverName: "shuttle"),
        logger: logger
    )
}
