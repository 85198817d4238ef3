import CHTTP
import Foundation

/// A plain HTTP GET for discovery: one request, a timeout, a body size limit,
/// and one clear error for every way a server can fail to answer. libcurl does
/// the work, loaded on first use (see CHTTP), so no other command pays for it.
struct HTTPClient {
    /// Bodies larger than this are refused (a full ComfyUI /object_info is a few MB).
    static let defaultLimit = 64 * 1024 * 1024

    var timeout: TimeInterval
    var limit: Int = HTTPClient.defaultLimit
    /// When the whole run must be over: each request gets what is left, at most `timeout`.
    var deadline: Date?
    /// Shown with the bytes received and the rate on standard error while a body comes (a
    /// terminal only: the caller decides).
    var progressLabel: String?

    /// Seconds as the whole milliseconds the C side waits: at least 1, at most a day (a caller's
    /// 1e300 or infinity is no trap), never NaN.
    static func milliseconds(_ seconds: TimeInterval) -> Int {
        seconds.isNaN ? 1 : Int(min(max(seconds * 1000, 1), 86_400_000))
    }

    init(timeout: TimeInterval, limit: Int = HTTPClient.defaultLimit, wholeRunWithin: Bool = false) {
        self.timeout = timeout
        self.limit = limit
        self.deadline = wholeRunWithin ? Date().addingTimeInterval(timeout) : nil
    }

    struct Response {
        var status: Int
        var body: Data
        /// The ETag, Last-Modified and Content-Type headers, where the answer had them.
        var etag: String? = nil
        var lastModified: String? = nil
        var contentType: String? = nil
    }

    enum Failure: Error, CustomStringConvertible {
        case badURL(String)
        case unreachable(url: String, reason: String)
        case timedOut(url: String, seconds: TimeInterval)
        case runTimedOut(url: String, seconds: TimeInterval)
        case tooLarge(url: String, limit: Int)
        case noHTTP(String)
        case notHTTP(url: String, reason: String)
        case redirected(from: String, to: String)
        case tooManyRedirects(String)

        var description: String {
            switch self {
            case .badURL(let url): return "\"\(url)\" is not an http(s) URL"
            case .unreachable(let url, let reason): return "cannot reach \(url): \(reason)"
            case .timedOut(let url, let seconds): return "\(url) did not answer within \(JSONValue.compact(seconds)) s"
            case .runTimedOut(let url, let seconds):
                return "the whole discovery took longer than --timeout \(JSONValue.compact(seconds)) s (stopped at \(url))"
            case .tooLarge(let url, let limit): return "\(url) sent more than \(limit) bytes; refusing it"
            case .noHTTP(let reason): return reason
            case .notHTTP(let url, let reason):
                return "\(url) answered, but not in HTTP (\(reason)); is that the server's HTTP port?"
            case .redirected(let from, let to):
                return "\(from) redirects to \(to), another server; discovery follows redirects only within one server (scheme, host and port): give regdb discover that URL if it is the one meant"
            case .tooManyRedirects(let url): return "\(url) redirected more than 5 times"
            }
        }
    }

    /// GETs `url`; any status is returned, the caller decides what is an error.
    /// Redirects are followed within the same origin (scheme, host, port), up to
    /// five; one to another origin is refused, so an answer is never recorded
    /// under the name of a server that did not give it.
    func get(_ url: String, headers: [String: String] = [:]) throws -> Response {
        var current = url
        for _ in 0...5 {
            let (response, location) = try getOnce(current, headers: headers)
            guard (300..<400).contains(response.status), let location, !location.isEmpty else { return response }
            guard HTTPClient.origin(of: location) == HTTPClient.origin(of: current) else {
                throw Failure.redirected(from: current, to: location)
            }
            current = location
        }
        throw Failure.tooManyRedirects(url)
    }

    /// scheme://host:port, lowercased, with the scheme's default port.
    static func origin(of url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host?.lowercased() else {
            return nil
        }
        return "\(scheme)://\(host):\(parts.port ?? (scheme == "https" ? 443 : 80))"
    }

    private func getOnce(_ url: String, headers: [String: String]) throws -> (Response, String?) {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme),
              target.host != nil else {
            throw Failure.badURL(url)
        }
        let lines = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        var allowed = timeout
        if let deadline {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure.runTimedOut(url: url, seconds: timeout) }
            allowed = min(timeout, left)
        }
        var response = chttp_response()
        withCStrings(lines) { pointers in
            if let progressLabel {
                progressLabel.withCString { label in
                    chttp_get(url, pointers, Int32(lines.count), HTTPClient.milliseconds(allowed), limit, label, &response)
                }
            } else {
                chttp_get(url, pointers, Int32(lines.count), HTTPClient.milliseconds(allowed), limit, nil, &response)
            }
        }
        defer { chttp_free(&response) }
        let reason = withUnsafeBytes(of: response.error) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        switch response.outcome {
        case CHTTP_OK:
            let body = response.body.map { Data(bytes: $0, count: response.length) } ?? Data()
            let location = withUnsafeBytes(of: response.redirect) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            func header(_ value: Any) -> String? {
                let text = withUnsafeBytes(of: value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
                return text.isEmpty ? nil : text
            }
            return (Response(status: response.status, body: body, etag: header(response.etag),
                             lastModified: header(response.last_modified), contentType: header(response.content_type)),
                    location.isEmpty ? nil : location)
        case CHTTP_BAD_URL: throw Failure.badURL(url)
        case CHTTP_TIMED_OUT:
            // The run's deadline, not this request's own timeout, cut it short.
            if allowed < timeout - 0.1 { throw Failure.runTimedOut(url: url, seconds: timeout) }
            throw Failure.timedOut(url: url, seconds: timeout)
        case CHTTP_TOO_LARGE: throw Failure.tooLarge(url: url, limit: limit)
        case CHTTP_UNREACHABLE:
            throw Failure.unreachable(url: url, reason: reason.lowercased().contains("connect") ? "connection refused" : reason)
        case CHTTP_BROKEN: throw Failure.unreachable(url: url, reason: "the connection closed before a complete answer (\(reason))")
        case CHTTP_NOT_HTTP: throw Failure.notHTTP(url: url, reason: reason)
        case CHTTP_NO_LIBCURL: throw Failure.noHTTP(reason)
        default: throw Failure.unreachable(url: url, reason: reason)
        }
    }

    /// Calls `body` with the strings as a C array of C strings.
    private func withCStrings(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Void) {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
