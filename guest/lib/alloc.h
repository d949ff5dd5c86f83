/*
 * Page allocation for per-CPU areas: a bump pointer from the end of the
 * image (__image_end, guest.ld) up to the memory size SCLP reported.
 * Nothing is ever freed.
 */
#ifndef GUEST_ALLOC_H
#define GUEST_ALLOC_H

#include "types.h"

/* size bytes aligned to align (a power of two); NULL when memory is out. */
void *alloc_pages(size_t size, size_t align);

#endif
