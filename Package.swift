// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "regdb",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RegDB", targets: ["RegDB"]),
        .executable(name: "regdb", targets: ["RegDBTool"]),
        .executable(name: "regdb-serve", targets: ["RegDBServe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
    ],
    targets: [
        // The registry: schema, seeds, import, check, queries. Everything but the CLI. Builds with
        // the system SQLite alone: libcurl and zlib are loaded only when discovery or a gzip needs them.
        .target(
            name: "RegDB",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                "CGzip",
                "CHTTP",
            ],
            plugins: [.plugin(name: "EmbedSchema")]
        ),
        // One HTTP GET for discovery, through libcurl loaded on first use (dlopen): the binary
        // starts without loading libcurl and its TLS stack, and building needs no curl headers.
        .target(name: "CHTTP", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // gzip through the system zlib, loaded on first use (models.dev ships data.json.gz):
        // RegDB builds with SQLite alone.
        .target(name: "CGzip", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // The `regdb` binary: parse arguments, call one RegDB function, render.
        .executableTarget(
            name: "RegDBTool",
            dependencies: [
                "RegDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `regdb serve`: the read-only HTTP API and the site, on Hummingbird, in a binary of its
        // own so the CLI does not carry a server (`regdb serve` starts it from beside itself).
        .executableTarget(
            name: "RegDBServe",
            dependencies: [
                "RegDB",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Build-time tool: turns the root schema.sql into a Swift string constant, and into the
        // database it makes (SQLite runs it here), so the binary carries the one schema wherever
        // it is copied and a new registry is a copy of that database, not schema.sql run again.
        .executableTarget(name: "SchemaEmbedder", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .plugin(
            name: "EmbedSchema",
            capability: .buildTool(),
            dependencies: ["SchemaEmbedder"]
        ),
        .testTarget(name: "RegDBTests", dependencies: ["RegDB", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures"]),
        .testTarget(name: "RegDBToolTests", dependencies: ["RegDBTool"], exclude: ["Support/fake_server.py"]),
    ]
)
