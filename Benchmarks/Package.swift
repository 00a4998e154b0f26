// swift-tools-version: 6.1
// The benchmarks of swr-top, on package-benchmark (ordo-one/benchmark), in a package of their
// own so that the main package carries neither the benchmark dependency tree nor a malloc
// wrapper. Run from this folder (see BENCHMARKS.md):
//   swift package --disable-sandbox benchmark
import PackageDescription

let package = Package(
    name: "Benchmarks",
    dependencies: [
        // The main package by path; named, so that the products below find it whatever the
        // folder of the clone is called.
        .package(name: "swr-top", path: ".."),
        // MallocInterposer counts allocations without jemalloc; the default traits would also
        // pull in the Linux ARC interposer package, which is not needed for these metrics.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SWRTopBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SWRAPI", package: "swr-top"),
                .product(name: "SWRWatch", package: "swr-top"),
                .product(name: "SWRTopUI", package: "swr-top"),
                .product(name: "SWRSimulator", package: "swr-top"),
                .product(name: "SWRHistory", package: "swr-top"),
            ],
            path: "Benchmarks/SWRTopBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
