import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A plain HTTP GET for discovery: one request, a timeout, a body size limit,
/// and one clear error for every way a server can fail to answer.
struct HTTPClient {
    /// Bodies larger than this are refused (a full ComfyUI /object_info is a few MB).
    static let defaultLimit = 64 * 1024 * 1024

    var timeout: TimeInterval
    var limit: Int = HTTPClient.defaultLimit

    struct Response {
        var status: Int
        var body: Data
    }

    enum Failure: Error, CustomStringConvertible {
        case badURL(String)
        case unreachable(url: String, reason: String)
        case timedOut(url: String, seconds: TimeInterval)
        case tooLarge(url: String, limit: Int)

        var description: String {
            switch self {
            case .badURL(let url): return "\"\(url)\" is not an http(s) URL"
            case .unreachable(let url, let reason): return "cannot reach \(url): \(reason)"
            case .timedOut(let url, let seconds): return "\(url) did not answer within \(JSONValue.number(seconds).jsonText.replacingOccurrences(of: ".0", with: "")) s"
            case .tooLarge(let url, let limit): return "\(url) sent more than \(limit) bytes; refusing it"
            }
        }
    }

    /// GETs `url`; any status is returned, the caller decides what is an error.
    func get(_ url: String, headers: [String: String] = [:]) throws -> Response {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme),
              target.host != nil else {
            throw Failure.badURL(url)
        }
        var request = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let collector = BodyCollector(limit: limit)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        session.dataTask(with: request).resume()
        // A hard deadline beyond URLSession's own, so a server that trickles bytes cannot hold us.
        guard collector.done.wait(timeout: .now() + timeout + 1) == .success else {
            throw Failure.timedOut(url: url, seconds: timeout)
        }
        if collector.exceeded { throw Failure.tooLarge(url: url, limit: limit) }
        if let error = collector.error as? URLError {
            switch error.code {
            case .timedOut: throw Failure.timedOut(url: url, seconds: timeout)
            case .cancelled where collector.exceeded: throw Failure.tooLarge(url: url, limit: limit)
            default: throw Failure.unreachable(url: url, reason: Self.describe(error))
            }
        }
        if let error = collector.error { throw Failure.unreachable(url: url, reason: error.localizedDescription) }
        return Response(status: collector.status, body: collector.body)
    }

    private static func describe(_ error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .networkConnectionLost: return "the connection was closed before the answer was complete"
        case .badServerResponse: return "the answer is not valid HTTP"
        default: return error.localizedDescription
        }
    }
}

/// Gathers one response body, stopping at the size limit.
private final class BodyCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let limit: Int
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var _body = Data()
    private var _status = 0
    private var _error: Error?
    private var _exceeded = false

    init(limit: Int) {
        self.limit = limit
    }

    var body: Data { lock.lock(); defer { lock.unlock() }; return _body }
    var status: Int { lock.lock(); defer { lock.unlock() }; return _status }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return _error }
    var exceeded: Bool { lock.lock(); defer { lock.unlock() }; return _exceeded }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.lock()
        _status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let declared = response.expectedContentLength
        if declared > Int64(limit) { _exceeded = true }
        let refuse = _exceeded
        lock.unlock()
        completionHandler(refuse ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        _body.append(data)
        let over = _body.count > limit
        if over { _exceeded = true; _body = Data() }
        lock.unlock()
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        _error = error
        lock.unlock()
        done.signal()
    }
}
