// swift-tools-version:6.1
//
// PathThermo: the irreversibility of predictive models, measured with stochastic thermodynamics.
//
// Pipeline, one module per stage:
//   CLAPACK (C shim over OpenBLAS/LAPACKE/UMFPACK, imported by LinearAlgebra only) → LinearAlgebra (Matrix, LAPACK,
//   matrix equations, and the pointer-level BLAS every other module calls) → Thermodynamics (exact EP)
//   CNoise (C noise kernel) → Stochastics (counter-based normals) → Dynamics (drifts, Euler–Maruyama)
//   → Estimators (blind EP), PathSpace (Onsager–Machlup action, instanton, plans, path covariance),
//   FokkerPlanck (exact stationary EP of nonlinear drifts in d = 2, 3), SpinModels (mean-field spin transformers,
//   kinetic Ising EP; LinearAlgebra + Stochastics), WorldModel (trainable attention world model, Dynamics + Thermodynamics)
//   → Experiments (the paper's figures) → PathThermo (umbrella) → paththermo (CLI)
//   and PathThermo → PathThermoCABI (the C ABI of include/paththermo.h, dynamic product paththermo_c, for python/)
// with ArrayIO (NumPy .npy and JSON matrices) beside LinearAlgebra, ResourceLimits (memory budget,
// overflow-checked byte counts; no dependencies) under every module that plans large buffers, Parallel (parallel
// loops, ordered reductions, first-error capture, the progress bar, the `threads` convention; no dependencies) under
// every module that runs work on several threads (LinearAlgebra, Thermodynamics, Dynamics, WorldModel,
// Autoregressive, LanguageModel, Experiments), and CFixedOrderGEMM
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
        .library(name: "Parallel", targets: ["Parallel"]),
        .library(name: "Thermodynamics", targets: ["Thermodynamics"]),
        .library(name: "Stochastics", targets: ["Stochastics"]),
        .library(name: "Dynamics", targets: ["Dynamics"]),
        .library(name: "Estimators", targets: ["Estimators"]),
        .library(name: "WorldModel", targets: ["WorldModel"]),
        .library(name: "PathSpace", targets: ["PathSpace"]),
        .library(name: "FokkerPlanck", targets: ["FokkerPlanck"]),
        .library(name: "SpinModels", targets: ["SpinModels"]),
        .library(name: "Autoregressive", targets: ["Autoregressive"]),
        .library(name: "LanguageModel", targets: ["LanguageModel"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .executable(name: "paththermo", targets: ["PathThermoCLI"]),
        // The C ABI for Python (include/paththermo.h, docs/python.md): libpaththermo_c.so.
        .library(name: "paththermo_c", type: .dynamic, targets: ["PathThermoCABI"]),
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
            providers: [.apt(["libopenblas-dev", "liblapacke-dev", "libsuitesparse-dev"])]
        ),
        // Memory budget and overflow-checked byte counts: a leaf, so every module that allocates can check a plan.
        .target(name: "ResourceLimits", exclude: moduleExtras),
        // Parallel loops with thread-invariant results, ordered reductions, the progress bar: a leaf, under every
        // module that runs work on several threads.
        .target(name: "Parallel", exclude: moduleExtras),
        .target(name: "LinearAlgebra", dependencies: ["CLAPACK", "Parallel"], exclude: moduleExtras),
        .target(name: "ArrayIO", dependencies: ["LinearAlgebra"], exclude: moduleExtras),
        .target(name: "Thermodynamics", dependencies: ["LinearAlgebra", "Parallel"], exclude: moduleExtras),
        // Fast noise kernel (AVX2+FMA with runtime dispatch, portable fallback, same bits); see Sources/CNoise.
        .target(name: "CNoise", exclude: moduleExtras),
        .target(name: "Stochastics", dependencies: ["CNoise"], exclude: moduleExtras),
        .target(name: "Dynamics", dependencies: ["LinearAlgebra", "ArrayIO", "Stochastics", "ResourceLimits", "Parallel"], exclude: moduleExtras),
        .target(name: "Estimators", dependencies: ["LinearAlgebra", "ArrayIO", "Dynamics", "ResourceLimits", "Parallel"], exclude: moduleExtras),
        // Path-space inference: the Onsager–Machlup action, instantons, plans, predictive covariance.
        .target(name: "PathSpace", dependencies: ["LinearAlgebra", "Dynamics", "Parallel", "ResourceLimits"], exclude: moduleExtras),
        // Exact stationary EP of a nonlinear drift in d = 2, 3: Scharfetter–Gummel finite volumes, sparse solve, Schnakenberg sum.
        .target(name: "FokkerPlanck", dependencies: ["LinearAlgebra", "Dynamics", "Parallel", "ResourceLimits"], exclude: moduleExtras),
        // Mean-field vector-spin transformers (vMF moments, Plefka[t−1,t] dynamics, fixed points, EP proxies, the
        // sampled vMF chain) and the kinetic Ising model's exact and mean-field EP.
        .target(name: "SpinModels", dependencies: ["LinearAlgebra", "Stochastics", "Parallel", "ResourceLimits"], exclude: moduleExtras),
        .target(name: "WorldModel", dependencies: ["LinearAlgebra", "Thermodynamics", "Dynamics", "Stochastics", "ResourceLimits", "Parallel"], exclude: moduleExtras),
        .target(name: "Autoregressive", dependencies: ["LinearAlgebra", "Stochastics", "ResourceLimits", "Parallel"], exclude: moduleExtras),
        // Fixed-order float32 products (AVX2+FMA with runtime dispatch, portable fallback, same bits); see Sources/CFixedOrderGEMM.
        // -O2 in debug builds too: at -O0 the intrinsics kernel runs ≈ 50× slower, and the debug test suite runs
        // SmolLM2 through it (allowed for this package and path dependencies such as Benchmarks/).
        .target(name: "CFixedOrderGEMM", exclude: moduleExtras,
                cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        .target(name: "LanguageModel", dependencies: ["CFixedOrderGEMM", "Autoregressive", "Parallel"], exclude: moduleExtras),
        .target(
            name: "Experiments",
            dependencies: ["LinearAlgebra", "ArrayIO", "Thermodynamics", "Stochastics", "Dynamics", "Estimators", "WorldModel", "PathSpace", "FokkerPlanck", "SpinModels", "Autoregressive", "LanguageModel", "ResourceLimits", "Parallel"],
            exclude: moduleExtras,
            // The matplotlib scripts, compiled in as `PackageResources.plot_*_py` bytes (the CMake build does the
            // same with paththermo_embed_resources).
            resources: [.embedInCode("Plots")]
        ),
        .target(
            name: "PathThermo",
            dependencies: ["LinearAlgebra", "ArrayIO", "Thermodynamics", "Stochastics", "Dynamics", "Estimators", "WorldModel", "PathSpace", "FokkerPlanck", "SpinModels", "Autoregressive", "LanguageModel", "Experiments", "ResourceLimits", "Parallel"],
            exclude: ["CMakeLists.txt"]
        ),
        // The git commit of the build for `paththermo --version` and the provenance of JSON results (offline; see
        // Plugins/BuildCommit; the CMake build uses cmake/modules/PathThermoBuildCommit.cmake).
        .plugin(name: "BuildCommit", capability: .buildTool(), path: "Plugins/BuildCommit"),
        .executableTarget(
            name: "PathThermoCLI",
            dependencies: [
                "PathThermo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["CMakeLists.txt"],
            plugins: ["BuildCommit"]
        ),
        // The C ABI (issue 18): @_cdecl functions that convert caller arrays, call one library function each and turn
        // every error into a status code and a one-line message (include/paththermo.h; the Python package in python/).
        .target(name: "PathThermoCABI", dependencies: ["PathThermo"], exclude: ["README.md"]),
        .target(name: "TestSupport", dependencies: ["LinearAlgebra"], path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "ArrayIO", "TestSupport"]),
        .testTarget(name: "ArrayIOTests", dependencies: ["ArrayIO", "TestSupport"]),
        .testTarget(name: "ResourceLimitsTests", dependencies: ["ResourceLimits"]),
        .testTarget(name: "ParallelTests", dependencies: ["Parallel", "TestSupport"]),
        .testTarget(name: "ThermodynamicsTests", dependencies: ["Thermodynamics", "ArrayIO", "TestSupport"]),
        .testTarget(name: "PathThermoCLITests", dependencies: ["PathThermoCLI", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "StochasticsTests", dependencies: ["Stochastics", "TestSupport"]),
        .testTarget(name: "DynamicsTests", dependencies: ["Dynamics", "Thermodynamics", "Parallel", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "LanguageModel", "Autoregressive", "TestSupport"]),
        .testTarget(name: "EstimatorsTests", dependencies: ["Estimators", "Dynamics", "Thermodynamics", "TestSupport"]),
        .testTarget(name: "PathSpaceTests", dependencies: ["PathSpace", "Dynamics", "Thermodynamics", "TestSupport"]),
        .testTarget(name: "FokkerPlanckTests", dependencies: ["FokkerPlanck", "Dynamics", "Thermodynamics", "TestSupport"]),
        .testTarget(name: "SpinModelsTests", dependencies: ["SpinModels", "LinearAlgebra", "ResourceLimits", "TestSupport"]),
        .testTarget(name: "WorldModelTests", dependencies: ["WorldModel", "Dynamics", "TestSupport"]),
        .testTarget(name: "AutoregressiveTests", dependencies: ["Autoregressive", "TestSupport"]),
        .testTarget(name: "LanguageModelTests", dependencies: ["LanguageModel", "TestSupport"]),
        .testTarget(name: "PathThermoCABITests", dependencies: ["PathThermoCABI", "PathThermo"]),
    ]
)
