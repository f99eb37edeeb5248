// __morestack: where a managed function's prologue check lands when its
// frame does not fit above the goroutine's stack guard (%fs:0x70), or when
// the runtime set the guard so that the next check fails (preemption, a
// shrink, GOSTACK_DEBUG=stackmove).
//
// LLVM's split-stack prologue (the "split-stack" attribute the plugin sets)
// calls it as
//
//     mov  $FRAME, %r10d ; mov $ARGS, %r11d ; call __morestack ; ret ; jmp BODY
//
// libgcc's __morestack runs the body on a new segment. Ours moves the whole
// stack instead and resumes the same function at `jmp BODY` on the new
// stack, as if it had just been entered there:
//
//   1. push every general register and the vector argument registers: the
//      interrupted function's arguments and its callers' callee-saved
//      registers become words on the stack, adjusted with every other word;
//   2. gostack_morestack(save area) decides (preempt, grow, shrink, move)
//      and returns where the save area is now -- in the new stack if it
//      moved;
//   3. switch %rsp there, let gostack_morestack_done release the old stack
//      (only now is nothing running on it), pop the registers, and return
//      to the address after the call plus one: past the `ret`, at `jmp BODY`.
//
// The save area's layout is SaveArea in stack_growth.h.
//
// lld makes the check of a function that calls code without split-stack
// notes unconditional (`stc` for the compare) and its call go to
// __morestack_non_split, which libgcc uses to ask for 16 KiB more. The
// native reserve below our guard is that room already: both names are one
// entry, and gostack_morestack resumes at once when the frame fits.

        .text
        .globl  __morestack
        .type   __morestack, @function
        .globl  __morestack_non_split
        .type   __morestack_non_split, @function
        .p2align 4
__morestack_non_split:
__morestack:
        .cfi_startproc
        pushq   %rax
        .cfi_adjust_cfa_offset 8
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        pushq   %rcx
        .cfi_adjust_cfa_offset 8
        pushq   %rdx
        .cfi_adjust_cfa_offset 8
        pushq   %rsi
        .cfi_adjust_cfa_offset 8
        pushq   %rdi
        .cfi_adjust_cfa_offset 8
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        pushq   %r8
        .cfi_adjust_cfa_offset 8
        pushq   %r9
        .cfi_adjust_cfa_offset 8
        pushq   %r10
        .cfi_adjust_cfa_offset 8
        pushq   %r11
        .cfi_adjust_cfa_offset 8
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        // 8 bytes of padding keep %rsp 16-byte aligned for the call.
        subq    $136, %rsp
        .cfi_adjust_cfa_offset 136
        movdqu  %xmm0, 0(%rsp)
        movdqu  %xmm1, 16(%rsp)
        movdqu  %xmm2, 32(%rsp)
        movdqu  %xmm3, 48(%rsp)
        movdqu  %xmm4, 64(%rsp)
        movdqu  %xmm5, 80(%rsp)
        movdqu  %xmm6, 96(%rsp)
        movdqu  %xmm7, 112(%rsp)
        movq    %rsp, %rdi
        callq   gostack_morestack
        // From here the frame may be on another stack: no more CFI that
        // an unwinder could follow into the old one.
        .cfi_undefined rip
        movq    %rax, %rsp
        callq   gostack_morestack_done
        movdqu  0(%rsp), %xmm0
        movdqu  16(%rsp), %xmm1
        movdqu  32(%rsp), %xmm2
        movdqu  48(%rsp), %xmm3
        movdqu  64(%rsp), %xmm4
        movdqu  80(%rsp), %xmm5
        movdqu  96(%rsp), %xmm6
        movdqu  112(%rsp), %xmm7
        addq    $136, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rbp
        popq    %rdi
        popq    %rsi
        popq    %rdx
        popq    %rcx
        popq    %rbx
        popq    %rax
        // Resume the function past the `ret` that follows its call.
        addq    $1, (%rsp)
        ret
        .cfi_endproc
        .size   __morestack, .-__morestack
        .size   __morestack_non_split, .-__morestack_non_split

        .section .note.GNU-stack,"",@progbits
