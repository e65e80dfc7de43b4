// CLASSIFICATION: COMMUNITY
// Filename: guest.h v0.1
// Author: cohesix-qa
// Date Modified: 2026-11-29
//
// Shared declarations of the reference guest image (freestanding, no libc).
#ifndef COHESIX_GUEST_H
#define COHESIX_GUEST_H

typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef unsigned char u8;

#define MMIO32(addr) (*(volatile u32 *)(u64)(addr))

/* frame saved by the vector stubs in start.S */
struct frame {
    u64 x[31];
    u64 elr;
    u64 spsr;
    u64 pad;
};

/* what seL4 would hand the root server; built by bootinfo_build() */
struct bootinfo {
    u64 magic;
    u64 node_id;
    u64 ram_base;
    u64 ram_size;
    u64 image_start;
    u64 image_end;
};
#define BOOTINFO_MAGIC 0xC0E5B0071FULL

/* uart.c */
void uart_putc(char c);
void uart_puts(const char *s);
int uart_getc_nonblock(void);
void uart_rx_irq_enable(void);
void put_dec(u64 v);
void put_hex(u64 v);

/* clock.c */
u64 clock_ticks(void);
u64 clock_freq(void);
u64 clock_us(void);
void stamp_line(const char *msg);
void spin_until_us(u64 us);

/* selftest.c */
int selftests_run(void);
extern volatile u64 irq_count;
extern volatile u64 last_svc_number;
extern volatile u64 sync_count;
extern struct bootinfo *boot_info;

void gic_init(void);
void gic_uart_irq(int enable);

/* console.c */
void console_run(void);
void power_off(void);

/* stage ticks recorded for /proc/boot */
#define STAGE_COUNT 4
extern u64 stage_us[STAGE_COUNT];
extern const char *const stage_names[STAGE_COUNT];

#endif
