"""The local web explorer (`storyworld serve`)."""
