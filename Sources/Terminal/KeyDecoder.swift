import CNcurses
import SWRTopUI

/// What the terminal reported: a key, a new size, or nothing before the timeout.
public enum TerminalEvent: Equatable {
    case key(Key)
    case resize(width: Int, height: Int)
    case mouse(MouseEvent)
}

/// Turns `wget_wch` results into keys.
enum KeyDecoder {
    static func decode(functionKey code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE, KEY_DC: return .backspace
        case swrtop_key_btab(): return .backTab
        default: return nil
        }
    }

    static func decode(character value: UInt32) -> Key? {
        switch value {
        case 3: return .ctrlC
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// The key of an escape sequence that curses did not know (terminfo for a different
    /// terminal than the one in use, as inside tmux): the bytes after ESC, such as `[4~`.
    /// Unknown sequences are no key at all, never an Escape followed by stray characters.
    /// A mouse report in the SGR (1006) encoding, the bytes after ESC: `[<B;X;YM` for a press
    /// (`m` for a release, which swr-top ignores), 1-based X and Y. Button 0 is the first
    /// button, 64 and 65 the wheel; the modifier bits (Shift 4, Alt 8, Ctrl 16) are ignored,
    /// motion (32) is no event. Anything else, or numbers out of range, is nil.
    static func decode(sgrMouse body: String) -> MouseEvent? {
        guard body.hasPrefix("[<"), let final = body.last, final == "M" || final == "m" else { return nil }
        let numbers = body.dropFirst(2).dropLast().split(separator: ";", omittingEmptySubsequences: false)
        guard numbers.count == 3, numbers.allSatisfy({ $0.count <= 5 }),
              let button = Int(numbers[0]), let x = Int(numbers[1]), let y = Int(numbers[2]), x >= 1, y >= 1 else { return nil }
        guard final == "M", button & 32 == 0 else { return nil }
        switch button & ~(4 | 8 | 16) {
        case 0: return MouseEvent(.press, x: x - 1, y: y - 1)
        case 64: return MouseEvent(.wheelUp, x: x - 1, y: y - 1)
        case 65: return MouseEvent(.wheelDown, x: x - 1, y: y - 1)
        default: return nil
        }
    }

    static func decode(escapeSequence body: String) -> Key? {
        switch body {
        case "[A", "OA": return .up
        case "[B", "OB": return .down
        case "[C", "OC": return .right
        case "[D", "OD": return .left
        case "[H", "OH", "[1~", "[7~": return .home
        case "[F", "OF", "[4~", "[8~": return .end
        case "[5~": return .pageUp
        case "[6~": return .pageDown
        case "[3~": return .backspace
        case "[Z": return .backTab
        case "OM": return .enter
        default: return nil
        }
    }

    /// Whether `value` ends an escape sequence that began with `ESC [` or `ESC O`.
    static func endsSequence(_ value: UInt32, introducer: UInt32) -> Bool {
        introducer == UInt32(UInt8(ascii: "O")) || (0x40...0x7E).contains(value)
    }
}
