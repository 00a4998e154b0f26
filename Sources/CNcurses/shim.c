#include "CNcurses.h"
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t pending_signal = 0;
static volatile sig_atomic_t wake_fd = -1;

/// One byte into the wake-up pipe, so a loop asleep in poll() sees the signal at once
/// (write is async-signal-safe; errno is kept for the code the signal interrupted).
static void wake_loop(void) {
    int fd = wake_fd;
    if (fd < 0) return;
    int saved = errno;
    char byte = 1;
    ssize_t ignored = write(fd, &byte, 1);
    (void)ignored;
    errno = saved;
}

static void on_terminate(int sig) {
    pending_signal = sig;
    wake_loop();
}

static struct sigaction curses_resize_action;

static void on_resize(int sig, siginfo_t *info, void *context) {
    // curses' own handler first (it notes the new size and queues KEY_RESIZE), then wake the loop.
    if (curses_resize_action.sa_flags & SA_SIGINFO) {
        if (curses_resize_action.sa_sigaction != NULL) curses_resize_action.sa_sigaction(sig, info, context);
    } else if (curses_resize_action.sa_handler != SIG_DFL && curses_resize_action.sa_handler != SIG_IGN && curses_resize_action.sa_handler != NULL) {
        curses_resize_action.sa_handler(sig);
    }
    wake_loop();
}

void swrtop_set_wake_fd(int fd) {
    static int resize_installed = 0;
    wake_fd = fd;
    if (fd < 0 || resize_installed) return;
    resize_installed = 1;
    struct sigaction resize;
    memset(&resize, 0, sizeof resize);
    resize.sa_sigaction = on_resize;
    resize.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&resize.sa_mask);
    sigaction(SIGWINCH, &resize, &curses_resize_action);
}

// --- Crash restore -------------------------------------------------------------------------
// Everything the crash handler needs is prepared before curses starts, in static storage, so
// the handler itself only calls tcsetattr, write, sigaction and raise (all async-signal-safe).

static const int crash_signals[] = {SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE};
#define CRASH_SIGNAL_COUNT (sizeof crash_signals / sizeof crash_signals[0])

/// The handlers that were installed before ours (the Swift runtime's backtracer, or SIG_DFL).
static struct sigaction previous_crash_actions[CRASH_SIGNAL_COUNT];
/// The terminal as it was before curses: fd, termios, and whether they are valid.
static int saved_fd = -1;
static struct termios saved_termios;
static volatile sig_atomic_t terminal_owned = 0;
/// Leave the alternate screen, show the cursor, reset attributes, stop any mouse reporting.
static const char reset_sequence[] =
    "\033[?1049l\033[?25h\033[0m\033[?1000l\033[?1002l\033[?1003l\033[?1006l";
static const char crash_message[] = "swr-top: crashed; the terminal was restored\n";
/// The alternate signal stack: a crash from a stack overflow still has room to run (ours and
/// the runtime's backtracer handler, which runs from ours). At least SIGSTKSZ and 64 KiB.
#define ALT_STACK_SIZE (256 * 1024)
static char alternate_stack[ALT_STACK_SIZE] __attribute__((aligned(16)));

static void write_all(int fd, const char *bytes, size_t count) {
    while (count > 0) {
        ssize_t n = write(fd, bytes, count);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes += n;
        count -= (size_t)n;
    }
}

static void on_crash(int sig, siginfo_t *info, void *context) {
    int saved_errno = errno;
    if (terminal_owned) {
        terminal_owned = 0;
        if (saved_fd >= 0) {
            tcsetattr(saved_fd, TCSANOW, &saved_termios);
            write_all(saved_fd, reset_sequence, sizeof reset_sequence - 1);
        }
        write_all(STDERR_FILENO, crash_message, sizeof crash_message - 1);
    }
    // The handler that was there before ours (the Swift runtime's backtracer) runs now, on the
    // terminal just restored. It may return without ending the process (it does for a signal
    // sent with kill), so afterwards the signal is raised again with its default action.
    for (unsigned i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] != sig) continue;
        struct sigaction *before = &previous_crash_actions[i];
        if (before->sa_flags & SA_SIGINFO) {
            if (before->sa_sigaction != NULL) before->sa_sigaction(sig, info, context);
        } else if (before->sa_handler != SIG_DFL && before->sa_handler != SIG_IGN && before->sa_handler != NULL) {
            before->sa_handler(sig);
        }
    }
    // SA_RESETHAND made the action SIG_DFL on entry; the handler above may have changed it.
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(sig, &fallback, NULL);
    errno = saved_errno;
    // Delivered at once, or when this handler returns (a fault then happens again, by default).
    raise(sig);
}

int swrtop_terminal_is_owned(void) {
    return terminal_owned != 0;
}

static void install_crash_handlers(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    stack_t stack;
    memset(&stack, 0, sizeof stack);
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof alternate_stack;
    stack.ss_flags = 0;
    sigaltstack(&stack, NULL);

    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_sigaction = on_crash;
    crash.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&crash.sa_mask);
    for (unsigned i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        sigaction(crash_signals[i], &crash, &previous_crash_actions[i]);
    }
}

void swrtop_install_signal_handlers(int terminal_fd) {
    struct sigaction terminate;
    memset(&terminate, 0, sizeof terminate);
    terminate.sa_handler = on_terminate;
    sigemptyset(&terminate.sa_mask);
    sigaction(SIGTERM, &terminate, NULL);
    sigaction(SIGHUP, &terminate, NULL);
    sigaction(SIGINT, &terminate, NULL);

    if (tcgetattr(terminal_fd, &saved_termios) == 0) {
        saved_fd = terminal_fd;
    } else {
        saved_fd = -1;
    }
    terminal_owned = 1;
    install_crash_handlers();
}

void swrtop_terminal_released(void) {
    terminal_owned = 0;
}

int swrtop_take_signal(void) {
    int sig = pending_signal;
    pending_signal = 0;
    return sig;
}

int swrtop_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
