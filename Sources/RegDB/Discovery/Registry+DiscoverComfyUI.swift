import Foundation
import GRDB

extension Registry {
    // MARK: - ComfyUI

    /// Asks a ComfyUI host what it has: `/system_stats`, `/object_info`, and
    /// `/models/{folder}` where the server has them. Every file becomes a route of
    /// a provider for that host, with capabilities inferred by the seeds' rules
    /// (a file nothing explains: `unknown`). Everything is fetched before
    /// anything is written; the run is one transaction.
    public func discoverComfyUI(url: String, options: DiscoveryOptions) throws -> DiscoveryReport {
        let base = Registry.trimmedBase(url)
        let client = HTTPClient(timeout: options.timeout, wholeRunWithin: true)
        let stats = try fetchJSON(client, base + "/system_stats")
        let host: ComfyHost
        do {
            host = try ComfyHost.parse(stats)
        } catch {
            throw RegDBError.discovery("\(base)/system_stats is not a ComfyUI answer at \(error.path): \(error.message)")
        }
        let objectInfo = try fetchJSON(client, base + "/object_info")
        var folders: [String: [String]] = [:]
        var folderNames = Registry.defaultComfyFolders
        if let listed = try fetchJSON(client, base + "/models", optional: true) {
            guard case .array(let names) = listed else {
                throw RegDBError.discovery("\(base)/models is not a list of folders (found \(listed.typeName))")
            }
            folderNames = names.compactMap(\.stringValue)
        }
        var sizes: [String: Double] = [:]
        for folder in folderNames {
            let path = folder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? folder
            // Newer ComfyUI (0.3.49+) lists each file with its size; older ones only names.
            if let rich = try fetchJSON(client, base + "/experiment/models/" + path, optional: true),
               case .array(let entries) = rich, entries.allSatisfy({ $0["name"]?.stringValue != nil }) {
                folders[folder] = entries.compactMap { $0["name"]?.stringValue }
                for entry in entries {
                    if let name = entry["name"]?.stringValue, let size = entry["size"]?.doubleValue, size.isFinite, size > 0 {
                        sizes[folder + "\u{0}" + name] = size
                    }
                }
                continue
            }
            guard let files = try fetchJSON(client, base + "/models/" + path, optional: true) else { continue }
            guard case .array(let names) = files else {
                throw RegDBError.discovery("\(base)/models/\(folder) is not a list of files (found \(files.typeName))")
            }
            folders[folder] = names.compactMap(\.stringValue)
        }
        try Registry.checkModelCount(folders.values.reduce(0) { $0 + $1.count }, base + "/models", options)
        let rules = try capabilityRules()
        var inventory: ComfyInventory
        do {
            inventory = try ComfyInventory.build(objectInfo: objectInfo, folders: folders, sizes: sizes, extensions: rules.extensions)
        } catch {
            throw RegDBError.discovery("\(base)/object_info is not a ComfyUI answer at \(error.path): \(error.message)")
        }
        // A safetensors file no loader or family explains: ask the server what its header says it is.
        for index in inventory.files.indices {
            let file = inventory.files[index]
            guard let folder = file.folder, file.name.lowercased().hasSuffix(".safetensors"),
                  rules.judge(file).evidence.allSatisfy({ !$0.hasPrefix("loader ") && !$0.hasPrefix("family ") }),
                  let name = (file.original ?? file.name).addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { continue }
            let url = base + "/view_metadata/" + (folder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? folder)
                + "?filename=" + name
            if let header = try fetchJSON(client, url, optional: true),
               let architecture = header["modelspec.architecture"]?.stringValue, !architecture.isEmpty {
                inventory.files[index].architecture = architecture
            }
        }
        let provider = options.provider ?? Registry.providerID(for: base, prefix: "comfyui")

        var routes: [JSONValue] = []
        var counts: [String: Int] = [:]
        let diagnostics = CatalogDiagnostics(file: base + "/object_info")
        for file in inventory.files {
            // Names as users have them (spaces, parentheses, any letter) are kept exactly;
            // a control or invisible character makes one file unusable, never the run.
            if let problem = ObjectReader.identifierProblem(file.name, allowSpaces: true) {
                diagnostics.warn(.root, "identifier", "file \(JSONValue.string(file.name).jsonText) in \(file.folder ?? "no folder") \(problem); skipped")
                continue
            }
            let judgement = rules.judge(file)
            for capability in judgement.capabilities { counts[capability, default: 0] += 1 }
            var info = Fields()
            info.text("folder", file.folder)
            info.set("loaders", .array(file.loaders.map(JSONValue.string)))
            info.set("quality", .number(judgement.quality))
            info.set("vram_gb", .number(judgement.vramGB))
            if let parameters = judgement.parametersB { info.set("parameters_b", .number(parameters)) }
            if let size = file.sizeBytes { info.set("size_bytes", .number(size)) }
            info.text("architecture", file.architecture)
            info.set("evidence", .array(judgement.evidence.map(JSONValue.string)))
            info.text("original_name", file.original)
            var route = Fields()
            route.set("route", .string(provider + "/" + (file.folder.map { $0 + "/" } ?? "") + file.name))
            route.set("model", .string(file.name))
            route.set("name", .string(Registry.readableName(file.name)))
            route.set("capabilities", .object(judgement.capabilities.map { ($0, .bool(true)) }))
            route.set("info", info.object)
            route.set("available", .bool(true))
            routes.append(route.object)
        }
        let providers: [JSONValue] = [.object([("id", .string(provider)), ("name", .string("ComfyUI at \(Registry.hostLabel(base))")),
                                               ("base_url", .string(base)), ("auth", .string("none"))])]
        let now = Registry.timestamp()
        let remote = !Registry.isLocal(base)
        let devices = JSONValue.array(host.devices.map { device in
            .object([("name", .string(device.name)), ("gpu", .string(device.gpu)), ("type", device.type.map(JSONValue.string) ?? .null),
                     ("index", device.index.map(JSONValue.integer) ?? .null),
                     ("vram_total_gb", device.vramTotal.map { .number(Registry.gib($0)) } ?? .null),
                     ("vram_free_gb", device.vramFree.map { .number(Registry.gib($0)) } ?? .null)])
        })
        let unavailable = try record(providers: providers, routes: routes, source: "comfyui \(base)", options: options, now: now) { db in
            try db.execute(sql: """
                INSERT INTO host (provider_id, url, remote, gpu, vram_total_gb, vram_free_gb, ram_total_gb, ram_free_gb, os,
                                  comfyui_version, devices, observed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (provider_id) DO UPDATE SET url = excluded.url, remote = excluded.remote, gpu = excluded.gpu,
                    vram_total_gb = excluded.vram_total_gb, vram_free_gb = excluded.vram_free_gb,
                    ram_total_gb = excluded.ram_total_gb, ram_free_gb = excluded.ram_free_gb, os = excluded.os,
                    comfyui_version = excluded.comfyui_version, devices = excluded.devices, observed_at = excluded.observed_at
                """, arguments: [provider, base, remote ? 1 : 0, host.primary?.gpu, host.primary?.vramTotal.map(Registry.gib),
                                 host.primary?.vramFree.map(Registry.gib), host.ramTotal.map(Registry.gib),
                                 host.ramFree.map(Registry.gib), host.os, host.comfyuiVersion, devices.jsonText, now])
        }
        return DiscoveryReport(provider: provider, source: "comfyui \(base)", listed: routes.count, unavailable: unavailable,
                               unknown: 0, capabilities: counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                               warnings: (Registry.credentialWarning(url).map { [$0] } ?? []) + diagnostics.warnings)
    }

