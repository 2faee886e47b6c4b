// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets have no `main` of their own (libFuzzer supplies it), so they link only with
// `-sanitize=fuzzer`: they are declared only when SEG_FUZZ=1 (scripts/fuzz sets it), and a plain
// `swift build` or `swift test` never sees them.
let fuzzing = Context.environment["SEG_FUZZ"] == "1"
// Each target also checks every output it makes with SegTestSupport's OutputCheck.
let fuzzNames = ["FuzzQuery", "FuzzCSV", "FuzzJSON", "FuzzBook"]
let fuzzTargets: [Target] = fuzzing ? fuzzNames.map { name in
    .executableTarget(name: name, dependencies: ["SegCore", "SegTestSupport"], path: "fuzz/targets/\(name)")
} : []
let fuzzProducts: [Product] = fuzzing ? fuzzNames.map { .executable(name: $0, targets: [$0]) } : []

let package = Package(
    name: "seg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "seg", targets: ["seg"]),
        .library(name: "SegCore", targets: ["SegCore"]),
    ] + fuzzProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already dependencies of postgres-nio; named so SegPostgres can import them directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.3"),
    ],
    targets: [
        .target(name: "SegCore"),
        // PostgreSQL access lives in its own target so SegCore and the in-memory path never link NIO.
        .target(
            name: "SegPostgres",
            dependencies: [
                "SegCore",
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
            dependencies: ["SegCore", "CEditLine"]
        ),
        .executableTarget(
            name: "seg",
            dependencies: [
                "SegCore",
                "SegREPL",
                "SegPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The golden files' reader and runner, shared by the suites that read Tests/golden.
        .target(
            name: "SegTestSupport",
            dependencies: ["SegCore"],
            path: "Tests/SegTestSupport"
        ),
        .testTarget(
            name: "SegCoreTests",
            dependencies: ["SegCore", "SegTestSupport"]
        ),
        .testTarget(
            name: "SegEndToEndTests",
            dependencies: ["SegCore", "SegTestSupport", "seg"]
        ),
        .testTarget(
            name: "SegPostgresTests",
            dependencies: ["SegPostgres", "SegCore", "SegTestSupport", "seg"]
        ),
        .testTarget(
            name: "SegREPLTests",
            dependencies: ["SegREPL", "SegCore", "seg"]
        ),
        // SQLite, the reference engine of the differential tests: linked by the tests only.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .testTarget(
            name: "SegReliabilityTests",
            dependencies: ["SegCore", "SegTestSupport", "CSQLite", "seg"]
        ),
    ] + fuzzTargets,
    swiftLanguageModes: [.v6]
)
