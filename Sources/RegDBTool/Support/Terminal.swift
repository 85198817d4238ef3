import Foundation

/// How wide output may be: the terminal's width when stdout is one (or
/// $REGDB_WIDTH), nil for pipes and files, which get everything.
enum Terminal {
    /// Set by `--wide`: full tables even on a terminal.
    static let wide = Locked(false)

    static var width: Int? {
        if wide.value { return nil }
        if let forced = ProcessInfo.processInfo.environment["REGDB_WIDTH"].flatMap(Int.init), forced > 0 { return forced }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Columns `text` takes on a terminal: wide East Asian characters and emoji two,
    /// combining marks and zero-width characters none, everything else one.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + columns(of: $1) }
    }

    private static func columns(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B || (0xFE00...0xFE0F).contains(value) { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// `text` cut to at most `limit` columns, ending in "…" when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard displayWidth(text) > limit else { return text }
        guard limit > 1 else { return limit == 1 ? "…" : "" }
        var out = ""
        var used = 0
        for character in text {
            let width = displayWidth(String(character))
            if used + width > limit - 1 { break }
            out.append(character)
            used += width
        }
        return out + "…"
    }

    /// `text` cut into lines of at most `limit` columns, at spaces where it can.
    static func wrapped(_ text: String, to limit: Int) -> [String] {
        guard limit > 0, displayWidth(text) > limit else { return [text] }
        var lines: [String] = []
        var line = ""
        var used = 0
        for character in text {
            let width = displayWidth(String(character))
            if used + width > limit {
                // Break at the last space of the line when there is one.
                if let space = line.lastIndex(of: " "), space != line.startIndex {
                    let rest = String(line[line.index(after: space)...])
                    lines.append(String(line[..<space]))
                    line = rest
                    used = displayWidth(rest)
                } else {
                    lines.append(line)
                    line = ""
                    used = 0
                }
            }
            line.append(character)
            used += width
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

/// A value any thread may read and set, under a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
