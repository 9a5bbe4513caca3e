"""The thin views: widgets and HTML panels that ask the core and draw what it answers."""
