//===-- core/os.h - What the runtime asks of Linux --------------*- C++ -*-===//
//
// Every system call the heap and the scheduler make for memory and threads,
// in one place (as Go keeps them in mem_linux.go and os_linux.go): address
// space reserved and committed, memory given back, the process's threads
// listed and read from /proc. None of these allocates with malloc: the
// collector calls them with the world stopped.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_CORE_OS_H
#define GOSTACK_RUNTIME_CORE_OS_H

#include <cstddef>
#include <sys/types.h>

namespace gostack::os {

/// \p bytes of address space, no memory until commit(); fatal (saying
/// \p what) when the system refuses.
void *reserveOrDie(std::size_t bytes, const char *what);
/// \p bytes of memory, zeroed, taken only where touched; fatal (saying
/// \p what) when the system refuses.
void *mapOrDie(std::size_t bytes, const char *what);
/// As mapOrDie, but null when the system refuses.
void *map(std::size_t bytes);
void unmap(void *memory, std::size_t bytes);
/// Makes reserved address space usable; false when the system refuses.
bool commit(void *memory, std::size_t bytes);
/// Gives the memory back to the kernel; the range stays usable and reads
/// zero when touched again.
void release(void *memory, std::size_t bytes);

/// Calls visit(context, tid) for every thread of the process
/// (/proc/self/task).
void forEachThread(void (*visit)(void *context, pid_t tid), void *context);
/// Reads /proc/self/task/TID/FILE ("stat", "status") into \p buffer,
/// null-terminated; false when the thread is gone.
bool readThreadFile(pid_t tid, const char *file, char *buffer,
                    std::size_t size);

} // namespace gostack::os

#endif // GOSTACK_RUNTIME_CORE_OS_H
