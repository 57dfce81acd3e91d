public import SimulationKernel

extension BackendStore where Value == Semaphore {
    /// Performs a backend ``SemaphoreAction`` at `now`, or returns `nil` for a
    /// non-backend action (`sleep`, `succeed`, `fail`).
    ///
    /// This is what the backend actor does with a request from auth; the item
    /// expiry written is the semaphore's own ``Semaphore/expires``.
    public mutating func perform(_ action: SemaphoreAction, now: SimInstant) -> BackendResult<Semaphore>? {
        switch action {
        case .get(let key):
            return Result { () throws(BackendError) in try get(key, now: now) }
        case .create(let key, let item):
            return Result { () throws(BackendError) in
                try create(key, value: item, expires: item.expires, now: now)
            }
        case .compareAndSwap(let key, let expectedRevision, let new):
            return Result { () throws(BackendError) in
                try compareAndSwap(key, expectedRevision: expectedRevision, value: new, expires: new.expires, now: now)
            }
        case .sleep, .succeed, .fail:
            return nil
        }
    }

    /// The semaphore at `key` if live at `now`.
    public func semaphore(_ key: SemaphoreKey, now: SimInstant) -> Semaphore? {
        try? get(key.path, now: now).value
    }
}
