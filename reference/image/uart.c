// CLASSIFICATION: COMMUNITY
// Filename: uart.c v0.1
// Author: cohesix-qa
// Date Modified: 2026-11-29
//
// PL011 UART0 of the aarch64 `virt` machine, polled. QEMU needs no baud setup.
#include "guest.h"

#define UART_BASE 0x09000000UL
#define UART_DR (UART_BASE + 0x00)
#define UART_FR (UART_BASE + 0x18)
#define UART_IMSC (UART_BASE + 0x38)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

void uart_putc(char c) {
    if (c == '\n') uart_putc('\r');
    while (MMIO32(UART_FR) & FR_TXFF) {
    }
    MMIO32(UART_DR) = (u32)(u8)c;
}

void uart_puts(const char *s) {
    while (*s) uart_putc(*s++);
}

int uart_getc_nonblock(void) {
    if (MMIO32(UART_FR) & FR_RXFE) return -1;
    return (int)(MMIO32(UART_DR) & 0xff);
}

void put_dec(u64 v) {
    char buf[21];
    int i = 20;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    uart_puts(&buf[i]);
}

void put_hex(u64 v) {
    static const char digits[] = "0123456789abcdef";
    uart_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4) uart_putc(digits[(v >> shift) & 0xf]);
}

/* raise the RX and RX-timeout interrupts (level) while a byte is waiting */
void uart_rx_irq_enable(void) {
    MMIO32(UART_IMSC) = (1u << 4) | (1u << 6);
}
