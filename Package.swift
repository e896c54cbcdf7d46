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
        .library(name: "Talks", targets: ["Talks"]),
        .executable(name: "shuttle", targets: ["shuttle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The engine: outcome spaces, utilities, analytics. No dependency beyond the toolchain.
        .target(name: "NegotiationEngine", swiftSettings: swiftSettings),
        // Reading and writing GENIUS XML and Shuttle JSON; SVG plots.
        .target(name: "NegotiationFormats", dependencies: ["NegotiationEngine"], swiftSettings: swiftSettings),
        // The talks: commands -> events, visibility, state by folding events. No I/O.
        .target(name: "Talks", dependencies: ["NegotiationEngine"], swiftSettings: swiftSettings),
        // The record's storage: the protocol and the in-memory store; SQLite (GRDB) beside it.
        .target(name: "TalksStore", dependencies: ["Talks"], swiftSettings: swiftSettings),
        .target(
            name: "TalksStoreSQLite",
            dependencies: ["TalksStore", "Talks", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The conformance suite every store runs.
        .target(name: "TalksTesting", dependencies: ["TalksStore", "Talks"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "shuttle",
            dependencies: [
                "NegotiationEngine", "NegotiationFormats", "Talks", "TalksStore", "TalksStoreSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "NegotiationEngineTests", dependencies: ["NegotiationEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "TalksTests", dependencies: ["Talks", "NegotiationEngine"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TalksStoreTests",
            dependencies: ["TalksStore", "TalksStoreSQLite", "TalksTesting", "Talks", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NegotiationFormatsTests",
            dependencies: ["NegotiationFormats", "NegotiationEngine"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "shuttleTests",
            dependencies: ["shuttle", "Talks", "TalksStore", "TalksStoreSQLite", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
    ]
)
