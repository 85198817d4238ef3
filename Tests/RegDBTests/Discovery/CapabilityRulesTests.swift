import Testing
@testable import RegDB

/// How discovery reads a ComfyUI file name: parameter counts, precision, families, components.
@Suite struct CapabilityRulesTests {
    /// ComfyUI lists the same files under a folder's legacy name (clip, unet) and its new one
    /// (text_encoders, diffusion_models): one folder, each file once, sizes from either listing.
    @Test func legacyFolderNamesAreOneFolder() throws {
        let inventory = try ComfyInventory.build(
            objectInfo: .object([]),
            folders: ["clip": ["t5xxl_fp16.safetensors"], "text_encoders": ["t5xxl_fp16.safetensors", "clip_l.safetensors"],
                      "unet": ["flux1-dev.safetensors"], "diffusion_models": ["flux1-dev.safetensors"]],
            sizes: ["unet\u{0}flux1-dev.safetensors": 23_800_000_000])
        #expect(inventory.files.map { "\($0.folder ?? "")/\($0.name)" }
                == ["diffusion_models/flux1-dev.safetensors", "text_encoders/clip_l.safetensors", "text_encoders/t5xxl_fp16.safetensors"])
        #expect(inventory.files.first?.sizeBytes == 23_800_000_000)
    }

    @Test(arguments: [
        ("wan2.1_t2v_1.3b_fp16.safetensors", 1.3), ("ltx-video-2b-v0.9.5.safetensors", 2.0),
        ("qwen_2.5_vl_7b_fp8_scaled.safetensors", 7.0), ("ace_step_v1_3.5b.safetensors", 3.5),
        ("wan2.1_i2v_480p_14b_fp8_e4m3fn.safetensors", 14.0),
    ])
    func parameterCountsStandAlone(name: String, billions: Double) {
        #expect(CapabilityRules.parameterCount(in: name) == billions)
    }

    @Test(arguments: ["sd_xl_base_1.0.safetensors", "model_b16.safetensors", "flux1-dev-fp8.safetensors", "v1b.safetensors",
                      "umt5_xxl_fp8_e4m3fn_scaled.safetensors"])
    func namesWithoutACountHaveNone(name: String) {
        #expect(CapabilityRules.parameterCount(in: name) == nil, "\(name)")
    }

    /// The repository's rules: a specific loader decides, the family sizes it; a LoRA's name
    /// states its base model's size, not its own; a generic loader's file takes its family.
    @Test func seedRulesJudgeComponentsAndFamilies() throws {
        let (registry, _) = try seededRegistry()
        let rules = try registry.capabilityRules()
        func judge(_ folder: String, _ name: String, _ loader: String) -> CapabilityRules.Judgement {
            rules.judge(ComfyInventory.File(name: name, original: nil, folder: folder, loaders: [loader]))
        }
        let vae = judge("vae", "wan_2.1_vae.safetensors", "VAELoader.vae_name")
        #expect(vae.capabilities == ["vae"])
        #expect(vae.vramGB == 0.2)
        let lora = judge("loras", "wan2.1_i2v_14B_lightx2v_lora.safetensors", "LoraLoader.lora_name")
        #expect(lora.capabilities == ["lora"])
        #expect(lora.vramGB < 1, "\(lora.vramGB)")
        let t5 = judge("text_encoders", "t5xxl_fp8_e4m3fn.safetensors", "CLIPLoader.clip_name")
        #expect(t5.capabilities == ["text_encoder"])
        #expect(t5.vramGB == 4.7)
        let gguf = judge("diffusion_models", "wan2.1-i2v-14b-480p-Q4_K_M.gguf", "UnetLoaderGGUF.unet_name")
        #expect(gguf.capabilities == ["image_to_video"])
        #expect(gguf.vramGB == 7.8, "14B at Q4: \(gguf.vramGB)")
        let unknown = judge("diffusion_models", "my_merge.safetensors", "UNETLoader.unet_name")
        #expect(unknown.capabilities == ["diffusion_model"])
        #expect(unknown.evidence == ["generic loader UNETLoader: no family rule matched the file name"])
        // Flux dev outranks schnell, and SDXL outranks SD 1.5 whatever the precision marker says.
        let dev = judge("diffusion_models", "flux1-dev.safetensors", "UNETLoader.unet_name")
        let schnell = judge("diffusion_models", "flux1-schnell.safetensors", "UNETLoader.unet_name")
        #expect(dev.quality > schnell.quality)
        let sdxl = judge("checkpoints", "sd_xl_base_1.0.safetensors", "CheckpointLoaderSimple.ckpt_name")
        let sd15 = judge("checkpoints", "v1-5-pruned-emaonly-fp16.safetensors", "CheckpointLoaderSimple.ckpt_name")
        #expect(sdxl.quality > sd15.quality)
    }
}
