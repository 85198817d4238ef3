import Foundation

/// `body` of each element of `items`, in order, on every core: a catalog's
/// thousands of claims and rows serialize in a fraction of the time.
///
/// Values go between threads, so the compiler holds them to `Sendable` and `body` to `@Sendable`.
/// The result buffer and the borrowed items are raw pointers each part writes or reads only its
/// own slice of: those two are the unchecked escapes, each in an `UnsafeSendable`.
func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ body: @Sendable (T) -> R) -> [R] {
    let parts = min(ProcessInfo.processInfo.activeProcessorCount, max(1, items.count / 512))
    guard parts > 1 else { return items.map(body) }
    // Each result is made in place: no optional wrapping and no copy afterwards (a copy of a
    // large struct through generic code costs as much as making it).
    return Array(unsafeUninitializedCapacity: items.count) { buffer, initialized in
        guard let base = buffer.baseAddress else { return }
        let out = UnsafeSendable(base)
        // Elements are read in place (borrowed), not copied out of the array.
        items.withUnsafeBufferPointer { items in
            let borrowed = UnsafeSendable(items)
            withoutActuallyEscaping(body) { body in
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    // Each part makes its own slice of the results.
                    for index in (part * borrowed.value.count / parts)..<((part + 1) * borrowed.value.count / parts) {
                        (out.value + index).initialize(to: body(borrowed.value[index]))
                    }
                }
            }
        }
        initialized = items.count
    }
}

/// A value handed to other threads without the compiler's check: the one unchecked escape,
/// named for what it is (GRDB's `UnsafeSendableMutex` habit). Used only for raw buffers each
/// thread reads or writes its own part of; every use says why that holds.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}

/// Runs `body` on a thread of its own, never on GCD's pool: work that waits for other work
/// (a `Pending` inside a `Pending`, a `Sequenced`) then never waits for a pool thread that is
/// not coming. On one core GCD adds a thread for a blocked worker only after a delay, which
/// made `regdb check` take 1.07 s there instead of 0.14 s (scripts/bench --cpus 1).
private func detached(_ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.stackSize = 8 << 20  // as a main thread's: parsing deep input recurses
    thread.start()
}

/// A value computed on another thread while the caller goes on; `value()` waits for it.
/// `@unchecked`: `result` is written once, before the semaphore is signalled, and read only after
/// it is waited for; the semaphore is the lock.
final class Pending<T: Sendable>: @unchecked Sendable {
    private var result: Result<T, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> T) {
        detached {
            self.result = Result { try body() }
            self.done.signal()
        }
    }

    func value() throws -> T {
        done.wait()
        defer { done.signal() }
        guard let result else { throw CancellationError() }
        return try result.get()
    }
}

/// Values made one after another on another thread, each there as soon as it is made:
/// the caller uses the first while the rest are being made.
/// `@unchecked`: each slot is written once, before its semaphore is signalled, and read only
/// after it is waited for.
final class Sequenced<T: Sendable>: @unchecked Sendable {
    let count: Int
    private let results: UnsafeMutablePointer<T?>
    private let made: [DispatchSemaphore]

    init(count: Int, _ body: @escaping @Sendable (Int) -> T) {
        self.count = count
        results = .allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
        made = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        // The thread holds this object until the last value is made, so it is never freed under it.
        detached {
            for index in 0..<count {
                (self.results + index).pointee = body(index)
                self.made[index].signal()
            }
        }
    }

    deinit {
        results.deinitialize(count: count)
        results.deallocate()
    }

    /// The value at `index`, waiting until it is made.
    subscript(index: Int) -> T {
        made[index].wait()
        defer { made[index].signal() }
        // Made and stored before the signal: never nil here.
        return (results + index).pointee.unsafelyUnwrapped
    }
}

/// Holds a value until a background thread drops it.
private final class Discarded<T>: @unchecked Sendable {
    var value: T?
    init(_ value: T) { self.value = value }
}

/// Drops `value` on a background thread: freeing the hundreds of thousands of
/// small objects of a catalog takes tens of milliseconds nobody need wait for.
/// (A process that exits first simply never frees them.)
func releaseInBackground<T>(_ value: consuming T) {
    let box = Discarded(value)
    DispatchQueue.global(qos: .utility).async { box.value = nil }
}
