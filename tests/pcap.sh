#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xtcp-dump -o writes a pcap file of one whole connection, for the host
# to decode with tshark (scripts/decode-check, a step of make check).
#
# In namespace b, xtcp-dump -o captures veth-b, both directions, while
# a client in a sends "ping from a" to a server in b, which sends "pong
# from b" back; both close. Checks here: the server and the client each
# received the other's line, and the file starts with the pcap magic
# number in this machine's byte order, link type RAW (101), and holds as
# many records as xtcp-dump printed lines; xtcp-dump -q -o FILE prints
# nothing, and -o - writes the file to stdout. The file (pcap.pcap) and
# xtcp-dump's text lines (pcap.txt) are exported to the host
# (build/files/LABEL/), where decode-check reads the pcap with tshark and
# checks the handshake, the data and the teardown against what this test
# did and against xtcp-dump's own decoding.
# busybox sh prefers its own applets to PATH; these are iproute2's.
ip() { /sbin/ip "$@"; }

fail() {
	echo "pcap: $*" >&2
	exit 1
}

[ "${XT_PROTO:-253}" = 253 ] || exit 77	# xtcp-cat speaks xtcp only

cd /tmp || exit 1
# decode-check checks every checksum: the segments must leave this host
# finished, not for a device to finish after the capture point.
for ns in a b; do
	ip netns exec $ns sh -c 'echo 0 >/proc/sys/net/xtcp/checksum_offload' ||
		fail "no net.xtcp.checksum_offload in $ns"
done
rm -f pcap.pcap pcap.txt quiet.pcap quiet.txt stdout.pcap
ip netns exec b xtcp-dump -i veth-b -w 30 -o pcap.pcap >pcap.txt &
dump=$!
# Beside it, -q (no text lines) and -o - (the pcap on stdout, alone).
ip netns exec b xtcp-dump -i veth-b -w 30 -q -o quiet.pcap >quiet.txt &
quiet=$!
ip netns exec b xtcp-dump -i veth-b -w 30 -o - >stdout.pcap &
stdout=$!
# The pcap header is written once the packet socket is bound.
for f in pcap.pcap quiet.pcap stdout.pcap; do
	i=0
	until [ -f $f ] && [ "$(wc -c <$f)" -eq 24 ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "xtcp-dump -o wrote no pcap header to $f"
		sleep 0.1
	done
done

# The reply goes a little after the request, and the client's stdin ends
# after the reply is in: the usual ladder is request, reply, the
# server's FIN, the client's FIN (decode-check does not count on it).
(sleep 0.5; echo "pong from b") | ip netns exec b xtcp-cat -l 7777 >server.got &
server=$!
# Listening: port 7777 (1E61) in state 0A, so no SYN is refused.
i=0
until ip netns exec b grep -q ':1E61 00000000:0000 0A' /proc/net/xtcp; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the server never listened"
	sleep 0.1
done
(echo "ping from a"; sleep 1) |
	ip netns exec a xtcp-cat 192.0.2.2 7777 >client.got || fail "client failed"
wait $server || fail "server failed"
# The last ACK is on the wire well within a second; each record is
# flushed as it is written.
sleep 1
kill $dump $quiet $stdout
wait $dump $quiet $stdout

[ "$(cat server.got)" = "ping from a" ] || fail "server received '$(cat server.got)'"
[ "$(cat client.got)" = "pong from b" ] || fail "client received '$(cat client.got)'"

# Magic a1b2c3d4, version 2.4, link type 101, in little-endian (x86).
magic=$(od -A n -t x1 -N 24 pcap.pcap | tr -d ' \n')
[ "$magic" = d4c3b2a1020004000000000000000000ffff000065000000 ] ||
	fail "bad pcap header: $magic"
# Records: walk the 16-byte headers by their captured lengths.
size=$(($(wc -c <pcap.pcap)))
off=24
records=0
while [ $off -lt "$size" ]; do
	incl=$(od -A n -t u4 -j $((off + 8)) -N 4 pcap.pcap | tr -d ' ')
	off=$((off + 16 + incl))
	records=$((records + 1))
done
[ $off -eq "$size" ] || fail "records overrun the file ($off > $size)"
lines=$(($(wc -l <pcap.txt)))
[ "$records" -eq "$lines" ] && [ "$records" -ge 8 ] ||
	fail "$records records in the pcap, $lines lines printed"

# The same records in all three (their timestamps may differ).
[ -s quiet.txt ] && fail "-q printed: $(head -1 quiet.txt)"
[ "$(wc -c <quiet.pcap)" -eq "$size" ] && [ "$(wc -c <stdout.pcap)" -eq "$size" ] ||
	fail "-q and -o - wrote other files: $size, $(wc -c <quiet.pcap), $(wc -c <stdout.pcap) bytes"

cp pcap.pcap pcap.txt "$XTCP_EXPORT/"
cat pcap.txt
