package main_test

import data.main

test_passes if {
	count(main.deny) == 1
}

test_fails if {
	print("deny is", main.deny)
	count(main.deny) == 0
}

test_errors if {
	lockstep.input_from(["staging=missing.plan.json", "production=missing2.plan.json"])
}
