"""``wellspent portfolio``: the value of past social outcomes contracts against the outcome payments made."""
