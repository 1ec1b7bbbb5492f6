/* Frame parser: see parse.h. Every length is checked before it is used. */
#include <string.h>

#include "net/colo/bytes.h"
#include "net/colo/parse.h"

#define ETH_HLEN        14
#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_ARP   0x0806
#define ETHERTYPE_IPV6  0x86dd
#define MAX_VLAN_TAGS   2
#define MAX_IP6_EXT     8
#define IP_MAX_DATAGRAM 65535u

enum {
	IPPROTO_ICMP_ = 1,
	IPPROTO_TCP_ = 6,
	IPPROTO_UDP_ = 17,
	IPPROTO_ICMPV6_ = 58,
	IP6_HOPOPTS = 0,
	IP6_ROUTING = 43,
	IP6_FRAGMENT = 44,
	IP6_AH = 51,
	IP6_DSTOPTS = 60,
};

static bool is_vlan_tpid(uint16_t t)
{
	return t == 0x8100 || t == 0x88a8 || t == 0x9100;
}

/* Order the two endpoints so both directions share one key. */
static void key_endpoints(struct colo_frame_info *fi, const uint8_t src[16], uint16_t sport, const uint8_t dst[16],
			  uint16_t dport)
{
	int c = memcmp(src, dst, 16);
	bool swap = c > 0 || (c == 0 && sport > dport);
	const uint8_t *lo = swap ? dst : src, *hi = swap ? src : dst;
	uint16_t plo = swap ? dport : sport, phi = swap ? sport : dport;

	memcpy(fi->key.b, lo, 16);
	memcpy(fi->key.b + 16, hi, 16);
	fi->key.b[32] = (uint8_t)(plo >> 8);
	fi->key.b[33] = (uint8_t)plo;
	fi->key.b[34] = (uint8_t)(phi >> 8);
	fi->key.b[35] = (uint8_t)phi;
	fi->dir = swap;
}

static void key_ports(struct colo_frame_info *fi, uint16_t sport, uint16_t dport)
{
	uint8_t src[16], dst[16];

	/* Re-derive the endpoint order now that ports are known. */
	if (fi->dir) {
		memcpy(src, fi->key.b + 16, 16);
		memcpy(dst, fi->key.b, 16);
	} else {
		memcpy(src, fi->key.b, 16);
		memcpy(dst, fi->key.b + 16, 16);
	}
	key_endpoints(fi, src, sport, dst, dport);
}

/* Whole-frame comparison, keyed by MACs and EtherType. */
static void make_raw(struct colo_frame_info *fi, const uint8_t *f, uint32_t len, enum colo_bad bad)
{
	uint8_t src[16] = { 0 }, dst[16] = { 0 };

	if (len >= 12) {
		memcpy(dst, f, 6);
		memcpy(src, f + 6, 6);
	}
	fi->cls = COLO_CLS_RAW;
	fi->bad = bad;
	fi->ip_version = 0;
	fi->cmp_len = len;
	fi->mask_len[0] = fi->mask_len[1] = 0;
	fi->mask_off[0] = fi->mask_off[1] = len;
	key_endpoints(fi, src, 0, dst, 0);
	fi->key.b[36] = 0;
}

static enum colo_bad parse_tcp(struct colo_frame_info *fi, const uint8_t *f, uint32_t l4, uint32_t l4len)
{
	if (l4len < 20)
		return COLO_BAD_L4_TRUNCATED;
	uint32_t doff = (uint32_t)(f[l4 + 12] >> 4) * 4;
	if (doff < 20 || doff > l4len)
		return COLO_BAD_L4_HEADER;

	uint32_t mss = 0, ws = 0, sack = 0;
	for (uint32_t i = 20; i < doff;) {
		uint8_t kind = f[l4 + i];
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= doff)
			return COLO_BAD_TCP_OPTION;
		uint32_t olen = f[l4 + i + 1];
		if (olen < 2 || i + olen > doff)
			return COLO_BAD_TCP_OPTION;
		if (kind == 2 && olen == 4)
			mss = be16_load(f + l4 + i + 2);
		else if (kind == 3 && olen == 3)
			ws = (uint32_t)f[l4 + i + 2] + 1;
		else if (kind == 4 && olen == 2)
			sack = 1;
		i += olen;
	}

	fi->cls = COLO_CLS_TCP;
	fi->seq = be32_load(f + l4 + 4);
	fi->ack = be32_load(f + l4 + 8);
	fi->tcp_flags = f[l4 + 13] & 0x1f;
	fi->payload_off = l4 + doff;
	fi->payload_len = l4len - doff;
	fi->syn_opts = mss << 16 | (ws & 0xff) << 8 | sack;
	key_ports(fi, be16_load(f + l4), be16_load(f + l4 + 2));
	return COLO_BAD_NONE;
}

