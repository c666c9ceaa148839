"""The pipeline's stages in order; each module exposes one `STAGE`."""

from storyworld.stages import cast, fandom, mentions, quotes, relations, scenes, segment, speakers, tags

STAGES = (
    segment.STAGE,
    quotes.STAGE,
    fandom.STAGE,
    mentions.STAGE,
    cast.STAGE,
    speakers.STAGE,
    scenes.STAGE,
    relations.STAGE,
    tags.STAGE,
)
