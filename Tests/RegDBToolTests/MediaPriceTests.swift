import Foundation
import Testing

private let liteLLMFal = repoRoot.appending(path: "Tests/RegDBToolTests/Fixtures/litellm-fal-excerpt.json")

/// Media prices as fal bills them: checked seeds, resolution and quality as dimensions of one
/// route, a call priced from the request fal was sent and the result it returned.
@Suite struct MediaPriceTests {
    private func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try parse(result.stdout) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    private func usd(_ result: ProcessResult) throws -> Double {
        try #require(try json(result)["usd"] as? Double, "\(result.stdout)\(result.stderr)")
    }

    /// A price that depends on the output's resolution is one route with one row per resolution;
    /// a resolution the route does not know is an error naming the ones it does.
    @Test func resolutionSelectsThePrice() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        // fal's page (as LiteLLM 1.109.1's fal_ai/fal-ai/nano-banana-pro gives it): $0.15 at 1K and 2K, $0.30 at 4K.
        let fourK = try regdb("cost", "fal/fal-ai/nano-banana-pro", "--resolution", "4K", "--format", "json", in: dir.url)
        #expect(fourK.status == 0, "\(fourK.stderr)")
        #expect(abs(try usd(fourK) - 0.30) < 1e-12)
        #expect(try json(fourK)["variants"] as? [String] == ["4K"])
        // The typical call: one image at the route's default price.
        #expect(abs(try usd(try regdb("cost", "fal/fal-ai/nano-banana-pro", "--format", "json", in: dir.url)) - 0.15) < 1e-12)
        let twoImages = try regdb("cost", "nano_banana_pro", "--images", "2", "--resolution", "2K", "--format", "json", in: dir.url)
        #expect(abs(try usd(twoImages) - 0.30) < 1e-12)

