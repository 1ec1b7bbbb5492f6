#!/usr/bin/python3
"""Generate the COLO replay scenarios: for each scenario a primary and a
secondary capture (classic pcap, microsecond timestamps) and the action
sequence the engine must produce.

Replay rules (implemented by tests/unit/test_colo_replay.c):
  * frames of both captures are merged by timestamp, primary first on ties;
    cookies are P<n>/S<n>, n = index within its own capture;
  * before each frame colo_scan(ts) runs; after every feed or scan that
    asked for a checkpoint, colo_checkpoint_done(ts) runs at once;
  * at the end colo_scan(last ts + 10 s) runs, then the same rule;
  * compare timeout 100 ms, scan period 10 ms.
Expected lines: "release P<n>", "drop S<n>", "checkpoint <reason>".

Run: /usr/bin/python3 tests/data/colo/gen_pcaps.py [outdir]
     /usr/bin/python3 tests/data/colo/gen_pcaps.py --fuzz-corpus DIR
The second form writes seed inputs for tests/fuzz/fuzz_colo.c instead.
"""
import os
import struct
import sys

MS = 1000  # microseconds


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


MAC_G = bytes.fromhex("020000000002")
MAC_R = bytes.fromhex("020000000001")


def eth(etype, payload, vlans=()):
    hdr = MAC_R + MAC_G
    for tpid, vid in vlans:
        hdr += struct.pack("!HH", tpid, vid)
    return hdr + struct.pack("!H", etype) + payload


def ipv4(src, dst, proto, ident, l4, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), ident, frag, 64,
                    proto, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + l4


def ipv6(src, dst, nh, l4, flow=0):
    return struct.pack("!IHBB16s16s", 0x60000000 | flow, len(l4), nh, 64,
                       bytes(src), bytes(dst)) + l4


def pseudo4(src, dst, proto, n):
    return bytes(src) + bytes(dst) + struct.pack("!BBH", 0, proto, n)


def tcp(src, dst, sport, dport, seq, ack, flags, data=b"", ident=0):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                    ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)
    c = csum(pseudo4(src, dst, 6, len(h) + len(data)) + h + data)
    h = h[:16] + struct.pack("!H", c) + h[18:]
    return eth(0x0800, ipv4(src, dst, 6, ident, h + data))


def udp_l4(src_pseudo, sport, dport, data):
    h = struct.pack("!HHHH", sport, dport, 8 + len(data), 0)
    c = csum(src_pseudo + h + data) or 0xFFFF
    return h[:6] + struct.pack("!H", c) + data


def udp4(src, dst, sport, dport, data, ident):
    l4 = udp_l4(pseudo4(src, dst, 17, 8 + len(data)), sport, dport, data)
    return eth(0x0800, ipv4(src, dst, 17, ident, l4))


def udp6(src, dst, sport, dport, data, flow, vlans):
    ps = bytes(src) + bytes(dst) + struct.pack("!IxxxB", 8 + len(data), 17)
    l4 = udp_l4(ps, sport, dport, data)
    return eth(0x86DD, ipv6(src, dst, 17, l4, flow), vlans)


def icmp_echo(src, dst, ident, data):
    h = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1)
    c = csum(h + data)
    l4 = h[:2] + struct.pack("!H", c) + h[4:] + data
    return eth(0x0800, ipv4(src, dst, 1, ident, l4))


def arp(sip, tip):
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_G,
                       bytes(sip), b"\0" * 6, bytes(tip))
    return b"\xff" * 6 + MAC_G + struct.pack("!H", 0x0806) + body


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for ts_us, data in frames:
            f.write(struct.pack("<IIII", ts_us // 1000000, ts_us % 1000000,
                                len(data), len(data)))
            f.write(data)


G = (10, 0, 0, 2)
PEER = (192, 168, 1, 9)
G6 = bytes.fromhex("fd000000000000000000000000000002")
PEER6 = bytes.fromhex("fd000000000000000000000000000009")
STREAM = bytes((i * 31 + 7) & 0xFF for i in range(3000))


def tcp_stream():
    """Handshake with different ISNs, 3000 bytes segmented 2x1500 by the
    primary and 3x1000 by the secondary, then FIN."""
    pi, si = 0x01000000, 0xFFFFFC00  # the secondary's wraps past 2^32
    ack = 0x5000
    p = [(0, tcp(G, PEER, 40000, 80, pi, 0, 0x02, ident=1)),
         (10 * MS, tcp(G, PEER, 40000, 80, pi + 1, ack, 0x18, STREAM[:1500], 2)),
         (11 * MS, tcp(G, PEER, 40000, 80, pi + 1501, ack, 0x18, STREAM[1500:], 3)),
         (20 * MS, tcp(G, PEER, 40000, 80, pi + 3001, ack, 0x11, ident=4))]
    s = [(1 * MS, tcp(G, PEER, 40000, 80, si, 0, 0x02, ident=501))]
    for k in range(3):
        s.append(((12 + k) * MS, tcp(G, PEER, 40000, 80, si + 1 + 1000 * k, ack,
                                     0x10, STREAM[1000 * k:1000 * (k + 1)],
                                     502 + k)))
    s.append((21 * MS, tcp(G, PEER, 40000, 80, si + 3001, ack, 0x11, ident=505)))
    expected = ["drop S0", "release P0", "drop S1", "drop S2", "release P1",
                "drop S3", "release P2", "drop S4", "release P3"]
    return p, s, expected


