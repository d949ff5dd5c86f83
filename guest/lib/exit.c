/*
 * exit(): the EXIT line, stopping the other CPUs, the final disabled wait.
 */
#include "exit.h"
#include "console.h"
#include "printf.h"
#include "psw.h"
#include "smp.h"

static int exit_lock;

void exit(int code)
{
	int unlocked = 0;

	(void)irq_save();

	/*
	 * Only the first CPU to get here finishes the job; any other one just
	 * waits, disabled, until the first one stops it.
	 */
	if (!__atomic_compare_exchange_n(&exit_lock, &unlocked, 1, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		for (;;)
			;

	if (code < 0 || code > 255)
		code = 255;

	/*
	 * Hold the console while the others are stopped: no CPU may be
	 * stopped in the middle of an SCLP request, and nothing can be
	 * printed after the EXIT line.
	 */
	console_lock();
	printf("EXIT: STATUS=%d\n", (code << 1) | 1);
	smp_stop_others();
	disabled_wait(EXIT_WAIT_ADDR(code));
}
