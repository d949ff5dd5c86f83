/*
 * hello: the smallest complete guest.  Prints a banner and what READ SCP
 * INFO says about the machine, then exits with 0.
 */
#include "printf.h"
#include "sclp.h"
#include "setup.h"

int main(void)
{
	puts("zvmm guest: hello");
	if (!sclp_info.valid) {
		printf("hello: READ SCP INFO failed: response 0x%04x\n",
		       sclp_info.response);
		return 1;
	}
	printf("memory: %lu MiB\n", (unsigned long)(sclp_info.mem_size >> 20));
	printf("cpus: %u\n", sclp_info.nr_cpus);
	return 0;
}
