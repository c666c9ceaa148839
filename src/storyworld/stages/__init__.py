"""The pipeline's stages in order; each module exposes one `STAGE`."""

from storyworld.stages import quotes, scenes, segment

STAGES = (segment.STAGE, quotes.STAGE, scenes.STAGE)
