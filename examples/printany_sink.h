// print_any is defined in printany_sink.cpp, outside the translation unit
// of its callers, so the escape analysis cannot see its body.
#ifndef GOSTACK_EXAMPLES_PRINTANY_SINK_H
#define GOSTACK_EXAMPLES_PRINTANY_SINK_H

void print_any(const int *value);

#endif // GOSTACK_EXAMPLES_PRINTANY_SINK_H
