"""Past social outcomes contracts: the INDIGO impact bond data set imported into the store (DESIGN §1)."""
