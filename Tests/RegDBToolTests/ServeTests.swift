import Foundation
import Testing

/// `regdb-serve` on 127.0.0.1, answering as the CLI does, and serving what `regdb pull` swaps in.
final class RunningServer {
    let process = Process()
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    init(db: URL, in dir: TemporaryDirectory, extra: [String] = []) throws {
        process.executableURL = regdbBinary.deletingLastPathComponent().appending(path: "regdb-serve")
        process.arguments = ["--db", db.path, "--port", "0"] + extra
        process.currentDirectoryURL = dir.url
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let match = text.firstMatch(of: #/http://127\.0\.0\.1:(\d+)/#), let port = Int(match.1) else {
            throw FixtureError(message: "regdb-serve did not start: \(text)")
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

@Suite struct ServeTests {
    /// (status, headers, body) of one request, through curl.
    private func request(_ url: String, method: String = "GET", body: String? = nil, headers: [String] = []) throws -> (status: Int, headers: String, body: String) {
        var arguments = ["-s", "-i", "-X", method, url] + headers.flatMap { ["-H", $0] }
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try run(try #require(executable("curl")), arguments)
        let text = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        guard let split = text.range(of: "\n\n") else { return (0, text, "") }
        let head = String(text[..<split.lowerBound])
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, head, String(text[split.upperBound...]))
    }

    private func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    private func without(_ key: String, _ value: Any) -> NSDictionary {
        var copy = value as? [String: Any] ?? [:]
        copy[key] = nil
        return copy as NSDictionary
    }

    @Test func answersAsTheCLIDoes() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let server = try RunningServer(db: db, in: dir)

        let health = try request(server.url + "/healthz")
        #expect(health.status == 200 && health.headers.lowercased().contains("etag: \""))
        #expect((try json(health.body) as? [String: Any])?["schema_version"] as? Int == 11)

        // /v1/models holds OpenRouter's field names for what it shares, with OpenRouter's types.
        let models = try request(server.url + "/v1/models")
        #expect(models.status == 200)
        let data = try #require((try json(models.body) as? [String: Any])?["data"] as? [[String: Any]])
        let documented = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: repoRoot.appending(
            path: "Tests/RegDBToolTests/Fixtures/openrouter-models-fields.json"))) as? [String: Any])
        let openRouterFields = Set(documented["model"] as? [String] ?? [])
        let openRouterPricing = Set(documented["pricing"] as? [String] ?? [])
        let openRouterArchitecture = Set(documented["architecture"] as? [String] ?? [])
        let openRouterTop = Set(documented["top_provider"] as? [String] ?? [])
        let regdbFields: Set = ["canonical_id", "generation", "tier", "status", "routes"]
        let models_ = try #require(Int(try sqlite3(db, "SELECT count(DISTINCT model_id) FROM route").stdoutLines.first ?? ""))
        #expect(data.count == models_)
        for model in data {
            let extra = Set(model.keys).subtracting(openRouterFields).subtracting(regdbFields)
            #expect(extra.isEmpty, "fields OpenRouter does not have: \(extra)")
            #expect(model["id"] is String && model["name"] is String && model["description"] is String)
            #expect(model["context_length"] is Int || model["context_length"] is NSNull)
            let pricing = try #require(model["pricing"] as? [String: Any])
            #expect(Set(pricing.keys).isSubset(of: openRouterPricing), "\(pricing.keys)")
            #expect(pricing.values.allSatisfy { $0 is String })
            let architecture = try #require(model["architecture"] as? [String: Any])
            #expect(Set(architecture.keys).isSubset(of: openRouterArchitecture))
            #expect(Set((model["top_provider"] as? [String: Any] ?? [:]).keys).isSubset(of: openRouterTop))
            #expect(architecture["input_modalities"] is [String] && architecture["output_modalities"] is [String])
        }
        let gpt4o = try #require(data.first { $0["id"] as? String == "gpt-4o" })
        #expect((gpt4o["pricing"] as? [String: String])?["prompt"] == "0.0000025")
        #expect((gpt4o["pricing"] as? [String: String])?["completion"] == "0.00001")

        // A name, as `regdb resolve` answers it.
        let resolved = try request(server.url + "/v1/models/openai/gpt-4o")
        let cli = try regdb("resolve", "openai/gpt-4o", "--format", "json", in: dir.url)
        let (served, answered) = (try json(resolved.body) as? NSDictionary, try json(cli.stdout) as? NSDictionary)
        #expect(resolved.status == 200 && served != nil && served == answered)
        let unknown = try request(server.url + "/v1/models/gpt-4oo")
        #expect(unknown.status == 404 && unknown.body.contains("\"suggestions\":[\"gpt-4o\""), "\(unknown.body)")

