/* Unit tests for lib/env.c: the distance behind "did you mean". */
#include "lib/env.h"
#include "t/unit/tap.h"

int
main(void)
{
	is_int(env_distance("production", "production"), 0, "same name");
	is_int(env_distance("prodution", "production"), 1, "a letter left out");
	is_int(env_distance("prodcution", "production"), 1,
	    "two letters swapped count once");
	is_int(env_distance("stagign", "staging"), 1, "swapped at the end");
	is_int(env_distance("", "qa"), 2, "from nothing");
	is_int(env_distance("qa", ""), 2, "to nothing");
	is_int(env_distance("staging", "production"), 9, "far apart");
	is_int(env_distance("kitten", "sitting"), 3, "the classic");
	return done_testing();
}
