// swift-tools-version:6.1
// The talks load generator: a sibling package, so that `swift test` and CI never build it.
import PackageDescription

let package = Package(
    name: "TalksLoad",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
    ],
    targets: [
        .executableTarget(
            name: "talks-load",
            dependencies: [
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "WSClient", package: "swift-websocket"),
            ]
        )
    ]
)
