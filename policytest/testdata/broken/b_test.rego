package main_test

test_x if true
