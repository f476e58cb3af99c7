// swift-tools-version:6.1
//
// PathThermo fuzz targets (libFuzzer), a package of their own so that the main package builds and
// tests without sanitizers. Each target is an executable whose `LLVMFuzzerTestOneInput` feeds the
// bytes to the parser the CLI uses; libFuzzer supplies `main`. Build and run them with
//
//   scripts/fuzz.sh 60                 # every target, 60 s each (builds first)
//
// which runs, in this folder,
//
//   swift build --build-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
//
// Each `<Target>/main.swift` hands its callback to `LLVMFuzzerRunDriver` (libFuzzer's driver, declared in
// CLibFuzzer): SwiftPM links an executable's entry point under its own name, so libFuzzer's `main` is not
// used and no `-parse-as-library` is needed.
// A thrown error is a correct answer to bad bytes; only a trap, a sanitizer report, an out-of-memory
// or a timeout is a failure (see README.md).

import PackageDescription

/// One fuzz target: `<name>/main.swift` runs libFuzzer on its `fuzz(_:)` function.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "PathThermo") },
        path: name
    )
}

let package = Package(
    name: "PathThermoFuzz",
    dependencies: [
        // `name:` so that products are looked up as package "PathThermo" whatever the checkout folder is called.
        .package(name: "PathThermo", path: ".."),
    ],
    targets: [
        .target(name: "CLibFuzzer", path: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "FuzzSupport"),
        fuzzTarget("FuzzNPY", ["ArrayIO", "Estimators"]),
        fuzzTarget("FuzzJSONMatrix", ["ArrayIO", "LinearAlgebra"]),
        fuzzTarget("FuzzCSV", ["Estimators"]),
        fuzzTarget("FuzzGGUF", ["LanguageModel"]),
        fuzzTarget("FuzzSafetensors", ["LanguageModel"]),
    ]
)
