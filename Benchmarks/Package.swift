// swift-tools-version:6.1
//
// PathThermo benchmarks (ordo-one/benchmark), a package of their own so that the main package
// builds and tests without the benchmark dependencies.
//
//   cd Benchmarks
//   swift package benchmark                       # run every suite
//   swift package benchmark --target LyapunovBenchmarks --filter "continuous Lyapunov.*"
//   swift package benchmark list
//
// Each suite is an executable target in a folder directly below this one (the plugin runs only
// executable targets whose parent folder is named `Benchmarks`, which this package folder is).
//
// Traits: benchmark 1.38.1's default traits are MallocInterposer and RuntimeInterposer. On Linux
// with Swift 6.3.x the latter pulls in ordo-one/swift-runtime-interposer (ARC counters); naming
// the traits explicitly keeps only the malloc interposer (malloc metrics) and leaves the
// RuntimeInterposer trait off.

import PackageDescription

/// One benchmark suite: `<name>/` holds its sources.
func benchmarkSuite(_ name: String, dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")] + dependencies,
        path: name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "PathThermoBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        // `name:` so that products are looked up as package "PathThermo" whatever the checkout folder
        // is called (a path dependency's identity is otherwise its folder name).
        .package(name: "PathThermo", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "BenchmarkSupport", dependencies: [.product(name: "LinearAlgebra", package: "PathThermo")],
                path: "BenchmarkSupport"),
        benchmarkSuite("LyapunovBenchmarks", dependencies: [
            "BenchmarkSupport", .product(name: "LinearAlgebra", package: "PathThermo"),
        ]),
        benchmarkSuite("StochasticsBenchmarks", dependencies: [
            .product(name: "Stochastics", package: "PathThermo"),
        ]),
        benchmarkSuite("EntropyProductionBenchmarks", dependencies: [
            "BenchmarkSupport", .product(name: "Thermodynamics", package: "PathThermo"),
        ]),
        benchmarkSuite("EstimatorsBenchmarks", dependencies: [
            .product(name: "Estimators", package: "PathThermo"),
        ]),
        benchmarkSuite("DynamicsBenchmarks", dependencies: [
            .product(name: "Dynamics", package: "PathThermo"),
        ]),
        benchmarkSuite("PathSpaceBenchmarks", dependencies: [
            "BenchmarkSupport", .product(name: "PathSpace", package: "PathThermo"),
            .product(name: "Dynamics", package: "PathThermo"), .product(name: "LinearAlgebra", package: "PathThermo"),
        ]),
        benchmarkSuite("FokkerPlanckBenchmarks", dependencies: [
            .product(name: "FokkerPlanck", package: "PathThermo"), .product(name: "Dynamics", package: "PathThermo"),
        ]),
        // Mean-field spin transformers: one step (N 2048, D 512, 4 heads) against GEMM, the fixed point (N 512, D 64).
        benchmarkSuite("SpinModelsBenchmarks", dependencies: [
            .product(name: "SpinModels", package: "PathThermo"), .product(name: "LinearAlgebra", package: "PathThermo"),
        ]),
        benchmarkSuite("WorldModelBenchmarks", dependencies: [
            .product(name: "WorldModel", package: "PathThermo"),
        ]),
        benchmarkSuite("AutoregressiveBenchmarks", dependencies: [
            .product(name: "Autoregressive", package: "PathThermo"),
        ]),
        benchmarkSuite("LanguageModelBenchmarks", dependencies: [
            .product(name: "LanguageModel", package: "PathThermo"),
        ]),
        // Sparse LU (UMFPACK) and ILU(0)-BiCGSTAB on Fokker–Planck generators, 320² and 40³.
        benchmarkSuite("SparseSolveBenchmarks", dependencies: [
            .product(name: "LinearAlgebra", package: "PathThermo"),
        ]),
    ]
)
