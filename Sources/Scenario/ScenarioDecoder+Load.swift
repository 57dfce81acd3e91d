import Yams

extension ScenarioDecoder {
    static let loadKeys = [
        "name", "users", "nodes", "arrival", "concurrency", "think", "hold", "sessions", "output", "output_interval",
    ]

    /// Decodes `load:` and checks that entry names are unique.
    func decodeLoad(_ node: Node, context: StepContext) -> [LoadEntry] {
        guard let items = list(node, expected: "a list of load entries") else { return [] }
        var entries: [LoadEntry] = []
        var names: [String: SourcePosition] = [:]
        for item in items {
            guard let entry = decodeLoadEntry(item, context: context) else { continue }
            if let first = names[entry.name.value] {
                error("load entry '\(entry.name.value)' is defined twice (first at line \(first.line), "
                      + "column \(first.column))", at: entry.name.location)
            }
            names[entry.name.value] = entry.name.location
            entries.append(entry)
        }
        return entries
    }

    /// Decodes one load entry.
    func decodeLoadEntry(_ node: Node, context: StepContext) -> LoadEntry? {
        guard let fields = self.fields(node, in: "load entry", allowed: Self.loadKeys) else { return nil }
        let name = required(fields, "name").flatMap { self.name($0, expected: "a load entry name") }
        let users = required(fields, "users").flatMap { decodeLoadUsers($0, names: context.names) }
        let nodes = decodeNodeSelection(fields["nodes"], at: fields.location, names: context.names)

        var model: LoadModel?
        switch (fields["arrival"], fields["concurrency"]) {
        case (let arrival?, nil):
            if let location = fields.keyLocation("think") {
                error("'think' applies only to the closed model ('concurrency'), not to 'arrival'", at: location)
            }
            model = decodeArrival(arrival, context: context).map(LoadModel.open)
        case (nil, let concurrency?):
            let loops = integer(concurrency, noun: "a concurrency", in: 1...1_000_000)
            let think = fields["think"].flatMap(durationDistribution) ?? Located(.constant(.zero), at: fields.location)
            model = loops.map { .closed(ClosedLoop(concurrency: $0, think: think)) }
        case (_?, _?):
            error("a load entry has either 'arrival' (open model) or 'concurrency' (closed model), not both",
                  at: fields.keyLocation("concurrency") ?? fields.location)
        case (nil, nil):
            error("a load entry needs 'arrival' (open model) or 'concurrency' (closed model)", at: fields.location)
        }

        let hold = fields["hold"].flatMap(durationDistribution)
        let sessions = fields["sessions"].flatMap { countDistribution($0, noun: "a session count") }
            ?? Located(.constant(1), at: fields.location)
        let output = fields["output"].flatMap(byteRateDistribution) ?? Located(.constant(0), at: fields.location)
        let interval = fields["output_interval"].flatMap { duration($0, positive: true) } ?? context.outputInterval
        guard let name, let users, let nodes, let model else { return nil }
        return LoadEntry(
            location: fields.location, name: name, users: users, nodes: nodes, model: model, hold: hold,
            sessions: sessions, output: output, outputInterval: interval)
    }

    /// `users:` of a load entry: a user, a group, or a list of them.
    func decodeLoadUsers(_ node: Node, names: NameTable) -> [Located<String>]? {
        guard let items = listOrSingle(node, expected: "a user, a group of users, or a list of them") else {
            return nil
        }
        guard !items.isEmpty else {
            error("expected at least one user or group in 'users'", at: node)
            return nil
        }
        var users: [Located<String>] = []
        for item in items {
            guard let user = name(item, expected: "a user or group name") else { continue }
            if case .undefined = names.lookupUser(user.value) {
                error(names.undefinedUserMessage(user.value), at: user.location)
            }
            users.append(user)
        }
        return users.count == items.count ? users : nil
    }

