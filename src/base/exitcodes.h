/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Exit statuses shared by dropwatch and dwdump; documented in EXIT STATUS of the man pages. */
#ifndef DW_EXITCODES_H
#define DW_EXITCODES_H

#define DW_EXIT_OK	0	/* success */
#define DW_EXIT_FAIL	1	/* runtime failure (a command failed, I/O error) */
#define DW_EXIT_USAGE	2	/* bad option, bad value, bad command line */
#define DW_EXIT_KERNEL	3	/* the kernel or our privileges cannot do it */

#endif