static enum colo_bad parse_l4(struct colo_frame_info *fi, const uint8_t *f, uint8_t proto, uint32_t l4, uint32_t l4len)
{
	switch (proto) {
	case IPPROTO_TCP_:
		return parse_tcp(fi, f, l4, l4len);
	case IPPROTO_UDP_: {
		if (l4len < 8)
			return COLO_BAD_L4_TRUNCATED;
		uint32_t ulen = be16_load(f + l4 + 4);
		if (ulen < 8 || ulen > l4len)
			return COLO_BAD_L4_HEADER;
		fi->cls = COLO_CLS_UDP;
		fi->zero_payload = ulen == 8;
		key_ports(fi, be16_load(f + l4), be16_load(f + l4 + 2));
		return COLO_BAD_NONE;
	}
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_:
		if (l4len < 4)
			return COLO_BAD_L4_TRUNCATED;
		fi->cls = COLO_CLS_ICMP;
		fi->zero_payload = l4len == 4;
		return COLO_BAD_NONE;
	default:
		fi->cls = COLO_CLS_IP_OTHER;
		fi->zero_payload = l4len == 0;
		return COLO_BAD_NONE;
	}
}

static enum colo_bad parse_ipv4(struct colo_frame_info *fi, const uint8_t *f, uint32_t len, uint32_t off)
{
	if (len - off < 20)
		return COLO_BAD_L3_TRUNCATED;
	const uint8_t *ip = f + off;
	uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < 20)
		return COLO_BAD_IP_HEADER;
	if (ihl > len - off)
		return COLO_BAD_L3_TRUNCATED;
	uint32_t tot = be16_load(ip + 2);
	if (tot < ihl || tot > len - off)
		return COLO_BAD_IP_LENGTH;

	uint8_t src[16] = { 0 }, dst[16] = { 0 };
	src[10] = src[11] = dst[10] = dst[11] = 0xff;
	memcpy(src + 12, ip + 12, 4);
	memcpy(dst + 12, ip + 16, 4);
	key_endpoints(fi, src, 0, dst, 0);

	fi->ip_version = 4;
	fi->key.b[36] = ip[9];
	fi->cmp_len = off + tot;
	fi->l3_sig = (uint16_t)(ip[1] << 8 | ip[8]);
	/* identification and header checksum differ between replicas */
	fi->mask_off[0] = off + 4;
	fi->mask_len[0] = 2;
	fi->mask_off[1] = off + 10;
	fi->mask_len[1] = 2;

	uint16_t frag = be16_load(ip + 6);
	uint32_t foff = (uint32_t)(frag & 0x1fff) * 8;
	bool more = (frag & 0x2000) != 0;
	if (foff != 0 || more) {
		uint32_t plen = tot - ihl;
		if (foff + plen > IP_MAX_DATAGRAM || (more && (plen & 7)) || (more && plen == 0))
			return COLO_BAD_FRAGMENT;
		fi->cls = COLO_CLS_FRAG;
		fi->frag_id = be16_load(ip + 4);
		fi->frag_off = foff;
		fi->frag_len = plen;
		fi->frag_more = more;
		return COLO_BAD_NONE;
	}
	return parse_l4(fi, f, ip[9], off + ihl, tot - ihl);
}

static enum colo_bad parse_ipv6(struct colo_frame_info *fi, const uint8_t *f, uint32_t len, uint32_t off)
{
	if (len - off < 40)
		return COLO_BAD_L3_TRUNCATED;
	const uint8_t *ip = f + off;
	if ((ip[0] >> 4) != 6)
		return COLO_BAD_IP_HEADER;
	uint32_t plen = be16_load(ip + 4);
	if (plen > len - off - 40)
		return COLO_BAD_IP_LENGTH;

