import Foundation

extension Registry {
    /// A file's name as a source: the same however the path is written and
    /// wherever regdb runs. Inside a git repository it is the path from the
    /// repository's root (`seeds/fal.json`, also for `/repo/seeds/fal.json` or
    /// `../seeds/fal.json` typed in a subfolder); elsewhere the path from the
    /// working directory, or the path as given (without `./`) outside it.
    static func normalizedName(_ file: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = URL(fileURLWithPath: file.hasPrefix("/") ? file : cwd + "/" + file).standardizedFileURL.path
        var folder = URL(fileURLWithPath: absolute).deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) {
                return String(absolute.dropFirst(folder.path.count + 1))
            }
            folder.deleteLastPathComponent()
        }
        if absolute.hasPrefix(cwd + "/") { return String(absolute.dropFirst(cwd.count + 1)) }
        var name = file
        while name.hasPrefix("./") { name.removeFirst(2) }
        return name
    }
}
