// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "seg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "seg", targets: ["seg"]),
        .library(name: "SegCore", targets: ["SegCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "SegCore"),
        .executableTarget(
            name: "seg",
            dependencies: [
                "SegCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SegCoreTests",
            dependencies: ["SegCore"]
        ),
        .testTarget(
            name: "SegEndToEndTests",
            dependencies: ["SegCore", "seg"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
