import Foundation
import SWRWatch

/// A key, decoded by the terminal backend.
public enum Key: Sendable, Equatable {
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, ctrlC
    case char(Character)
}

/// Everything that can happen to the app: a key, a poll result, a clock tick.
public enum Action: Sendable {
    case key(Key)
    case poll(PollResult)
    case tick(Date)
}

/// What the app loop must do after an update.
public enum Effect: Sendable, Equatable {
    case focus(Target)
    case refresh([Target])
    case pause
    case resume
    case bell
    case quit
}
