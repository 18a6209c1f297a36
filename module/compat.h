/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels xtcp builds against (Debian's 6.1 and
 * 6.12, and the 6.12 debug kernel), kept here and nowhere else.
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

#include <linux/version.h>

#endif /* _XTCP_COMPAT_H */
