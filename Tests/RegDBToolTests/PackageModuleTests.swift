import Foundation
import Testing

/// Design doc 000's provider packages: one constants module per package, holding every model of
/// its categories, so regenerating the video-to-video module keeps thinksound and topaz.
@Suite struct PackageModuleTests {
    /// The models of each package's constants module as design doc 000 lists them.
    static let documented: [(package: String, models: [String])] = [
        ("text-to-image", ["flux_dev", "flux_schnell", "imagen4", "seedream_v3", "seedream3", "gen4", "nano_banana_pro", "gpt_image_1_5"]),
        ("text-to-video", ["hailuo_pro", "veo3", "veo3_fast", "kling_2_6_pro", "kling_3_standard", "kling_3_pro", "kling_o3_pro_t2v",
                           "sora_2", "sora_2_pro", "grok_imagine"]),
        ("image-to-image", ["photon", "photon_base", "kontext", "kontext_multi", "seededit", "clarity", "nano_banana_pro_edit",
                            "gpt_image_1_5_edit"]),
        ("image-to-video", ["hailuo", "kling_2_1", "kling_2_6_pro", "kling_3_standard", "kling_3_pro", "kling_o3_standard_i2v",
                            "kling_o3_pro_i2v", "kling_o3_standard_ref", "kling_o3_pro_ref", "seedance_1_5_pro", "sora_2", "sora_2_pro",
                            "veo_3_1_fast", "wan_2_6", "grok_imagine"]),
        ("avatar-generation", ["omnihuman_v1_5", "fabric_1_0", "fabric_1_0_fast", "fabric_1_0_text", "kling_ref_to_video",
                               "kling_v2v_reference", "kling_v2v_edit", "kling_motion_control", "multitalk", "grok_video_edit"]),
        ("video-to-video", ["thinksound", "topaz", "kling_o3_standard_edit", "kling_o3_pro_edit", "kling_o3_standard_v2v_ref",
                            "kling_o3_pro_v2v_ref"]),
        ("speech-to-text", ["scribe_v2"]),
    ]

    /// Each package module, run by Python, lists the doc's models of that package, and the models
    /// the pipeline's registry (its fal-models.json) added to the package's categories since.
    @Test func eachPackageHoldsThePipelinesModels() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let pipeline = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: referenceData.appending(path: "fal-models.json")))
                                    as? [[String: Any]])
        let listed = Set(Self.documented.flatMap(\.models))
        let python = try #require(executable("python3"))
        let packages = try sqlite3(dir.file("registry.db"), "SELECT package_id, group_concat(category_id) FROM package_category GROUP BY package_id")
        let categoriesOf = Dictionary(uniqueKeysWithValues: packages.stdoutLines.map {
            let parts = $0.split(separator: "|")
            return (String(parts[0]), Set(parts[1].split(separator: ",").map(String.init)))
        })
        #expect(Set(categoriesOf.keys) == Set(Self.documented.map(\.package)))
        for (package, models) in Self.documented {
            let module = try regdb("export", "constants", "--lang", "python", "--package", package, in: dir.url)
            #expect(module.status == 0, "\(package): \(module.stderr)")
            _ = try dir.write("package_module.py", module.stdout + """

                import json
                assert set(MODEL_ENDPOINTS) == set(SUPPORTED_MODELS)
                print(json.dumps({"models": SUPPORTED_MODELS, "endpoints": MODEL_ENDPOINTS}))

                """)
            let run = try run(python, ["package_module.py"], in: dir.url)
            #expect(run.status == 0, "\(package): \(run.stderr)")
            let answer = try #require(try parse(run.stdout) as? [String: Any])
            let keys = answer["models"] as? [String] ?? []
            let endpoints = answer["endpoints"] as? [String: String] ?? [:]
            // A model of the package's categories the pipeline's registry added after the doc's lists
            // (its own endpoint, not the image-to-video twin of a listed model: sora_2_i2v is sora_2 here).
            let listedEndpoints = Set(models.compactMap { endpoints[$0] })
            let newer = pipeline.filter { model in
                let key = model["key"] as? String ?? "", endpoint = model["endpoint"] as? String ?? ""
                return !listed.contains(key) && !listedEndpoints.contains(endpoint)
                    && !Set(model["categories"] as? [String] ?? []).isDisjoint(with: categoriesOf[package] ?? [])
            }.compactMap { $0["key"] as? String }
            #expect(Set(keys) == Set(models + newer), "\(package): \(keys)")
            #expect(keys.count == models.count + newer.count, "\(package): a key twice")
        }
        // video-to-video keeps what the core pipeline files under add_audio and upscale_video.
        let videoToVideo = try regdb("export", "constants", "--lang", "python", "--package", "video-to-video", in: dir.url).stdout
        #expect(videoToVideo.contains("\"thinksound\": \"fal-ai/thinksound\"") && videoToVideo.contains("\"topaz\": \"fal-ai/topaz/upscale/video\""))
        // Its header regenerates it: check --generated holds it to the registry.
        _ = try dir.write("video_to_video.py", videoToVideo)
        #expect(try regdb("check", "--generated", "video_to_video.py", in: dir.url).status == 0)
        let unknown = try regdb("export", "constants", "--lang", "python", "--package", "nope", in: dir.url)
        #expect(unknown.status == 64 && unknown.stderr.hasPrefix("error: unknown package \"nope\"; known: avatar-generation, "), "\(unknown.stderr)")
    }

    /// A repeated --category is one module of all of them; a key two categories give differently
    /// is an error, never one of them dropped.
    @Test func repeatedCategoriesAreOneModule() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let both = try regdb("export", "constants", "--lang", "typescript", "--category", "add_audio", "--category", "upscale_video", in: dir.url)
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.hasPrefix("// Generated by regdb — do not edit. Regenerate: regdb export constants --lang typescript --category add_audio --category upscale_video\n"))
        #expect(both.stdout.contains("\"thinksound\"") && both.stdout.contains("\"topaz\""))
        _ = try dir.write("both.ts", both.stdout)
        #expect(try regdb("check", "--generated", "both.ts", in: dir.url).status == 0)

        let clash = try regdb("export", "constants", "--lang", "python", "--category", "text_to_video", "--category", "image_to_video", in: dir.url)
        #expect(clash.status == 1)
        #expect(clash.stderrLines == [#"error: MODEL_ENDPOINTS["kling_2_6_pro"] differs between categories text_to_video and image_to_video; one module cannot hold both (export them apart)"#],
                "\(clash.stderr)")
        #expect(try regdb("export", "constants", "--lang", "python", "--category", "add_audio", "--package", "video-to-video", in: dir.url).status == 64)
    }
}
