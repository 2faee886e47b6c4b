import Foundation
import SegTestSupport
import Testing
import ZIPFoundation

// `seg report SCRIPT --html FILE`: the page is self-contained and escapes what the data holds;
// headless Chromium (Debian's `chromium`; .ci/run installs it) renders it to a screenshot that
// is not blank and a DOM that holds the text.

enum Chromium {
    /// `chromium` on PATH, if installed.
    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            if let p = dirs.map({ "\($0)/\(name)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return p }
        }
        return nil
    }()

    /// Runs chromium headless with a profile of its own; returns standard output.
    static func run(_ extra: [String], profile: String, directory: String) throws -> String {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                         "--user-data-dir=\(profile)", "--hide-scrollbars"] + extra
        return try Seg.run(executable: path, arguments, directory: directory).stdout
    }
}

let reportScript = """
    -- the Monday meeting
    clients by city show count, sum(assets)
    let rich = clients where assets > 1000
    rich count
    clients histogram assets
    clients sort by id show id, name, assets
    """

/// Writes the book and the script, runs `seg report`, returns the folder and the run.
func makeReport(_ extra: [String] = []) throws -> (URL, RunResult) {
    let dir = try outputsFolder()
    try outputsBook.write(to: dir.appendingPathComponent("book.csv"), atomically: true, encoding: .utf8)
    try reportScript.write(to: dir.appendingPathComponent("monday.seg"), atomically: true, encoding: .utf8)
    let run = try Seg.run(["report", "monday.seg", "--data", "book.csv", "--html", "monday.html"] + extra, directory: dir.path)
    return (dir, run)
}