    /// Where OpenAI-compatible servers state a model's context window, in the order tried:
    /// OpenRouter context_length, others context_window, vLLM max_model_len, LiteLLM proxy max_input_tokens.
    static let contextWindowFields = ["context_length", "context_window", "max_model_len", "max_input_tokens"]

    /// ComfyUI's model folders (design doc 001), asked one by one when the
    /// server has no `/models` listing.
    static let defaultComfyFolders = ["checkpoints", "unet", "diffusion_models", "vae", "loras", "controlnet", "clip",
                                      "clip_vision", "upscale_models", "embeddings"]

    /// The rules in the registry, in position order.
    func capabilityRules() throws -> CapabilityRules {
        try read { db in
            var rules = CapabilityRules()
            var extensions = Set<String>()
            for row in try Row.fetchAll(db, sql: "SELECT kind, match, capabilities, value FROM capability_rule ORDER BY position, id") {
                let kind: String = row["kind"]
                let match = (row["match"] as String?).flatMap { try? JSONParser.parse($0) }
                let capabilities: [String] = (row["capabilities"] as String?).flatMap { text -> [String]? in
                    guard case .array(let items)? = try? JSONParser.parse(text) else { return nil }
                    return items.compactMap(\.stringValue)
                } ?? []
                let value: Double? = row["value"]
                let substrings: [String]
                switch match {
                case .string(let s)?: substrings = [s]
                case .array(let items)?: substrings = items.compactMap(\.stringValue)
                default: substrings = []
                }
                switch kind {
                case "loader": rules.loaders += substrings.map { CapabilityRules.Loader(node: $0, capabilities: capabilities) }
                case "generic_loader":
                    rules.genericLoaders += substrings.map { CapabilityRules.Loader(node: $0, capabilities: capabilities) }
                case "family":
                    rules.families.append(.init(substrings: substrings.map { $0.lowercased() }, capabilities: capabilities, parametersB: value))
                case "filename": rules.patterns.append(.init(substrings: substrings.map { $0.lowercased() }, capabilities: capabilities))
                case "extension": extensions.formUnion(substrings.map { $0.lowercased() })
                case "quality": rules.quality += substrings.map { .init(substring: $0.lowercased(), value: value ?? rules.defaultQuality) }
                case "precision": rules.precision += substrings.map { .init(substring: $0.lowercased(), value: value ?? 2) }
                case "default_quality": rules.defaultQuality = value ?? rules.defaultQuality
                case "default_vram": rules.defaultVRAM = value ?? rules.defaultVRAM
                default: break
                }
            }
            if !extensions.isEmpty { rules.extensions = extensions }
            return rules
        }
    }
}
