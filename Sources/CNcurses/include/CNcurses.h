#ifndef SWR_TOP_CNCURSES_H
#define SWR_TOP_CNCURSES_H

// SwiftPM drops pkg-config's -D flags, so the wide-character API must be asked for here.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and globals Swift cannot import, as inline functions.
static inline WINDOW *swrtop_stdscr(void) { return stdscr; }
static inline int swrtop_max_y(WINDOW *w) { return getmaxy(w); }
static inline int swrtop_max_x(WINDOW *w) { return getmaxx(w); }
static inline attr_t swrtop_a_bold(void) { return A_BOLD; }
static inline attr_t swrtop_a_reverse(void) { return A_REVERSE; }
static inline attr_t swrtop_a_dim(void) { return A_DIM; }
static inline attr_t swrtop_a_underline(void) { return A_UNDERLINE; }
static inline attr_t swrtop_a_normal(void) { return A_NORMAL; }
static inline int swrtop_key_resize(void) { return KEY_RESIZE; }
static inline int swrtop_key_btab(void) { return KEY_BTAB; }
static inline int swrtop_key_f(int n) { return KEY_F(n); }
static inline int swrtop_colors(void) { return COLORS; }
static inline int swrtop_key_mouse(void) { return KEY_MOUSE; }

// The mouse: presses of the first button and the wheel, each reported at once (no waiting to
// tell a click from a double click). Returns whether curses can report the mouse here.
static inline int swrtop_mouse_on(void) {
    mouseinterval(0);
    return mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) != 0;
}
static inline void swrtop_mouse_off(void) { mousemask(0, NULL); }
// The event behind a KEY_MOUSE: 1 a press, 2 the wheel up, 3 the wheel down, 0 nothing usable.
static inline int swrtop_mouse_read(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON4_PRESSED) return 2;
    if (event.bstate & BUTTON5_PRESSED) return 3;
    if (event.bstate & BUTTON1_PRESSED) return 1;
    return 0;
}

/// Puts one cell: a wide string (one grapheme) with attributes and a colour pair.
static inline int swrtop_put_cell(WINDOW *w, int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cell);
}

/// Call before curses starts (it changes the terminal mode). Saves the termios of
/// `terminal_fd`, prepares the bytes that reset the screen, and installs handlers:
/// - SIGTERM, SIGHUP and SIGINT are only recorded, for the UI loop (`swrtop_take_signal`);
/// - crashes (SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE), on an alternate signal stack,
///   put the saved termios back and write the reset bytes (async-signal-safe calls only), then
///   run the handler that was there before (the Swift runtime's backtracer) and end the process
///   by the signal's default action (exit status 128+signal, core dump).
void swrtop_install_signal_handlers(int terminal_fd);
/// Whether the screen still owns the terminal (0 once a crash gave it back, or after release).
int swrtop_terminal_is_owned(void);
/// Call after curses gave the terminal back: a later crash leaves the terminal alone.
void swrtop_terminal_released(void);
/// The last termination signal received (0 when none), cleared by the call.
int swrtop_take_signal(void);
/// After curses started: termination signals and resizes also write one byte to `fd` (a
/// non-blocking pipe), so a loop waiting in poll() wakes at once. curses' SIGWINCH handler
/// still runs first.
void swrtop_set_wake_fd(int fd);
/// Whether the C library's character set is UTF-8 (after setlocale).
int swrtop_locale_is_utf8(void);

#endif
