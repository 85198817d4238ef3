// Writes `schema.sql` as a Swift string constant, and the version:
// `SchemaEmbedder <schema.sql> <out.swift> [<.git>]`.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: SchemaEmbedder SCHEMA.sql OUTPUT.swift [GIT-DIR]\n".utf8))
    exit(64)
}

/// The release tag at the checked-out commit (`0.2.0`), else `commit <short hash>`;
/// "unknown" outside a git checkout. Read from git's files: no git binary needed.
func version(gitDirectory: String?) -> String {
    guard let gitDirectory, let head = try? String(contentsOfFile: gitDirectory + "/HEAD", encoding: .utf8) else { return "unknown" }
    let packed = (try? String(contentsOfFile: gitDirectory + "/packed-refs", encoding: .utf8)) ?? ""
    func resolve(_ ref: String) -> String? {
        if let loose = try? String(contentsOfFile: gitDirectory + "/" + ref, encoding: .utf8) {
            return loose.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return packed.split(separator: "\n").first { $0.hasSuffix(" " + ref) }.map { String($0.prefix(40)) }
    }
    let text = head.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let commit = text.hasPrefix("ref: ") ? resolve(String(text.dropFirst(5))) : text, commit.count >= 7 else {
        return "unknown"
    }
    // Tags, loose and packed (an annotated tag's packed line is followed by "^<commit>").
    var tags: [String] = []
    if let loose = FileManager.default.enumerator(atPath: gitDirectory + "/refs/tags") {
        for case let name as String in loose where resolve("refs/tags/" + name) == commit { tags.append(name) }
    }
    let lines = packed.split(separator: "\n").map(String.init)
    for (index, line) in lines.enumerated() where line.contains(" refs/tags/") {
        let name = String(line.split(separator: " ")[1].dropFirst("refs/tags/".count))
        let peeled = index + 1 < lines.count && lines[index + 1].hasPrefix("^") ? String(lines[index + 1].dropFirst()) : nil
        if line.hasPrefix(commit) || peeled == commit { tags.append(name) }
    }
    if let tag = tags.sorted().last { return tag.hasPrefix("v") ? String(tag.dropFirst()) : tag }
    return "commit " + commit.prefix(12)
}

do {
    let sql = try String(contentsOfFile: arguments[1], encoding: .utf8)
    // A raw string needs more '#' than the longest run of '"#' inside it.
    var hashes = "#"
    while sql.contains("\"" + hashes) { hashes += "#" }
    let source = """
        // Generated from schema.sql by the EmbedSchema plugin. Do not edit.
        let embeddedSchemaSQL = \(hashes)\"\"\"
        \(sql)
        \"\"\"\(hashes)

        let embeddedVersion = "\(version(gitDirectory: arguments.count == 4 ? arguments[3] : nil))"

        """
    try source.write(toFile: arguments[2], atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("SchemaEmbedder: \(error)\n".utf8))
    exit(1)
}
