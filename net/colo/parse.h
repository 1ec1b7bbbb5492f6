/*
 * Frame parser: Ethernet (up to two VLAN tags), IPv4, IPv6 with extension
 * headers, TCP/UDP/ICMP/ICMPv6. Produces the normalised connection key and
 * the facts the comparators need. Never reads outside [frame, frame+len);
 * a frame it cannot make sense of becomes class RAW with a reason.
 */
#ifndef NET_COLO_PARSE_H
#define NET_COLO_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "net/colo/colo.h"

/* How a frame is compared. */
enum colo_class {
	COLO_CLS_RAW = 0,  /* ARP, non-IP, unparsable: whole frame */
	COLO_CLS_TCP,      /* byte stream with sequence offset */
	COLO_CLS_UDP,      /* frame except IP id/checksum, in order */
	COLO_CLS_ICMP,     /* ICMP and ICMPv6, same as UDP */
	COLO_CLS_IP_OTHER, /* other IP protocols, same as UDP */
	COLO_CLS_FRAG,     /* IP fragment, compared per fragment */
};

#define COLO_KEY_LEN 48

/*
 * Normalised key, laid out byte by byte so hashing and comparing it does
 * not depend on host endianness or struct padding:
 *   0..15 lower endpoint address, 16..31 higher endpoint address
 *   (IPv4 as ::ffff:a.b.c.d, MAC for RAW), 32..33 / 34..35 their ports,
 *   36 IP protocol, 37 class, 38 IP version, 39 VLAN tag count,
 *   40..41 outer VID, 42..43 inner VID, 44..45 EtherType, 46..47 zero.
 */
struct colo_key {
	uint8_t b[COLO_KEY_LEN];
};

#define COLO_TCP_FIN 0x01
#define COLO_TCP_SYN 0x02
#define COLO_TCP_RST 0x04
#define COLO_TCP_PSH 0x08
#define COLO_TCP_ACK 0x10

struct colo_frame_info {
	struct colo_key key;
	enum colo_class cls;
	enum colo_bad bad;
	uint8_t dir;        /* 1 if the sender is the key's higher endpoint */
	uint8_t ip_version; /* 0, 4 or 6 */
	uint8_t vlan_tags;
	bool arp;
	uint32_t l3_off;      /* end of the link-layer header */
	uint32_t cmp_len;     /* bytes that carry meaning (excludes L2 padding) */
	uint32_t mask_off[2]; /* byte ranges ignored when comparing: */
	uint32_t mask_len[2]; /*   sorted, disjoint, inside cmp_len */
	uint16_t l3_sig;      /* TOS/traffic class << 8 | TTL/hop limit */
	/* TCP */
	uint8_t tcp_flags;
	uint32_t seq, ack;
	uint32_t payload_off, payload_len;
	uint32_t syn_opts; /* MSS << 16 | wscale+1 << 8 | SACK-permitted */
	/* fragments */
	uint32_t frag_id;
	uint32_t frag_off; /* bytes */
	uint32_t frag_len; /* fragment payload bytes */
	bool frag_more;
	/* UDP/ICMP/other */
	bool zero_payload;
};

void colo_parse(const uint8_t *frame, uint32_t len, struct colo_frame_info *fi);

#endif
