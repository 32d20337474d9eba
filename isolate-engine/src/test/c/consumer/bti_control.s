// A function without a BTI landing pad, in an object that claims BTI (and PAC), for the control case of
// bti_user.c: an indirect call to it from a BTI-guarded page must fault.
    .text
    .globl nobti_target
    .type nobti_target, %function
nobti_target:
    mov x0, #7
    ret
    .size nobti_target, .-nobti_target

    .section .note.gnu.property, "a"
    .p2align 3
    .word 4, 16, 5          // n_namesz, n_descsz, NT_GNU_PROPERTY_TYPE_0
    .asciz "GNU"
    .word 0xc0000000, 4, 3, 0 // GNU_PROPERTY_AARCH64_FEATURE_1_AND: BTI | PAC
    .section .note.GNU-stack, "", %progbits
