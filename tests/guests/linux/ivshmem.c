/*
 * ivshmem from Linux userspace, as a user of the hypervisor's shared memory
 * would do it: find the 1af4:1110 function in sysfs, hand it to
 * uio_pci_generic, map BAR0 (registers) and BAR2 (the shared memory) through
 * the sysfs resource files, ring doorbells and wait for them on /dev/uioN
 * (INTx: uio_pci_generic masks it in the command register when it fires;
 * we read IntrStatus, which clears it, and unmask it again by clearing the
 * command register's INTx-disable bit through sysfs' config file, as the
 * kernel's UIO how-to does).
 *
 * Built static with Debian's ppc64el cross compiler (tools/guest_images.sh)
 * and put into the test initramfs as /tests/ivshmem. Every line it prints
 * starts with "GUEST IVSHMEM:" so tests can match them.
 *
 *   ivshmem [-d N] info             the device, its ID and its BARs
 *   ivshmem [-d N] send MIB SEED    writes MIB MiB of data from SEED, rings
 *                                   the peer and waits for its verdict
 *   ivshmem [-d N] receive MIB SEED waits for the data, checks it, answers
 *   ivshmem [-d N] pingpong N       N doorbell round trips with the peer
 *   ivshmem [-d N] poke OFFSET      stores a word at OFFSET of BAR2 (a
 *                                   fault is reported, not fatal)
 *   ivshmem [-d N] peek OFFSET      loads the word at OFFSET of BAR2
 *   ivshmem [-d N] bench MIB        memcpy bandwidth into BAR2 against RAM
 *   ivshmem [-d N] ring PEER VEC    one doorbell (the hypervisor counts
 *                                   those it drops)
 *   ivshmem [-d N] wait-stopped ID  waits (up to 300 s) until the region's
 *                                   state table says peer ID is not running
 * -d N picks the Nth ivshmem function (sysfs order, from 0). Two peers: the
 * other one is 1 - IVPosition.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define REG_MASK     0
#define REG_STATUS   1
#define REG_POSITION 2
#define REG_DOORBELL 3

/* BAR2 layout used by send/receive/pingpong: a header page, then data. */
#define MAGIC       0x6976736d656d2121ull /* "ivsmem!!" */
#define DATA_OFFSET (1u << 20)

struct header {
	volatile uint64_t ready[2]; /* MAGIC + run once a peer listens */
	volatile uint64_t size, checksum, seed;
	volatile uint64_t verdict; /* receiver: 1 ok, 2 bad */
	volatile uint64_t seq[2];  /* pingpong: last round each side did */
};