def udp_mixed():
    """ARP, ICMP, UDP over IPv4, UDP over IPv6 in QinQ, a final mismatch."""
    qinq = ((0x88A8, 100), (0x8100, 200))
    p = [(0, arp(G, PEER)),
         (2 * MS, udp4(G, PEER, 5353, 53, b"query-1", 11)),
         (3 * MS, icmp_echo(G, PEER, 12, b"ping-payload")),
         (6 * MS, udp6(G6, PEER6, 5000, 6000, b"v6 datagram", 0x12345, qinq)),
         (8 * MS, udp4(G, PEER, 7000, 7001, b"A", 13))]
    s = [(1 * MS, arp(G, PEER)),
         (4 * MS, icmp_echo(G, PEER, 912, b"ping-payload")),
         (5 * MS, udp4(G, PEER, 5353, 53, b"query-1", 911)),
         (7 * MS, udp6(G6, PEER6, 5000, 6000, b"v6 datagram", 0x54321, qinq)),
         (9 * MS, udp4(G, PEER, 7000, 7001, b"B", 913))]
    expected = ["release P0", "drop S0", "release P2", "drop S1",
                "release P1", "drop S2", "release P3", "drop S3",
                "checkpoint mismatch", "release P4", "drop S4"]
    return p, s, expected


def timeout():
    """A primary frame the secondary never matches forces a checkpoint."""
    p = [(0, udp4(G, PEER, 1000, 2000, b"x", 1)),
         (300 * MS, udp4(G, PEER, 1002, 2000, b"z", 2))]
    s = [(50 * MS, udp4(G, PEER, 1001, 2000, b"y", 3)),
         (310 * MS, udp4(G, PEER, 1002, 2000, b"z", 4))]
    expected = ["checkpoint primary-timeout", "release P0", "drop S0",
                "release P1", "drop S1"]
    return p, s, expected


def reorder_frag():
    """TCP joined mid-stream with the primary's segments out of order,
    then a UDP datagram in two IPv4 fragments with different ids."""
    pseq, sseq, ack = 777000, 999000, 42
    p = [(0, tcp(G, PEER, 41000, 443, pseq + 100, ack, 0x10, STREAM[100:200], 1)),
         (1 * MS, tcp(G, PEER, 41000, 443, pseq, ack, 0x10, STREAM[:100], 2))]
    s = [(2 * MS, tcp(G, PEER, 41000, 443, sseq, ack, 0x10, STREAM[:100], 3)),
         (3 * MS, tcp(G, PEER, 41000, 443, sseq + 100, ack, 0x10, STREAM[100:200], 4))]
    dgram = udp_l4(pseudo4(G, PEER, 17, 8 + 40), 9000, 9001, STREAM[:40])
    for k, (side, ident) in enumerate(((p, 0x100), (s, 0x200))):
        base = 10 * MS + 2 * k * MS
        side.append((base, eth(0x0800, ipv4(G, PEER, 17, ident, dgram[:24],
                                             frag=0x2000))))
        side.append((base + MS, eth(0x0800, ipv4(G, PEER, 17, ident, dgram[24:],
                                                 frag=24 // 8))))
    expected = ["drop S0", "release P1", "drop S1", "release P0",
                "release P2", "drop S2", "release P3", "drop S3"]
    return p, s, expected


SCENARIOS = {"tcp_stream": tcp_stream, "udp_mixed": udp_mixed,
             "timeout": timeout, "reorder_frag": reorder_frag}


def fuzz_op(side, delta_us, frame):
    """One fuzz_colo script step: op, little-endian length, frame."""
    op = side | min(delta_us // 100, 31) << 3
    return struct.pack("<BH", op, len(frame)) + frame


def write_fuzz_seeds(out):
    for name, fn in SCENARIOS.items():
        p, s, _ = fn()
        merged = sorted([(t, 0, i, f) for i, (t, f) in enumerate(p)] +
                        [(t, 1, i, f) for i, (t, f) in enumerate(s)])
        seed, last = b"", 0
        for t, side, _, frame in merged:
            seed += fuzz_op(side, t - last, frame)
            last = t
        seed += bytes([3 | 4 | 31 << 3])  # a scan far enough to time out
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(seed)
        both = b"".join(fuzz_op(2, 100, frame) + b"\0" for _, frame in p)
        with open(os.path.join(out, name + "_both.bin"), "wb") as f:
            f.write(both)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--fuzz-corpus":
        write_fuzz_seeds(sys.argv[2])
        return
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    for name, fn in SCENARIOS.items():
        p, s, expected = fn()
        write_pcap(os.path.join(out, name + "_primary.pcap"), p)
        write_pcap(os.path.join(out, name + "_secondary.pcap"), s)
        with open(os.path.join(out, name + ".expected"), "w") as f:
            f.write("\n".join(expected) + "\n")


if __name__ == "__main__":
    main()