	key_endpoints(fi, ip + 8, 0, ip + 24, 0);
	fi->ip_version = 6;
	fi->cmp_len = off + 40 + plen;
	fi->l3_sig = (uint16_t)(((ip[0] & 0x0f) << 4 | ip[1] >> 4) << 8 | ip[7]);
	/* the flow label may be per-socket random; traffic class is in l3_sig */
	fi->mask_off[0] = off + 1;
	fi->mask_len[0] = 3;
	fi->mask_off[1] = fi->cmp_len;
	fi->mask_len[1] = 0;

	uint32_t end = off + 40 + plen;
	uint32_t p = off + 40;
	uint8_t nh = ip[6];
	for (int n = 0;; n++) {
		if (n == MAX_IP6_EXT)
			return COLO_BAD_IP6_EXT;
		uint32_t hlen;
		switch (nh) {
		case IP6_HOPOPTS:
		case IP6_ROUTING:
		case IP6_DSTOPTS:
			if (end - p < 8)
				return COLO_BAD_IP6_EXT;
			hlen = ((uint32_t)f[p + 1] + 1) * 8;
			break;
		case IP6_AH:
			if (end - p < 8)
				return COLO_BAD_IP6_EXT;
			hlen = ((uint32_t)f[p + 1] + 2) * 4;
			break;
		case IP6_FRAGMENT: {
			if (end - p < 8)
				return COLO_BAD_IP6_EXT;
			uint16_t fo = be16_load(f + p + 2);
			uint32_t foff = fo & 0xfff8;
			bool more = (fo & 1) != 0;
			uint32_t fplen = end - p - 8;
			if (foff == 0 && !more) { /* atomic fragment: not fragmented */
				nh = f[p];
				p += 8;
				continue;
			}
			if (foff + fplen > IP_MAX_DATAGRAM || (more && (fplen & 7)) || (more && fplen == 0))
				return COLO_BAD_FRAGMENT;
			fi->cls = COLO_CLS_FRAG;
			fi->key.b[36] = f[p];
			fi->frag_id = be32_load(f + p + 4);
			fi->frag_off = foff;
			fi->frag_len = fplen;
			fi->frag_more = more;
			fi->mask_off[1] = p + 4; /* fragment identification */
			fi->mask_len[1] = 4;
			return COLO_BAD_NONE;
		}
		default:
			fi->key.b[36] = nh;
			return parse_l4(fi, f, nh, p, end - p);
		}
		if (hlen > end - p)
			return COLO_BAD_IP6_EXT;
		nh = f[p];
		p += hlen;
	}
}

void colo_parse(const uint8_t *f, uint32_t len, struct colo_frame_info *fi)
{
	memset(fi, 0, sizeof(*fi));
	if (f == NULL || len < ETH_HLEN) {
		make_raw(fi, f, f ? len : 0, COLO_BAD_L2_TRUNCATED);
		return;
	}

	uint32_t off = 12;
	uint16_t etype = be16_load(f + off);
	uint16_t vid[MAX_VLAN_TAGS] = { 0 };
	while (is_vlan_tpid(etype) && fi->vlan_tags < MAX_VLAN_TAGS) {
		if (len - off < 6) { /* TPID, TCI, next EtherType */
			make_raw(fi, f, len, COLO_BAD_L2_TRUNCATED);
			return;
		}
		vid[fi->vlan_tags++] = be16_load(f + off + 2) & 0x0fff;
		off += 4;
		etype = be16_load(f + off);
	}
	off += 2;
	fi->l3_off = off;

	enum colo_bad bad = COLO_BAD_NONE;
	bool ip = true;
	if (etype == ETHERTYPE_IPV4)
		bad = parse_ipv4(fi, f, len, off);
	else if (etype == ETHERTYPE_IPV6)
		bad = parse_ipv6(fi, f, len, off);
	else
		ip = false; /* ARP and other EtherTypes: whole frame, no fault */

	if (!ip || bad != COLO_BAD_NONE) {
		make_raw(fi, f, len, bad);
		fi->arp = etype == ETHERTYPE_ARP;
	}

	fi->key.b[37] = (uint8_t)fi->cls;
	fi->key.b[38] = fi->ip_version;
	fi->key.b[39] = fi->vlan_tags;
	fi->key.b[40] = (uint8_t)(vid[0] >> 8);
	fi->key.b[41] = (uint8_t)vid[0];
	fi->key.b[42] = (uint8_t)(vid[1] >> 8);
	fi->key.b[43] = (uint8_t)vid[1];
	fi->key.b[44] = (uint8_t)(etype >> 8);
	fi->key.b[45] = (uint8_t)etype;
}
