/*
 * A partition's virtual terminal, as a pseries guest's hvc driver sees it
 * (H_PUT_TERM_CHAR, H_GET_TERM_CHAR, RTAS display-character). Output is
 * gathered into whole lines, each handed to the line sink (which prefixes
 * the partition's name); input typed for the partition waits in a small
 * ring until the guest reads it. Portable; the lock is the vty's own.
 *
 * The operator's terminal sees only printable ASCII, tabs and well-formed
 * UTF-8 without C1 controls, as sent; every other byte appears as a
 * visible escape (^[ for ESC and the other C0 controls, ^? for DEL, \xNN
 * otherwise) and carriage returns are dropped. So no partition can move
 * the cursor, erase, recolour or start a line of its own that looks like
 * another partition's, the monitor's or the hypervisor's.
 */
#ifndef HV_PAPR_VTY_H
#define HV_PAPR_VTY_H

#include "hv/lib/spinlock.h"

#define VTY_LINE_MAX   160
#define VTY_INPUT_SIZE 64

typedef void (*vty_line_fn)(void *ctx, const char *line);

struct vty {
	struct spinlock lock;
	vty_line_fn emit; /* called with the lock held */
	void *ctx;
	char line[VTY_LINE_MAX];
	unsigned int len;
	unsigned char seq[4]; /* a UTF-8 sequence not yet complete */
	unsigned int seq_len, seq_need;
	char in[VTY_INPUT_SIZE];
	unsigned int in_head, in_tail;
};

void vty_init(struct vty *t, vty_line_fn emit, void *ctx);
/* Guest output: a line goes out at its newline (or when it is full). */
void vty_write(struct vty *t, const char *buf, unsigned int len);
/* Shows a pending partial line (a prompt) now. */
void vty_flush(struct vty *t);
/* Input for the guest; what does not fit is dropped (the guest is not reading). */
void vty_input(struct vty *t, const char *buf, unsigned int len);
/* How many bytes of input fit now (the console holds the rest back). */
unsigned int vty_input_room(struct vty *t);
/* Takes up to max bytes of input; returns how many. */
unsigned int vty_read(struct vty *t, char *buf, unsigned int max);

#endif
