public import SimulationKernel

/// A fault that can be switched on at any virtual time and off again.
public enum NetworkFault: Sendable, Hashable {
    /// Messages from any host of `from` to any host of `to` are lost; with
    /// `oneWay: false` the opposite direction is blocked too.
    case partition(from: Set<HostID>, to: Set<HostID>, oneWay: Bool)
    /// Messages between the two groups (either direction; `nil` = every host) are
    /// lost with probability `rate`.
    case loss(between: Set<HostID>?, and: Set<HostID>?, rate: Double)
    /// Messages between the two groups (either direction) take `add` longer.
    case latency(between: Set<HostID>, and: Set<HostID>, add: Duration)
    /// Messages from `from` to `to` are held, then released in order when the
    /// fault is removed.
    case clog(from: Set<HostID>, to: Set<HostID>)
    /// The host crashes; removing the fault restarts it.
    case crash(HostID)
    /// The host's clock reads virtual time plus `offset`; removing the fault
    /// restores the previous offset.
    case clockSkew(HostID, offset: Duration)
}

/// A fault in force, with what is needed to undo it.
struct ActiveFault {
    let id: FaultID
    let fault: NetworkFault
    var previousSkew: Duration = .zero
}

extension SimNetwork {
    /// Switches `fault` on now. - Returns: an id for ``remove(_:)``.
    @discardableResult
    public func inject(_ fault: NetworkFault) -> FaultID {
        let id = FaultID(raw: nextFaultID)
        nextFaultID &+= 1
        var active = ActiveFault(id: id, fault: fault)
        switch fault {
        case .crash(let host):
            crash(host)
        case .clockSkew(let host, let offset):
            active.previousSkew = hosts[host.index].skew.offset
            hosts[host.index].skew.offset = offset
            simulation.trace.record("fault.skew", host: name(of: host), [("offset", .duration(offset))])
        case .partition, .loss, .latency, .clog:
            simulation.trace.record("fault.start", [("fault", .string(describe(fault))), ("id", .int(Int64(id.raw)))])
        }
        activeFaults.append(active)
        return id
    }

    /// Switches a fault off now: heals a partition, stops loss or added latency,
    /// releases a clog's held messages in order, restarts a crashed host, or
    /// restores a skewed clock. Removing an unknown or removed fault does nothing.
    public func remove(_ id: FaultID) {
        guard let index = activeFaults.firstIndex(where: { $0.id == id }) else { return }
        let active = activeFaults.remove(at: index)
        switch active.fault {
        case .crash(let host):
            restart(host)
        case .clockSkew(let host, _):
            hosts[host.index].skew.offset = active.previousSkew
            simulation.trace.record("fault.skew", host: name(of: host), [("offset", .duration(active.previousSkew))])
        case .clog:
            simulation.trace.record("fault.end", [("id", .int(Int64(id.raw)))])
            releaseHeldMessages()
        case .partition, .loss, .latency:
            simulation.trace.record("fault.end", [("id", .int(Int64(id.raw)))])
        }
    }

    /// Switches `fault` on at `start` and, if `duration` is given, off again after it.
    public func schedule(_ fault: NetworkFault, at start: SimInstant, for duration: Duration? = nil) {
        simulation.schedule(at: start) { [self] in
            let id = inject(fault)
            if let duration {
                simulation.schedule(at: simulation.now.advanced(by: duration)) { [self] in remove(id) }
            }
        }
    }

    // MARK: - Crash and restart

    /// Crashes `host` now: its in-flight messages are dropped, its pending requests
    /// fail, its tasks are cancelled and its service (all in-memory state) is gone.
    /// Its disk survives. Crashing a host that is down does nothing.
    public func crash(_ host: HostID) {
        guard isUp(host) else { return }
        let state = hosts[host.index]
        liveIncarnations[host.index] = 0
        simulation.trace.record("host.crash", host: state.name)
        onHostCrash?(host)
        let context = state.context
        retireEndpoint(of: state)
        state.context = nil
        state.service = nil
        let callerDown = NetworkError.callerDown(host: state.name)
        for id in pendingRequests.ids where pendingRequests[id]?.caller == host {
            failRequest(id, with: callerDown)
        }
        context?.cancelAllTasks()
    }

