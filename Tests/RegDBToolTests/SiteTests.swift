import Foundation
import Testing

/// `regdb export site`: the site opened as a person would, in headless Chromium (Debian's
/// `chromium`, which scripts/setup installs): the table filtered to one provider, a model page
/// with its routes side by side and its price chart. Screenshots of both pages are kept in
/// .build/test-artifacts/site/.
@Suite struct SiteTests {
    private func chromium(_ arguments: [String], in dir: TemporaryDirectory) throws -> ProcessResult {
        let browser = try #require(executable("chromium"), "chromium is not installed (scripts/setup installs it)")
        // --no-sandbox: the tests may run as root; the pages are our own local files.
        return try run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + dir.file("profile").path] + arguments)
    }

    /// The rows of the routes table: (provider, hidden).
    private func tableRows(_ dom: String) throws -> [(provider: String, hidden: Bool)] {
        let start = try #require(dom.range(of: "<tbody>")), end = try #require(dom.range(of: "</tbody>"))
        let body = dom[start.upperBound..<end.lowerBound]
        let tags = try Regex(#"<tr\b[^>]*>"#)
        return body.matches(of: tags).map { match in
            let tag = String(body[match.range])
            let provider = tag.firstMatch(of: #/data-provider="([^"]+)"/#).map { String($0.1) } ?? ""
            return (provider, tag.contains("hidden"))
        }
    }

    @Test func theSiteFiltersByProviderAndShowsAModelsRoutesAndChart() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let exported = try regdb("export", "site", "public", in: dir.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        // No framework: one script and one style, within 80 KB together.
        let script = try Data(contentsOf: dir.file("public/site.js")).count
        let style = try Data(contentsOf: dir.file("public/site.css")).count
        #expect(script + style < 80_000, "\(script) + \(style) bytes")
        let models = try #require(Int(try sqlite3(db, "SELECT count(DISTINCT model_id) FROM route").stdoutLines.first ?? ""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("public/models").path).count == models)

        let artifacts = repoRoot.appending(path: ".build/test-artifacts/site")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)

        // The table, filtered to one provider through the address.
        let index = "file://" + dir.file("public/index.html").path + "#provider=anthropic"
        let dom = try chromium(["--dump-dom", index], in: dir)
        #expect(dom.status == 0, "\(dom.stderr.suffix(500))")
        let rows = try tableRows(dom.stdout)
        let routes = try #require(Int(try sqlite3(db, "SELECT count(*) FROM route").stdoutLines.first ?? ""))
        let anthropic = try #require(Int(try sqlite3(db, "SELECT count(*) FROM route WHERE provider_id = 'anthropic'").stdoutLines.first ?? ""))
        #expect(rows.count == routes)
        #expect(anthropic > 1 && rows.filter { !$0.hidden }.count == anthropic)
        #expect(rows.filter { !$0.hidden }.allSatisfy { $0.provider == "anthropic" })
        #expect(dom.stdout.contains("\(anthropic) of \(routes) routes"))
        _ = try chromium(["--window-size=1280,1400", "--screenshot=" + artifacts.appending(path: "index.png").path, index], in: dir)

        // A model with several routes: one column each, the chart with one line per price.
        let model = "kimi-k2.5"
        let modelRoutes = try #require(Int(try sqlite3(db, "SELECT count(*) FROM route WHERE model_id = '\(model)'").stdoutLines.first ?? ""))
        let page = "file://" + dir.file("public/models/\(model).html").path
        let modelDOM = try chromium(["--dump-dom", page], in: dir)
        #expect(modelDOM.status == 0)
        let side = try #require(modelDOM.stdout.range(of: #"<table class="side" id="side"><thead><tr>.*?</tr>"#, options: .regularExpression))
        let headers = modelDOM.stdout[side].components(separatedBy: "<th>").count - 1
        #expect(modelRoutes > 3 && headers == modelRoutes + 1, "\(modelDOM.stdout[side])")
        #expect(modelDOM.stdout.contains(#"<svg id="history""#))
        // One line per price, each drawn across time (not a point at its right edge).
        let lines = modelDOM.stdout.matches(of: #/<polyline[^>]* points="([^"]+)"/#).map { String($0.1) }
        #expect(lines.count >= modelRoutes)
        for line in lines {
            let xs = line.split(separator: " ").compactMap { Double($0.split(separator: ",")[0]) }
            #expect((xs.max() ?? 0) - (xs.min() ?? 0) > 100, "\(line)")
        }
        #expect(modelDOM.stdout.contains("<h2>Sources</h2>") && modelDOM.stdout.contains("seeds/"))
        _ = try chromium(["--window-size=1280,1800", "--screenshot=" + artifacts.appending(path: "model.png").path, page], in: dir)
        #expect(FileManager.default.fileExists(atPath: artifacts.appending(path: "index.png").path))
        #expect(FileManager.default.fileExists(atPath: artifacts.appending(path: "model.png").path))
    }
}
