/// LiteLLM's model_prices_and_context_window.json. (Being written.)
enum LiteLLMCatalog: CatalogConverter {
    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        throw RegDBError.violations([Violation(file: diagnostics.file, path: nil, rule: "format",
                                               message: "the litellm importer is not available yet")])
    }
}
