// CLASSIFICATION: COMMUNITY
// Filename: clock.c v0.1
// Author: cohesix-qa
// Date Modified: 2026-11-29
//
// The guest clock: the ARM generic timer's virtual count (CNTVCT_EL0) over
// its frequency (CNTFRQ_EL0, 62.5 MHz on QEMU `virt`). It starts at zero when
// QEMU's virtual clock starts, i.e. at QMP `cont` for a paused start.
#include "guest.h"

u64 clock_ticks(void) {
    u64 v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

u64 clock_freq(void) {
    u64 v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

u64 clock_us(void) {
    u64 f = clock_freq();
    u64 t = clock_ticks();
    return (t / f) * 1000000ULL + ((t % f) * 1000000ULL) / f;
}

/* "[    0.012345] msg" — seconds with microseconds, like a kernel log */
void stamp_line(const char *msg) {
    u64 us = clock_us();
    u64 s = us / 1000000ULL;
    u64 frac = us % 1000000ULL;
    uart_putc('[');
    u64 width = 1;
    for (u64 t = s; t >= 10; t /= 10) width++;
    for (u64 i = width; i < 5; i++) uart_putc(' ');
    put_dec(s);
    uart_putc('.');
    for (u64 d = 100000; d > 0; d /= 10) uart_putc((char)('0' + (frac / d) % 10));
    uart_puts("] ");
    uart_puts(msg);
    uart_putc('\n');
}

void spin_until_us(u64 us) {
    while (clock_us() < us) {
    }
}