        let unknown = try regdb("cost", "fal/fal-ai/nano-banana-pro", "--resolution", "8K", in: dir.url)
        #expect(unknown.status == 1 && unknown.stdout.isEmpty)
        #expect(unknown.stderrLines == [#"error: nano_banana_pro has no resolution "8K"; its resolutions: 1K, 2K, 4K"#])
        let quality = try regdb("cost", "veo3", "--quality", "high", in: dir.url)
        #expect(quality.stderrLines == [#"error: veo3 has no quality "high"; its qualities: none"#])
    }

    /// gpt-image-1.5 on fal: quality and size together pick one of eight prices; low quality at a
    /// size the page does not list is the "any other size" price.
    @Test func qualityAndSizeTogether() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        for (quality, size, price) in [("low", "1024x1024", 0.009), ("low", "1920x1080", 0.013), ("medium", "1024x1536", 0.051),
                                       ("high", "1024x1024", 0.133), ("high", "1536x1024", 0.199)] {
            let result = try regdb("cost", "gpt_image_1_5", "--quality", quality, "--size", size, "--format", "json", in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(abs(try usd(result) - price) < 1e-12, "\(quality) \(size)")
        }
        // Neither given, and the route has no defaults for them: the error says which options choose.
        let open = try regdb("cost", "gpt_image_1_5", in: dir.url)
        #expect(open.status == 1)
        #expect(open.stderr.hasSuffix("choose one with --quality and --resolution\n"), "\(open.stderr)")
    }

    /// fal bills FLUX.1 [dev] per megapixel: "Your request will cost $0.025 per megapixel. Images
    /// are billed by rounding up to the nearest megapixel." (fal.ai/models/fal-ai/flux-1/dev);
    /// 1024x1024 is the one megapixel its $0.025 is quoted at, as LiteLLM's per-pixel rate
    /// (0.025 / 1,048,576) has it.
    @Test func megapixelsRoundUpPerImage() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        for (size, images, megapixels) in [("1920x1080", 1, 2), ("1024x1024", 1, 1), ("1025x1024", 1, 2), ("1024x768", 3, 3),
                                           ("1920x1080", 2, 4),
                                           // 10^15 images of one size: a count, never 10^15 copies of it (that aborted).
                                           ("1920x1080", 1_000_000_000_000_000, 2_000_000_000_000_000)] {
            let result = try regdb("cost", "fal/fal-ai/flux/dev", "--size", size, "--images", String(images), "--format", "json", in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let line = (try json(result)["lines"] as? [[String: Any]])?.first
            #expect(line?["unit"] as? String == "megapixel" && line?["quantity"] as? Double == Double(megapixels), "\(size) x\(images)")
            #expect(abs(try usd(result) - 0.025 * Double(megapixels)) <= 1e-12 * max(1, 0.025 * Double(megapixels)), "\(size) x\(images)")
        }
        // Given megapixels are taken as billed.
        #expect(abs(try usd(try regdb("cost", "flux_dev", "--megapixels", "3", "--format", "json", in: dir.url)) - 0.075) < 1e-12)
        // No size, no megapixels: said so.
        let sizeless = try regdb("cost", "flux_dev", "--images", "1", in: dir.url)
        #expect(sizeless.stderrLines == ["error: flux_dev is priced per megapixel; give --size WIDTHxHEIGHT, --megapixels, or a fal result with the images' sizes"])
        let bad = try regdb("cost", "flux_dev", "--size", "1920by1080", in: dir.url)
        #expect(bad.status == 64, "\(bad.stderr)")
        #expect(bad.stderr.contains(#"--size must be WIDTHxHEIGHT in whole pixels from 1 to 100000 (1920x1080), not "1920by1080"."#))
    }

    /// The pipeline's request for Kling v3 standard, 10 s with audio, prices as fal's page says:
    /// $0.126 per second with audio, $0.154 with voice control, $0.084 without.
    @Test func aFalRequestPricesTheCall() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let request = try dir.write("kling.json", """
            {"endpoint_id": "fal-ai/kling-video/v3/standard/text-to-video",
             "input": {"prompt": "a lighthouse at dusk", "duration": "10", "aspect_ratio": "16:9", "generate_audio": true}}
            """)
        let priced = try regdb("cost", "--fal-request", request.path, "--format", "json", in: dir.url)
        #expect(priced.status == 0, "\(priced.stderr)")
        #expect(abs(try usd(priced) - 1.26) < 1e-12)
        #expect(try json(priced)["route_key"] as? String == "fal/fal-ai/kling-video/v3/standard/text-to-video")
        #expect(try json(priced)["variants"] as? [String] == ["audio"])

        let voiced = try dir.write("voiced.json", """
            {"endpoint_id": "fal-ai/kling-video/v3/standard/text-to-video",
             "arguments": {"prompt": "x", "duration": 5, "generate_audio": true, "voice_ids": ["v1"]}}
            """)
        #expect(abs(try usd(try regdb("cost", "--fal-request", voiced.path, "--format", "json", in: dir.url)) - 0.77) < 1e-12)
        let silent = try dir.write("silent.json", #"{"endpoint_id": "fal-ai/kling-video/v3/standard/text-to-video", "input": {"duration": "8s", "generate_audio": false}}"#)
        #expect(abs(try usd(try regdb("cost", "--fal-request", silent.path, "--format", "json", in: dir.url)) - 0.672) < 1e-12)
        // Arguments left out are the route's defaults: 5 s, audio off (kling_3_standard's defaults).
        let bare = try dir.write("bare.json", #"{"endpoint_id": "fal-ai/kling-video/v3/standard/text-to-video", "input": {"prompt": "x"}}"#)
        #expect(abs(try usd(try regdb("cost", "--fal-request", bare.path, "--format", "json", in: dir.url)) - 0.42) < 1e-12)
        // The result's duration is what was made, and wins.
        let result = try dir.write("result.json", #"{"video": {"url": "https://v3.fal.media/x.mp4", "duration": 12}}"#)
        #expect(abs(try usd(try regdb("cost", "--fal-request", request.path, "--fal-result", result.path, "--format", "json",
                                      in: dir.url)) - 1.512) < 1e-12)
    }

    /// fal's result lists the images it made with their sizes: the call is billed by those.
    @Test func aFalResultBillsTheImagesMade() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let request = try dir.write("photon.json", #"{"endpoint_id": "fal-ai/luma-photon/flash/modify", "input": {"prompt": "x", "num_images": 2}}"#)
        let result = try dir.write("images.json", """
            {"data": {"images": [{"url": "https://v3.fal.media/a.png", "width": 1920, "height": 1080},
                                 {"url": "https://v3.fal.media/b.png", "width": 1024, "height": 1024}], "seed": 7}}
            """)
        // fal's $0.005 per megapixel: 2 + 1 megapixels.
        let priced = try regdb("cost", "--fal-request", request.path, "--fal-result", result.path, "--format", "json", in: dir.url)
        #expect(priced.status == 0, "\(priced.stderr)")
        #expect(abs(try usd(priced) - 0.015) < 1e-12)
        // A request by preset: flux/dev's landscape_4_3 is 1024x768, one megapixel each.
        let flux = try dir.write("flux.json", #"{"endpoint_id": "fal-ai/flux/dev", "input": {"prompt": "x", "image_size": "landscape_4_3", "num_images": 4}}"#)
        #expect(abs(try usd(try regdb("cost", "--fal-request", flux.path, "--format", "json", in: dir.url)) - 0.1) < 1e-12)
        let custom = try dir.write("custom.json", #"{"endpoint_id": "fal-ai/flux/dev", "input": {"image_size": {"width": 2048, "height": 2048}}}"#)
        #expect(abs(try usd(try regdb("cost", "--fal-request", custom.path, "--format", "json", in: dir.url)) - 0.1) < 1e-12)
        // A per-image route counts the images the result lists.
        let imagen = try dir.write("imagen.json", #"{"endpoint_id": "fal-ai/imagen4/preview", "input": {"prompt": "x"}}"#)
        let three = try dir.write("three.json", #"{"images": [{"url": "a"}, {"url": "b"}, {"url": "c"}]}"#)
        #expect(abs(try usd(try regdb("cost", "--fal-request", imagen.path, "--fal-result", three.path, "--format", "json",
                                      in: dir.url)) - 0.1194) < 1e-12)
    }

    /// A request that cannot be read is one line naming the file, the JSON path and the rule.
    @Test func aBadFalRequestIsOneLocatedLine() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let cases: [(String, String)] = [
            (#"{"endpoint_id": "fal-ai/veo3", "input": {"duration": "ten"}}"#,
             #"bad.json:$.input.duration: error: [fal-request] a duration must be a number of seconds (10, "10", "8s"), found "ten""#),
            (#"{"endpoint_id": "fal-ai/flux/dev", "input": {"image_size": "huge"}}"#,
             #"bad.json:$.input.image_size: error: [fal-request] "huge" is no image_size preset of fal's (landscape_16_9, landscape_4_3, portrait_16_9, portrait_4_3, square, square_hd) and no WIDTHxHEIGHT"#),
            (#"{"endpoint_id": 7}"#, #"bad.json:$.endpoint_id: error: [fal-request] the endpoint id must be a non-empty string, found integer"#),
            (#"{"input": {"prompt": "x"}}"#, #"bad.json:$: error: [fal-request] the request names no endpoint ("endpoint_id"); give the key or route to price"#),
            (#"[1]"#, #"bad.json:$: error: [fal-request] expected a fal request object, found array"#),
        ]
        for (text, message) in cases {
            try dir.write("bad.json", text)
            let result = try regdb("cost", "--fal-request", "bad.json", in: dir.url)
            #expect(result.status == 1 && result.stdout.isEmpty, "\(text)")
            #expect(result.stderrLines == [message], "\(text)")
        }
    }

    /// For every fal endpoint LiteLLM 1.109.1 prices that the seeds route, the seed price agrees:
    /// `diff` pairs fal_ai/… with fal/… and shows no fal row; a seed price that disagrees shows.
    @Test func seedsAgreeWithLiteLLMOnFalEndpoints() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let imported = try regdb("import", "--kind", "file", liteLLMFal.path, in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let diff = try regdb("diff", "--format", "json", in: dir.url)
        #expect(diff.status == 0, "\(diff.stderr)")
        let rows = try #require(try parse(diff.stdout) as? [[String: Any]])
        #expect(!rows.contains { ($0["provider"] as? String) == "fal" }, "\(rows.filter { ($0["provider"] as? String) == "fal" })")
        // Checked seed prices: each priced endpoint's value is LiteLLM's.
        for (route, unit, price) in [("fal/fal-ai/flux/schnell", "image", 0.003), ("fal/fal-ai/imagen4/preview", "image", 0.0398),
                                     ("fal/fal-ai/flux/dev", "megapixel", 0.025)] {
            let row = try sqlite3(dir.file("registry.db"), "SELECT usd FROM price JOIN route ON route.id = price.route_id WHERE route_key = '\(route)' AND unit = '\(unit)'")
            #expect(Double(row.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == price, "\(route)")
        }

        // The seeds' old price ($0.002 an image) against LiteLLM's: one fal row, LiteLLM's side named.
        let stale = try TemporaryDirectory()
        let seeds = try stale.copySeeds()
        let fal = stale.file("seeds/fal.json")
        let text = try String(contentsOf: fal, encoding: .utf8)
        let edited = text.replacingOccurrences(of: #"{"unit": "image", "usd": 0.15},"#, with: #"{"unit": "image", "usd": 0.002},"#)
        #expect(edited != text)
        try stale.write("seeds/fal.json", edited)
        #expect(try regdb(["import"] + seeds, in: stale.url).status == 0)
        #expect(try regdb("import", "--kind", "file", liteLLMFal.path, in: stale.url).status == 0)
        let staleRows = try #require(try parse(try regdb("diff", "--format", "json", in: stale.url).stdout) as? [[String: Any]])
        let falRows = staleRows.filter { ($0["provider"] as? String) == "fal" }
        #expect(falRows.count == 1, "\(falRows)")
        #expect(falRows.first?["canonical_id"] as? String == "nano_banana_pro" && falRows.first?["field"] as? String == "pricing.image", "\(falRows)")
    }

    /// fal's pricing API answer imports as a source: its units map to regdb's, what has no unit
    /// is a warning naming it, and `diff` sets the account's prices beside the seeds'.
    @Test func falPricingImportsAsASource() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        // The shape of GET https://api.fal.ai/v1/models/pricing (fal's platform API reference);
        // an account's own prices, one discounted.
        try dir.write("fal-pricing.json", """
            {"prices": [
              {"endpoint_id": "fal-ai/flux/dev", "unit_price": 0.02, "unit": "megapixels", "currency": "USD"},
              {"endpoint_id": "fal-ai/kling-video/v3/standard/text-to-video", "unit_price": 0.084, "unit": "video_second", "currency": "USD"},
              {"endpoint_id": "fal-ai/elevenlabs/tts/eleven-v3", "unit_price": 0.1, "unit": "1000 characters", "currency": "USD"},
              {"endpoint_id": "fal-ai/thinksound", "unit_price": 0.001, "unit": "compute seconds", "currency": "USD"},
              {"endpoint_id": "fal-ai/imagen4/preview", "unit_price": 0.04, "unit": "image", "currency": "EUR"}
            ], "next_cursor": null, "has_more": false}
            """)
        let imported = try regdb("import", "--format", "fal-pricing", "--kind", "file", "--source", "fal-account", "fal-pricing.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderrLines == [
            #"fal-pricing.json:$.prices[3].unit: warning: [unmapped-price] fal-ai/thinksound is priced per "compute seconds", a unit regdb has none for; kept in metadata"#,
            #"fal-pricing.json:$.prices[4].currency: warning: [currency] fal-ai/imagen4/preview is priced in EUR, not USD; kept in metadata, no price"#,
        ])
        let prices = try sqlite3(dir.file("registry.db"), """
            SELECT p.unit || ' ' || p.usd || ' ' || p.per FROM price p JOIN route r ON r.id = p.route_id
            WHERE r.route_key = 'fal/fal-ai/elevenlabs/tts/eleven-v3';
            """)
        #expect(prices.stdoutLines == ["character 0.1 1000"])
        // Detected without --format too.
        let detected = try TemporaryDirectory()
        #expect(try regdb("import", dir.file("fal-pricing.json").path, in: detected.url).status == 0)
        // The account's $0.02 per megapixel beside the seeds' $0.025.
        let rows = try #require(try parse(try regdb("diff", "--format", "json", in: dir.url).stdout) as? [[String: Any]])
        let flux = rows.first { ($0["canonical_id"] as? String) == "flux_dev" }
        #expect(flux?["field"] as? String == "pricing.megapixel", "\(rows)")
        #expect((flux?["others"] as? String)?.contains("fal-account") == true || (flux?["said_by"] as? String)?.contains("fal-account") == true, "\(String(describing: flux))")
        let notPricing = try regdb("import", "--format", "fal-pricing", dir.file("registry.db").path, in: detected.url)
        #expect(notPricing.status == 1)
    }

    /// Every media seed route carries prices_checked, or each of its prices says in a note why it
    /// is unverified or unpublished; what is unverified is listed by the registry.
    @Test func everyMediaPriceIsCheckedOrSaysWhyNot() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let unchecked = try sqlite3(dir.file("registry.db"), """
            SELECT r.route_key || ' ' || p.unit FROM price p JOIN route r ON r.id = p.route_id
            WHERE r.provider_id IN ('fal', 'elevenlabs', 'replicate', 'openrouter') AND p.checked_url IS NULL AND p.note IS NULL;
            SELECT count(*) FROM price p JOIN route r ON r.id = p.route_id WHERE r.provider_id = 'fal' AND p.checked_url IS NOT NULL;
            SELECT count(*) FROM price p JOIN route r ON r.id = p.route_id
            WHERE r.provider_id = 'fal' AND p.checked_url IS NULL AND p.note LIKE '%unverified%';
            """)
        let lines = unchecked.stdoutLines
        #expect(lines.count == 2, "prices with neither a check nor a note: \(lines.dropLast(2))")
        #expect((Int(lines.first ?? "") ?? 0) >= 40, "\(lines)")
        #expect((Int(lines.last ?? "") ?? 0) >= 10, "\(lines)")

        // review lists each unverified seed price, with the note that says where it came from, and exits 2.
        let review = try regdb("review", "--format", "json", in: dir.url)
        #expect(review.status == 2, "\(review.stderr)")
        let rows = try #require(try parse(review.stdout) as? [[String: Any]])
        #expect(rows.contains { $0["route_key"] as? String == "fal/fal-ai/kling-video/v3/standard/image-to-video" && $0["kind"] as? String == "unverified" })
        #expect(!rows.contains { ($0["route_key"] as? String) == "fal/fal-ai/kling-video/v3/standard/text-to-video" })
        #expect(rows.allSatisfy { ($0["note"] as? String)?.contains("unverified") == true }, "\(rows.filter { ($0["note"] as? String)?.contains("unverified") != true })")
        // A checked price turns stale --stale-after days after its check.
        let later = try #require(try parse(try regdb("review", "--as-of", "2027-06-01", "--format", "json", in: dir.url).stdout) as? [[String: Any]])
        let kling = later.first { ($0["route_key"] as? String) == "fal/fal-ai/kling-video/v3/standard/text-to-video" }
        #expect(kling?["kind"] as? String == "stale" && kling?["checked_on"] as? String == "2026-12-07", "\(String(describing: kling))")
        #expect(kling?["detail"] as? String == "checked 176 days ago against https://fal.ai/models/fal-ai/kling-video/v3/standard/text-to-video/llms.txt")
        let patient = try #require(try parse(try regdb("review", "--as-of", "2027-06-01", "--stale-after", "365", "--format", "json",
                                                       in: dir.url).stdout) as? [[String: Any]])
        #expect(patient.filter { $0["kind"] as? String != "deprecated" }.count == rows.count)
        #expect(try regdb("review", "--as-of", "June", in: dir.url).status == 64)
    }
}
