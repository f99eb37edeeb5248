// Switching between goroutine stacks on x86-64 (System V ABI).
//
// A suspended context is nothing but its stack pointer: everything the ABI
// says a callee must preserve -- rbx, rbp, r12-r15, and the control bits of
// MXCSR and the x87 FPU -- is pushed on its own stack before the switch and
// popped after it. Caller-saved registers are the caller's business, as
// for any call.

        .text

// void gostack_switch_context(void **save_sp, void *new_sp)
        .globl  gostack_switch_context
        .type   gostack_switch_context, @function
        .p2align 4
gostack_switch_context:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .cfi_endproc
        .size   gostack_switch_context, .-gostack_switch_context

// The first "return" of a new context lands here, with the entry function
// in r12 and its argument in r13 (see makeContext). The entry never returns.
        .globl  gostack_context_entry
        .type   gostack_context_entry, @function
        .p2align 4
gostack_context_entry:
        .cfi_startproc
        // Unwinders stop here: there is no caller.
        .cfi_undefined rip
        movq    %r13, %rdi
        andq    $-16, %rsp
        callq   *%r12
        ud2
        .cfi_endproc
        .size   gostack_context_entry, .-gostack_context_entry

// The callee-saved registers, pushed in this order with 8 bytes of padding
// (which keeps %rsp 16-byte aligned for a call), and popped again.
        .macro SAVE_CALLEE_SAVED
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset rbp, 0
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset rbx, 0
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r12, 0
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r13, 0
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r14, 0
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r15, 0
        subq    $8, %rsp
        .cfi_adjust_cfa_offset 8
        .endm

        .macro RESTORE_CALLEE_SAVED
        addq    $8, %rsp
        .cfi_adjust_cfa_offset -8
        popq    %r15
        .cfi_adjust_cfa_offset -8
        popq    %r14
        .cfi_adjust_cfa_offset -8
        popq    %r13
        .cfi_adjust_cfa_offset -8
        popq    %r12
        .cfi_adjust_cfa_offset -8
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        .endm

// void gostack_run_goroutine_fn(goroutine_fn *fn)
// Calls fn->run() -- the third vtable slot: the Itanium C++ ABI puts the
// complete and the deleting destructor first -- with every callee-saved
// register cleared, saving the caller's here. The stack walk ends at the
// return address of that call (sched/stack_walk.h): above it no frame keeps
// a value in a register that managed frames would save unmapped.
        .globl  gostack_run_goroutine_fn
        .type   gostack_run_goroutine_fn, @function
        .globl  gostack_goroutine_fn_return
        .p2align 4
gostack_run_goroutine_fn:
        .cfi_startproc
        SAVE_CALLEE_SAVED
        xorl    %ebp, %ebp
        xorl    %ebx, %ebx
        xorl    %r12d, %r12d
        xorl    %r13d, %r13d
        xorl    %r14d, %r14d
        xorl    %r15d, %r15d
        movq    (%rdi), %rax
        callq   *16(%rax)
gostack_goroutine_fn_return:
        RESTORE_CALLEE_SAVED
        ret
        .cfi_endproc
        .size   gostack_run_goroutine_fn, .-gostack_run_goroutine_fn

// void gostack_call_on_stack(void *stack_top, void (*fn)(void *), void *arg,
//                            void **save_sp)
// Runs fn(arg) with rsp at stack_top, first storing the current rsp at
// *save_sp (so the collector knows the frames left behind), then returns
// on the original stack.
        .globl  gostack_call_on_stack
        .type   gostack_call_on_stack, @function
        .p2align 4
gostack_call_on_stack:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register rbp
        movq    %rsp, (%rcx)
        andq    $-16, %rdi
        movq    %rdi, %rsp
        movq    %rdx, %rdi
        callq   *%rsi
        movq    %rbp, %rsp
        popq    %rbp
        .cfi_def_cfa rsp, 8
        ret
        .cfi_endproc
        .size   gostack_call_on_stack, .-gostack_call_on_stack

// void gostack_call_as_suspended(void *saved_sp, void (*fn)(void *),
//                                void *arg)
// Calls fn(arg) on this stack as if from inside the gostack_switch_context
// that suspended the context saved at saved_sp: the callee-saved registers
// hold the context's values and the unwind information below names its
// return address, so an unwinder started in fn walks the suspended
// goroutine's frames. The suspended stack is only read.
        .globl  gostack_call_as_suspended
        .type   gostack_call_as_suspended, @function
        .p2align 4
gostack_call_as_suspended:
        .cfi_startproc
        SAVE_CALLEE_SAVED
        // The suspended context's stack pointer once it returns from the
        // switch: past the control words, six registers and the return
        // address (the layout gostack_switch_context leaves).
        leaq    64(%rdi), %rax
        movq    %rax, (%rsp)
        movq    8(%rdi), %r15
        movq    16(%rdi), %r14
        movq    24(%rdi), %r13
        movq    32(%rdi), %r12
        movq    40(%rdi), %rbx
        movq    48(%rdi), %rbp
        movq    %rdx, %rdi
        .cfi_remember_state
        // At the call: CFA = *(rsp) (DW_CFA_def_cfa_expression,
        // DW_OP_breg7 0, DW_OP_deref), the return address below it, and the
        // callee-saved registers are the suspended context's own.
        .cfi_escape 0x0f, 0x03, 0x77, 0x00, 0x06
        .cfi_same_value rbp
        .cfi_same_value rbx
        .cfi_same_value r12
        .cfi_same_value r13
        .cfi_same_value r14
        .cfi_same_value r15
        callq   *%rsi
        .cfi_restore_state
        RESTORE_CALLEE_SAVED
        ret
        .cfi_endproc
        .size   gostack_call_as_suspended, .-gostack_call_as_suspended

        .section .note.GNU-stack,"",@progbits
