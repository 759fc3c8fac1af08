"""The domain core: plain Python, no Django. Events, commands, the Agreement aggregate and its rules."""
