# No variables: the network id comes from the workspace itself.
