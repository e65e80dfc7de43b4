// CLASSIFICATION: COMMUNITY
// Filename: start.S v0.1
// Author: cohesix-qa
// Date Modified: 2026-11-29
//
// Entry point and exception vectors of the reference guest image. QEMU's
// `-kernel` loads this ELF and jumps to _start at EL1 with the MMU off.
// We set a stack, install the vector table, clear .bss and hand a BootInfo
// pointer to C in x0, the way seL4 hands one to its root server.

    .section .text.boot, "ax"
    .global _start
_start:
    // run on SP_EL1 so exceptions taken at EL1 use the stack set here
    msr     spsel, #1
    ldr     x1, =__stack_top
    mov     sp, x1
    // vectors first: any fault from here on is reported, not silent
    ldr     x1, =vectors
    msr     vbar_el1, x1
    isb
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  bl      bootinfo_build
    bl      rootserver_main
3:  wfi
    b       3b

// Save the general registers into a frame the C handlers can read and write.
.macro SAVE_FRAME
    sub     sp, sp, #272
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x1, elr_el1
    stp     x30, x1, [sp, #240]
    mrs     x1, spsr_el1
    str     x1, [sp, #256]
.endm

.macro RESTORE_FRAME
    ldr     x1, [sp, #256]
    msr     spsr_el1, x1
    ldp     x30, x1, [sp, #240]
    msr     elr_el1, x1
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    add     sp, sp, #272
.endm

// Each vector slot is 0x80 bytes: too small for the frame, so it branches to a stub.
.macro VECTOR handler
    .balign 0x80
    b       \handler\()_stub
.endm

.macro STUB handler
\handler\()_stub:
    SAVE_FRAME
    mov     x0, sp
    bl      \handler
    RESTORE_FRAME
    eret
.endm

    .text
    STUB exc_sync
    STUB exc_irq
    STUB exc_unexpected

    .section .vectors, "ax"
    .balign 0x800
    .global vectors
vectors:
    // current EL with SP_EL0
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    // current EL with SP_ELx: where this image runs
    VECTOR exc_sync
    VECTOR exc_irq
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    // lower EL, AArch64
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    // lower EL, AArch32
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    VECTOR exc_unexpected
    VECTOR exc_unexpected
