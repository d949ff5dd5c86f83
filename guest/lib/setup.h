/* The boot sequence before main(), called from start.S. */
#ifndef GUEST_SETUP_H
#define GUEST_SETUP_H

/* Install the new PSWs of this CPU's lowcore. */
void setup_lowcore(void);

/* Everything main() may rely on: lowcore, timers parked, SCLP, console. */
void guest_setup(void);

/* The program: its return value is the exit code (see exit.h). */
int main(void);

#endif
