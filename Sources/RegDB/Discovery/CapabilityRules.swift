import Foundation

/// How discovery judges a model file: rules kept as data in the seeds
/// (`seeds/comfyui.json`, from design doc 001), never in code.
///
/// - loader rules: a loader node that names what a file is (VAELoader,
///   LTXVLoader) says what the file does, authoritatively;
/// - family rules: substrings of the folder and file name (`wan2.1_i2v`,
///   `flux1-kontext`), first match wins, for files a generic loader lists;
/// - generic loader rules (CheckpointLoaderSimple, UNETLoader): what a file is
///   taken to do when no family explains it, and the evidence says so;
/// - filename rules: the old fallback for files no loader lists;
/// - extensions: which files are models at all;
/// - quality and precision markers: substrings of the file name.
/// A file nothing explains keeps the capability `unknown`: tracked, never dropped.
struct CapabilityRules: Equatable, Sendable {
    struct Loader: Equatable, Sendable {
        var node: String
        var capabilities: [String]
    }

    struct Pattern: Equatable, Sendable {
        var substrings: [String]
        var capabilities: [String]
    }

    /// A model family recognised by its folder and file name: what its files do and,
    /// where the family has one typical size, its parameter count in billions.
    struct Family: Equatable, Sendable {
        var substrings: [String]
        var capabilities: [String]
        var parametersB: Double?
    }

    struct Marker: Equatable, Sendable {
        var substring: String
        var value: Double
    }

    /// Loaders that name what a file is (VAELoader, LTXVLoader): authoritative.
    var loaders: [Loader] = []
    /// Loaders any diffusion model goes through (CheckpointLoaderSimple, UNETLoader):
    /// their capability stands only when no family rule explains the file.
    var genericLoaders: [Loader] = []
    /// First match wins, in rule order (specific spellings before general ones).
    var families: [Family] = []
    /// The old fallback for files no loader lists (custom packs).
    var patterns: [Pattern] = []
    /// Extensions of files ComfyUI loads as models; anything else in a model folder is not one.
    var extensions: Set<String> = ComfyInventory.fileExtensions
    /// Quality markers (first match wins): averaged with the quality of the family and size.
    var quality: [Marker] = []
    var defaultQuality: Double = 7
    /// Precision markers (`fp8`, `bf16`, `q4_k`): bytes per parameter; first match wins.
    var precision: [Marker] = []
    /// Bytes per parameter when no marker says (fp16 / bf16 weights), and 0.6 for GGUF.
    var defaultBytesPerParameter: Double = 2
    /// VRAM in GB when neither the name nor a family gives a parameter count.
    var defaultVRAM: Double = 4

    struct Judgement: Equatable, Sendable {
        var capabilities: [String]
        /// Which rules decided, for `regdb best`'s reason: "loader VAELoader",
        /// "family wan2.1_i2v (file name)", "generic loader UNETLoader: no family rule matched".
        var evidence: [String]
        var quality: Double
        var vramGB: Double
        /// Billions of parameters, from the file name or its family; nil unknown.
        var parametersB: Double?
    }

    func judge(_ file: ComfyInventory.File) -> Judgement {
        var capabilities: [String] = []
        var evidence: [String] = []
        func add(_ list: [String]) {
            for capability in list where !capabilities.contains(capability) { capabilities.append(capability) }
        }
        let nodes = file.loaders.map { String($0.split(separator: ".").first ?? "") }
        for node in nodes {
            for rule in loaders where rule.node == node {
                add(rule.capabilities)
                if !evidence.contains("loader \(node)") { evidence.append("loader \(node)") }
            }
        }
        // The folder and file name, and the architecture the file's header names, if known.
        let text = ((file.folder ?? "") + "/" + file.name + (file.architecture.map { " " + $0 } ?? "")).lowercased()
        // The family gives the size even where a loader decided what the file does (a VAE, a text encoder).
        var family: Family?
        var hit = ""
        for rule in families {
            guard let found = rule.substrings.first(where: { text.contains($0) }) else { continue }
            family = rule
            hit = found
            break
        }
        if capabilities.isEmpty, let family {
            add(family.capabilities)
            let header = file.architecture.map { $0.lowercased().contains(hit) } ?? false
            evidence.append("family \"\(hit)\" (\(header ? "the file's safetensors header" : "folder and file name"))")
        }
        if capabilities.isEmpty {
            for node in nodes {
                for rule in genericLoaders where rule.node == node {
                    add(rule.capabilities)
                    evidence.append("generic loader \(node): no family rule matched the file name")
                }
            }
        }
        if capabilities.isEmpty {
            for rule in patterns {
                guard let hit = rule.substrings.first(where: { text.contains($0) }) else { continue }
                add(rule.capabilities)
                evidence.append("filename pattern \(hit)")
            }
        }
        if capabilities.isEmpty {
            capabilities = ["unknown"]
            evidence.append("no loader, family or filename rule explains it")
        }
        // Size: the parameter count the name states (14B, 1.3B), else the family's; times the
        // bytes a parameter takes at the precision the name states.
        // A LoRA's name states its base model's size (wan2.1_i2v_14B_lora), not its own.
        let stated = capabilities.contains("lora") ? nil : CapabilityRules.parameterCount(in: file.name.lowercased())
        let parameters = stated ?? family?.parametersB
        let gguf = file.name.lowercased().hasSuffix(".gguf")
        let bytes = precision.first { text.contains($0.substring) }?.value ?? (gguf ? 0.6 : defaultBytesPerParameter)
        // The weights' size on disk, where the server says, is what they take in VRAM.
        let vram = file.sizeBytes.map { $0 / 1_073_741_824 } ?? parameters.map { $0 * bytes } ?? defaultVRAM
        // Quality by family and size (a larger model of a family generates better), then the name's marker.
        let base = parameters.map { min(10, max(1, 4 + 1.5 * log2(1 + $0))) } ?? defaultQuality
        let marked = quality.first { text.contains($0.substring) }.map { (base + $0.value) / 2 } ?? base
        return Judgement(capabilities: capabilities, evidence: evidence, quality: (marked * 10).rounded() / 10,
                         vramGB: (vram * 10).rounded() / 10, parametersB: parameters)
    }

    /// `14b`, `1.3b`, `3.5b` standing alone in a file name (not `b16`, not `v1b`): billions of parameters.
    static func parameterCount(in name: String) -> Double? {
        let bytes = Array(name.utf8)
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        func isLetter(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) }
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]), index == 0 || !(isDigit(bytes[index - 1]) || isLetter(bytes[index - 1]) || bytes[index - 1] == 46)
            else { index += 1; continue }
            var end = index
            while end < bytes.count && (isDigit(bytes[end]) || (bytes[end] == 46 && end + 1 < bytes.count && isDigit(bytes[end + 1]))) {
                end += 1
            }
            if end < bytes.count, bytes[end] == 98, end + 1 == bytes.count || !isLetter(bytes[end + 1]),
               let value = Double(String(decoding: bytes[index..<end], as: UTF8.self)), value > 0, value < 2000 {
                return value
            }
            index = end
        }
        return nil
    }
}
