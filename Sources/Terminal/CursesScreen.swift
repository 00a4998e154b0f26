import CNcurses
import Glibc
import SWRTopUI

/// The ncurses backend: the only code that touches the terminal. It draws frames (only the
/// cells that changed since the last one), reads keys and resizes, and always gives the
/// terminal back (`close`, signals and crashes included). Use it from one thread only.
public final class CursesScreen {
    private let window: UnsafeMutablePointer<WINDOW>
    private let mode: ColorMode
    private let utf8: Bool
    private var pairs: [Int16: Int16] = [:]
    private var previous: Frame?
    private var closed = false
    /// Bytes-saving statistics: cells written by the last `draw`.
    public private(set) var lastCellsWritten = 0

    /// Sets the locale, starts curses and installs signal handlers (before curses changes the
    /// terminal mode, so a crash can put back the mode as it was).
    public init(noColor: Bool, environment: [String: String], mouse: Bool = false) throws {
        setlocale(LC_ALL, "")
        swrtop_install_signal_handlers(isatty(STDOUT_FILENO) != 0 ? STDOUT_FILENO : STDIN_FILENO)
        guard let window = initscr() else { throw TerminalError.cannotStart }
        self.window = window
        utf8 = swrtop_locale_is_utf8() != 0
        raw()
        noecho()
        nonl()
        keypad(window, true)
        curs_set(0)
        // Long enough that an arrow key's bytes arrive together on a loaded machine or over ssh.
        set_escdelay(100)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(swrtop_colors())
        }
        mode = ColorMode.choose(noColorFlag: noColor, environment: environment, terminalColors: colors)
        // Reads never block: the loop sleeps in `wait`, on the terminal and the wake-up pipe.
        wtimeout(window, 0)
        // No look for typed-ahead keys in the middle of an update (a `poll` of the terminal per
        // check, and a frame cut short): a frame is a few cells, and the loop reads every key
        // right after it.
        typeahead(-1)
        // The mouse through curses, and the SGR encoding asked for as well (any column, and a
        // terminal whose terminfo curses reads as X10 still sends what `readEscape` decodes).
        // The crash handler's reset turns both off again.
        if mouse, swrtop_mouse_on() != 0 {
            mouseOn = true
            Self.writeToTerminal("\u{1B}[?1006h")
        }
    }

    private var mouseOn = false

    private static func writeToTerminal(_ sequence: String) {
        let fd = isatty(STDOUT_FILENO) != 0 ? STDOUT_FILENO : STDIN_FILENO
        var bytes = Array(sequence.utf8)
        _ = write(fd, &bytes, bytes.count)
    }

    /// Sleeps until a key arrives on the terminal, `wake` is woken (an answer, a signal, a
    /// resize), or `timeout` passes (`nil`: no limit). Then read every `nextEvent()`.
    public func wait(wake: WakePipe, timeout: Duration?) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0)]
        var milliseconds: Int32 = -1
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            let total = max(0, seconds) * 1000 + max(0, attoseconds) / 1_000_000_000_000_000 + (attoseconds % 1_000_000_000_000_000 > 0 ? 1 : 0)
            milliseconds = Int32(min(total, 60_000))
        }
        // EINTR (a signal) ends the wait like input does: the loop looks at everything anyway.
        _ = poll(&fds, 2, milliseconds)
        if fds[1].revents != 0 { wake.drain() }
    }

    /// From now on, termination signals and resizes also wake `wake`.
    public func wakeOnSignals(_ wake: WakePipe) {
        swrtop_set_wake_fd(wake.writeFD)
    }

    /// Whether the locale can show Unicode glyphs.
    public var isUnicode: Bool { utf8 }

    public var size: (width: Int, height: Int) {
        (Int(swrtop_max_x(window)), Int(swrtop_max_y(window)))
    }

    /// Draws `frame`, writing only the cells that differ from the last frame drawn. Returns false
    /// (and draws nothing) when the frame's size is not the terminal's: a resize the caller has
    /// not seen yet, to be sent as one.
    /// - Parameter changedRows: the only rows that can differ from the last frame drawn (see
    ///   `ScreenRenderer.writtenRows`), so only they are compared; `nil`: every row.
    @discardableResult
    public func draw(_ frame: Frame, changedRows: [Int]? = nil) -> Bool {
        // After a crash on another thread gave the terminal back, never draw over it again.
        guard swrtop_terminal_is_owned() != 0 else { return true }
        let (width, height) = size
        guard frame.width == width, frame.height == height else { return false }
        let changed = changedRows.map { frame.changedCells(from: previous, rows: $0) } ?? frame.changedCells(from: previous)
        if previous == nil { werase(window) }
        for (x, y) in changed {
            let cell = frame[x, y]
            if cell.isContinuation { continue }
            put(cell, x: x, y: y, width: width)
        }
        lastCellsWritten = changed.count
        previous = frame
        wnoutrefresh(window)
        doupdate()
        return true
    }

    private func put(_ cell: Cell, x: Int, y: Int, width: Int) {
        let look = TerminalLook.of(cell.style, mode: mode)
        var attrs = swrtop_a_normal()
        if look.bold { attrs |= swrtop_a_bold() }
        if look.reverse { attrs |= swrtop_a_reverse() }
        if look.dim { attrs |= swrtop_a_dim() }
        if look.underline { attrs |= swrtop_a_underline() }
        let pair = pairNumber(foreground: look.foreground)
        var text = cell.text
        if !utf8, !text.allSatisfy(\.isASCII) { text = Self.asciiFallback[text] ?? (cell.width == 2 ? "??" : "?") }
        // A wide grapheme in the last column cannot be drawn whole.
        if cell.width == 2, x + 1 >= width { text = " " }
        var scalars = text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        if text.count > 1 {
            // "??" for a wide grapheme in a non-UTF-8 locale: two cells.
            for (offset, scalar) in scalars.enumerated() {
                var single: [wchar_t] = [scalar, 0]
                _ = swrtop_put_cell(window, Int32(y), Int32(x + offset), &single, attrs, pair)
            }
            return
        }
        scalars.append(0)
        _ = swrtop_put_cell(window, Int32(y), Int32(x), &scalars, attrs, pair)
    }

    /// What a non-ASCII cell shows in a locale that is not UTF-8.
    static let asciiFallback: [String: String] = ["…": "~", "·": "-", "▏": "|", "→": ">", "←": "<", "↑": "^", "↓": "v", "⏎": "<"]

    private func pairNumber(foreground: Int16) -> Int16 {
        guard mode != .monochrome, foreground >= 0 else { return 0 }
        if let pair = pairs[foreground] { return pair }
        let pair = Int16(pairs.count + 1)
        init_pair(pair, foreground, -1)
        pairs[foreground] = pair
        return pair
    }

    /// The next key or resize already waiting, if any (never blocks).
    public func nextEvent() -> TerminalEvent? {
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == KEY_CODE_YES {
            if Int32(character) == swrtop_key_mouse() {
                var x: Int32 = 0, y: Int32 = 0
                switch swrtop_mouse_read(&x, &y) {
                case 1: return .mouse(MouseEvent(.press, x: Int(x), y: Int(y)))
                case 2: return .mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y)))
                case 3: return .mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y)))
                default: return nil
                }
            }
            if Int32(character) == KEY_RESIZE {
                previous = nil
                let (width, height) = size
                return .resize(width: width, height: height)
            }
            return KeyDecoder.decode(functionKey: Int32(character)).map(TerminalEvent.key)
        }
        if result == OK {
            if character == 27 { return readEscape() }
            return KeyDecoder.decode(character: UInt32(character)).map(TerminalEvent.key)
        }
        return nil
    }

    /// After an ESC: a lone Escape, or a whole sequence curses did not recognise (read here so
    /// its bytes never arrive as an Escape plus stray keys). A function key that arrives right
    /// behind the ESC (above all `KEY_RESIZE`, when the terminal is resized just after Escape) is
    /// pushed back for the next read, so the resize is never swallowed.
    private func readEscape() -> TerminalEvent? {
        var next: wint_t = 0
        let result = wget_wch(window, &next)
        if result == KEY_CODE_YES { ungetch(Int32(next)) }
        guard result == OK else { return .key(.escape) }
        let introducer = UInt32(next)
        guard introducer == UInt32(UInt8(ascii: "[")) || introducer == UInt32(UInt8(ascii: "O")) else {
            // Alt+key: Escape now, the key on the next read.
            unget_wch(wchar_t(bitPattern: introducer))
            return .key(.escape)
        }
        var body = String(UnicodeScalar(UInt8(truncatingIfNeeded: introducer)))
        for _ in 0..<16 {
            var value: wint_t = 0
            let result = wget_wch(window, &value)
            if result == KEY_CODE_YES { ungetch(Int32(value)) }
            guard result == OK, let scalar = Unicode.Scalar(UInt32(value)) else { break }
            body.unicodeScalars.append(scalar)
            if KeyDecoder.endsSequence(UInt32(value), introducer: introducer) { break }
        }
        // A mouse report (none arrive unless asked for; with the mouse off, one is no event).
        if body.hasPrefix("[<") { return mouseOn ? KeyDecoder.decode(sgrMouse: body).map(TerminalEvent.mouse) : nil }
        return KeyDecoder.decode(escapeSequence: body).map(TerminalEvent.key)
    }

    /// Rings the terminal bell.
    public func bell() {
        beep()
    }

    /// The termination signal received since the last call, if any.
    public func pendingSignal() -> Int32? {
        let signal = swrtop_take_signal()
        return signal == 0 ? nil : signal
    }

    /// Gives the terminal back. Safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        swrtop_set_wake_fd(-1)
        if mouseOn {
            swrtop_mouse_off()
            Self.writeToTerminal("\u{1B}[?1006l")
        }
        endwin()
        swrtop_terminal_released()
    }

    deinit {
        close()
    }
}

/// The terminal could not be started.
public enum TerminalError: Error, CustomStringConvertible {
    case cannotStart

    public var description: String {
        "cannot start the terminal screen (is TERM set, and is this a terminal?)"
    }
}
