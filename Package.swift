// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets have no `main` of their own (libFuzzer supplies it), so they link only with
// `-sanitize=fuzzer`: they are declared only when SEG_FUZZ=1 (scripts/fuzz sets it), and a plain
// `swift build` or `swift test` never sees them.
let fuzzing = Context.environment["SEG_FUZZ"] == "1"
// Each target also checks every output it makes with SegTestSupport's OutputCheck.
let fuzzNames = ["FuzzQuery", "FuzzCSV", "FuzzJSON", "FuzzBook"]
let fuzzTargets: [Target] = fuzzing ? fuzzNames.map { name in
    .executableTarget(name: name, dependencies: ["SegCommands", "SegSQL", "SegTestSupport"], path: "fuzz/targets/\(name)")
} : []
let fuzzProducts: [Product] = fuzzing ? fuzzNames.map { .executable(name: $0, targets: [$0]) } : []

/// Hot loops cross layers (the engine's kernels call the store's bitmaps and the pattern
/// matchers): release builds let the optimizer inline across modules as within one.
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

/// Every library layer, for the test targets that reach into all of them.
let layers: [Target.Dependency] = ["SegBase", "SegPatterns", "SegSyntax", "SegStore", "SegFunctions", "SegSemantics",
                                   "SegIO", "SegEngine", "SegSQL", "SegCommands"]

let package = Package(
    name: "seg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "seg", targets: ["seg"]),
        .library(name: "SegCommands", targets: ["SegCommands"]),
    ] + fuzzProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already dependencies of postgres-nio; named so SegPostgres can import them directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.3"),
        // Reading .xlsx workbooks (zip archives of XML).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // The layers, lowest first; each may use only those listed as its dependencies, so the
        // compiler keeps the direction (README "Architecture" draws the graph).
        .target(name: "SegBase", swiftSettings: crossModule),
        .target(name: "SegPatterns", dependencies: ["SegBase"], swiftSettings: crossModule),
        .target(name: "SegSyntax", dependencies: ["SegBase"], swiftSettings: crossModule),
        .target(name: "SegStore", dependencies: ["SegBase"], swiftSettings: crossModule),
        .target(name: "SegFunctions", dependencies: ["SegStore"], swiftSettings: crossModule),
        .target(name: "SegSemantics", dependencies: ["SegSyntax", "SegStore", "SegFunctions", "SegPatterns"], swiftSettings: crossModule),
        .target(
            name: "SegIO",
            dependencies: ["SegStore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: crossModule
        ),
        .target(name: "SegEngine", dependencies: ["SegSemantics"], swiftSettings: crossModule),
        .target(name: "SegSQL", dependencies: ["SegSemantics"], swiftSettings: crossModule),
        .target(name: "SegCommands", dependencies: ["SegSemantics", "SegEngine", "SegIO"], swiftSettings: crossModule),
        // PostgreSQL access lives in its own target so the in-memory path never links NIO.
        .target(
            name: "SegPostgres",
            dependencies: [
                // SegIO: the book's rows are written with its writers (it was imported undeclared,
                // which a release build of `seg` alone then failed on).
                "SegSQL", "SegIO",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(
            name: "SegREPL",
            dependencies: ["SegCommands", "SegSQL", "SegIO", "CEditLine"]
        ),
        .executableTarget(
            name: "seg",
            dependencies: [
                "SegCommands",
                "SegEngine",
                "SegREPL",
                "SegPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The golden files' reader and runner, shared by the suites that read Tests/golden.
        .target(
            name: "SegTestSupport",
            dependencies: layers,
            path: "Tests/SegTestSupport"
        ),
        .testTarget(
            name: "SegCoreTests",
            // ZIPFoundation: tests write workbooks with the parts a case needs.
            dependencies: layers + ["SegTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(
            name: "SegEndToEndTests",
            // ZIPFoundation: the report test inflates the PNG screenshot Chromium takes.
            dependencies: layers + ["SegTestSupport", "seg", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(
            name: "SegPostgresTests",
            dependencies: layers + ["SegPostgres", "SegTestSupport", "seg"]
        ),
        .testTarget(
            name: "SegREPLTests",
            dependencies: layers + ["SegREPL", "SegTestSupport", "seg"]
        ),
        // SQLite, the reference engine of the differential tests: linked by the tests only.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .testTarget(
            name: "SegReliabilityTests",
            dependencies: layers + ["CSQLite", "SegTestSupport", "seg"]
        ),
    ] + fuzzTargets,
    swiftLanguageModes: [.v6]
)