@Suite("seg report --html")
struct HTMLReportTests {
    @Test func thePageIsSelfContainedAndEscaped() throws {
        let (dir, run) = try makeReport()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let path = dir.appendingPathComponent("monday.html").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        // One section per statement, headed by its text.
        for statement in ["clients by city show count, sum(assets)", "let rich = clients where assets &gt; 1000", "rich count",
                          "clients histogram assets", "clients sort by id show id, name, assets"] {
            #expect(html.contains("<code>\(statement)</code>"), "\(statement)")
        }
        #expect(html.components(separatedBy: "<section ").count - 1 == 5)
        #expect(html.contains("<svg"))
        #expect(html.contains("深圳") && html.contains("1,234,567.89"))
        // The cell <script>alert('x')</script> is text, not markup.
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        // Nothing to fetch: no links, sources or imports.
        for word in ["src=", "href=", "url(", "@import", "<link", "<img", "<iframe"] { #expect(!html.contains(word), "\(word)") }
    }

    @Test func theReportIsWrittenAsAnExportIs() throws {
        let (dir, first) = try makeReport()
        defer { try? FileManager.default.removeItem(at: dir) }
        try #require(first.status == 0, "\(first.stderr)")
        // An existing page needs --force; the data file and the script are never replaced.
        let again = try Seg.run(["report", "monday.seg", "--data", "book.csv", "--html", "monday.html"], directory: dir.path)
        #expect(again.status == 64 && again.stderr.contains("--force"), "\(again.stderr)")
        #expect(try Seg.run(["report", "monday.seg", "--data", "book.csv", "--html", "monday.html", "--force"], directory: dir.path).status == 0)
        for target in ["book.csv", "monday.seg"] {
            let before = try Data(contentsOf: dir.appendingPathComponent(target))
            let refused = try Seg.run(["report", "monday.seg", "--data", "book.csv", "--html", target, "--force"], directory: dir.path)
            #expect(refused.status == 64, "\(target): \(refused.stderr)")
            #expect(try Data(contentsOf: dir.appendingPathComponent(target)) == before)
        }
        // An error in the script leaves no page.
        try "clients by city\nclients where nosuch > 1\n".write(to: dir.appendingPathComponent("bad.seg"), atomically: true, encoding: .utf8)
        let bad = try Seg.run(["report", "bad.seg", "--data", "book.csv", "--html", "bad.html"], directory: dir.path)
        #expect(bad.status == 65)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.html").path))
        let noHTML = try Seg.run(["report", "monday.seg"], directory: dir.path)
        #expect(noHTML.status == 64 && noHTML.stderr.contains("--html"), "\(noHTML.stderr)")
    }

    @Test(.enabled(if: Chromium.path != nil, "chromium is not installed (apt-get install chromium); this test did not run"))
    func chromiumRendersThePage() throws {
        let (dir, run) = try makeReport()
        defer { try? FileManager.default.removeItem(at: dir) }
        try #require(run.status == 0, "\(run.stderr)")
        let page = dir.appendingPathComponent("monday.html").absoluteString
        let profile = dir.appendingPathComponent("profile").path
        let shot = try Chromium.run(["--screenshot=\(dir.path)/shot.png", "--window-size=1000,1400", page], profile: profile, directory: dir.path)
        let png = try Data(contentsOf: dir.appendingPathComponent("shot.png"))
        let image = try #require(PNG(png), "not a PNG we can read: \(shot)")
        #expect(image.width == 1000)
        // Not blank: the grey levels spread well beyond a blank page's (all one colour).
        #expect(image.luminanceVariance > 100, "variance \(image.luminanceVariance)")
        #expect(image.darkFraction > 0.002 && image.darkFraction < 0.5, "dark \(image.darkFraction)")
        let dom = try Chromium.run(["--dump-dom", page], profile: profile, directory: dir.path)
        for text in ["clients by city show count, sum(assets)", "深圳", "1,234,567.89", "&lt;script&gt;alert('x')&lt;/script&gt;"] {
            #expect(dom.contains(text), "\(text)\n\(dom.prefix(400))")
        }
        #expect(!dom.contains("<script>alert"))
    }
}

/// An 8-bit RGB or RGBA PNG, decoded (chunks, zlib, scanline filters) to measure a screenshot.
struct PNG {
    let width: Int
    let height: Int
    /// Grey level of each pixel, 0…255.
    let luminance: [Double]

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count > 33, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        var i = 8
        var w = 0, h = 0, channels = 0
        var idat: [UInt8] = []
        while i + 8 <= bytes.count {
            let length = u32(i)
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = (i + 8)..<min(bytes.count, i + 8 + length)
            if type == "IHDR" {
                w = u32(body.lowerBound)
                h = u32(body.lowerBound + 4)
                guard bytes[body.lowerBound + 8] == 8, bytes[body.lowerBound + 12] == 0 else { return nil }
                switch bytes[body.lowerBound + 9] {
                case 2: channels = 3
                case 6: channels = 4
                default: return nil
                }
            } else if type == "IDAT" {
                idat += bytes[body]
            }
            i += 12 + length
        }
        guard w > 0, h > 0, channels > 0, idat.count > 6 else { return nil }
        // zlib: a two-byte header, raw deflate, a four-byte checksum.
        let deflated = Data(idat[2..<(idat.count - 4)])
        var raw = Data()
        do {
            _ = try Data.decompress(size: Int64(deflated.count), bufferSize: 1 << 16, skipCRC32: true, provider: { position, size in
                let start = min(deflated.count, Int(position))
                return deflated.subdata(in: start..<min(deflated.count, start + size))
            }, consumer: { raw.append($0) })
        } catch { return nil }
        let stride = w * channels
        guard raw.count >= h * (stride + 1) else { return nil }
        let input = [UInt8](raw)
        var previous = [UInt8](repeating: 0, count: stride)
        var grey: [Double] = []
        grey.reserveCapacity(w * h)
        for y in 0..<h {
            let start = y * (stride + 1)
            let filter = input[start]
            var line = Array(input[(start + 1)...(start + stride)])
            for x in 0..<stride {
                let a = x >= channels ? Int(line[x - channels]) : 0
                let b = Int(previous[x])
                let c = x >= channels ? Int(previous[x - channels]) : 0
                let predictor: Int
                switch filter {
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: predictor = 0
                }
                line[x] = UInt8(truncatingIfNeeded: Int(line[x]) + predictor)
            }
            for x in 0..<w {
                let p = x * channels
                grey.append(0.299 * Double(line[p]) + 0.587 * Double(line[p + 1]) + 0.114 * Double(line[p + 2]))
            }
            previous = line
        }
        width = w
        height = h
        luminance = grey
    }

    var luminanceVariance: Double {
        let mean = luminance.reduce(0, +) / Double(luminance.count)
        return luminance.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(luminance.count)
    }

    /// The share of pixels darker than mid-grey (text, bars).
    var darkFraction: Double { Double(luminance.filter { $0 < 128 }.count) / Double(luminance.count) }
}
