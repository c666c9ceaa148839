"""The pipeline's stages in order; each module exposes one `STAGE`."""

from storyworld.stages import cast, fandom, mentions, quotes, scenes, segment, speakers

STAGES = (
    segment.STAGE,
    quotes.STAGE,
    fandom.STAGE,
    mentions.STAGE,
    cast.STAGE,
    speakers.STAGE,
    scenes.STAGE,
)
