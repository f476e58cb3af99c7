// swift-tools-version:6.1
//
// PathThermo: the irreversibility of predictive models, measured with stochastic thermodynamics.
//
// Pipeline, one module per stage:
//   CLAPACK (C shim over OpenBLAS/LAPACKE) → LinearAlgebra → Thermodynamics (exact EP)
//   CNoise (C noise kernel) → Stochastics (counter-based normals) → Dynamics (drifts, Euler–Maruyama)
//   → Estimators (blind EP), WorldModel (trainable attention world model, Dynamics + Thermodynamics)
//   → Experiments (the paper's figures) → PathThermo (umbrella) → paththermo (CLI)
// with ArrayIO (NumPy .npy and JSON matrices) beside LinearAlgebra, ResourceLimits (memory budget,
// overflow-checked byte counts; no dependencies) under every module that plans large buffers, and CFixedOrderGEMM
// (fixed-order float32 products, bit-identical for any batch or thread count) under LanguageModel.
// Benchmarks live in their own package under Benchmarks/ so that building and testing this one stays lean.

import PackageDescription

/// Files in module folders that are not sources: the CMake build and the module README.
let moduleExtras = ["CMakeLists.txt", "README.md"]

let package = Package(
    name: "PathThermo",
    products: [
        .library(name: "PathThermo", targets: ["PathThermo"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "ArrayIO", targets: ["ArrayIO"]),
        .library(name: "ResourceLimits", targets: ["ResourceLimits"]),
        .library(name: "Thermodynamics", targets: ["Thermodynamics"]),
        .library(name: "Stochastics", targets: ["Stochastics"]),
        .library(name: "Dynamics", targets: ["Dynamics"]),
        .library(name: "Estimators", targets: ["Estimators"]),
        .library(name: "WorldModel", targets: ["WorldModel"]),
        .library(name: "Autoregressive", targets: ["Autoregressive"]),
        .library(name: "LanguageModel", targets: ["LanguageModel"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .executable(name: "paththermo", targets: ["PathThermoCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // DocC (`swift package generate-documentation`): one catalog per module, Sources/<Module>/<Module>.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLAPACK",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Memory budget and overflow-checked byte counts: a leaf, so every module that allocates can check a plan.
        .target(name: "ResourceLimits", exclude: moduleExtras),
        .target(name: "LinearAlgebra", dependencies: ["CLAPACK"], exclude: moduleExtras),
        .target(name: "ArrayIO", dependencies: ["LinearAlgebra"], exclude: moduleExtras),
        .target(name: "Thermodynamics", dependencies: ["LinearAlgebra"], exclude: moduleExtras),
        // Fast noise kernel (AVX2+FMA with runtime dispatch, portable fallback, same bits); see Sources/CNoise.
        .target(name: "CNoise", exclude: moduleExtras),
        .target(name: "Stochastics", dependencies: ["CNoise"], exclude: moduleExtras),
        .target(name: "Dynamics", dependencies: ["CLAPACK", "LinearAlgebra", "ArrayIO", "Stochastics", "ResourceLimits"], exclude: moduleExtras),
        .target(name: "Estimators", dependencies: ["CLAPACK", "LinearAlgebra", "ArrayIO", "Dynamics", "ResourceLimits"], exclude: moduleExtras),
        .target(name: "WorldModel", dependencies: ["CLAPACK", "LinearAlgebra", "Thermodynamics", "Dynamics", "Stochastics", "ResourceLimits"], exclude: moduleExtras),
        .target(name: "Autoregressive", dependencies: ["CLAPACK", "LinearAlgebra", "Stochastics", "ResourceLimits"], exclude: moduleExtras),
        // Fixed-order float32 products (AVX2+FMA with runtime dispatch, portable fallback, same bits); see Sources/CFixedOrderGEMM.
        // -O2 in debug builds too: at -O0 the intrinsics kernel runs ≈ 50× slower, and the debug test suite runs
        // SmolLM2 through it (allowed for this package and path dependencies such as Benchmarks/).
        .target(name: "CFixedOrderGEMM", exclude: moduleExtras,
                cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        .target(name: "LanguageModel", dependencies: ["CLAPACK", "CFixedOrderGEMM", "LinearAlgebra", "Autoregressive"], exclude: moduleExtras),
        .target(
            name: "Experiments",
            dependencies: ["LinearAlgebra", "ArrayIO", "Thermodynamics", "Dynamics", "Estimators", "WorldModel", "Autoregressive", "LanguageModel", "ResourceLimits"],
            exclude: moduleExtras
        ),
        .target(
            name: "PathThermo",
            dependencies: ["LinearAlgebra", "ArrayIO", "Thermodynamics", "Stochastics", "Dynamics", "Estimators", "WorldModel", "Autoregressive", "LanguageModel", "Experiments", "ResourceLimits"],
            exclude: ["CMakeLists.txt"]
        ),
        .executableTarget(
            name: "PathThermoCLI",
            dependencies: [
                "PathThermo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["CMakeLists.txt"]
        ),
        .target(name: "TestSupport", dependencies: ["LinearAlgebra"], path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "ArrayIO", "TestSupport"]),
        .testTarget(name: "ArrayIOTests", dependencies: ["ArrayIO", "TestSupport"]),
        .testTarget(name: "ResourceLimitsTests", dependencies: ["ResourceLimits"]),
        .testTarget(name: "ThermodynamicsTests", dependencies: ["Thermodynamics", "ArrayIO", "TestSupport"]),
        .testTarget(name: "PathThermoCLITests", dependencies: ["PathThermoCLI", "TestSupport"]),
        .testTarget(name: "StochasticsTests", dependencies: ["Stochastics", "TestSupport"]),
        .testTarget(name: "DynamicsTests", dependencies: ["Dynamics", "Thermodynamics", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "LanguageModel", "Autoregressive", "TestSupport"]),
        .testTarget(name: "EstimatorsTests", dependencies: ["Estimators", "Dynamics", "Thermodynamics", "TestSupport"]),
        .testTarget(name: "WorldModelTests", dependencies: ["WorldModel", "Dynamics", "TestSupport"]),
        .testTarget(name: "AutoregressiveTests", dependencies: ["Autoregressive", "TestSupport"]),
        .testTarget(name: "LanguageModelTests", dependencies: ["LanguageModel", "TestSupport"]),
    ]
)