    /// Restarts a crashed `host` with fresh state (booting a new service); its disk
    /// is kept. Restarting a running host does nothing.
    public func restart(_ host: HostID) {
        guard !isUp(host) else { return }
        let state = hosts[host.index]
        start(state)
        simulation.trace.record("host.restart", host: state.name, [("incarnation", .int(Int64(incarnations[host.index])))])
        onHostRestart?(host)
    }

    /// Overrides the profile of the directed link `from → to`.
    public func setLink(from: HostID, to: HostID, _ profile: LinkProfile) {
        setOverride(profile, from: from, to: to)
    }

    // MARK: - Queries used on every message

    /// Whether an active partition blocks `from → to`. With no fault active (the common case) it answers
    /// inline, without a call or a walk.
    @inline(__always)
    func isPartitioned(_ from: HostID, _ to: HostID) -> Bool {
        hasActiveFaults ? isPartitionedWithFaults(from, to) : false
    }

    private func isPartitionedWithFaults(_ from: HostID, _ to: HostID) -> Bool {
        for active in activeFaults {
            guard case .partition(let a, let b, let oneWay) = active.fault else { continue }
            if a.contains(from) && b.contains(to) { return true }
            if !oneWay && b.contains(from) && a.contains(to) { return true }
        }
        return false
    }

    /// The loss rate active faults add on `from → to` (0: none). With no fault active (the common case) it answers
    /// inline, without a call or a walk.
    @inline(__always)
    func faultLossRate(_ from: HostID, _ to: HostID) -> Double {
        hasActiveFaults ? faultLossRateWithFaults(from, to) : 0
    }

    private func faultLossRateWithFaults(_ from: HostID, _ to: HostID) -> Double {
        var rate = 0.0
        for active in activeFaults {
            guard case .loss(let a, let b, let r) = active.fault else { continue }
            let forward = (a?.contains(from) ?? true) && (b?.contains(to) ?? true)
            let backward = (b?.contains(from) ?? true) && (a?.contains(to) ?? true)
            if forward || backward { rate = max(rate, r) }
        }
        return rate
    }

    func faultAddedLatency(_ from: HostID, _ to: HostID) -> Duration {
        var added = Duration.zero
        for active in activeFaults {
            guard case .latency(let a, let b, let add) = active.fault else { continue }
            if (a.contains(from) && b.contains(to)) || (b.contains(from) && a.contains(to)) { added += add }
        }
        return added
    }

    /// Whether an active clog holds messages on `from → to`. With no fault active (the common case) it answers
    /// inline, without a call or a walk.
    @inline(__always)
    func isClogged(_ from: HostID, _ to: HostID) -> Bool {
        hasActiveFaults ? isCloggedWithFaults(from, to) : false
    }

    private func isCloggedWithFaults(_ from: HostID, _ to: HostID) -> Bool {
        for active in activeFaults {
            guard case .clog(let a, let b) = active.fault else { continue }
            if a.contains(from) && b.contains(to) { return true }
        }
        return false
    }

    /// Releases, in order, the held messages of every link no longer clogged.
    private func releaseHeldMessages() {
        for key in heldMessages.keys.sorted() {
            guard let first = heldMessages[key]?.first, !isClogged(first.from, first.to) else { continue }
            let messages = heldMessages.removeValue(forKey: key) ?? []
            for message in messages {
                if let reason = blockReason(message) {
                    drop(message, reason: reason)
                } else {
                    traceMessage("net.release", message)
                    schedule(message, onLinkAt: linkSlot(message.from, message.to))
                }
            }
        }
    }

    private func describe(_ fault: NetworkFault) -> String {
        func names(_ group: Set<HostID>?) -> String {
            guard let group else { return "*" }
            return "[" + group.sorted().map { name(of: $0) }.joined(separator: ",") + "]"
        }
        switch fault {
        case .partition(let a, let b, let oneWay): return "partition \(names(a)) \(oneWay ? "->" : "<->") \(names(b))"
        case .loss(let a, let b, let rate): return "loss \(names(a)) <-> \(names(b)) rate \(rate)"
        case .latency(let a, let b, let add): return "latency \(names(a)) <-> \(names(b)) +\(add.fixedSeconds)s"
        case .clog(let a, let b): return "clog \(names(a)) -> \(names(b))"
        case .crash(let host): return "crash \(name(of: host))"
        case .clockSkew(let host, let offset): return "skew \(name(of: host)) \(offset.fixedSeconds)s"
        }
    }
}
