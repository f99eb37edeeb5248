//===-- core/os.cpp - What the runtime asks of Linux ----------------------===//

#include "core/os.h"

#include <gostack/gostack.h>

#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gostack::os {
namespace {

void *mapWith(std::size_t bytes, int protection) {
  void *memory = mmap(nullptr, bytes, protection,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return memory == MAP_FAILED ? nullptr : memory;
}

} // namespace

void *reserveOrDie(std::size_t bytes, const char *what) {
  void *memory = mapWith(bytes, PROT_NONE);
  if (!memory)
    detail::fatal(what);
  return memory;
}

void *mapOrDie(std::size_t bytes, const char *what) {
  void *memory = map(bytes);
  if (!memory)
    detail::fatal(what);
  return memory;
}

void *map(std::size_t bytes) { return mapWith(bytes, PROT_READ | PROT_WRITE); }

void unmap(void *memory, std::size_t bytes) { munmap(memory, bytes); }

bool commit(void *memory, std::size_t bytes) {
  return mprotect(memory, bytes, PROT_READ | PROT_WRITE) == 0;
}

void release(void *memory, std::size_t bytes) {
  madvise(memory, bytes, MADV_DONTNEED);
}

void forEachThread(void (*visit)(void *context, pid_t tid), void *context) {
  int dir = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    detail::fatal("cannot list the process's threads: /proc/self/task is "
                  "not readable");
  // getdents64 rather than readdir: no malloc, with the world stopped.
  alignas(8) char buffer[4096];
  for (long bytes;
       (bytes = syscall(SYS_getdents64, dir, buffer, sizeof buffer)) > 0;)
    for (long offset = 0; offset < bytes;) {
      auto *entry = reinterpret_cast<struct dirent64 *>(buffer + offset);
      offset += entry->d_reclen;
      if (entry->d_name[0] >= '0' && entry->d_name[0] <= '9')
        visit(context, static_cast<pid_t>(std::atoi(entry->d_name)));
    }
  close(dir);
}

bool readThreadFile(pid_t tid, const char *file, char *buffer,
                    std::size_t size) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%d/%s",
                static_cast<int>(tid), file);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  ssize_t bytes = read(fd, buffer, size - 1);
  close(fd);
  if (bytes <= 0)
    return false;
  buffer[bytes] = 0;
  return true;
}

} // namespace gostack::os
