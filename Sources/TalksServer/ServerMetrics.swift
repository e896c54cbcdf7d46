import HTTPTypes
import Hummingbird
import Metrics
import Prometheus
import Synchronization

/// The server's metrics, as Prometheus text for `GET /metrics`.
///
/// Everything is recorded through swift-metrics (``RequestCountingMiddleware`` for requests by
/// route and status, ``HubMetrics`` for the talks), into one Prometheus registry. swift-metrics'
/// global system is bootstrapped with it once per process, when the first server is built.
/// Labels are route patterns, methods, statuses and command kinds: never a talks id, a member,
/// a token or any text.
enum ServerMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // swift-metrics labels from other libraries may use dots (`http.server.request.duration`);
        // Prometheus names may not.
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Bootstraps swift-metrics with the registry, once.
    static func start() {
        _ = registry
    }

    /// The exposition text.
    static func text() -> String {
        registry.emitToString()
    }

    static func prometheusName(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") ? $0 : "_" })
    }
}

/// What the hub records: commands and their latency, events appended, open streams, loaded
/// talks. Made when the hub is: a hub made before swift-metrics is bootstrapped records nothing.
struct HubMetrics {
    private let eventsAppended = Counter(label: "shuttle_events_appended_total")
    private let openStreams = Gauge(label: "shuttle_open_streams")
    private let loadedTalks = Gauge(label: "shuttle_loaded_talks")

    func appended(_ count: Int) { eventsAppended.increment(by: Int64(count)) }
    func streams(_ count: Int) { openStreams.record(count) }
    func loaded(_ count: Int) { loadedTalks.record(count) }

    private struct TimerKey: Hashable {
        var kind: String
        var refused: Bool
    }

    /// One timer per command kind and outcome, made once (making one asks the registry).
    private var timers: [TimerKey: Timer] = [:]

    /// Records how long a command of `kind` took, and whether it was refused.
    mutating func command(_ kind: String, refused: Bool, nanoseconds: Int64) {
        let key = TimerKey(kind: kind, refused: refused)
        if timers[key] == nil {
            let dimensions = [("command", kind), ("outcome", refused ? "refused" : "recorded")]
            timers[key] = Timer(
                label: "shuttle_command_duration",
                dimensions: dimensions,
                preferredDisplayUnit: .seconds
            )
        }
        timers[key]!.recordNanoseconds(nanoseconds)
    }
}

/// Counts requests by route pattern (`/talks/{id}/messages`, never the path itself), method and
/// status, as `http_requests_total`.
///
/// Ours rather than Hummingbird's `MetricsMiddleware`, which also times every request and
/// tracks the requests under way: measured side by side, that cost the server about a fifth more
/// CPU per event under load. The hub times the commands, which is where the time goes.
struct RequestCountingMiddleware<Context: RequestContext>: RouterMiddleware {
    private let counters = RequestCounters()
    /// A rehearsal happens in a delegation's room only: its steps are counted nowhere, not even
    /// among all talks' requests.
    static var uncounted: Set<String> { ["/talks/{id}/rehearsals"] }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let route = context.endpointPath, Self.uncounted.contains(route) { return try await next(request, context) }
        do {
            let response = try await next(request, context)
            counters.count(route: context.endpointPath, method: request.method, status: response.status.code)
            return response
        } catch {
            counters.count(
                route: context.endpointPath,
                method: request.method,
                status: (error as? any HTTPResponseError)?.status.code ?? 500
            )
            throw error
        }
    }
}

/// The request counters, made once each.
final class RequestCounters: Sendable {
    private struct Key: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var status: Int
    }

    private let counters = Mutex<[Key: Metrics.Counter]>([:])

    func count(route: String?, method: HTTPRequest.Method, status: Int) {
        let key = Key(route: route ?? "unmatched", method: method, status: status)
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Metrics.Counter(
                label: "http_requests_total",
                dimensions: [("route", key.route), ("method", method.rawValue), ("status", String(status))]
            )
            counters[key] = counter
            return counter
        }
        counter.increment()
    }
}
