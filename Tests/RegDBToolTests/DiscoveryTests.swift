import Foundation
import Testing

/// A scripted HTTP server on 127.0.0.1 (Support/fake_server.py), for one test.
final class FakeServer {
    let process = Process()
    let stdin = Pipe()
    let port: Int
    let log: URL
    var url: String { "http://127.0.0.1:\(port)" }

    /// `routes`: path → what to answer (see fake_server.py).
    init(_ routes: [String: Any], in dir: TemporaryDirectory) throws {
        let config = try dir.write("routes-\(UUID().uuidString).json", String(decoding: try JSONSerialization.data(withJSONObject: routes), as: UTF8.self))
        log = dir.file("server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", repoRoot.appending(path: "Tests/RegDBToolTests/Support/fake_server.py").path, config.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = stdin
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("PORT "),
              let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FixtureError(message: "fake server did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
    }

    /// Requests the server saw, one "GET /path Authorization=present|absent" per line.
    var requests: [String] {
        (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

private let comfy = referenceData.appending(path: "comfyui")

/// A ComfyUI-shaped server serving the reference dumps.
private func comfyRoutes(objectInfo: String = "object_info.json") -> [String: Any] {
    ["/system_stats": ["file": comfy.appending(path: "system_stats.json").path],
     "/object_info": ["file": comfy.appending(path: objectInfo).path]]
}

@Suite struct DiscoveryTests {
    @Test func comfyUIRecordsEveryFileWithCapabilitiesOrUnknown() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let server = try FakeServer(comfyRoutes(), in: dir)
        let result = try regdb("discover", "comfyui", server.url, in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("registry.db: comfyui-127.0.0.1-\(server.port): 17 model files ("))
        // Every file name any combo of object_info offers is a route, with capabilities (or unknown).
        let rows = try sqlite3(db, """
            SELECT count(*), sum(capabilities = '{}') FROM route WHERE provider_id = 'comfyui-127.0.0.1-\(server.port)';
            SELECT count(*) FROM route WHERE provider_id LIKE 'comfyui-%' AND route_key LIKE '%\\%';
            SELECT json_extract(info, '$.original_name') FROM route WHERE wire_id = 'diffusion_models/svd-1.1/unet/diffusion_pytorch_model.safetensors';
            """)
        #expect(rows.stdout == "17|0\n0\nsvd-1.1\\unet\\diffusion_pytorch_model.safetensors\n", "\(rows.stdout)")
        // 404 on /models is no error: the folders were asked one by one.
        #expect(server.requests.contains { $0.hasPrefix("GET /models/checkpoints ") })
    }

    @Test func statusReadsLikeDesignDoc001() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let server = try FakeServer(comfyRoutes(), in: dir)
        #expect(try regdb("discover", "comfyui", server.url, in: dir.url).status == 0)
        let status = try regdb("status", in: dir.url)
        #expect(status.status == 0)
        let lines = status.stdoutLines
        #expect(Array(lines.prefix(3)) == [String(repeating: "=", count: 50), "MODEL REGISTRY STATUS", String(repeating: "=", count: 50)])
        #expect(lines.contains("Target: \(server.url) (local)"))
        #expect(lines.contains("Hardware: Quadro RTX 5000"))
        #expect(lines.contains("VRAM: 15.6GB total, 15.4GB free"))
        #expect(lines.contains("Total Models: 17"))
        #expect(lines.contains { $0.hasPrefix("text_to_image (") && $0.hasSuffix(" models):") })
        #expect(lines.contains { $0.hasPrefix("  ... and ") })
    }

    @Test func bestAnswersWithAFileFromTheDumpAndItsReason() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let server = try FakeServer(comfyRoutes(), in: dir)
        #expect(try regdb("discover", "comfyui", server.url, in: dir.url).status == 0)
        let best = try regdb("best", "text_to_image", "--max-vram", "8", "--format", "json", in: dir.url)
        #expect(best.status == 0, "\(best.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(best.stdout.utf8)) as? [String: Any])
        let route = try #require(answer["route_key"] as? String)
        #expect(route.hasPrefix("comfyui-127.0.0.1-\(server.port)/checkpoints/"))
        let file = String(route.split(separator: "/", maxSplits: 2)[2])
        let dump = try String(contentsOf: comfy.appending(path: "object_info.json"), encoding: .utf8)
        #expect(dump.contains("\"\(file)\""), "\(file) is not in the dump")
        #expect((answer["vram_gb"] as? Double ?? 99) <= 8)
        #expect(answer["quality"] is Double)
        #expect((answer["reason"] as? String ?? "").contains("loader CheckpointLoaderSimple"))

        let none = try regdb("best", "text_to_image", "--max-vram", "1", in: dir.url)
        #expect(none.status == 1)
        #expect(none.stderrLines.count == 1)
        #expect(none.stderr.hasPrefix("error: no text_to_image model fits in 1 GB; the smallest, "), "\(none.stderr)")
        #expect(none.stderr.contains("needs 3.2 GB"), "\(none.stderr)")
    }

    /// The 2024 dump: 2,068 node types, custom loader packs, a seed maximum written as a float beyond 64 bits.
    @Test func theLargeOldDumpImportsWithLegacyCombos() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let server = try FakeServer(comfyRoutes(objectInfo: "object_info-2024.json"), in: dir)
        let result = try regdb("discover", "comfyui", server.url, in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let counts = try sqlite3(db, """
            SELECT count(*) FROM route WHERE provider_id LIKE 'comfyui-%' AND wire_id LIKE 'checkpoints/%';
            SELECT count(*) FROM route WHERE provider_id LIKE 'comfyui-%' AND wire_id LIKE 'loras/%';
            SELECT count(*) FROM route WHERE provider_id LIKE 'comfyui-%' AND wire_id LIKE 'controlnet/%';
            SELECT count(*) > 0 FROM route WHERE provider_id LIKE 'comfyui-%' AND json_extract(capabilities, '$.unknown');
            """)
        #expect(counts.stdout == "93\n38\n21\n1\n", "\(counts.stdout)")
    }

    @Test func openAIMarksAvailabilityAndRecordsSightings() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let listing = #"{"object":"list","data":[{"id":"llama3.1:8b","object":"model","owned_by":"library"},{"id":"qwen2.5:32b-instruct-q4_K_M","object":"model"}]}"#
        let server = try FakeServer(["/v1/models": ["body": listing, "require_header": ["Authorization", "Bearer sk-test-123"]]], in: dir)
        // Without the token the server refuses: one line, nothing written.
        let before = contents(db)
        let refused = try regdb("discover", "openai", server.url, "--provider", "ollama", "--token-env", "TEST_TOKEN", in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stderrLines == ["error: discovery failed, nothing written: \(server.url)/v1/models answered HTTP 401 (a token is needed: set the provider's env var or pass --token-env)"])
        #expect(contents(db) == before)

        let found = try regdb("discover", "openai", server.url, "--provider", "ollama", "--token-env", "TEST_TOKEN", in: dir.url,
                              environment: ["TEST_TOKEN": "sk-test-123"])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout == "registry.db: ollama: 2 models listed, 1 no longer listed (kept, unavailable), 1 unknown to other sources\n")
        #expect(!found.stdout.contains("sk-test-123") && !found.stderr.contains("sk-test-123"))
        let rows = try sqlite3(db, """
            SELECT route_key, available FROM route WHERE provider_id = 'ollama' ORDER BY 1;
            SELECT name, count FROM unknown_models;
            """)
        #expect(rows.stdout == """
            ollama/codellama:34b|0
            ollama/llama3.1:8b|1
            ollama/qwen2.5:32b-instruct-q4_K_M|1
            ollama/llama3.1:8b|1

            """, "\(rows.stdout)")
        let bytes = try #require(contents(db))
        #expect(bytes.range(of: Data("sk-test-123".utf8)) == nil, "the token reached the database")
    }

    @Test func tinkerRecordsContextLengthsAsServerObservations() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let capabilities = #"{"supported_models": [{"model_name": "Qwen/Qwen3-8B", "max_context_length": 32768, "trainable": true}, "meta-llama/Llama-3.1-8B", {"model_id": "old/model", "arch": "llama"}]}"#
        let server = try FakeServer(["/api/v1/get_server_capabilities": ["body": capabilities]], in: dir)
        let result = try regdb("discover", "tinker", server.url, in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try sqlite3(db, """
            SELECT route_key, context_window, context_window_source, context_window_observed_at IS NOT NULL FROM route
            WHERE provider_id = 'tinker' ORDER BY 1;
            SELECT json_extract(metadata, '$.arch') FROM route WHERE route_key = 'tinker/old/model';
            """)
        #expect(rows.stdout == """
            tinker/Qwen/Qwen3-8B|32768|server|1
            tinker/meta-llama/Llama-3.1-8B|||0
            tinker/old/model|||0
            llama

            """, "\(rows.stdout)")
        let why = try regdb("why", "tinker/Qwen/Qwen3-8B", "context_window", in: dir.url)
        #expect(why.stdout.contains("server"), "\(why.stdout)")
    }

    /// Every way a server can fail: one line, exit 1, the registry unchanged byte for byte.
    @Test(arguments: [
        ("connection refused", "refused", "cannot reach http://127.0.0.1:1/system_stats: connection refused"),
        ("timeout", "slow", "did not answer within 1 s"),
        ("HTTP error", "error", "/system_stats answered HTTP 500"),
        ("not JSON", "garbage", "/system_stats did not answer JSON: "),
        ("wrong shape", "shape", "/system_stats is not a ComfyUI answer at $: expected"),
        ("too large", "huge", "sent more than 67108864 bytes; refusing it"),
        ("connection dropped", "drop", "cannot reach "),
    ])
    func failuresWriteNothing(_ name: String, _ mode: String, _ expected: String) throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let before = contents(db)
        var routes = comfyRoutes()
        switch mode {
        case "slow": routes["/system_stats"] = ["delay": 3, "file": comfy.appending(path: "system_stats.json").path]
        case "error": routes["/system_stats"] = ["status": 500, "body": "oops"]
        case "garbage": routes["/system_stats"] = ["body": "<html>not json</html>"]
        case "shape": routes["/system_stats"] = ["body": "[1, 2, 3]"]
        case "huge": routes["/object_info"] = ["huge": 80_000_000]
        case "drop": routes["/object_info"] = ["close": true]
        default: break
        }
        let server = try FakeServer(routes, in: dir)
        let url = mode == "refused" ? "http://127.0.0.1:1" : server.url
        let result = try regdb("discover", "comfyui", url, "--timeout", "1", in: dir.url)
        #expect(result.status == 1, "\(name): \(result.stdout)")
        #expect(result.stderrLines.count == 1, "\(name): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: discovery failed, nothing written: "), "\(name): \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(name): \(result.stderr)")
        #expect(contents(db) == before, "\(name) changed the registry")
    }
}
