//===-- Protocol.h - LSP's JSON-RPC over standard streams -------*- C++ -*-===//
//
/// \file
/// The base protocol of the Language Server Protocol: each message is a
/// JSON-RPC object after a `Content-Length: N` header and an empty line.
/// One thread reads; any thread may write, a whole message at a time.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_TOOLS_GOSTACK_LSP_PROTOCOL_H
#define GOSTACK_TOOLS_GOSTACK_LSP_PROTOCOL_H

#include "llvm/Support/JSON.h"

#include <cstdio>
#include <mutex>
#include <optional>

namespace gostack::lsp {

/// Reads the next message from \p In; empty at the end of the stream. A
/// message that is not JSON is skipped with a line on standard error.
std::optional<llvm::json::Value> readMessage(std::FILE *In);

/// Writes messages to \p Out, one whole message at a time.
class MessageWriter {
public:
  explicit MessageWriter(std::FILE *Out) : Out(Out) {}

  void send(llvm::json::Value Message);
  void respond(llvm::json::Value Id, llvm::json::Value Result);
  void respondError(llvm::json::Value Id, int Code, llvm::StringRef Message);
  void notify(llvm::StringRef Method, llvm::json::Value Params);

private:
  std::mutex Lock;
  std::FILE *Out;
};

/// JSON-RPC's error codes.
enum ErrorCode {
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  ServerNotInitialized = -32002,
};

} // namespace gostack::lsp

#endif // GOSTACK_TOOLS_GOSTACK_LSP_PROTOCOL_H
