// swift-tools-version:6.1
// In-process benchmarks, kept out of the main package so they add nothing to its build.
// Run through scripts/bench.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, and a clone may be named anything.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "regdb-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "LookupBench",
            dependencies: [
                .product(name: "RegDB", package: mainPackage),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
