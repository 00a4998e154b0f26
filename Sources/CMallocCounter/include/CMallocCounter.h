#ifndef SWR_TOP_MALLOC_COUNTER_H
#define SWR_TOP_MALLOC_COUNTER_H
/// How many allocations (malloc, calloc, realloc, aligned) the process has made so far.
unsigned long long swrtop_malloc_count(void);
#endif
