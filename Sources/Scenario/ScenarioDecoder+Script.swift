import Yams

extension ScenarioDecoder {
    /// Keys of each script step kind, besides `at`.
    static let scriptKeys: [String: [String]] = [
        "connect": ["connect", "user", "as", "hold", "sessions", "command", "output", "output_interval"],
        "open_sessions": ["open_sessions"],
        "disconnect": ["disconnect"],
    ]
    static let scriptKinds = ["connect", "open_sessions", "disconnect"]

    /// Decodes `script:` and checks that every handle is defined (by `as`) before it is used.
    func decodeScript(_ node: Node, context: StepContext) -> [ScriptStep] {
        guard let items = list(node, expected: "a list of script steps") else { return [] }
        let steps = items.compactMap { decodeScriptStep($0, context: context) }
        checkHandles(steps)
        return steps
    }

    /// Decodes one script step.
    func decodeScriptStep(_ node: Node, context: StepContext) -> ScriptStep? {
        let writtenKeys = node.mapping?.keys.compactMap(\.scalar?.string) ?? []
        let kinds = Self.scriptKinds.filter(writtenKeys.contains)
        let kind = kinds.first
        let allowedKeys = ["at"] + (kind.map { Self.scriptKeys[$0] ?? [] } ?? Self.scriptKinds)
        let connectOnly = Set(Self.scriptKeys["connect", default: []]).subtracting(["connect"])
        func misplaced(_ key: String) -> String? {
            if kinds.count > 1, Self.scriptKinds.contains(key) {
                return "a script step does one thing; found both '\(kinds[0])' and '\(key)'"
            }
            guard let kind, connectOnly.contains(key) else { return nil }
            if kind == "open_sessions", key == "hold" {
                return "'hold' of an open_sessions step goes inside it: open_sessions: {conn, count, hold}"
            }
            return "'\(key)' applies only to connect steps, not to \(kind)"
        }
        let what = kind.map { "\($0) step" } ?? "script step"
        guard let fields = self.fields(node, in: what, allowed: allowedKeys, misplaced: misplaced) else { return nil }
        let at = required(fields, "at").flatMap { stepTime($0, context: context, what: "script step") }
        guard let kind else {
            if fields.unknownKeyCount == 0 {
                error("a script step needs one of 'connect', 'open_sessions' or 'disconnect'", at: fields.location)
            }
            return nil
        }
        let action: ScriptStep.Action?
        switch kind {
        case "connect": action = decodeConnect(fields, context: context).map(ScriptStep.Action.connect)
        case "open_sessions": action = decodeOpenSessions(fields).map(ScriptStep.Action.openSessions)
        default:
            action = fields["disconnect"].flatMap { name($0, expected: "a connection handle") }
                .map { ScriptStep.Action.disconnect(handle: $0) }
        }
        guard let at, let action else { return nil }
        return ScriptStep(location: fields.location, at: at, action: action)
    }

    /// An `at` offset, which must not lie after `duration`.
    func stepTime(_ node: Node, context: StepContext, what: String) -> Located<Duration>? {
        guard let at = duration(node) else { return nil }
        if let end = context.duration, at.value > end {
            error("\(what) at \(Units.format(duration: at.value)) is after the end of 'duration' "
                  + "(\(Units.format(duration: end)))", at: at.location)
            return nil
        }
        return at
    }

    /// Decodes the keys of a connect step.
    func decodeConnect(_ fields: Fields, context: StepContext) -> ScriptStep.Connect? {
        let node = fields["connect"].flatMap { name($0, expected: "a node name") }
        if let node, !context.names.isNode(node.value) {
            error(context.names.undefinedNodeMessage(node.value), at: node.location)
        }
        let user = required(fields, "user").flatMap { name($0, expected: "a user name") }
        if let user {
            switch context.names.lookupUser(user.value) {
            case .user: break
            case .group(let group):
                error("'\(user.value)' is a group of \(group.memberCount) users; a connect step needs one user, "
                      + "like '\(group.memberName(at: 0))'", at: user.location)
            case .undefined:
                error(context.names.undefinedUserMessage(user.value), at: user.location)
            }
        }
        let handle = fields["as"].flatMap { name($0, expected: "a connection handle") }
        let hold = fields["hold"].flatMap { duration($0) }
        let sessions = fields["sessions"].flatMap { integer($0, noun: "a session count", in: 0...1_000_000) }
            ?? Located(1, at: fields.location)
        let output = fields["output"].flatMap(byteRate) ?? Located(0, at: fields.location)
        let interval = fields["output_interval"].flatMap { duration($0, positive: true) } ?? context.outputInterval
        let command = fields["command"].flatMap { choice($0, noun: "command") as Located<SessionCommand>? }
            ?? Located(.shell, at: fields.location)
        guard let node, let user else { return nil }
        return ScriptStep.Connect(
            user: user, node: node, handle: handle, hold: hold, sessions: sessions, output: output,
            outputInterval: interval, command: command)
    }

    /// Decodes `open_sessions: {conn, count, hold}`.
    func decodeOpenSessions(_ fields: Fields) -> ScriptStep.OpenSessions? {
        guard let node = fields["open_sessions"],
              let inner = self.fields(node, in: "open_sessions", allowed: ["conn", "count", "hold"])
        else { return nil }
        let handle = required(inner, "conn").flatMap { name($0, expected: "a connection handle") }
        let count = inner["count"].flatMap { integer($0, noun: "a session count", in: 1...1_000_000) }
            ?? Located(1, at: inner.location)
        let hold = inner["hold"].flatMap { duration($0) }
        guard let handle else { return nil }
        return ScriptStep.OpenSessions(handle: handle, count: count, hold: hold)
    }

    /// Reports handles defined twice, and uses of handles not defined by an earlier connect
    /// step (earlier in time; at the same time, earlier in the file).
    func checkHandles(_ steps: [ScriptStep]) {
        var definitions: [String: (at: Duration, index: Int, location: SourcePosition)] = [:]
        for (index, step) in steps.enumerated() {
            guard case .connect(let connect) = step.action, let handle = connect.handle else { continue }
            if let first = definitions[handle.value] {
                error("handle '\(handle.value)' is defined twice (first at line \(first.location.line), "
                      + "column \(first.location.column))", at: handle.location)
                continue
            }
            definitions[handle.value] = (step.at.value, index, handle.location)
        }
        for (index, step) in steps.enumerated() {
            let used: Located<String>
            switch step.action {
            case .connect: continue
            case .openSessions(let open): used = open.handle
            case .disconnect(let handle): used = handle
            }
            guard let definition = definitions[used.value] else {
                let hint = Suggestions.didYouMean(used.value, among: definitions.keys.sorted())
                error("undefined connection handle '\(used.value)'\(hint); define it with 'as:' on a connect step",
                      at: used.location)
                continue
            }
            if (definition.at, definition.index) > (step.at.value, index) {
                error("handle '\(used.value)' is used at \(Units.format(duration: step.at.value)) before the connect "
                      + "step that defines it (at \(Units.format(duration: definition.at)), line "
                      + "\(definition.location.line))", at: used.location)
            }
        }
    }
}
