this is not { valid HCL and is skipped because the name starts with a dot
