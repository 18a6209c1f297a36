#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xtcp-bench, the tool make bench measures with, does what it says for
# the protocol under test (xtcp, or TCP with XT_PROTO=6): each mode runs
# between namespaces a and b and prints its fields; crr -n 50 makes
# exactly 50 connections, each leaving a TIME-WAIT entry with the server,
# which closes first; hold -n 20 holds 20 established connections until
# it is signalled; stream's byte count is what the server confirmed (the
# tool fails otherwise); -c CPU keeps every thread on that CPU and
# refuses one the guest lacks; and a client with no server fails with
# exit 1.
# busybox sh prefers its own applets to PATH; these are iproute2's.
ip() { /sbin/ip "$@"; }

fail() {
	echo "bench_tool: $*" >&2
	exit 1
}

proto=xtcp
proc=/proc/net/xtcp
if [ "${XT_PROTO:-253}" = 6 ]; then
	proto=tcp
	proc=/proc/net/tcp
	# A namespace keeps at most half its hash table's size of TCP
	# TIME-WAIT entries (2048 in a small guest), and the crr run below
	# can leave that many before crr -n 50 counts its own: room for
	# all, as make bench makes (xtcp has no such limit).
	ip netns exec b sh -c 'echo 262144 >/proc/sys/net/ipv4/tcp_max_tw_buckets' ||
		fail "tcp_max_tw_buckets"
fi

# field LINE NAME: the value of NAME=... in LINE.
field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# state_count NS STATE: sockets of the protocol in a namespace in STATE.
state_count() {
	ip netns exec "$1" awk -v st="$2" '$4 == st' $proc | wc -l
}

server=
serve() {	# PORT ARGS...
	p=$1
	shift
	xtcp-bench -N b -s -P $proto -p "$p" "$@" &
	server=$!
	hex=$(printf '%04X' "$p")
	i=0
	until ip netns exec b grep -q ":$hex 00000000:0000 0A" $proc; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "no listener on $p"
		sleep 0.1
	done
}

stop() {
	kill "$server"
	wait "$server" 2>/dev/null
}

port=6000
for args in "-m crr -j 2" "-m rr" "-m stream" "-m stream -R"; do
	port=$((port + 1))
	# shellcheck disable=SC2086
	serve $port $args
	# shellcheck disable=SC2086
	line=$(xtcp-bench -N a -P $proto -p $port $args -t 1 192.0.2.2) ||
		fail "$args: exit $?"
	stop
	echo "$line"
	mode=$(field "$line" mode)
	ops=$(field "$line" ops)
	bytes=$(field "$line" bytes)
	[ "$(field "$line" proto)" = $proto ] || fail "$args: not $proto: $line"
	[ "${ops:-0}" -gt 0 ] && [ "${bytes:-0}" -gt 0 ] || fail "$args: nothing moved: $line"
	case $mode in
	crr | rr)
		[ "$ops" -eq "$bytes" ] || fail "$args: $ops transactions, $bytes bytes"
		p50=$(field "$line" p50_us)
		p99=$(field "$line" p99_us)
		awk -v a="$p50" -v b="$p99" 'BEGIN { exit !(a > 0 && b >= a) }' ||
			fail "$args: p50 $p50, p99 $p99"
		;;
	stream | stream-r)
		# The tool checked the count with the server; how much moves
		# in a second is make bench's business, not a test's.
		;;
	*) fail "$args: mode $mode" ;;
	esac
done

# crr -n: exactly that many, each ending in TIME-WAIT on the server.
# Numbered client ports (-B): two connect()s given the same ephemeral
# port (a few in a hundred do, of 50) would meet the first one's entry,
# which gives way to the new SYN, and leave 49.
port=$((port + 1))
serve $port -m crr
line=$(xtcp-bench -N a -P $proto -p $port -m crr -n 50 -B 20000 192.0.2.2) ||
	fail "crr -n 50: exit $?"
stop
[ "$(field "$line" ops)" -eq 50 ] || fail "crr -n 50 made $(field "$line" ops)"
tw=$(ip netns exec b awk -v p=":$(printf '%04X' $port)" 'index($2, p) && $4 == "06"' $proc | wc -l)
[ "$tw" -eq 50 ] || fail "$tw TIME-WAIT entries on the server for 50 connections"

# hold: 20 established connections, until signalled.
port=$((port + 1))
serve $port -m hold
xtcp-bench -N a -P $proto -p $port -m hold -n 20 192.0.2.2 >/tmp/hold &
hold=$!
i=0
until grep -q '^ready 20$' /tmp/hold; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "hold never ready"
	sleep 0.1
done
[ "$(state_count a 01)" -eq 20 ] || fail "$(state_count a 01) established in a, not 20"
kill $hold
wait $hold || fail "hold exited $? on SIGTERM"
stop

# -c CPU: the server runs on that CPU alone, its flows' threads too; a
# CPU the guest lacks is refused, before anything runs.
last=$(($(nproc) - 1))
port=$((port + 1))
serve $port -m stream -j 2 -c $last
line=$(xtcp-bench -N a -P $proto -p $port -m stream -j 2 -c 0 -t 1 192.0.2.2) ||
	fail "stream -c 0: exit $?"
for t in /proc/$server/task/*; do
	cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$t/status")
	[ "$cpus" = $last ] || fail "-c $last: thread ${t##*/} on CPUs $cpus"
done
[ "$(ls /proc/$server/task | wc -l)" -gt 1 ] || fail "-j 2: one thread in the server"
stop
xtcp-bench -N a -P $proto -p $port -m rr -t 1 -c $((last + 1)) 192.0.2.2 2>/tmp/err
rc=$?
[ $rc -eq 2 ] || fail "-c $((last + 1)) with $((last + 1)) CPUs: exit $rc"
grep -q "CPU $((last + 1)): Invalid argument" /tmp/err || fail "-c $((last + 1)): $(cat /tmp/err)"

# No server: connect fails, and so does the tool.
xtcp-bench -N a -P $proto -p 6999 -m rr -t 1 192.0.2.2 2>/tmp/err && fail "no server, yet exit 0"
grep -q 'connect: Connection refused' /tmp/err || fail "no server: $(cat /tmp/err)"
exit 0
