/// How discovery judges a model file: rules kept as data in the seeds
/// (`seeds/comfyui.json`, from design doc 001), never in code.
///
/// - loader rules: a loader node that accepts a file says what the file does;
/// - filename rules: substrings of the file name, consulted only when no
///   loader rule matched (the fallback);
/// - quality hints and VRAM markers: substrings of the file name.
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

    struct Marker: Equatable, Sendable {
        var substring: String
        var value: Double
    }

    var loaders: [Loader] = []
    var patterns: [Pattern] = []
    /// First match wins, in rule order.
    var quality: [Marker] = []
    var defaultQuality: Double = 7
    /// Parameter-size markers (`14b`): base VRAM in GB; first match wins.
    var sizes: [Marker] = []
    var defaultVRAM: Double = 4
    /// Quantization markers (`fp8`, `q4`): factor on the base VRAM; first match wins.
    var quantization: [Marker] = []

    struct Judgement: Equatable, Sendable {
        var capabilities: [String]
        /// Which rules decided, for `regdb best`'s reason: "loader CheckpointLoaderSimple", "filename pattern flux".
        var evidence: [String]
        var quality: Double
        var vramGB: Double
    }

    func judge(_ file: ComfyInventory.File) -> Judgement {
        var capabilities: [String] = []
        var evidence: [String] = []
        for loader in file.loaders {
            let node = String(loader.split(separator: ".").first ?? "")
            for rule in loaders where rule.node == node {
                for capability in rule.capabilities where !capabilities.contains(capability) { capabilities.append(capability) }
                if !evidence.contains("loader \(node)") { evidence.append("loader \(node)") }
            }
        }
        let lower = file.name.lowercased()
        if capabilities.isEmpty {
            for rule in patterns {
                guard let hit = rule.substrings.first(where: { lower.contains($0) }) else { continue }
                for capability in rule.capabilities where !capabilities.contains(capability) { capabilities.append(capability) }
                evidence.append("filename pattern \(hit)")
            }
        }
        if capabilities.isEmpty {
            capabilities = ["unknown"]
            evidence.append("no loader or filename rule explains it")
        }
        let quality = self.quality.first { lower.contains($0.substring) }?.value ?? defaultQuality
        var vram = sizes.first { lower.contains($0.substring) }?.value ?? defaultVRAM
        if let factor = quantization.first(where: { lower.contains($0.substring) }) { vram *= factor.value }
        return Judgement(capabilities: capabilities, evidence: evidence, quality: quality,
                         vramGB: (vram * 10).rounded() / 10)
    }
}
