/* Opcodes of everything.xg, as OpenAFS keeps its opcodes in C headers (vl_opcodes.h). */
#ifndef TEST_OPCODES_H
#define TEST_OPCODES_H
#define TEST_ECHO 1
#define TEST_ARRAYS 2
#endif
