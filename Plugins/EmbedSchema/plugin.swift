import Foundation
import PackagePlugin

/// Embeds the package's root `schema.sql` into the target as `embeddedSchemaSQL`,
/// and the version (`regdb --version`) as `embeddedVersion`: the release tag
/// pointing at the checked-out commit, else that commit.
@main
struct EmbedSchema: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let schema = root.appending(path: "schema.sql")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSchema.swift")
        // The files git moves on a commit, a checkout or a new tag, so the version follows them.
        let git = root.appending(path: ".git")
        var inputs = [schema]
        for name in ["HEAD", "packed-refs"] where FileManager.default.fileExists(atPath: git.appending(path: name).path) {
            inputs.append(git.appending(path: name))
        }
        if let head = try? String(contentsOf: git.appending(path: "HEAD"), encoding: .utf8), head.hasPrefix("ref: ") {
            let ref = git.appending(path: head.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
            if FileManager.default.fileExists(atPath: ref.path) { inputs.append(ref) }
        }
        return [
            .buildCommand(
                displayName: "Embedding schema.sql and the version",
                executable: try context.tool(named: "SchemaEmbedder").url,
                arguments: [schema.path(percentEncoded: false), output.path(percentEncoded: false), git.path(percentEncoded: false)],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
