#include "CNcurses.h"
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t pending_signal = 0;

static void on_terminate(int sig) {
    pending_signal = sig;
}

static void on_crash(int sig) {
    // Best effort: give the user their terminal back, then die as the signal intends.
    endwin();
    const char message[] = "swr-top: crashed; the terminal was restored\n";
    ssize_t ignored = write(2, message, sizeof message - 1);
    (void)ignored;
    signal(sig, SIG_DFL);
    raise(sig);
}

void swrtop_install_signal_handlers(void) {
    struct sigaction terminate;
    memset(&terminate, 0, sizeof terminate);
    terminate.sa_handler = on_terminate;
    sigemptyset(&terminate.sa_mask);
    sigaction(SIGTERM, &terminate, NULL);
    sigaction(SIGHUP, &terminate, NULL);
    sigaction(SIGINT, &terminate, NULL);

    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_handler = on_crash;
    sigemptyset(&crash.sa_mask);
    int fatal[] = {SIGSEGV, SIGABRT, SIGILL, SIGTRAP, SIGBUS, SIGFPE};
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) sigaction(fatal[i], &crash, NULL);
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
