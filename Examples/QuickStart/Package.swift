// swift-tools-version:6.1
//
// QuickStart: a consumer package that depends on PathThermo by path and runs the README's library example
// (Sources/QuickStart/main.swift is that example, verbatim; scripts/quickstart.sh checks both agree, builds and runs it).

import PackageDescription

let package = Package(
    name: "QuickStart",
    dependencies: [
        .package(name: "PathThermo", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "QuickStart",
            dependencies: [.product(name: "PathThermo", package: "PathThermo")]
        ),
    ]
)
