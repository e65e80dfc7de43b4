// CLASSIFICATION: COMMUNITY
// Filename: console.c v0.1
// Author: cohesix-qa
// Date Modified: 2026-11-29
//
// A line console on the UART: echoes input, runs `;`-separated commands.
// Commands: help, echo, ls, cat <path>, tap, poweroff. Files are synthetic.
#include "guest.h"

#ifndef COHROLE
#define COHROLE "QueenPrimary"
#endif

extern const char version_banner[];

void power_off(void) {
    /* PSCI SYSTEM_OFF through the hypervisor conduit QEMU `virt` offers at EL1 */
    register u64 x0 __asm__("x0") = 0x84000008UL;
    __asm__ volatile("hvc #0" : "+r"(x0)::"memory");
    for (;;) __asm__ volatile("wfi");
}

static int streq(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static void cat_proc_boot(void) {
    uart_puts("clock_hz ");
    put_dec(clock_freq());
    uart_putc('\n');
    for (int i = 0; i < STAGE_COUNT; i++) {
        uart_puts(stage_names[i]);
        uart_puts("_us ");
        put_dec(stage_us[i]);
        uart_putc('\n');
    }
}

static const char *const files[] = {"/srv/cohrole", "/proc/boot", "/proc/version", "/proc/uptime"};

static void cmd_cat(const char *path) {
    if (streq(path, "/srv/cohrole")) {
        uart_puts(COHROLE "\n");
    } else if (streq(path, "/proc/boot")) {
        cat_proc_boot();
    } else if (streq(path, "/proc/version")) {
        uart_puts(version_banner);
        uart_putc('\n');
    } else if (streq(path, "/proc/uptime")) {
        put_dec(clock_us());
        uart_puts(" us\n");
    } else {
        uart_puts("cat: ");
        uart_puts(path);
        uart_puts(": file does not exist\n");
    }
}

static void run_command(char *cmd) {
    while (*cmd == ' ') cmd++;
    char *end = cmd;
    while (*end) end++;
    while (end > cmd && end[-1] == ' ') *--end = 0;
    if (!*cmd) return;
    char *arg = cmd;
    while (*arg && *arg != ' ') arg++;
    if (*arg) {
        *arg++ = 0;
        while (*arg == ' ') arg++;
    }
    if (streq(cmd, "help")) {
        uart_puts("commands: help, echo <text>, ls, cat <path>, tap, poweroff\n");
    } else if (streq(cmd, "echo")) {
        uart_puts(arg);
        uart_putc('\n');
    } else if (streq(cmd, "ls")) {
        for (u64 i = 0; i < sizeof files / sizeof files[0]; i++) {
            uart_puts(files[i]);
            uart_putc('\n');
        }
    } else if (streq(cmd, "cat")) {
        cmd_cat(arg);
    } else if (streq(cmd, "tap")) {
        selftests_run();
    } else if (streq(cmd, "poweroff")) {
        stamp_line("power off");
        power_off();
    } else {
        uart_puts("unknown command: ");
        uart_puts(cmd);
        uart_putc('\n');
    }
}

static void run_line(char *line) {
    char *start = line;
    for (char *p = line;; p++) {
        if (*p == ';' || *p == 0) {
            int last = *p == 0;
            *p = 0;
            run_command(start);
            if (last) return;
            start = p + 1;
        }
    }
}

void console_run(void) {
    static char line[256];
    u64 len = 0;
    int last_cr = 0;
    gic_init();
    uart_rx_irq_enable();
    gic_uart_irq(1);
    uart_puts("cohesix> ");
    for (;;) {
        int c = uart_getc_nonblock();
        if (c < 0) {
            __asm__ volatile("wfi");
            continue;
        }
        if (c == '\n' && last_cr) { /* \r\n counts once */
            last_cr = 0;
            continue;
        }
        last_cr = c == '\r';
        if (c == '\r' || c == '\n') {
            uart_putc('\n');
            line[len] = 0;
            run_line(line);
            len = 0;
            uart_puts("cohesix> ");
        } else if (c == 0x7f || c == 0x08) {
            if (len) {
                len--;
                uart_puts("\b \b");
            }
        } else if (c >= 0x20 && c < 0x7f && len < sizeof line - 1) {
            line[len++] = (char)c;
            uart_putc((char)c);
        }
    }
}
