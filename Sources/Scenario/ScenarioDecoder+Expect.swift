import Yams

extension ScenarioDecoder {
    /// Decodes `expect:` — metric selector → list of threshold expressions.
    func decodeExpectations(_ node: Node, names: NameTable) -> [MetricExpectation] {
        guard let entries = pairs(node, expected: "a mapping of metric selectors to thresholds") else { return [] }
        var expectations: [MetricExpectation] = []
        for entry in entries {
            let selector = decodeSelector(entry, names: names)
            let conditions = decodeConditions(entry.value, metric: selector?.metric)
            guard let selector, selector.valid, let conditions else { continue }
            expectations.append(MetricExpectation(
                location: entry.keyLocation, selectorText: entry.key, selector: selector.selector,
                metric: selector.metric, conditions: conditions))
        }
        return expectations
    }

    /// Parses a selector key and checks its metric, tag names and tag values; nil if the
    /// selector or its metric is unusable, `valid` false if only a tag is wrong.
    func decodeSelector(
        _ entry: MappingEntry, names: NameTable
    ) -> (selector: MetricSelector, metric: MetricDefinition, valid: Bool)? {
        let parsed: (selector: MetricSelector, offsets: MetricSelector.Offsets)
        do {
            parsed = try MetricSelector.parseWithOffsets(entry.key)
        } catch {
            self.error(error, in: entry.keyNode)
            return nil
        }
        let selector = parsed.selector
        guard let metric = MetricCatalog.metric(named: selector.name) else {
            let hint = Suggestions.didYouMean(selector.name, among: MetricCatalog.all.map(\.name))
            error("unknown metric '\(selector.name)'\(hint)",
                  at: location(of: entry.keyNode, offset: parsed.offsets.name))
            return nil
        }
        var valid = true
        for (index, tag) in selector.tags.enumerated() {
            guard let definition = metric.tag(named: tag.name) else {
                let tagNames = metric.tags.map(\.name)
                let message = tagNames.isEmpty
                    ? "metric '\(metric.name)' has no tags, found '\(tag.name)'"
                    : "unknown tag '\(tag.name)' for metric '\(metric.name)'"
                        + Suggestions.didYouMean(tag.name, among: tagNames)
                        + "; its tags are \(Suggestions.alternatives(tagNames))"
                error(message, at: location(of: entry.keyNode, offset: parsed.offsets.tagNames[index]))
                valid = false
                continue
            }
            if let problem = tagValueProblem(tag.value, definition: definition, names: names) {
                error(problem, at: location(of: entry.keyNode, offset: parsed.offsets.tagValues[index]))
                valid = false
            }
        }
        return (selector, metric, valid)
    }

    /// Why a tag value is not acceptable, or nil.
    func tagValueProblem(_ value: String, definition: MetricTagDefinition, names: NameTable) -> String? {
        switch definition.values {
        case .any:
            return nil
        case .user:
            switch names.lookupUser(value) {
            case .user: return nil
            case .group(let group):
                return "'\(value)' is a group; the tag 'user' takes one user name, like '\(group.memberName(at: 0))'"
            case .undefined: return names.undefinedUserMessage(value)
            }
        case .node:
            return names.isNode(value) ? nil : names.undefinedNodeMessage(value)
        case .oneOf(let allowed):
            guard !allowed.contains(value) else { return nil }
            return "unknown \(definition.name) '\(value)'\(Suggestions.didYouMean(value, among: allowed)) "
                + "(expected \(Suggestions.alternatives(allowed)))"
        }
    }

    /// Parses the thresholds of one expectation and checks them against the metric (when known).
    func decodeConditions(_ node: Node, metric: MetricDefinition?) -> [MetricExpectation.Condition]? {
        guard let items = listOrSingle(node, expected: "a list of thresholds like ['<= 2']") else { return nil }
        guard !items.isEmpty else {
            error("expected at least one threshold like '<= 2'", at: node)
            return nil
        }
        var conditions: [MetricExpectation.Condition] = []
        for item in items {
            guard let text = text(item, expected: "a threshold like '== 3' or 'max <= 2m'") else { continue }
            let threshold: Threshold
            do {
                threshold = try Threshold(parsing: text.value)
            } catch {
                self.error(error, in: item)
                continue
            }
            if let metric, let problem = metric.problem(with: threshold) {
                error(problem, at: item)
                continue
            }
            conditions.append(
                MetricExpectation.Condition(text: text.value, threshold: threshold, location: text.location))
        }
        return conditions.count == items.count ? conditions : nil
    }
}
