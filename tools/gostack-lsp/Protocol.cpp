//===-- Protocol.cpp - LSP's JSON-RPC over standard streams ---------------===//

#include "Protocol.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace gostack::lsp {

/// One header line, without its CR LF; empty at the end of the stream.
static std::optional<std::string> readHeaderLine(std::FILE *In) {
  std::string Line;
  int C;
  while ((C = std::fgetc(In)) != EOF) {
    if (C == '\n') {
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return Line;
    }
    Line.push_back(static_cast<char>(C));
  }
  return std::nullopt;
}

std::optional<llvm::json::Value> readMessage(std::FILE *In) {
  while (true) {
    size_t Length = 0;
    bool HaveLength = false;
    while (true) {
      std::optional<std::string> Line = readHeaderLine(In);
      if (!Line)
        return std::nullopt;
      if (Line->empty())
        break;
      llvm::StringRef Name, Value;
      std::tie(Name, Value) = llvm::StringRef(*Line).split(':');
      if (Name.trim().equals_insensitive("Content-Length"))
        HaveLength = !Value.trim().getAsInteger(10, Length);
    }
    if (!HaveLength) {
      llvm::errs() << "gostack-lsp: a message without Content-Length\n";
      continue;
    }
    std::string Body(Length, '\0');
    if (std::fread(Body.data(), 1, Length, In) != Length)
      return std::nullopt;
    llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Body);
    if (Parsed)
      return std::move(*Parsed);
    llvm::errs() << "gostack-lsp: a message that is not JSON: "
                 << llvm::toString(Parsed.takeError()) << "\n";
  }
}

void MessageWriter::send(llvm::json::Value Message) {
  std::string Body;
  llvm::raw_string_ostream(Body) << Message;
  std::lock_guard<std::mutex> Guard(Lock);
  std::fprintf(Out, "Content-Length: %zu\r\n\r\n", Body.size());
  std::fwrite(Body.data(), 1, Body.size(), Out);
  std::fflush(Out);
}

void MessageWriter::respond(llvm::json::Value Id, llvm::json::Value Result) {
  send(llvm::json::Object{{"jsonrpc", "2.0"},
                          {"id", std::move(Id)},
                          {"result", std::move(Result)}});
}

void MessageWriter::respondError(llvm::json::Value Id, int Code,
                                 llvm::StringRef Message) {
  send(llvm::json::Object{
      {"jsonrpc", "2.0"},
      {"id", std::move(Id)},
      {"error", llvm::json::Object{{"code", Code}, {"message", Message}}}});
}

void MessageWriter::notify(llvm::StringRef Method, llvm::json::Value Params) {
  send(llvm::json::Object{
      {"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
}

} // namespace gostack::lsp
