// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "shuttle",
    products: [
        .library(name: "NegotiationEngine", targets: ["NegotiationEngine"]),
        .library(name: "NegotiationFormats", targets: ["NegotiationFormats"]),
        .library(name: "NegotiationAgents", targets: ["NegotiationAgents"]),
        .library(name: "Talks", targets: ["Talks"]),
        .library(name: "TransparencyLog", targets: ["TransparencyLog"]),
        .executable(name: "shuttle", targets: ["shuttle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The engine: outcome spaces, utilities, analytics. No dependency beyond the toolchain.
        .target(name: "NegotiationEngine", swiftSettings: swiftSettings),
        // Reading and writing GENIUS XML and Shuttle JSON; SVG plots.
        .target(name: "NegotiationFormats", dependencies: ["NegotiationEngine"], swiftSettings: swiftSettings),
        // Negotiators in other processes, any language, over Shuttle's line-delimited JSON agent
        // protocol: the edge where negotiations meet I/O.
        .target(
            name: "NegotiationAgents",
            dependencies: [
                "NegotiationEngine", "NegotiationFormats",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // The talks: commands -> events, visibility, state by folding events. No I/O; SHA-256
        // and Ed25519 from swift-crypto; checkpoints, for signed agreements, from TransparencyLog.
        .target(
            name: "Talks",
            dependencies: ["NegotiationEngine", "TransparencyLog", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Merkle logs, proofs and signed checkpoints (RFC 9162, C2SP signed-note and
        // tlog-checkpoint): what lets a member check the record without trusting the server.
        // SHA-256 and Ed25519 from swift-crypto.
        .target(
            name: "TransparencyLog",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The record's storage: the protocol and the in-memory store; SQLite (GRDB) beside it.
        .target(name: "TalksStore", dependencies: ["Talks"], swiftSettings: swiftSettings),
        .target(
            name: "TalksStoreSQLite",
            dependencies: ["TalksStore", "Talks", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TalksStorePostgres",
            dependencies: ["TalksStore", "Talks", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: swiftSettings
        ),
        // The server: HTTP and WebSocket over the talks and a store.
        .target(
            name: "TalksServer",
            dependencies: [
                "Talks", "TalksStore", "NegotiationEngine", "TransparencyLog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The web pages: hand-written HTML, CSS and JavaScript modules, served as they are;
            // and the API's OpenAPI document.
            resources: [.copy("Web"), .copy("openapi.json")],
            swiftSettings: swiftSettings
        ),
        // The conformance suite every store runs.
        .target(
            name: "TalksTesting",
            dependencies: ["TalksStore", "Talks", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Commands run to their end under a time limit, for the tests that start processes.
        .target(name: "CommandTesting", swiftSettings: swiftSettings),
        .executableTarget(
            name: "shuttle",
            dependencies: [
                "NegotiationEngine", "NegotiationFormats", "NegotiationAgents", "Talks", "TalksStore",
                "TalksStoreSQLite", "TalksStorePostgres", "TalksServer",
                "TransparencyLog", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "NegotiationEngineTests", dependencies: ["NegotiationEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "TransparencyLogTests", dependencies: ["TransparencyLog"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TalksTests",
            dependencies: [
                "Talks", "TalksTesting", "NegotiationEngine", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TalksStoreTests",
            dependencies: [
                "TalksStore", "TalksStoreSQLite", "TalksTesting", "Talks",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TalksStorePostgresTests",
            dependencies: [
                "TalksStorePostgres", "TalksStore", "TalksTesting", "Talks",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NegotiationAgentsTests",
            dependencies: [
                "NegotiationAgents", "NegotiationEngine", "NegotiationFormats", "CommandTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            // Agents the tests run as processes, from their source folder.
            exclude: ["Agents"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NegotiationFormatsTests",
            dependencies: ["NegotiationFormats", "NegotiationEngine"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TalksServerTests",
            dependencies: [
                "TalksServer", "TalksStore", "TalksStorePostgres", "Talks", "TalksTesting", "NegotiationEngine",
                "TransparencyLog", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "shuttleTests",
            dependencies: [
                "shuttle", "Talks", "TalksStore", "TalksStoreSQLite", "CommandTesting", "TransparencyLog",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
