"""mobile: the bank's phone app backend, showing an account's statement from statements."""
