import Foundation
import Testing

/// `regdb cost` as a user meets it: usage as APIs report it, thresholds, dates,
/// alternatives, real responses, the README's own examples, and a version 1 registry.
@Suite struct CostTests {
    private func usd(_ result: ProcessResult) throws -> Double {
        let object = try #require(try parse(result.stdout) as? [String: Any], "\(result.stdout) \(result.stderr)")
        return try #require((object["usd"] as? NSNumber)?.doubleValue)
    }

    private func lines(_ result: ProcessResult) throws -> [[String: Any]] {
        let object = try #require(try parse(result.stdout) as? [String: Any], "\(result.stdout) \(result.stderr)")
        return try #require(object["lines"] as? [[String: Any]])
    }

    /// A registry from the seeds plus one test file with the shapes the seeds lack.
    private func registry(extra: String? = nil) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        if let extra {
            try dir.write("extra.json", extra)
            let imported = try regdb("import", "--kind", "file", "extra.json", in: dir.url)
            try #require(imported.status == 0, "\(imported.stderr)")
        }
        return dir
    }

    /// Every `regdb cost` line of the README runs as written, and where its comment states
    /// the price ("# $0.0075"), that is the price.
    @Test func everyReadmeCostExampleRuns() throws {
        let dir = try registry()
        try FileManager.default.copyItem(at: repoRoot.appending(path: "examples"), to: dir.file("examples"))
        let readme = try String(contentsOf: repoRoot.appending(path: "README.md"), encoding: .utf8)
        var examples = 0
        for line in readme.split(separator: "\n") where line.hasPrefix("regdb cost ") {
            let command = line.split(separator: "#", maxSplits: 1)[0]
            let arguments = command.split(separator: " ").dropFirst().map(String.init)
            let result = try regdb(arguments, in: dir.url)
            #expect(result.status == 0, "\(line): \(result.stderr)")
            examples += 1
            if let stated = line.split(separator: "#", maxSplits: 1).dropFirst().first?
                .trimmingCharacters(in: .whitespaces), stated.hasPrefix("$") {
                let amount = Double(stated.dropFirst().prefix { $0.isNumber || $0 == "." })
                let json = try regdb(arguments + ["--format", "json"], in: dir.url)
                #expect(try usd(json) == amount, "\(line): \(json.stdout)")
            }
        }
        #expect(examples >= 8)
    }

    /// --input-tokens counts every prompt token; cached ones are billed at the cache rate only.
    @Test func cachedTokensArePartOfThePrompt() throws {
        let dir = try registry()
        let result = try regdb("cost", "openai/gpt-4o", "--input-tokens", "1000", "--cache-read-tokens", "400",
                               "--output-tokens", "500", "--format", "json", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        // 600 × $2.50/1M + 400 × $1.25/1M + 500 × $10/1M
        #expect(try usd(result) == 0.007)
        let billed = Dictionary(uniqueKeysWithValues: try lines(result).map { ($0["unit"] as? String ?? "", ($0["quantity"] as? NSNumber)?.doubleValue ?? -1) })
        #expect(billed == ["input_token": 600, "cache_read_token": 400, "output_token": 500])

        // Counted the old way (cached tokens not in the prompt), the call cannot be right.
        let wrong = try regdb("cost", "openai/gpt-4o", "--input-tokens", "300", "--cache-read-tokens", "400", in: dir.url)
        #expect(wrong.status == 1)
        #expect(wrong.stderrLines == ["error: cache_read_token quantity 400 exceeds the input_token quantity 300 it is part of: --input-tokens counts every such token, cached ones included"])
    }

    /// Above 200k prompt tokens the whole request moves to the higher rate; at 200k it does not.
    @Test func longContextThresholdBillsTheWholeRequest() throws {
        let dir = try registry()
        let above = try regdb("cost", "google/gemini-2.5-pro", "--input-tokens", "1000000", "--output-tokens", "1000000",
                              "--format", "json", in: dir.url)
        #expect(try usd(above) == 17.5)
        #expect(try lines(above).allSatisfy { ($0["threshold"] as? NSNumber)?.doubleValue == 200_000 })
        let at = try regdb("cost", "google/gemini-2.5-pro", "--input-tokens", "200000", "--output-tokens", "1000",
                           "--format", "json", in: dir.url)
        #expect(try usd(at) == 0.26)  // 200k × $1.25/1M + 1k × $10/1M
    }

    /// An "excess" threshold bills only the part beyond it.
    @Test func excessThresholdBillsThePartBeyond() throws {
        let dir = try registry()
        let ten = try regdb("cost", "grok_imagine", "--category", "text_to_video", "--seconds", "10", "--format", "json", in: dir.url)
        #expect(try usd(ten) == 0.5)  // $0.30 a video + 4 s × $0.05
        let five = try regdb("cost", "grok_imagine", "--category", "text_to_video", "--seconds", "5", "--format", "json", in: dir.url)
        #expect(try usd(five) == 0.3)
    }

    /// A dated price: --at prices a call of that day; without it, today's price.
    @Test func datedPricesFollowTheCallDate() throws {
        let dir = try registry()
        let before = try regdb("cost", "openai/o3", "--input-tokens", "1000000", "--output-tokens", "1000000",
                               "--at", "2025-06-09T23:59:59Z", "--format", "json", in: dir.url)
        #expect(try usd(before) == 50)
        let after = try regdb("cost", "openai/o3", "--input-tokens", "1000000", "--output-tokens", "1000000",
                              "--at", "2025-06-10", "--format", "json", in: dir.url)
        #expect(try usd(after) == 10)
        let today = try regdb("cost", "openai/o3", "--input-tokens", "1000000", "--output-tokens", "1000000",
                              "--format", "json", in: dir.url)
        #expect(try usd(today) == 10)
        // The views give today's price only.
        let view = try regdb("sql", "SELECT pricing FROM model_pricing WHERE key = 'o3'", "--format", "csv", in: dir.url)
        #expect(view.stdout.contains("2.0") && !view.stdout.contains("10.0"), "\(view.stdout)")
        let bad = try regdb("cost", "openai/o3", "--input-tokens", "1", "--at", "yesterday", in: dir.url)
        #expect(bad.status == 64)
    }

    /// Alternatives for one quantity are charged once; two rows of one measure that both
    /// apply (an edit's input and output seconds) both charge.
    @Test func alternativesAreChargedOnce() throws {
        let dir = try registry(extra: """
            {"providers": [{"id": "acme"}],
             "routes": [{"route": "acme/whisper", "pricing": [
                 {"unit": "second", "usd": 0.0001, "one_of": "seconds"},
                 {"unit": "input_second", "usd": 0.0002, "one_of": "seconds"}]}]}
            """)
        let whisper = try regdb("cost", "acme/whisper", "--seconds", "60", "--format", "json", in: dir.url)
        #expect(try usd(whisper) == 0.006)
        let input = try regdb("cost", "acme/whisper", "--usage", "input_second=60", "--format", "json", in: dir.url)
        #expect(try usd(input) == 0.012)
        let edit = try regdb("cost", "fal/xai/grok-imagine-video/edit-video", "--seconds", "8", "--format", "json", in: dir.url)
        #expect(try usd(edit) == 0.48)  // 8 s in at $0.01 + 8 s out at $0.05
    }

    /// Every unit of the schema can be given; an error names only options that exist.
    @Test func everyUnitIsPriceable() throws {
        let dir = try registry(extra: """
            {"providers": [{"id": "acme"}],
             "routes": [{"route": "acme/ocr", "pricing": [{"unit": "page", "usd": 0.001}]},
                        {"route": "acme/image", "pricing": [{"unit": "pixel", "usd": 1e-08}]}]}
            """)
        let pages = try regdb("cost", "acme/ocr", "--usage", "page=3", "--format", "json", in: dir.url)
        #expect(try usd(pages) == 0.003)
        let pixels = try regdb("cost", "acme/image", "--usage", "pixel=1048576", "--format", "json", in: dir.url)
        #expect(abs(try usd(pixels) - 0.01048576) < 1e-12)
        let missing = try regdb("cost", "acme/ocr", in: dir.url)
        #expect(missing.stderrLines == ["error: acme/ocr is priced per page; give --usage page=N"])
        let unknown = try regdb("cost", "acme/ocr", "--usage", "sheets=3", in: dir.url)
        #expect(unknown.status == 64, "an unknown unit is bad usage")
        #expect(unknown.stderr.hasPrefix("error: unknown unit \"sheets\"; known: second, input_second"), "\(unknown.stderr)")
    }

    /// The usage block of a real response, read the way each API defines its fields.
    @Test func usageOfARealResponse() throws {
        let dir = try registry()
        // Anthropic: input_tokens leaves out cache reads and writes.
        try dir.write("anthropic.json", """
            {"type": "message", "usage": {"input_tokens": 300, "cache_creation_input_tokens": 300,
                                          "cache_read_input_tokens": 400, "output_tokens": 100}}
            """)
        let claude = try regdb("cost", "anthropic/claude-3-5-sonnet-20240620", "--usage-json", "anthropic.json",
                               "--format", "json", in: dir.url)
        // 300 × $3 + 300 × $3.75 + 400 × $0.30 + 100 × $15, per 1M
        #expect(abs(try usd(claude) - 0.003645) < 1e-12, "\(claude.stdout)")
        // OpenAI chat: prompt_tokens includes the cached ones.
        let openai = try regdb("cost", "openai/gpt-4o", "--usage-json", "-", "--format", "json", in: dir.url,
                               input: #"{"usage": {"prompt_tokens": 1000, "completion_tokens": 500, "prompt_tokens_details": {"cached_tokens": 400}}}"#)
        #expect(try usd(openai) == 0.007)
        // Gemini: thinking tokens are output, though candidatesTokenCount leaves them out.
        try dir.write("gemini.json", """
            {"usageMetadata": {"promptTokenCount": 1000, "candidatesTokenCount": 100, "thoughtsTokenCount": 400,
                               "cachedContentTokenCount": 200, "totalTokenCount": 1500}}
            """)
        let gemini = try regdb("cost", "google/gemini-2.5-flash", "--usage-json", "gemini.json", "--format", "json", in: dir.url)
        // 800 × $0.30 + 200 × $0.03 + 500 × $2.50, per 1M
        #expect(abs(try usd(gemini) - 0.001496) < 1e-12, "\(gemini.stdout)")
        let bad = try regdb("cost", "openai/gpt-4o", "--usage-json", "-", in: dir.url, input: #"{"usage": {"prompt_tokens": -1}}"#)
        #expect(bad.status == 1)
        #expect(bad.stderrLines == ["<stdin>:$.usage.prompt_tokens: error: [usage] a token count must be a whole number >= 0 and <= 1e15, found -1"])
        try dir.write("broken.json", #"{"usage": {"prompt_tokens": 1,}}"#)
        let broken = try regdb("cost", "openai/gpt-4o", "--usage-json", "broken.json", in: dir.url)
        #expect(broken.status == 1 && broken.stdout == "")
        #expect(broken.stderrLines.count == 1 && broken.stderrLines[0].hasPrefix("broken.json:"), "\(broken.stderr)")
        #expect(broken.stderr.contains("error: [json-syntax]"), "\(broken.stderr)")
        let missing = try regdb("cost", "openai/gpt-4o", "--usage-json", "nowhere.json", in: dir.url)
        #expect(missing.stderrLines == ["nowhere.json: error: [file] file does not exist"])
    }

    /// --calls prices many calls in one process; a call that cannot be priced says why.
    @Test func manyCallsAtOnce() throws {
        let dir = try registry()
        let result = try regdb("cost", "--calls", "-", in: dir.url, input: """
            {"name": "openai/gpt-4o", "usage": {"input_token": 1000, "output_token": 500}}
            {"name": "openai/o3", "usage": {"input_tokens": 1000000}, "at": "2025-05-01"}
            {"name": "nope"}
            """)
        #expect(result.status == 1)
        let rows = result.stdoutLines.compactMap { try? parse($0) as? [String: Any] }
        #expect(rows.count == 3)
        #expect((rows[0]["usd"] as? NSNumber)?.doubleValue == 0.0075)
        #expect((rows[1]["usd"] as? NSNumber)?.doubleValue == 10)
        #expect((rows[2]["error"] as? String)?.hasPrefix("error: no model or route named \"nope\"") == true)
    }
}