struct dev {
	char sysfs[300];
	int uio, config;
	volatile uint32_t *regs;
	volatile uint8_t *shm;
	uint64_t shm_size;
	unsigned int id;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("GUEST IVSHMEM: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("GUEST IVSHMEM: error: ");
	vprintf(fmt, ap);
	printf(" (%s)\n", strerror(errno));
	fflush(stdout);
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int read_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t got = read(fd, buf, n - 1);
	close(fd);
	if (got < 0)
		return -1;
	buf[got] = 0;
	return 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int is_ivshmem(const char *name)
{
	char path[300], v[32], d[32];
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", name);
	if (read_file(path, v, sizeof(v)))
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", name);
	if (read_file(path, d, sizeof(d)))
		return 0;
	return strtoul(v, 0, 16) == 0x1af4 && strtoul(d, 0, 16) == 0x1110;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The index-th ivshmem function's sysfs directory. */
static void find(struct dev *d, int index)
{
	struct dirent **list;
	int n = scandir("/sys/bus/pci/devices", &list, 0, by_name), found = -1;
	if (n < 0)
		die("no /sys/bus/pci/devices");
	for (int i = 0; i < n; i++) {
		if (found < index && is_ivshmem(list[i]->d_name) && ++found == index)
			snprintf(d->sysfs, sizeof(d->sysfs), "/sys/bus/pci/devices/%s", list[i]->d_name);
		free(list[i]);
	}
	free(list);
	if (found != index)
		die("no ivshmem function %d (1af4:1110) in /sys/bus/pci/devices", index);
}

/* BAR n's start and size from the sysfs "resource" table. */
static void bar(const struct dev *d, int n, uint64_t *start, uint64_t *size)
{
	char path[320], buf[4096];
	snprintf(path, sizeof(path), "%s/resource", d->sysfs);
	if (read_file(path, buf, sizeof(buf)))
		die("cannot read %s", path);
	char *line = buf;
	for (int i = 0; i < n && line; i++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	unsigned long long s, e, f;
	if (!line || sscanf(line, "%llx %llx %llx", &s, &e, &f) != 3 || !e)
		die("BAR%d is not assigned", n);
	*start = s;
	*size = e - s + 1;
}

static volatile void *map_bar(const struct dev *d, int n, uint64_t *size)
{
	char path[320];
	uint64_t start, len, page = (uint64_t)sysconf(_SC_PAGESIZE);
	bar(d, n, &start, &len);
	/* A prefetchable BAR maps write-combining where sysfs offers it. */
	snprintf(path, sizeof(path), "%s/resource%d_wc", d->sysfs, n);
	int fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		snprintf(path, sizeof(path), "%s/resource%d", d->sysfs, n);
		fd = open(path, O_RDWR | O_SYNC);
	}
	if (fd < 0)
		die("cannot open %s", path);
	/* The mapping starts at the page that holds the BAR. */
	uint64_t in_page = start & (page - 1), maplen = (in_page + len + page - 1) & ~(page - 1);
	void *p = mmap(0, maplen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("cannot map %s", path);
	close(fd);
	*size = len;
	return (volatile uint8_t *)p + in_page;
}

/* Binds uio_pci_generic (the module is loaded by /init) and opens /dev/uioN. */
static void open_uio(struct dev *d)
{
	char path[320], link[320];
	snprintf(path, sizeof(path), "%s/uio", d->sysfs);
	if (access(path, F_OK)) {
		/* new_id binds every function with this ID at once; a second
		 * writer gets EEXIST, which is fine. */
		write_file("/sys/bus/pci/drivers/uio_pci_generic/new_id", "1af4 1110");
		for (int i = 0; i < 200 && access(path, F_OK); i++)
			usleep(10000);
	}
	DIR *dir = opendir(path);
	if (!dir)
		die("%s is not bound to uio_pci_generic", d->sysfs);
	struct dirent *e;
	link[0] = 0;
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "uio", 3))
			snprintf(link, sizeof(link), "/dev/%s", e->d_name);
	closedir(dir);
	if (!link[0])
		die("no uio device under %s", path);
	d->uio = open(link, O_RDWR);
	if (d->uio < 0)
		die("cannot open %s", link);
}

/* Clears INTx disable (command bit 10, bit 2 of config byte 5). */
static void unmask_intx(struct dev *d)
{
	uint8_t hi;
	if (pread(d->config, &hi, 1, 5) != 1)
		die("cannot read the command register");
	hi &= ~0x04;
	if (pwrite(d->config, &hi, 1, 5) != 1)
		die("cannot unmask INTx");
}

static void open_dev(struct dev *d, int index, int with_irq)
{
	uint64_t len;
	find(d, index);
	d->uio = -1;
	if (with_irq) {
		char path[320];
		open_uio(d);
		snprintf(path, sizeof(path), "%s/config", d->sysfs);
		d->config = open(path, O_RDWR);
		if (d->config < 0)
			die("cannot open %s", path);
	}
	d->regs = map_bar(d, 0, &len);
	d->shm = map_bar(d, 2, &d->shm_size);
	d->id = d->regs[REG_POSITION];
	if (with_irq) {
		d->regs[REG_MASK] = 0xffffffff;
		unmask_intx(d);
	}
}

static void ring(struct dev *d, unsigned int peer, unsigned int vector)
{
	__sync_synchronize(); /* what we wrote is visible before the doorbell */
	d->regs[REG_DOORBELL] = (peer << 16) | vector;
}

/* Waits for an interrupt: 1 taken (and IntrStatus read into *status), 0
 * timed out. INTx is unmasked again before returning. */
static int wait_irq(struct dev *d, int ms, uint32_t *status)
{
	struct pollfd p = { .fd = d->uio, .events = POLLIN };
	int rc = poll(&p, 1, ms);
	if (rc < 0)
		die("poll");
	if (rc == 0)
		return 0;
	uint32_t count;
	if (read(d->uio, &count, sizeof(count)) != sizeof(count))
		die("read uio");
	*status = d->regs[REG_STATUS];
	__sync_synchronize();
	unmask_intx(d);
	return 1;
}

static struct header *hdr(struct dev *d)
{
	return (struct header *)d->shm;
}

/* Both sides listen before anything is rung: each writes the phase's word
 * and waits for the other's. */
static void meet(struct dev *d, uint64_t phase, int seconds)
{
	unsigned int other = 1 - d->id;
	hdr(d)->ready[d->id] = MAGIC + phase;
	__sync_synchronize();
	double t0 = now();
	while (hdr(d)->ready[other] != MAGIC + phase) {
		if (now() - t0 > seconds)
			die("peer %u never came (ready word %llx)", other, (unsigned long long)hdr(d)->ready[other]);
		usleep(2000);
	}
}

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static uint64_t mix(uint64_t sum, uint64_t w)
{
	return (sum ^ w) * 0x100000001b3ull;
}

static void info(struct dev *d)
{
	uint64_t s, len;
	say("device %s id %u", strrchr(d->sysfs, '/') + 1, d->id);
	for (int n = 0; n < 3; n++) {
		bar(d, n, &s, &len);
		say("BAR%d 0x%llx size 0x%llx", n, (unsigned long long)s, (unsigned long long)len);
	}
}

static int send_data(struct dev *d, uint64_t mib, uint64_t seed)
{
	uint64_t bytes = mib << 20, x = seed | 1, sum = 0xcbf29ce484222325ull;
	if (DATA_OFFSET + bytes > d->shm_size)
		die("%llu MiB do not fit in BAR2 (0x%llx)", (unsigned long long)mib, (unsigned long long)d->shm_size);
	meet(d, 1, 300);
	volatile uint64_t *w = (volatile uint64_t *)(d->shm + DATA_OFFSET);
	double t0 = now();
	for (uint64_t i = 0; i < bytes / 8; i++) {
		uint64_t v = next(&x);
		w[i] = v;
		sum = mix(sum, v);
	}
	hdr(d)->size = bytes;
	hdr(d)->seed = seed;
	hdr(d)->checksum = sum;
	ring(d, 1 - d->id, 0);
	say("sent %llu MiB checksum %016llx in %.1f s", (unsigned long long)mib, (unsigned long long)sum, now() - t0);
	uint32_t st;
	if (!wait_irq(d, 300000, &st))
		die("no answer from the peer");
	say("peer says %s", hdr(d)->verdict == 1 ? "ok" : "bad");
	return hdr(d)->verdict == 1 ? 0 : 1;
}

static int receive_data(struct dev *d, uint64_t mib, uint64_t seed)
{
	meet(d, 1, 300);
	uint32_t st;
	if (!wait_irq(d, 300000, &st))
		die("no doorbell from the sender");
	uint64_t bytes = hdr(d)->size, x = seed | 1, sum = 0xcbf29ce484222325ull, bad = 0;
	if (bytes != mib << 20 || hdr(d)->seed != seed || DATA_OFFSET + bytes > d->shm_size)
		die("unexpected header: size %llu seed %llu", (unsigned long long)bytes,
		    (unsigned long long)hdr(d)->seed);
	volatile uint64_t *w = (volatile uint64_t *)(d->shm + DATA_OFFSET);
	for (uint64_t i = 0; i < bytes / 8; i++) {
		uint64_t v = w[i];
		bad += v != next(&x);
		sum = mix(sum, v);
	}
	int ok = !bad && sum == hdr(d)->checksum;
	say("received %llu MiB checksum %016llx (sender %016llx), %llu bad words: %s", (unsigned long long)mib,
	    (unsigned long long)sum, (unsigned long long)hdr(d)->checksum, (unsigned long long)bad, ok ? "ok" : "BAD");
	hdr(d)->verdict = ok ? 1 : 2;
	ring(d, 1 - d->id, 0);
	return ok ? 0 : 1;
}

/*
 * Peer 0 starts each round: it writes its round number, rings, and waits for
 * peer 1 to echo it. An interrupt without a new round number (or with
 * IntrStatus 0) is spurious; a round that times out (10 s) is lost.
 */
static int pingpong(struct dev *d, unsigned long rounds)
{
	unsigned int me = d->id, other = 1 - me;
	unsigned long lost = 0, spurious = 0, done = 0;
	meet(d, 2, 300);
	double t0 = now();
	for (unsigned long i = 1; i <= rounds; i++) {
		if (me == 0) {
			hdr(d)->seq[0] = i;
			ring(d, other, 0);
		}
		for (;;) {
			uint32_t st = 0;
			if (!wait_irq(d, me == 0 || i > 1 ? 10000 : 300000, &st)) {
				lost++;
				say("round %lu: no doorbell within 10 s", i);
				goto out;
			}
			if (st && hdr(d)->seq[other] == i)
				break;
			spurious++;
		}
		if (me == 1) {
			hdr(d)->seq[1] = i;
			ring(d, other, 0);
		}
		done = i;
	}
out:;
	double t = now() - t0;
	say("pingpong %lu rounds, lost %lu, spurious %lu, %.1f us per round trip", done, lost, spurious,
	    done ? t * 1e6 / done : 0.0);
	return lost || spurious || done != rounds;
}

static sigjmp_buf fault_jmp;
static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

static int poke(struct dev *d, uint64_t off)
{
	if (off + 8 > d->shm_size)
		die("offset beyond BAR2");
	signal(SIGBUS, on_fault);
	signal(SIGSEGV, on_fault);
	int sig = sigsetjmp(fault_jmp, 1);
	if (sig) {
		say("store at 0x%llx faulted (%s)", (unsigned long long)off, sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
		return 2;
	}
	*(volatile uint64_t *)(d->shm + off) = 0x706f6b6564212121ull + d->id; /* "poked!!!" + id */
	__sync_synchronize();
	say("store at 0x%llx done, reads 0x%016llx", (unsigned long long)off,
	    (unsigned long long)*(volatile uint64_t *)(d->shm + off));
	return 0;
}

static int peek(struct dev *d, uint64_t off)
{
	if (off + 8 > d->shm_size)
		die("offset beyond BAR2");
	say("word at 0x%llx: 0x%016llx", (unsigned long long)off,
	    (unsigned long long)*(volatile uint64_t *)(d->shm + off));
	return 0;
}

/* memcpy into BAR2 (past the header page, which the peer may be using)
 * and into RAM, the same size, best of three each. */
static int bench(struct dev *d, uint64_t mib)
{
	uint64_t bytes = mib << 20;
	if (DATA_OFFSET + bytes > d->shm_size)
		die("%llu MiB do not fit in BAR2", (unsigned long long)mib);
	void *shm = (void *)(d->shm + DATA_OFFSET);
	char *src = malloc(bytes), *dst = malloc(bytes);
	if (!src || !dst)
		die("no memory for %llu MiB", (unsigned long long)mib);
	memset(src, 0x5a, bytes);
	memset(dst, 0, bytes);
	double best_shm = 1e9, best_ram = 1e9;
	for (int r = 0; r < 3; r++) {
		double t0 = now();
		memcpy(shm, src, bytes);
		double t1 = now();
		memcpy(dst, src, bytes);
		double t2 = now();
		best_shm = t1 - t0 < best_shm ? t1 - t0 : best_shm;
		best_ram = t2 - t1 < best_ram ? t2 - t1 : best_ram;
	}
	int same = !memcmp(shm, src, bytes);
	say("bandwidth %llu MiB: BAR2 %.0f MiB/s, RAM %.0f MiB/s, ratio %.3f, data %s", (unsigned long long)mib,
	    mib / best_shm, mib / best_ram, best_ram / best_shm, same ? "ok" : "BAD");
	return !same;
}

/* The state table (regions with output sections): u32 per peer ID, 1 while
 * its partition runs. */
static int wait_stopped(struct dev *d, uint64_t id)
{
	volatile uint32_t *state = (volatile uint32_t *)d->shm;
	double t0 = now();
	while (state[id] != 0) {
		if (now() - t0 > 300)
			die("peer %llu still runs", (unsigned long long)id);
		usleep(20000);
	}
	say("peer %llu is not running", (unsigned long long)id);
	return 0;
}

int main(int argc, char **argv)
{
	int index = 0;
	if (argc > 2 && !strcmp(argv[1], "-d")) {
		index = atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: ivshmem [-d N] info|send MIB SEED|receive MIB SEED|pingpong N|poke OFF|peek "
				"OFF|bench MIB|ring PEER VECTOR|wait-stopped ID\n");
		return 2;
	}
	const char *cmd = argv[1];
	uint64_t a = argc > 2 ? strtoull(argv[2], 0, 0) : 0, b = argc > 3 ? strtoull(argv[3], 0, 0) : 0;
	int irq = !strcmp(cmd, "send") || !strcmp(cmd, "receive") || !strcmp(cmd, "pingpong");
	struct dev d;
	open_dev(&d, index, irq);
	if (!strcmp(cmd, "info"))
		info(&d);
	else if (!strcmp(cmd, "send"))
		return send_data(&d, a, b);
	else if (!strcmp(cmd, "receive"))
		return receive_data(&d, a, b);
	else if (!strcmp(cmd, "pingpong"))
		return pingpong(&d, a);
	else if (!strcmp(cmd, "poke"))
		return poke(&d, a);
	else if (!strcmp(cmd, "peek"))
		return peek(&d, a);
	else if (!strcmp(cmd, "bench"))
		return bench(&d, a);
	else if (!strcmp(cmd, "ring")) {
		ring(&d, (unsigned int)a, (unsigned int)b);
		say("rang peer %llu vector %llu", (unsigned long long)a, (unsigned long long)b);
	} else if (!strcmp(cmd, "wait-stopped"))
		return wait_stopped(&d, a);
	else
		return 2;
	return 0;
}
