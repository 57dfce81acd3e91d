import SimulatedNetwork
import SimulationKernel

extension HostContext {
    /// Sends `request` to `destination` until a `Reply` answers it, at most `attempts`
    /// times, waiting `timeout` for each: a message that must arrive, like a TCP close
    /// that is retransmitted until acknowledged. Needs no task: each attempt's
    /// outcome starts the next.
    func sendReliably<Reply: NetworkPayload>(
        _ request: some NetworkPayload, to destination: HostID, timeout: Duration, attempts: Int,
        expecting: Reply.Type
    ) {
        guard attempts > 0 else { return }
        self.request(request, to: destination, timeout: timeout) { [self] result in
            if case .success = typed(result, from: destination) as Result<Reply, NetworkError> { return }
            sendReliably(request, to: destination, timeout: timeout, attempts: attempts - 1, expecting: Reply.self)
        }
    }
}
