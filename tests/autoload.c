// SPDX-License-Identifier: GPL-2.0
/*
 * socket(AF_INET, SOCK_STREAM, IPPROTO_XTCP) loads xtcp when it is not
 * loaded (contract section 1): inet_create() finds no protocol 253 and
 * asks the kernel's modprobe for net-pf-2-proto-253-type-1, which is
 * xtcp's module alias. guest-init leaves this test without xtcp (its
 * NO_PRELOAD); the guest's /lib/modules has xtcp.ko, modules.dep and
 * modules.alias made by depmod, and /sbin/modprobe is busybox's.
 *
 * Checked: xtcp is not in /proc/modules, the kernel's modprobe is
 * there, socket() succeeds with an xtcp socket, and xtcp is now in
 * /proc/modules. guest-init then unloads it, which must succeed as
 * after any test. Under TCP (XT_PROTO=6) there is nothing to load: TCP
 * is built in, so the test skips.
 */
#include "xt.h"

static int xtcp_loaded(void)
{
	FILE *f = fopen("/proc/modules", "r");
	char line[256];
	int found = 0;

	if (!f)
		xt_fail("open /proc/modules");
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "xtcp ", 5);
	fclose(f);
	return found;
}

int main(void)
{
	char modprobe[256] = "";
	int fd, proto;
	socklen_t len = sizeof(proto);
	FILE *f;

	if (xt_proto() != IPPROTO_XTCP) {
		fprintf(stderr, "autoload: TCP is built in, nothing to load\n");
		return 77;
	}
	XT_CHECK(!xtcp_loaded(), "xtcp is loaded before the test: was it preloaded?");

	f = fopen("/proc/sys/kernel/modprobe", "r");
	XT_CHECK(f && fgets(modprobe, sizeof(modprobe), f), "read /proc/sys/kernel/modprobe");
	fclose(f);
	modprobe[strcspn(modprobe, "\n")] = 0;
	XT_CHECK(access(modprobe, X_OK) == 0, "the kernel's modprobe %s cannot be run", modprobe);

	fd = socket(AF_INET, SOCK_STREAM, IPPROTO_XTCP);
	XT_CHECK(fd >= 0, "socket(AF_INET, SOCK_STREAM, %d) did not load xtcp", IPPROTO_XTCP);
	XT_CHECK(xtcp_loaded(), "socket() succeeded but xtcp is not in /proc/modules");
	XT_CHECK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == 0, "SO_PROTOCOL");
	XT_CHECK(proto == IPPROTO_XTCP, "SO_PROTOCOL is %d", proto);
	close(fd);
	return 0;
}
