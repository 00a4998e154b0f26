// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swr-top",
    products: [
        .executable(name: "swr-top", targets: ["swr-top"]),
        // For the benchmark package (Benchmarks/), which depends on this one by path.
        .library(name: "SWRAPI", targets: ["SWRAPI"]),
        .library(name: "SWRWatch", targets: ["SWRWatch"]),
        .library(name: "SWRTopUI", targets: ["SWRTopUI"]),
        .library(name: "SWRSimulator", targets: ["SWRSimulator"]),
        .library(name: "SWRHistory", targets: ["SWRHistory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "SWRAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SWRWatch",
            dependencies: [
                "SWRAPI",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "SWRHistory",
            dependencies: [
                "SWRWatch", "SWRAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "SWRSession",
            dependencies: ["SWRWatch", "SWRHistory", "SWRAPI", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "SWRTopUI", dependencies: ["SWRWatch", "SWRAPI"]),
        .target(
            name: "SWRDashboard",
            dependencies: ["SWRSession", "SWRHistory", "SWRTopUI", "Terminal", "SWRWatch", "SWRAPI", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "CNcurses",
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        .target(name: "Terminal", dependencies: ["CNcurses", "SWRTopUI"]),
        .target(
            name: "SWRSimulator",
            dependencies: [
                "SWRAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(
            name: "SWRExport",
            dependencies: [
                "SWRSession", "SWRHistory", "SWRWatch", "SWRAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "swr-top",
            dependencies: [
                "SWRAPI", "SWRSession", "SWRDashboard", "SWRSimulator", "SWRExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SWRAPITests",
            dependencies: [
                "SWRAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "SWRHistoryTests",
            dependencies: ["SWRHistory", "SWRWatch", "SWRAPI", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "SWRSessionTests", dependencies: ["SWRSession", "SWRHistory", "SWRWatch", "SWRAPI", "SWRSimulator"], exclude: ["Golden"]),
        .testTarget(name: "SWRDashboardTests", dependencies: ["SWRDashboard", "SWRSession", "SWRHistory", "SWRTopUI", "SWRWatch", "SWRAPI", "SWRSimulator", "Terminal"]),
        .testTarget(name: "SWRSimulatorTests", dependencies: ["SWRSimulator", "SWRAPI"]),
        .testTarget(name: "SWRWatchTests", dependencies: ["SWRWatch", "SWRAPI", "SWRSimulator"]),
        .testTarget(name: "SWRTopUITests", dependencies: ["SWRTopUI", "SWRWatch", "SWRAPI"], exclude: ["Golden"]),
        .testTarget(name: "ReliabilityTests", dependencies: ["SWRAPI", "SWRWatch", "SWRTopUI", "SWRSimulator"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "SWRTopUI", "SWRWatch", "SWRAPI"]),
        .testTarget(name: "SWRExportTests", dependencies: ["SWRExport", "SWRSession", "SWRHistory", "SWRWatch", "SWRAPI", "SWRSimulator"]),
        .testTarget(name: "EndToEndTests", dependencies: ["SWRSimulator", "SWRAPI"]),
    ],
    swiftLanguageModes: [.v6]
)
