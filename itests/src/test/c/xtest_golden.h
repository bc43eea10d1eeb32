/*
 * The golden values of everything.xg for the cross-check between OpenAFS's rxgen (C) and rxgen for Java:
 * values at every bound. itests/.../XtestGolden.java builds the same values independently; each side
 * checks what it decodes against its own copy.
 */
#ifndef XTEST_GOLDEN_H
#define XTEST_GOLDEN_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "everything.h"

#define XTEST_UNBOUNDED_COUNT 1000
#define XTEST_BULK_BYTES 5000

static void golden_scalars(scalars *s)
{
    static const unsigned char node[6] = {0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6};
    memset(s, 0, sizeof(*s));
    s->i = INT_MIN;
    s->i32 = INT_MAX;
    s->u32 = 0xFFFFFFFFu;
    s->u = 0x80000000u;
    s->ui = 1;
    s->i64 = INT64_MIN;
    s->u64 = UINT64_MAX;
    s->c = (char)-128;
    s->uc = 255;
    s->uc2 = 0;
    s->s = SHRT_MIN;
    s->us = 65535;
    s->us2 = 32767;
    s->b = 1;
    s->uuid.time_low = 0x8a3c1f2e;
    s->uuid.time_mid = 0x9234;
    s->uuid.time_hi_and_version = 0x4bcd;
    s->uuid.clock_seq_hi_and_reserved = (char)0x8e;
    s->uuid.clock_seq_low = (char)0x9f;
    memcpy(s->uuid.node, node, 6);
}

static void golden_scalars2(scalars *s)
{
    memset(s, 0, sizeof(*s));
    s->i32 = -1;
    s->i64 = INT64_MAX;
    s->c = 127;
    s->uc2 = 255;
    s->s = SHRT_MAX;
    s->us2 = 65535;
}

/* A three-node list 1 -> 2 -> 3. */
static nodeptr golden_list(void)
{
    nodeptr head = NULL;
    int v;
    for (v = 3; v >= 1; v--) {
        nodeptr n = calloc(1, sizeof(*n));
        n->value = v;
        n->next = head;
        head = n;
    }
    return head;
}

static void golden_aggregate(aggregate *a)
{
    int i;
    static const char fixedBytes[5] = {0, 1, 0x7f, (char)0x80, (char)0xff};
    memset(a, 0, sizeof(*a));
    a->fixed[0] = INT_MIN;
    a->fixed[1] = 0;
    a->fixed[2] = INT_MAX;
    a->counted.counted_len = MAX_ITEMS;
    a->counted.counted_val = calloc(MAX_ITEMS, sizeof(afs_int32));
    for (i = 0; i < MAX_ITEMS; i++) a->counted.counted_val[i] = i + 1;
    a->unbounded.unbounded_len = XTEST_UNBOUNDED_COUNT;
    a->unbounded.unbounded_val = calloc(XTEST_UNBOUNDED_COUNT, sizeof(afs_int32));
    for (i = 0; i < XTEST_UNBOUNDED_COUNT; i++) a->unbounded.unbounded_val[i] = i * 7 - 3500;
    strcpy(a->name, "abcdefghijklmno");               /* 15 chars and the NUL: char[16] full */
    a->text = strdup("0123456789abcdefghijklmnopqrstuv"); /* NAME_MAX (32) */
    memcpy(a->fixedBytes, fixedBytes, 5);
    a->someBytes.someBytes_len = PASSED_MAX;
    a->someBytes.someBytes_val = malloc(PASSED_MAX);
    for (i = 0; i < PASSED_MAX; i++) a->someBytes.someBytes_val[i] = (char)i;
    a->alias = strdup("");
    a->ids.idlist_len = MAX_ITEMS;
    a->ids.idlist_val = calloc(MAX_ITEMS, sizeof(afs_uint32));
    a->ids.idlist_val[0] = 0xFFFFFFFFu;
    for (i = 1; i < MAX_ITEMS - 1; i++) a->ids.idlist_val[i] = i - 1;
    a->ids.idlist_val[MAX_ITEMS - 1] = 0x80000000u;
    a->many.many_len = 2;
    a->many.many_val = calloc(2, sizeof(scalars));
    golden_scalars(&a->many.many_val[0]);
    golden_scalars2(&a->many.many_val[1]);
    a->colour = BLUE;
    a->list = golden_list();
    a->maybe = calloc(1, sizeof(scalars));
    golden_scalars2(a->maybe);
    a->data.blob_len = 64;
    a->data.blob_val = malloc(64);
    for (i = 0; i < 64; i++) a->data.blob_val[i] = (char)(i * 3);
}

/* Shape 0: RED, 1: GREEN, 2: BLUE (void), 3: the default arm (kind 99). */
static void golden_shape(shape *s, int which)
{
    int i;
    memset(s, 0, sizeof(*s));
    switch (which) {
    case 0:
        s->kind = RED;
        s->shape_u.radius = INT_MIN;
        break;
    case 1:
        s->kind = GREEN;
        s->shape_u.label = strdup("the label is thirty-two bytes...");
        break;
    case 2:
        s->kind = BLUE;
        break;
    default:
        s->kind = (color)99;
        s->shape_u.other.other_len = 8;
        s->shape_u.other.other_val = malloc(8);
        for (i = 0; i < 8; i++) s->shape_u.other.other_val[i] = (char)(0xF0 + i);
        break;
    }
}

static unsigned char golden_bulk_byte(int i)
{
    return (unsigned char)(i * 31);
}

/* Encodes obj with C's XDR into buf; returns the length or -1. */
static int xdr_bytes_of(xdrproc_t proc, void *obj, char *buf, int size)
{
    XDR x;
    xdrmem_create(&x, buf, size, XDR_ENCODE);
    if (!(*proc)(&x, obj, 0)) return -1;
    return (int)xdr_getpos(&x);
}

/* Whether a and b encode to the same bytes. */
static int same_xdr(xdrproc_t proc, void *a, void *b)
{
    static char ba[65536], bb[65536];
    int la = xdr_bytes_of(proc, a, ba, sizeof(ba));
    int lb = xdr_bytes_of(proc, b, bb, sizeof(bb));
    return la >= 0 && la == lb && memcmp(ba, bb, la) == 0;
}

/* Copies src into the zeroed dst through an encode and a decode: a deep copy XDR can free. */
static int xdr_copy(xdrproc_t proc, void *src, void *dst)
{
    static char buf[65536];
    XDR x;
    int n = xdr_bytes_of(proc, src, buf, sizeof(buf));
    if (n < 0) return 0;
    xdrmem_create(&x, buf, n, XDR_DECODE);
    return (*proc)(&x, dst, 0);
}

/* Prints "name hex" of obj's XDR encoding. */
static void dump_xdr(const char *name, xdrproc_t proc, void *obj)
{
    static char buf[65536];
    int i, n = xdr_bytes_of(proc, obj, buf, sizeof(buf));
    printf("%s ", name);
    for (i = 0; i < n; i++) printf("%02x", (unsigned char)buf[i]);
    printf("\n");
}

#endif
