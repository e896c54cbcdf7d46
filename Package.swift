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
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // The engine: outcome spaces, utilities, analytics. No dependency beyond the toolchain.
        .target(name: "NegotiationEngine", swiftSettings: swiftSettings),
        // Reading and writing GENIUS XML and Shuttle JSON; SVG plots.
        .target(name: "NegotiationFormats", dependencies: ["NegotiationEngine"], swiftSettings: swiftSettings),
        // The talks: commands -> events, visibility, state by folding events. No I/O.
        .target(name: "Talks", dependencies: ["NegotiationEngine"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "shuttle",
            dependencies: [
                "NegotiationEngine", "NegotiationFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "NegotiationEngineTests", dependencies: ["NegotiationEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "TalksTests", dependencies: ["Talks", "NegotiationEngine"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NegotiationFormatsTests",
            dependencies: ["NegotiationFormats", "NegotiationEngine"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "shuttleTests",
            dependencies: ["shuttle"],
            swiftSettings: swiftSettings
        ),
    ]
)
