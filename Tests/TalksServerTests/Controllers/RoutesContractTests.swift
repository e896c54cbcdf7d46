import Foundation
import Hummingbird
import Logging
import TalksServer
import TalksStore
import Testing

/// The router, the contract (`openapi.json`) and the pages (`Web/*.js`) name the same routes.
struct RoutesContractTests {
    static let serverSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TalksServer")

    /// `"GET /talks/{id}/events"` for each path and method of the contract.
    static func documentedRoutes() throws -> Set<String> {
        let data = try Data(contentsOf: serverSources.appendingPathComponent("openapi.json"))
        let paths = try #require(
            (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["paths"] as? [String: [String: Any]]
        )
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        return Set(
            paths.flatMap { path, operations in
                operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            }
        )
    }

    @Test func theRouterTakesExactlyTheContractsPathsAndMethods() throws {
        let router = buildRouter(hub: TalksHub(store: MemoryTalksStore()), logger: Logger(label: "test"))
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = try Self.documentedRoutes()
        #expect(
            served.subtracting(documented).isEmpty,
            "served but not in openapi.json: \(served.subtracting(documented).sorted())"
        )
        #expect(
            documented.subtracting(served).isEmpty,
            "in openapi.json but not served: \(documented.subtracting(served).sorted())"
        )
        #expect(served.count > 30)
    }

    /// The calls the pages make through their `API` (`api.get("/events")`, `api.post(\`/clauses/${id}/settle\`)`),
    /// each a path of the contract under `/talks/{id}` with that method.
    @Test func thePagesCallOnlyRoutesOfTheContract() throws {
        let documented = try Self.documentedRoutes()
        let web = Self.serverSources.appendingPathComponent("Web")
        let call = try Regex(#"api\.(get|post|put|delete)\(\s*[`"]([^`"?]*)"#)
        let alternatives = try Regex(#"\?\s*"(/[^"]+)"\s*:\s*"(/[^"]+)""#)
        var called: [(method: String, path: String, file: String)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: web.path) where file.hasSuffix(".js") {
            let source = try String(contentsOf: web.appendingPathComponent(file), encoding: .utf8)
            for match in source.matches(of: call) {
                let method = String(match.output[1].substring ?? "").uppercased()
                called.append((method, String(match.output[2].substring ?? ""), file))
            }
            // `api.post(open ? "/joint-session/close" : "/joint-session/open")`
            for line in source.split(separator: "\n") where line.contains("api.post(") {
                for match in line.matches(of: alternatives) {
                    called.append(("POST", String(match.output[1].substring ?? ""), file))
                    called.append(("POST", String(match.output[2].substring ?? ""), file))
                }
            }
        }
        let known = called.filter { !$0.path.isEmpty }
        #expect(known.count >= 25, "found only \(known.count) calls in the pages")
        for (method, path, file) in known {
            // `${…}` in a template is one path parameter.
            let template = path.replacing(try Regex(#"\$\{[^}]*\}"#), with: "{}")
            let pattern = "\(method) /talks/{id}\(template)"
            let matches = documented.contains { route in Self.matches(route, pattern) }
            #expect(matches, "\(file) calls \(pattern), which openapi.json does not describe")
        }
    }

    /// Whether a documented route (`POST /talks/{id}/clauses/{clause}/settle`) is `pattern`
    /// (`POST /talks/{id}/clauses/{}/settle`), any `{…}` standing for any parameter.
    static func matches(_ route: String, _ pattern: String) -> Bool {
        let a = route.split(separator: "/")
        let b = pattern.split(separator: "/")
        return a.count == b.count && zip(a, b).allSatisfy { x, y in x == y || (x.hasPrefix("{") && y.hasPrefix("{")) }
    }
}
