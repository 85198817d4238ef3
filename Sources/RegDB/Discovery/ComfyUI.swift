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
                devices.append(Device(name: name, gpu: gpuName(name), type: item["type"]?.stringValue,
                                      index: (item["index"]?.doubleValue).map { Int64($0) },
                                      vramTotal: item["vram_total"]?.doubleValue, vramFree: item["vram_free"]?.doubleValue))
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
    }

    /// By normalized name, sorted.
    var files: [File]

    /// Inputs that select a model file in the stock loader nodes; custom packs
    /// use their own names, so any combo of file-like choices counts too.
    static let modelInputs: [String: String] = [
        "ckpt_name": "checkpoints", "unet_name": "diffusion_models", "vae_name": "vae", "lora_name": "loras",
        "control_net_name": "controlnet", "clip_name": "text_encoders", "clip_name1": "text_encoders",
        "clip_name2": "text_encoders", "clip_name3": "text_encoders", "upscale_model": "upscale_models",
        "model_name": "", "ipadapter_file": "ipadapter", "style_model_name": "style_models",
        "gligen_name": "gligen", "hypernetwork_name": "hypernetworks", "audio_encoder_name": "audio_encoders",
    ]

    /// Extensions of model weight files; a combo choice without one (`taesd`,
    /// `pixel_space`, `None`) is a setting, not a file.
    static let fileExtensions: Set = ["safetensors", "ckpt", "pt", "pth", "bin", "gguf", "sft", "onnx", "pkl", "engine"]

    static func isFile(_ choice: String) -> Bool {
        guard let dot = choice.lastIndex(of: "."), dot != choice.startIndex else { return false }
        return fileExtensions.contains(choice[choice.index(after: dot)...].lowercased())
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

    /// Builds the inventory from `/object_info` and the folder listings.
    static func build(objectInfo: JSONValue, folders: [String: [String]]) throws(ShapeError) -> ComfyInventory {
        guard case .object(let nodes) = objectInfo else {
            throw ShapeError(path: .root, message: "expected an object of node types, found \(objectInfo.typeName)")
        }
        var byName: [String: File] = [:]
        func add(_ raw: String, folder: String?, loader: String?) {
            let name = raw.replacingOccurrences(of: "\\", with: "/")
            var file = byName[name] ?? File(name: name, original: raw == name ? nil : raw, folder: nil, loaders: [])
            if file.folder == nil, let folder, !folder.isEmpty { file.folder = folder }
            if let loader, !file.loaders.contains(loader) { file.loaders.append(loader) }
            byName[name] = file
        }
        // Folder listings first: where a server says a file lives beats what its loader suggests.
        for (folder, names) in folders.sorted(by: { $0.key < $1.key }) {
            for name in names { add(name, folder: folder, loader: nil) }
        }
        for (node, info) in nodes {
            for section in ["required", "optional"] {
                guard case .object(let inputs)? = info["input"]?[section] else { continue }
                for (input, spec) in inputs {
                    guard let choices = comboChoices(spec) else { continue }
                    let known = modelInputs[input]
                    let files = choices.filter(isFile)
                    guard known != nil || !files.isEmpty else { continue }
                    for choice in files { add(choice, folder: known, loader: "\(node).\(input)") }
                }
            }
        }
        var files = Array(byName.values)
        for i in files.indices { files[i].loaders.sort() }
        files.sort { $0.name < $1.name }
        return ComfyInventory(files: files)
    }
}
