// swift-tools-version:6.1
// The talks load generator: a sibling package, so that `swift test` and CI never build it.
import PackageDescription

let package = Package(
    name: "TalksLoad",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        .executableTarget(
            name: "talks-load",
            dependencies: [
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "WSClient", package: "swift-websocket"),
            ]
        ),
        // The floor: the same routes over the same HTTP and WebSocket stack, with no talks, store
        // or hash chain behind them (see its main.swift).
        .executableTarget(
            name: "talks-floor",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ]
        ),
    ]
)
