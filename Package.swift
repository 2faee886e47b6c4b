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
        .testTarget(
            name: "SegREPLTests",
            dependencies: ["SegREPL", "SegCore", "seg"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
