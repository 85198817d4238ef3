import Foundation

/// What a ComfyUI host says about itself (`GET /system_stats`), old and new shapes.
struct ComfyHost: Equatable, Sendable {
    struct Device: Equatable, Sendable {
        /// As reported: `cuda:0 Quadro RTX 5000 : cudaMallocAsync`.
        var name: String
        /// The GPU's name alone: `Quadro RTX 5000`.
        var gpu: String
        var type: String?
        var index: Int64?
        var vramTotal: Double?
        var vramFree: Double?
    }

    var os: String?
    var comfyuiVersion: String?
    var pythonVersion: String?
    var pytorchVersion: String?
    var ramTotal: Double?
    var ramFree: Double?
    /// Primary first.
    var devices: [Device]

    var primary: Device? { devices.first }

    /// Reads `/system_stats`; `path` locates shape errors.
    static func parse(_ json: JSONValue) throws(ShapeError) -> ComfyHost {
        guard case .object = json, let system = json["system"], case .object = system else {
            throw ShapeError(path: .root, message: "expected {\"system\": {...}, \"devices\": [...]}, found \(json.typeName)")
        }
        var devices: [Device] = []
        if case .array(let list)? = json["devices"] {
            for (i, item) in list.enumerated() {
                guard case .object = item else {
                    throw ShapeError(path: JSONPath.root.appending("devices").appending(i), message: "a device must be an object, found \(item.typeName)")
                }
                let name = item["name"]?.stringValue ?? ""
                // A CPU-only host (`--cpu`) reports the CPU as its device and system RAM as its "VRAM":
                // it has no GPU and no VRAM.
                let type = item["type"]?.stringValue
                let cpu = type?.lowercased() == "cpu" || name.lowercased() == "cpu"
                devices.append(Device(name: name, gpu: cpu ? "none (CPU only)" : gpuName(name), type: type,
                                      index: (item["index"]?.doubleValue).flatMap { abs($0) < 1e15 ? Int64($0) : nil },
                                      vramTotal: cpu ? nil : item["vram_total"]?.doubleValue,
                                      vramFree: cpu ? nil : item["vram_free"]?.doubleValue))
            }
        }
        var version = system["comfyui_version"]?.stringValue
        if let v = version, v.hasPrefix("v") { version = String(v.dropFirst()) }
        if version == "unknown" || version == "" { version = nil }
        return ComfyHost(os: system["os"]?.stringValue, comfyuiVersion: version,
                         pythonVersion: system["python_version"]?.stringValue,
                         pytorchVersion: system["pytorch_version"]?.stringValue,
                         ramTotal: system["ram_total"]?.doubleValue, ramFree: system["ram_free"]?.doubleValue,
                         devices: devices)
    }

    /// `cuda:0 Quadro RTX 5000 : cudaMallocAsync` → `Quadro RTX 5000`; `cpu` → `cpu`.
    static func gpuName(_ raw: String) -> String {
        var name = raw
        if let allocator = name.range(of: " : ") { name = String(name[..<allocator.lowerBound]) }
        let parts = name.split(separator: " ", maxSplits: 1)
        if parts.count == 2, let colon = parts[0].firstIndex(of: ":"), parts[0][parts[0].index(after: colon)...].allSatisfy(\.isNumber) {
            name = String(parts[1])
        }
        return name.trimmingCharacters(in: .whitespaces)
    }
}

/// A response that is JSON but not what the endpoint should answer.
struct ShapeError: Error, Equatable {
    var path: JSONPath
    var message: String
}

/// Model files a ComfyUI host has, from the loader nodes that accept them
/// (`/object_info`) and from its model folders (`/models/{folder}`).
struct ComfyInventory: Equatable, Sendable {
    struct File: Equatable, Sendable {
        /// Path inside its folder with '/' separators (Windows '\\' normalized).
        var name: String
        /// As the server wrote it, when that differs (Windows separators).
        var original: String?
        var folder: String?
        /// Loader nodes that accept it, as "Node.input", sorted.
        var loaders: [String]
        /// Bytes on disk, where the server says (`/experiment/models/{folder}`, ComfyUI 0.3.49+).
        var sizeBytes: Double?
        /// What the file's own safetensors header says it is (`modelspec.architecture`, via `/view_metadata`).
        var architecture: String?
    }

    /// By normalized name, sorted.
    var files: [File]

    /// The folder each stock loader input lists (ComfyUI's folder_paths): the
    /// only inputs trusted to say where a file lives. Custom packs name their
    /// inputs as they like (`ckpt_name` for an AnimateDiff motion module), so
    /// their files get a folder only from a `/models/{folder}` listing.
    static let stockFolders: [String: String] = [
        "CheckpointLoaderSimple.ckpt_name": "checkpoints", "CheckpointLoader.ckpt_name": "checkpoints",
        "ImageOnlyCheckpointLoader.ckpt_name": "checkpoints", "unCLIPCheckpointLoader.ckpt_name": "checkpoints",
        "UNETLoader.unet_name": "diffusion_models", "VAELoader.vae_name": "vae",
        "LoraLoader.lora_name": "loras", "LoraLoaderModelOnly.lora_name": "loras",
        "ControlNetLoader.control_net_name": "controlnet", "DiffControlNetLoader.control_net_name": "controlnet",
        "CLIPLoader.clip_name": "text_encoders", "DualCLIPLoader.clip_name1": "text_encoders",
        "DualCLIPLoader.clip_name2": "text_encoders", "TripleCLIPLoader.clip_name1": "text_encoders",
        "TripleCLIPLoader.clip_name2": "text_encoders", "TripleCLIPLoader.clip_name3": "text_encoders",
        "CLIPVisionLoader.clip_name": "clip_vision", "UpscaleModelLoader.model_name": "upscale_models",
        "StyleModelLoader.style_model_name": "style_models", "GLIGENLoader.gligen_name": "gligen",
        "HypernetworkLoader.hypernetwork_name": "hypernetworks",
    ]

