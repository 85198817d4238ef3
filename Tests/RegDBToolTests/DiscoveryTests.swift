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
        #expect((answer["reason"] as? String ?? "").contains("from family \""), "\(answer)")

        let none = try regdb("best", "text_to_image", "--max-vram", "1", in: dir.url)
        #expect(none.status == 1)
        #expect(none.stderrLines.count == 1)
        #expect(none.stderr.hasPrefix("error: no text_to_image model fits in 1 GB; the smallest, "), "\(none.stderr)")
        // SD 1.5 (0.86B parameters) at fp16: 1.7 GB.
        #expect(none.stderr.contains("v1-5-pruned-emaonly-fp16.safetensors, needs 1.7 GB"), "\(none.stderr)")
    }

    /// The 2024 dump: 2,068 node types, custom loader packs, a seed maximum written as a float beyond 64 bits.
    @Test func theLargeOldDumpImportsWithLegacyCombos() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let server = try FakeServer(comfyRoutes(objectInfo: "object_info-2024.json.gz"), in: dir)
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
        // The seeds' ollama/codellama:34b was never listed by this server: it is not "no longer listed".
        #expect(found.stdout == "registry.db: ollama: 2 models listed, 0 no longer listed (kept, unavailable), 1 unknown to other sources\n")
        #expect(!found.stdout.contains("sk-test-123") && !found.stderr.contains("sk-test-123"))
        let rows = try sqlite3(db, """
            SELECT route_key, available FROM route WHERE provider_id = 'ollama' ORDER BY 1;
            SELECT name, count FROM unknown_models;
            """)
        #expect(rows.stdout == """
            ollama/codellama:34b|
            ollama/llama3.1:8b|1
            ollama/qwen2.5:32b-instruct-q4_K_M|1
            ollama/llama3.1:8b|1

            """, "\(rows.stdout)")
        let bytes = try #require(contents(db))
        #expect(bytes.range(of: Data("sk-test-123".utf8)) == nil, "the token reached the database")
    }

    /// A realistic models folder, as a real ComfyUI 0.3 lists it: every model file gets its
    /// family's capability, configs and code are not models, a name with spaces is kept,
    /// and `best` answers each generation capability with a model of that capability.
    @Test func aRealisticModelsFolderIsJudgedByFamily() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let folders: [String: [String]] = [
            "checkpoints": ["sd_xl_base_1.0.safetensors", "v1-5-pruned-emaonly-fp16.safetensors", "flux1-dev-fp8.safetensors",
                            "dreamshaper_8.safetensors",
                            "ltx-video-2b-v0.9.5.safetensors", "stable_audio_open_1.0.safetensors", "svd_xt.safetensors"],
            "diffusion_models": ["wan2.1_t2v_14B_fp8_e4m3fn.safetensors", "wan2.1_i2v_480p_14B_fp8_e4m3fn.safetensors",
                                 "wan2.2_ti2v_5B_fp16.safetensors", "hunyuan_video_t2v_720p_bf16.safetensors",
                                 "flux1-schnell.safetensors", "qwen_image_edit_fp8_e4m3fn.safetensors"],
            "loras": ["Detail Tweaker XL.safetensors", "bad\u{200B}name.safetensors"],
            "vae": ["wan_2.1_vae.safetensors"],
            "text_encoders": ["umt5_xxl_fp8_e4m3fn_scaled.safetensors"],
            "clip_vision": ["clip_vision_h.safetensors"],
            "controlnet": ["control_v11p_sd15_canny.pth"],
            "upscale_models": ["4x-UltraSharp.pth"],
            "configs": ["v1-inference.yaml", "anything_v3.yaml"],
            "custom_nodes": ["example_node.py.example", "websocket_image_save.py"],
        ]
        func combo(_ names: [String]) -> [Any] { [names, [String: Any]()] }
        let objectInfo: [String: Any] = [
            "CheckpointLoaderSimple": ["input": ["required": ["ckpt_name": combo(folders["checkpoints"]!)]]],
            "UNETLoader": ["input": ["required": ["unet_name": combo(folders["diffusion_models"]!)]]],
            "LoraLoader": ["input": ["required": ["lora_name": combo(folders["loras"]!)]]],
            "VAELoader": ["input": ["required": ["vae_name": combo(folders["vae"]! + ["taesd"])]]],
            "CLIPLoader": ["input": ["required": ["clip_name": combo(folders["text_encoders"]!)]]],
            "CLIPVisionLoader": ["input": ["required": ["clip_name": combo(folders["clip_vision"]!)]]],
            "ControlNetLoader": ["input": ["required": ["control_net_name": combo(folders["controlnet"]!)]]],
            "UpscaleModelLoader": ["input": ["required": ["model_name": combo(folders["upscale_models"]!)]]],
        ]
        let cpu = #"{"system": {"os": "posix", "ram_total": 25769803776, "ram_free": 20000000000, "comfyui_version": "0.3.64"}, "devices": [{"name": "cpu", "type": "cpu", "index": null, "vram_total": 25769803776, "vram_free": 20000000000, "torch_vram_total": 25769803776, "torch_vram_free": 20000000000}]}"#
        var routes: [String: Any] = ["/system_stats": ["body": cpu],
                                     "/object_info": ["body": String(decoding: try JSONSerialization.data(withJSONObject: objectInfo), as: UTF8.self)],
                                     "/models": ["body": String(decoding: try JSONSerialization.data(withJSONObject: Array(folders.keys).sorted()), as: UTF8.self)]]
        for (folder, names) in folders {
            routes["/models/" + folder] = ["body": String(decoding: try JSONSerialization.data(withJSONObject: names), as: UTF8.self)]
        }
        // A newer ComfyUI says how large a file is; a safetensors header says what a file is.
        routes["/experiment/models/loras"] = ["body": #"[{"name": "Detail Tweaker XL.safetensors", "pathIndex": 0, "modified": 1.7e9, "size": 228458496}]"#]
        routes["/view_metadata/checkpoints"] = ["body": #"{"modelspec.architecture": "stable-diffusion-v1", "modelspec.title": "DreamShaper 8"}"#]
        let server = try FakeServer(routes, in: dir)
        let result = try regdb("discover", "comfyui", server.url, in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        // One unusable name is skipped with a warning naming it, never the whole run.
        #expect(result.stderrLines.count == 1 && result.stderr.contains("U+200B") && result.stderr.contains("skipped"), "\(result.stderr)")

        let provider = "comfyui-127.0.0.1-\(server.port)"
        let rows = try sqlite3(db, """
            SELECT wire_id, (SELECT group_concat(key) FROM json_each(capabilities)) FROM route
            WHERE provider_id = '\(provider)' ORDER BY 1;
            """)
        let expected = [
            "checkpoints/dreamshaper_8.safetensors|text_to_image,image_to_image",
            "checkpoints/flux1-dev-fp8.safetensors|text_to_image",
            "checkpoints/ltx-video-2b-v0.9.5.safetensors|text_to_video,image_to_video",
            "checkpoints/sd_xl_base_1.0.safetensors|text_to_image,image_to_image",
            "checkpoints/stable_audio_open_1.0.safetensors|text_to_audio",
            "checkpoints/svd_xt.safetensors|image_to_video",
            "checkpoints/v1-5-pruned-emaonly-fp16.safetensors|text_to_image,image_to_image",
            "clip_vision/clip_vision_h.safetensors|clip_vision",
            "controlnet/control_v11p_sd15_canny.pth|controlnet",
            "diffusion_models/flux1-schnell.safetensors|text_to_image",
            "diffusion_models/hunyuan_video_t2v_720p_bf16.safetensors|text_to_video",
            "diffusion_models/qwen_image_edit_fp8_e4m3fn.safetensors|image_to_image",
            "diffusion_models/wan2.1_i2v_480p_14B_fp8_e4m3fn.safetensors|image_to_video",
            "diffusion_models/wan2.1_t2v_14B_fp8_e4m3fn.safetensors|text_to_video",
            "diffusion_models/wan2.2_ti2v_5B_fp16.safetensors|text_to_video,image_to_video",
            "loras/Detail Tweaker XL.safetensors|lora",
            "text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors|text_encoder",
            "upscale_models/4x-UltraSharp.pth|upscale",
            "vae/wan_2.1_vae.safetensors|vae",
        ]
        #expect(rows.stdoutLines == expected, "\(rows.stdout)")

        // Sizes from parameters and precision: 14B at fp8 is 14 GB, 5B at fp16 10 GB, a LoRA small.
        let vram = try sqlite3(db, """
            SELECT json_extract(info, '$.vram_gb') FROM route WHERE provider_id = '\(provider)' AND wire_id IN
              ('diffusion_models/wan2.1_t2v_14B_fp8_e4m3fn.safetensors', 'diffusion_models/wan2.2_ti2v_5B_fp16.safetensors',
               'checkpoints/flux1-dev-fp8.safetensors') ORDER BY wire_id;
            """)
        #expect(vram.stdoutLines == ["12.0", "14.0", "10.0"], "\(vram.stdout)")

        let judged = try sqlite3(db, """
            SELECT json_extract(info, '$.evidence[0]') FROM route WHERE provider_id = '\(provider)' AND wire_id = 'checkpoints/dreamshaper_8.safetensors';
            SELECT json_extract(info, '$.vram_gb') FROM route WHERE provider_id = '\(provider)' AND wire_id LIKE 'loras/%';
            """)
        #expect(judged.stdoutLines == [#"family "stable-diffusion-v1" (the file's safetensors header)"#, "0.2"], "\(judged.stdout)")

        // A CPU-only host has no GPU and no VRAM, whatever its system RAM.
        let host = try sqlite3(db, "SELECT gpu, vram_total_gb IS NULL FROM host WHERE provider_id = '\(provider)'")
        #expect(host.stdoutLines == ["none (CPU only)|1"], "\(host.stdout)")

        // The name with spaces is reachable exactly.
        let lora = try regdb("get", "\(provider)/loras/Detail Tweaker XL.safetensors", "--format", "json", in: dir.url)
        #expect(lora.status == 0, "\(lora.stderr)")

        // Every generation capability is answered by a model of that capability, never a component.
        for (capability, file) in [("text_to_image", "flux1-dev-fp8"), ("image_to_image", "qwen_image_edit"),
                                   ("text_to_video", "wan2.1_t2v_14B"), ("image_to_video", "wan2.1_i2v_480p_14B"),
                                   ("text_to_audio", "stable_audio_open")] {
            let best = try regdb("best", capability, "--max-vram", "48", "--format", "json", in: dir.url)
            #expect(best.status == 0, "\(capability): \(best.stderr)")
            #expect(best.stdout.contains(file), "\(capability): \(best.stdout)")
        }
        let small = try regdb("best", "text_to_video", "--max-vram", "12", "--prefer", "speed", "--format", "json", in: dir.url)
        #expect(small.stdout.contains("ltx-video-2b"), "\(small.stdout)")
    }

    /// The same rule for every server: a model that disappears is kept, unavailable; an empty
    /// answer is refused without --allow-shrink.
    @Test func everyServerKeepsWhatItStopsListingAndRefusesAnEmptyAnswer() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let two = #"{"supported_models": [{"model_name": "Qwen/Qwen3-8B"}, {"model_name": "Qwen/Qwen3-32B"}, {"model_name": "x/y"}]}"#
        let one = #"{"supported_models": [{"model_name": "Qwen/Qwen3-8B"}, {"model_name": "x/y"}]}"#
        let none = #"{"supported_models": []}"#
        // One server whose answer changes between runs (it reads the file on every request).
        let answer = try dir.write("capabilities.json", two)
        let server = try FakeServer(["/api/v1/get_server_capabilities": ["file": answer.path]], in: dir)
        for (body, status, allowShrink) in [(two, 0, false), (one, 0, false), (none, 1, false), (none, 0, true)] {
            _ = try dir.write("capabilities.json", body)
            let before = contents(db)
            let result = try regdb(["discover", "tinker", server.url] + (allowShrink ? ["--allow-shrink"] : []), in: dir.url)
            #expect(result.status == Int32(status), "\(body): \(result.stderr)")
            if status == 1 {
                #expect(result.stderrLines.count == 1 && result.stderr.contains("--allow-shrink"), "\(result.stderr)")
                #expect(contents(db) == before, "a refused discovery wrote")
            }
        }
        let rows = try sqlite3(db, "SELECT route_key, available FROM route WHERE provider_id = 'tinker' ORDER BY 1")
        #expect(rows.stdoutLines == ["tinker/Qwen/Qwen3-32B|0", "tinker/Qwen/Qwen3-8B|0", "tinker/x/y|0"], "\(rows.stdout)")
        let why = try regdb("why", "tinker/Qwen/Qwen3-32B", "available", in: dir.url)
        #expect(why.stdout.contains("false"), "kept, as the server last described it: \(why.stdout)")

        // LiteLLM proxy states the context window as max_input_tokens.
        let proxy = try FakeServer(["/v1/models": ["body": #"{"data": [{"id": "claude", "max_input_tokens": 200000}]}"#]], in: dir)
        #expect(try regdb("discover", "openai", proxy.url, "--provider", "proxy", in: dir.url).status == 0)
        #expect(try sqlite3(db, "SELECT context_window FROM route WHERE route_key = 'proxy/claude'").stdout == "200000\n")
    }

    /// All three kinds of server: a model that disappears is kept unavailable, an empty answer is refused.
    @Test(arguments: ["openai", "comfyui", "tinker"])
    func anEmptyAnswerIsRefusedByEveryKind(kind: String) throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let path: String, full: String, empty: String
        var routes: [String: Any] = [:]
        switch kind {
        case "openai":
            path = "/v1/models"
            full = #"{"data": [{"id": "a"}, {"id": "b"}]}"#
            empty = #"{"data": []}"#
        case "comfyui":
            path = "/object_info"
            full = #"{"CheckpointLoaderSimple": {"input": {"required": {"ckpt_name": [["sd_xl_base_1.0.safetensors", "flux1-dev.safetensors"], {}]}}}}"#
            empty = #"{"CheckpointLoaderSimple": {"input": {"required": {"ckpt_name": [[], {}]}}}}"#
            routes["/system_stats"] = ["file": comfy.appending(path: "system_stats.json").path]
        default:
            path = "/api/v1/get_server_capabilities"
            full = #"{"supported_models": [{"model_name": "a/a"}, {"model_name": "b/b"}]}"#
            empty = #"{"supported_models": []}"#
        }
        let answer = try dir.write("answer.json", full)
        routes[path] = ["file": answer.path]
        let server = try FakeServer(routes, in: dir)
        let arguments = ["discover", kind, server.url] + (kind == "openai" ? ["--provider", "srv"] : [])
        #expect(try regdb(arguments, in: dir.url).status == 0)
        _ = try dir.write("answer.json", empty)
        let before = contents(db)
        let refused = try regdb(arguments, in: dir.url)
        #expect(refused.status == 1, "\(kind): \(refused.stdout)")
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains("would mark 2 of the 2 it listed last time"), "\(refused.stderr)")
        #expect(contents(db) == before)
        let allowed = try regdb(arguments + ["--allow-shrink"], in: dir.url)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let kept = try sqlite3(db, "SELECT count(*), sum(available) FROM route WHERE source_id IN (SELECT id FROM source WHERE kind = 'server')")
        #expect(kept.stdout == "2|0\n", "\(kind): kept, unavailable: \(kept.stdout)")
    }

    /// A token in the URL is dropped before anything is stored or printed, with a warning saying where it belongs.
    @Test func credentialsInTheURLAreNeverStoredOrPrinted() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let server = try FakeServer(["/v1/models": ["body": #"{"data": [{"id": "m"}]}"#]], in: dir)
        let url = "http://user:sk-secret-999@127.0.0.1:\(server.port)"
        let result = try regdb("discover", "openai", url, "--provider", "srv", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("[credentials]") && result.stderr.contains("--token-env"), "\(result.stderr)")
        for output in [result.stdout, result.stderr, try regdb("sources", in: dir.url).stdout, try regdb("providers", in: dir.url).stdout] {
            #expect(!output.contains("sk-secret-999"), "\(output)")
        }
        let bytes = try #require(contents(db))
        #expect(bytes.range(of: Data("sk-secret-999".utf8)) == nil, "the token reached the database")
    }

    /// --timeout bounds the whole run: folders that answer slowly one by one cannot stretch it.
    @Test func timeoutBoundsTheWholeDiscovery() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        var routes = comfyRoutes()
        routes["/models"] = ["body": #"["a", "b", "c", "d"]"#]
        for folder in ["a", "b", "c", "d"] { routes["/models/" + folder] = ["delay": 0.6, "body": "[]"] }
        let server = try FakeServer(routes, in: dir)
        let before = contents(db)
        let result = try regdb("discover", "comfyui", server.url, "--timeout", "1", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("the whole discovery took longer than --timeout 1 s"), "\(result.stderr)")
        #expect(contents(db) == before)
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

    /// A redirect within the server is followed: its answer is the server's own.
    @Test func aRedirectWithinTheServerIsFollowed() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        var routes = comfyRoutes()
        routes["/system_stats"] = ["redirect": "/api/system_stats"]
        routes["/api/system_stats"] = ["file": comfy.appending(path: "system_stats.json").path]
        let server = try FakeServer(routes, in: dir)
        let result = try regdb("discover", "comfyui", server.url, in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.requests.contains { $0.hasPrefix("GET /api/system_stats") }, "\(server.requests)")
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
        ("not HTTP", "ssh", "/system_stats answered, but not in HTTP ("),
        ("redirect to another port", "elsewhere", "/system_stats redirects to http://127.0.0.1:1/system_stats, another server; discovery follows redirects only within one server"),
        ("redirect loop", "loop", "/system_stats redirected more than 5 times"),
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
        case "ssh": routes["/system_stats"] = ["raw": "SSH-2.0-OpenSSH_9.2\r\n"]
        case "elsewhere": routes["/system_stats"] = ["redirect": "http://127.0.0.1:1/system_stats"]
        case "loop": routes["/system_stats"] = ["redirect": "/system_stats"]
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
