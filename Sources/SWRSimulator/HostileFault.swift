/// One kind of hostile response: not a failure of the service but an answer crafted to hurt a
/// client that trusts what it reads (see `FaultPlan`'s `extremeRate` ... `deepRate`).
public enum HostileFault: String, Sendable, CaseIterable {
    /// Numbers and times at the edges of what their types hold, or past them.
    case extreme
    /// Terminal escapes, control characters, path characters and 100k-character strings.
    case escape
    /// A 301/302/307/308 to another origin (the simulator's trap listener).
    case redirect
    /// Head and part of the body, then nothing for a long time.
    case stall
    /// A 200 body far larger than any sane cap, streamed.
    case huge
    /// 100,000 nested arrays.
    case deep
}
