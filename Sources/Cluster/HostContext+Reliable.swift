import SimulatedNetwork
import SimulationKernel

extension HostContext {
    /// Sends `request` to `destination` in a task of this host until a `Reply`
    /// answers it, at most `attempts` times, waiting `timeout` for each: a message
    /// that must arrive, like a TCP close that is retransmitted until acknowledged.
    func sendReliably<Reply: NetworkPayload>(
        _ request: some NetworkPayload, to destination: HostID, timeout: Duration, attempts: Int,
        expecting: Reply.Type
    ) {
        spawn { [self] in
            for _ in 0..<attempts {
                if (try? await self.request(request, to: destination, timeout: timeout, expecting: Reply.self)) != nil {
                    return
                }
                if Task.isCancelled { return }
            }
        }
    }
}
