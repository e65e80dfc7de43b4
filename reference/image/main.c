// CLASSIFICATION: COMMUNITY
// Filename: main.c v0.1
// Author: cohesix-qa
// Date Modified: 2026-11-29
//
// The reference root server: boot stages that print the upstream serial
// markers stamped with the guest clock, the on-target self-tests, then the
// line console. Defect variants are built from this same file with -D flags
// (see build.sh); each changes one behaviour and nothing else.
#include "guest.h"

#ifndef COHROLE
#define COHROLE "QueenPrimary"
#endif
#ifndef IMAGE_VARIANT
#define IMAGE_VARIANT "ok"
#endif

const char *const stage_names[STAGE_COUNT] = {"rootserver", "boot_ok", "init", "shell"};
u64 stage_us[STAGE_COUNT];

/* what the version banner and /proc/version print; boot-tampered edits bytes here */
const char version_banner[] = "Cohesix reference root server 0.1 (" IMAGE_VARIANT ")";

#ifdef BAD_LAYOUT
__attribute__((section(".crashlog"), used)) static const u64 crashlog_header[4] = {0xC0E5C4A5, 0, 0, 0};
#endif

static void stage(int index, const char *marker) {
    stage_us[index] = clock_us();
    stamp_line(marker);
}

#ifdef BOOT_FAULT
static void read_faulting_address(void) {
    /* nothing is mapped at 0x0a800000..0x0c000000 on `virt`'s flat map outside
     * the virtio window; QEMU raises a synchronous external abort for it */
    volatile u32 *bad = (volatile u32 *)0x0c000000UL;
    (void)*bad;
}
#endif

#ifdef RELEASE_GIC
/* The release-bundle variant: prints the release milestones around the
 * reference stages and, like an seL4 kernel built for one GIC, dies when the
 * machine's GIC is another. ID_AA64PFR0_EL1.GIC (bits [27:24]) is non-zero
 * only when a GICv3 CPU interface is present, which needs no MMIO probe. */
static unsigned gic_arch_revision(void) {
    u64 pfr0;
    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
    return ((pfr0 >> 24) & 0xf) ? 3 : 2;
}
#endif

void rootserver_main(void) {
#ifdef RELEASE_GIC
    stamp_line("ELF-loader started on CPU: reference emulation");
    stamp_line("Jumping to kernel-image entry point...");
    stamp_line("Bootstrapping kernel");
    if (gic_arch_revision() != RELEASE_GIC) {
        stamp_line("KERNEL DATA ABORT!");
        stamp_line("halting...");
        for (;;) __asm__ volatile("wfi");
    }
    stamp_line("Booting all finished, dropped to user space");
#endif
    stamp_line(version_banner);
    stage(0, "ROOTSERVER ONLINE");
#ifdef RELEASE_GIC
    stamp_line("[cohesix:root-task] Cohesix boot: root-task online");
#endif
#ifdef BOOT_HANG
    /* the defect: a wait that never completes before the boot marker */
    for (;;) __asm__ volatile("wfi");
#endif
#ifdef BOOT_SLOW
    /* the defect: 300 ms of guest time spent before the boot marker */
    spin_until_us(300000);
#endif
#ifdef MARKERS_OUT_OF_ORDER
    stage(2, "Cohesix init complete");
    stage(1, "COHESIX_BOOT_OK");
#else
    stage(1, "COHESIX_BOOT_OK");
#ifdef BOOT_FAULT
    read_faulting_address();
#endif
    stage(2, "Cohesix init complete");
#endif
    stage(3, "Cohesix shell started");
#ifdef RELEASE_GIC
    stamp_line("[net-console] listening on 0.0.0.0:31337");
    stamp_line("Cohesix console ready");
#endif
    int failed = selftests_run();
    stamp_line(failed ? "self-tests: FAILED" : "self-tests: all passed");
    console_run();
}
