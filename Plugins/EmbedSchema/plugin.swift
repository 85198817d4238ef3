import PackagePlugin

/// Embeds the package's root `schema.sql` into the target as `embeddedSchemaSQL`.
@main
struct EmbedSchema: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let schema = context.package.directoryURL.appending(path: "schema.sql")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSchema.swift")
        return [
            .buildCommand(
                displayName: "Embedding schema.sql",
                executable: try context.tool(named: "SchemaEmbedder").url,
                arguments: [schema.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: [schema],
                outputFiles: [output]
            )
        ]
    }
}
