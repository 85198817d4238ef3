// Writes `schema.sql` as a Swift string constant: `SchemaEmbedder <schema.sql> <out.swift>`.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: SchemaEmbedder SCHEMA.sql OUTPUT.swift\n".utf8))
    exit(64)
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

        """
    try source.write(toFile: arguments[2], atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("SchemaEmbedder: \(error)\n".utf8))
    exit(1)
}
