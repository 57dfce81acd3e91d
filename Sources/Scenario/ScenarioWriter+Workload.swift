extension ScenarioWriter {
    // MARK: Script

    /// One script step as a list item in flow style: `- { at: 0s, user: alice, connect: node-1 }`.
    static func scriptStepLines(_ step: ScriptStep, scenario: Scenario) -> [String] {
        var pairs: [(key: String, value: String)] = [("at", duration(step.at.value))]
        switch step.action {
        case .connect(let connect):
            pairs.append(("user", scalar(connect.user.value)))
            pairs.append(("connect", scalar(connect.node.value)))
            if let handle = connect.handle { pairs.append(("as", scalar(handle.value))) }
            if let hold = connect.hold { pairs.append(("hold", duration(hold.value))) }
            if connect.sessions.value != 1 { pairs.append(("sessions", "\(connect.sessions.value)")) }
            if connect.output.value != 0 { pairs.append(("output", byteRate(connect.output.value))) }
            if connect.outputInterval.value != scenario.outputInterval.value {
                pairs.append(("output_interval", duration(connect.outputInterval.value)))
            }
            if connect.command.value != .shell { pairs.append(("command", connect.command.value.rawValue)) }
        case .openSessions(let open):
            var inner: [(key: String, value: String)] = [("conn", scalar(open.handle.value)), ("count", "\(open.count.value)")]
            if let hold = open.hold { inner.append(("hold", duration(hold.value))) }
            pairs.append(("open_sessions", flowMapping(inner)))
        case .disconnect(let handle):
            pairs.append(("disconnect", scalar(handle.value)))
        }
        return ["- " + flowMapping(pairs)]
    }

    // MARK: Load

    /// One load entry as a block mapping in a list item.
    static func loadEntryLines(_ entry: LoadEntry, scenario: Scenario) -> [String] {
        var body = [
            "name: \(scalar(entry.name.value))",
            "users: \(flowList(entry.users.map { scalar($0.value) }))",
        ]
        switch entry.nodes.value {
        case .any: body.append("nodes: any")
        case .names(let names): body.append("nodes: \(flowList(names.map { scalar($0.value) }))")
        }
        switch entry.model {
        case .open(let arrival):
            body.append("arrival: \(arrivalValue(arrival))")
        case .closed(let loop):
            body.append("concurrency: \(loop.concurrency.value)")
            body.append("think: \(loop.think.value.formatted(duration))")
        }
        if let hold = entry.hold { body.append("hold: \(hold.value.formatted(duration))") }
        if entry.sessions.value != .constant(1) { body.append("sessions: \(entry.sessions.value.formatted(number))") }
        if entry.output.value != .constant(0) { body.append("output: \(entry.output.value.formatted(byteRate))") }
        if entry.outputInterval.value != scenario.outputInterval.value {
            body.append("output_interval: \(duration(entry.outputInterval.value))")
        }
        return ["- " + body[0]] + body.dropFirst().map { "  " + $0 }
    }

    /// `{ rate: R, from: F, until: U, process: P }`, or with `stages` and `start_rate`
    /// (`until` is then derived by the loader, so it is not written).
    static func arrivalValue(_ arrival: Arrival) -> String {
        var pairs: [(key: String, value: String)] = []
        switch arrival.pattern {
        case .constant(let perSecond):
            pairs.append(("rate", rate(perSecond.value)))
        case .stages(let startRate, let stages):
            pairs.append(("stages", flowList(stages.map { stage in
                flowMapping([("rate", rate(stage.rate.value)), ("for", duration(stage.duration.value))])
            })))
            pairs.append(("start_rate", rate(startRate.value)))
        }
        pairs.append(("from", duration(arrival.from.value)))
        if case .constant = arrival.pattern { pairs.append(("until", duration(arrival.until.value))) }
        pairs.append(("process", arrival.process.value.rawValue))
        return flowMapping(pairs)
    }

    // MARK: Faults

    /// One fault as a list item in flow style: `- { at: 1m, crash: node-2, restart_after: 1m }`.
    static func faultLine(_ fault: Fault) -> String {
        var pairs: [(key: String, value: String)] = [("at", duration(fault.at.value))]
        func hosts(_ names: [Located<String>]) -> String { flowList(names.map { scalar($0.value) }) }
        func pair(_ hosts: HostPair) -> String { flowList([scalar(hosts.first.value), scalar(hosts.second.value)]) }
        switch fault.kind {
        case .partition(let sideA, let sideB, let oneWay):
            pairs.append(("partition", flowList([hosts(sideA), hosts(sideB)])))
            if oneWay.value { pairs.append(("one_way", "true")) }
        case .crash(let host, let restartAfter):
            pairs.append(("crash", scalar(host.value)))
            if let restartAfter { pairs.append(("restart_after", duration(restartAfter.value))) }
        case .clockSkew(let host, let offset):
            pairs.append(("clock_skew", flowMapping([("host", scalar(host.value)), ("offset", duration(offset.value))])))
        case .latency(let between, let add):
            pairs.append(("latency", flowMapping([("between", pair(between)), ("add", duration(add.value))])))
        case .loss(let between, let lossRate):
            pairs.append(("loss", flowMapping([("between", pair(between)), ("rate", number(lossRate.value))])))
        case .storageOutage:
            pairs.append(("storage_outage", "{}"))
        case .deleteSemaphore(let user):
            pairs.append(("delete_semaphore", scalar(user.value)))
        }
        if let lasting = fault.lasting { pairs.append(("for", duration(lasting.value))) }
        return "- " + flowMapping(pairs)
    }
}