        // A call, as `regdb cost --format json` prices it.
        let call = #"{"name": "openai/gpt-4o", "usage": {"input_token": 1000, "output_token": 500}, "at": "2026-11-30"}"#
        let priced = try request(server.url + "/v1/cost", method: "POST", body: call)
        let quote = try regdb("cost", "openai/gpt-4o", "--usage", "input_token=1000", "--usage", "output_token=500", "--at", "2026-11-30",
                              "--format", "json", in: dir.url)
        let (servedQuote, cliQuote) = (try json(priced.body) as? NSDictionary, try json(quote.stdout) as? NSDictionary)
        #expect(priced.status == 200 && servedQuote != nil && servedQuote == cliQuote, "\(priced.body)")
        // A provider's response, as `regdb cost --usage-json` prices it (at: now, on both sides).
        let response = repoRoot.appending(path: "Tests/RegDBToolTests/Fixtures/responses/anthropic-sonnet-4-cache-read.json")
        let fromResponse = try request(server.url + "/v1/cost", method: "POST", body: try String(contentsOf: response, encoding: .utf8))
        let cliResponse = try regdb("cost", "--usage-json", response.path, "--format", "json", in: dir.url)
        let (servedResponse, cliAnswer) = (without("at", try json(fromResponse.body)), without("at", try json(cliResponse.stdout)))
        #expect(fromResponse.status == 200 && servedResponse.count > 3 && servedResponse == cliAnswer, "\(fromResponse.body)")
        let bad = try request(server.url + "/v1/cost", method: "POST", body: #"{"name": "openai/gpt-4o", "usage": {"input_token": -5}}"#)
        #expect(bad.status == 422 && bad.body.contains("usage.input_token must be a number >= 0"), "\(bad.body)")

        // ETag: asked again with it, a 304 and no body.
        let etag = try #require(models.headers.split(separator: "\n").first { $0.lowercased().hasPrefix("etag:") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces))
        let again = try request(server.url + "/v1/models", headers: ["If-None-Match: \(etag)"])
        #expect(again.status == 304 && again.body.isEmpty)

        // Limits, and no write path at all.
        let large = try request(server.url + "/v1/cost", method: "POST", body: "{\"name\": \"" + String(repeating: "x", count: 70_000) + "\"}")
        #expect(large.status == 413)
        for method in ["PUT", "DELETE", "PATCH"] {
            #expect(try request(server.url + "/v1/models", method: method).status >= 400)
        }
        // A connection that sends nothing is closed after --timeout (1 s here).
        let idle = try RunningServer(db: db, in: dir, extra: ["--timeout", "1"])
        let quiet = try run(try #require(executable("python3")), ["-c", """
            import socket, time
            s = socket.create_connection(("127.0.0.1", \(idle.port)))
            s.settimeout(10)
            start = time.time()
            print("closed" if s.recv(1) == b"" else "data", round(time.time() - start))
            """])
        #expect(quiet.stdout.hasPrefix("closed") && Int(quiet.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 99 < 5,
                "\(quiet.stdout)\(quiet.stderr)")
        // The site.
        let site = try request(server.url + "/")
        #expect(site.status == 200 && site.body.contains("<h1>Models and prices</h1>"))
        #expect(try request(server.url + "/models/gpt-4o.html").body.contains("<svg id=\"history\""))
    }

    /// After `regdb pull` swaps the file, the next requests read the new one.
    /// Other processes writing the file in place (each unknown name `regdb resolve` is asked is a
    /// sighting) while the server reloads: every answer stays right. The server used to read the
    /// file to digest it, and closing that descriptor dropped SQLite's locks: a writer then
    /// checkpointed the WAL away under it, and every request answered 500 until a restart.
    @Test func writesInPlaceKeepTheServerAnswering() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let server = try RunningServer(db: db, in: dir)
        let long = String(repeating: "q", count: 2_000)
        for i in 1...6 {
            #expect(try regdb("resolve", long + "\(i)", "--policy", "off", in: dir.url).status == 0)
            Thread.sleep(forTimeInterval: 0.3)
            let health = try request(server.url + "/healthz")
            #expect(health.status == 200, "after write \(i): \(health.body)")
        }
        Thread.sleep(forTimeInterval: 0.3)
        let found = try request(server.url + "/v1/models/gpt-4o")
        let canonical = (try json(found.body) as? [String: Any])?["canonical_id"] as? String
        #expect(found.status == 200 && canonical == "gpt-4o", "\(found.body)")
        // A file written in place has no digest that holds; a pulled one has the manifest's.
        let health = try json(try request(server.url + "/healthz").body) as? [String: Any]
        #expect(health?["sha256"] is NSNull)
    }

    @Test func aPulledFileIsServedOnceSwapped() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try FileManager.default.createDirectory(at: dir.file("service"), withIntermediateDirectories: true)
        #expect(try regdb("publish", "v1", in: dir.url).status == 0)
        #expect(try regdb("pull", "v1/manifest.json", "--db", "service/registry.db", in: dir.url).status == 0)
        let server = try RunningServer(db: dir.file("service/registry.db"), in: dir)
        #expect(!(try request(server.url + "/v1/models").body.contains("a changed description")))

        #expect(try regdb("sql", "--write", "UPDATE model SET description = 'a changed description' WHERE id = 'gpt-4o'", in: dir.url).status == 0)
        #expect(try regdb("publish", "v2", in: dir.url).status == 0)
        #expect(try regdb("pull", "v2/manifest.json", "--db", "service/registry.db", in: dir.url).status == 0)
        usleep(400_000)
        let after = try request(server.url + "/v1/models")
        #expect(after.status == 200 && after.body.contains("a changed description"))
        let health = try json(try request(server.url + "/healthz").body) as? [String: Any]
        let pulled = try json(String(contentsOf: dir.file("service/registry.db.pull.json"), encoding: .utf8)) as? [String: Any]
        #expect(health?["sha256"] as? String == pulled?["sha256"] as? String && health?["version"] as? String == pulled?["version"] as? String)
    }
}
