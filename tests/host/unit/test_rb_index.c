/*
 * test_rb_index.c - kernel/trace/rb_index.h: where sequences live and
 * what a reader can still get, at the edges of a lap.
 */
#include "host.h"
#include "rb_index.h"
#include "ref.h"
#include "unit.h"

TEST(rb_index_slots_and_laps)
{
	CHECK(rb_slot(0, 4) == 0 && rb_slot(5, 4) == 1 && rb_slot(~0ULL, 1) == 0, "rb_slot");
	CHECK(rb_oldest(0, 4) == 0 && rb_oldest(4, 4) == 0 && rb_oldest(5, 4) == 1,
	      "rb_oldest");
	/* A reader at 2 with 4 slots: valid until head passes 6. */
	CHECK(rb_first_valid(2, 2, 4) == 2, "empty");
	CHECK(rb_first_valid(6, 2, 4) == 2, "exactly full: nothing lost");
	CHECK(rb_first_valid(7, 2, 4) == 3, "one lapped");
	CHECK(rb_first_valid(100, 0, 4) == 96, "long lapped");
}
