/// models.dev's catalog. (Being written.)
enum ModelsDevCatalog: CatalogConverter {
    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        throw RegDBError.violations([Violation(file: diagnostics.file, path: nil, rule: "format",
                                               message: "the models.dev importer is not available yet")])
    }
}