    /// `nodes:` of a load entry: `any` (default) or a list of node names.
    func decodeNodeSelection(_ node: Node?, at location: SourcePosition, names: NameTable) -> Located<NodeSelection>? {
        guard let node else {
            if names.nodes.isEmpty {
                error("this load entry connects to any node, but the cluster defines no nodes", at: location)
            }
            return Located(.any, at: location)
        }
        if case .scalar(let scalar) = node, scalar.string == "any" {
            if names.nodes.isEmpty {
                error("'nodes: any' needs at least one node in the cluster", at: node)
            }
            return Located(.any, at: self.location(of: node))
        }
        guard let items = list(node, expected: "'any' or a list of node names") else { return nil }
        guard !items.isEmpty else {
            error("expected 'any' or at least one node name", at: node)
            return nil
        }
        var selected: [Located<String>] = []
        for item in items {
            guard let name = name(item, expected: "a node name") else { continue }
            if !names.isNode(name.value) {
                error(names.undefinedNodeMessage(name.value), at: name.location)
            }
            selected.append(name)
        }
        return Located(.names(selected), at: self.location(of: node))
    }

    /// Decodes `arrival: {rate | stages, start_rate, from, until, process}`.
    func decodeArrival(_ node: Node, context: StepContext) -> Arrival? {
        let keys = ["rate", "stages", "start_rate", "from", "until", "process"]
        guard let fields = self.fields(node, in: "arrival", allowed: keys) else { return nil }
        let from = fields["from"].flatMap { stepTime($0, context: context, what: "arrival 'from'") }
            ?? Located(.zero, at: fields.location)
        let process = fields["process"].flatMap { choice($0, noun: "arrival process") as Located<ArrivalProcess>? }
            ?? Located(.poisson, at: fields.location)
        var pattern: ArrivalPattern?
        var until: Located<Duration>?
        switch (fields["rate"], fields["stages"]) {
        case (let rate?, nil):
            if let location = fields.keyLocation("start_rate") {
                error("'start_rate' applies only with 'stages'", at: location)
            }
            pattern = self.rate(rate, positive: true).map { .constant(rate: $0) }
            until = fields["until"].flatMap { stepTime($0, context: context, what: "arrival 'until'") }
                ?? context.duration.map { Located($0, at: fields.location) }
        case (nil, let stagesNode?):
            if let location = fields.keyLocation("until") {
                error("'until' is derived from 'stages' (from + the stages' lengths); remove it", at: location)
            }
            let startRate = fields["start_rate"].flatMap { rate($0, positive: false) }
                ?? Located(0, at: fields.location)
            let stages = decodeStages(stagesNode)
            if let stages {
                pattern = .stages(startRate: startRate, stages: stages)
                let end = stages.reduce(from.value) { $0 + $1.duration.value }
                until = Located(end, at: self.location(of: stagesNode))
                if let limit = context.duration, end > limit {
                    error("the stages end at \(Units.format(duration: end)), after the end of 'duration' "
                          + "(\(Units.format(duration: limit)))", at: stagesNode)
                }
            }
        case (_?, _?):
            error("an arrival has either 'rate' or 'stages', not both",
                  at: fields.keyLocation("stages") ?? fields.location)
        case (nil, nil):
            error("an arrival needs 'rate' (like 50/s) or 'stages' (a list of {rate, for})", at: fields.location)
        }
        guard let pattern, let until else { return nil }
        if from.value >= until.value {
            error("arrival window is empty: 'from' (\(Units.format(duration: from.value))) is not before 'until' "
                  + "(\(Units.format(duration: until.value)))", at: until.location)
            return nil
        }
        return Arrival(location: fields.location, pattern: pattern, from: from, until: until, process: process)
    }

    /// Decodes `stages: [{rate, for}, ...]` (at least one stage).
    func decodeStages(_ node: Node) -> [ArrivalStage]? {
        guard let items = list(node, expected: "a list of stages like {rate: 50/s, for: 1m}") else { return nil }
        guard !items.isEmpty else {
            error("expected at least one stage like {rate: 50/s, for: 1m}", at: node)
            return nil
        }
        var stages: [ArrivalStage] = []
        for item in items {
            guard let fields = self.fields(item, in: "a stage", allowed: ["rate", "for"]) else { continue }
            let rate = required(fields, "rate").flatMap { self.rate($0, positive: false) }
            let length = required(fields, "for").flatMap { duration($0) }
            if let rate, let length {
                stages.append(ArrivalStage(location: fields.location, rate: rate, duration: length))
            }
        }
        return stages.count == items.count ? stages : nil
    }
}