    /// Input names that select a model in custom packs too; their file choices count even
    /// when a file has no known extension.
    static let modelInputs: Set = [
        "ckpt_name", "unet_name", "vae_name", "lora_name", "control_net_name", "clip_name", "clip_name1", "clip_name2",
        "clip_name3", "upscale_model", "model_name", "ipadapter_file", "style_model_name", "gligen_name", "hypernetwork_name",
    ]

    /// Extensions of model weight files; a combo choice without one (`taesd`,
    /// `pixel_space`, `None`) is a setting, not a file.
    static let fileExtensions: Set = ["safetensors", "ckpt", "pt", "pth", "bin", "gguf", "sft", "onnx", "pkl", "engine"]

    static func isFile(_ choice: String, extensions: Set<String> = fileExtensions) -> Bool {
        guard let dot = choice.lastIndex(of: "."), dot != choice.startIndex else { return false }
        return extensions.contains(choice[choice.index(after: dot)...].lowercased())
    }

    /// The choices of a combo input in either encoding:
    /// `[[choice, …], {opts}]` or `["COMBO", {"options": [choice, …]}]`.
    static func comboChoices(_ spec: JSONValue) -> [String]? {
        guard case .array(let parts) = spec, let first = parts.first else { return nil }
        if case .array(let choices) = first { return choices.compactMap(\.stringValue) }
        if first == .string("COMBO"), parts.count > 1, case .array(let choices)? = parts[1]["options"] {
            return choices.compactMap(\.stringValue)
        }
        return nil
    }

    /// ComfyUI's old names of two model folders (folder_paths maps them to the new ones): a
    /// server lists the same files under both, and they are one folder.
    static let legacyFolders = ["clip": "text_encoders", "unet": "diffusion_models"]

    /// Builds the inventory from `/object_info` and the folder listings. A file is
    /// a (folder, name): the same name in two folders is two files; a legacy folder name
    /// (`clip`, `unet`) is its folder's (`text_encoders`, `diffusion_models`).
    /// Only files with a model extension count (`extensions`, from the seeds' rules):
    /// a folder also holds configs, code, notes and previews ComfyUI would not load.
    static func build(objectInfo: JSONValue, folders: [String: [String]], sizes: [String: Double] = [:],
                      extensions: Set<String> = fileExtensions) throws(ShapeError) -> ComfyInventory {
        guard case .object(let nodes) = objectInfo else {
            throw ShapeError(path: .root, message: "expected an object of node types, found \(objectInfo.typeName)")
        }
        var files: [String: File] = [:]  // by "folder\u{0}name"
        func normalized(_ raw: String) -> String { raw.replacingOccurrences(of: "\\", with: "/") }
        func key(_ folder: String?, _ name: String) -> String { (folder ?? "") + "\u{0}" + name }
        func add(_ raw: String, folder listed: String?, loader: String?) {
            let name = normalized(raw)
            // ComfyUI's legacy folder names are the same folder: clip is text_encoders, unet diffusion_models.
            let folder = listed.map { legacyFolders[$0] ?? $0 }
            let id = key(folder, name)
            var file = files[id] ?? File(name: name, original: raw == name ? nil : raw, folder: folder, loaders: [],
                                         sizeBytes: nil)
            if file.sizeBytes == nil, let listed { file.sizeBytes = sizes[listed + "\u{0}" + raw] }
            if let loader, !file.loaders.contains(loader) { file.loaders.append(loader) }
            files[id] = file
        }
        // 1. Where the server says files live.
        for (folder, names) in folders.sorted(by: { $0.key < $1.key }) {
            for name in names where isFile(name, extensions: extensions) { add(name, folder: folder, loader: nil) }
        }
        // 2. Stock loaders: their lists are their folders.
        var otherInputs: [(loader: String, files: [String])] = []
        for (node, info) in nodes {
            for section in ["required", "optional"] {
                guard case .object(let inputs)? = info["input"]?[section] else { continue }
                for (input, spec) in inputs {
                    guard let choices = comboChoices(spec) else { continue }
                    let loader = "\(node).\(input)"
                    let picked = choices.filter { isFile($0, extensions: extensions) }
                    if let folder = stockFolders[loader] {
                        for choice in picked { add(choice, folder: folder, loader: loader) }
                    } else if !picked.isEmpty {
                        otherInputs.append((loader, picked))
                    }
                }
            }
        }
        // 3. Other loaders: they load files already known by name, or files of their own.
        var byName: [String: [String]] = [:]
        for (id, file) in files { byName[file.name, default: []].append(id) }
        for (loader, choices) in otherInputs {
            for choice in choices {
                let name = normalized(choice)
                if let ids = byName[name] {
                    for id in ids where !(files[id]?.loaders.contains(loader) ?? true) { files[id]?.loaders.append(loader) }
                } else {
                    add(choice, folder: nil, loader: loader)
                    byName[name] = [key(nil, name)]
                }
            }
        }
        var list = Array(files.values)
        for i in list.indices { list[i].loaders.sort() }
        list.sort { ($0.folder ?? "", $0.name) < ($1.folder ?? "", $1.name) }
        return ComfyInventory(files: list)
    }
}
