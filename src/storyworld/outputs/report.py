"""The single-file HTML report: cast cards, relationship graph, dialogue timeline, annotated text, tags.

Self-contained and offline: vis-network (shipped inside the pyvis package) draws the draggable
relationship graph, plotly.js (inside the plotly package) the dialogue timeline; both are inlined,
and a Content-Security-Policy forbids every network request. Story text and metadata reach the page
only escaped: through Jinja2's autoescaping, or as JSON inside a non-executing script element with
<, > and & escaped, read back with JSON.parse.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from storyworld.model import World
from storyworld.outputs.json import write_atomic

PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
    "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)
EVIDENCE_CHARS = 160
MAX_LINES_LISTED = 200


def _snippet(text: str, start: int, end: int) -> str:
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= EVIDENCE_CHARS else piece[: EVIDENCE_CHARS - 1] + "…"


def _safe_json(data: Any) -> Markup:
    """JSON that cannot end its <script type="application/json"> element early."""
    raw = json.dumps(data, ensure_ascii=False)
    raw = raw.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    raw = raw.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(raw)


@lru_cache(maxsize=1)
def _assets() -> dict[str, Markup]:
    vis = files("pyvis") / "lib" / "vis-9.1.2"
    from plotly.offline import get_plotlyjs

    return {
        "vis_js": Markup(_inline_script((vis / "vis-network.min.js").read_text(encoding="utf-8"))),
        "vis_css": Markup((vis / "vis-network.css").read_text(encoding="utf-8")),
        "plotly_js": Markup(_inline_script(get_plotlyjs())),
    }


def _inline_script(source: str) -> str:
    # A library's own "</script" inside a string literal would end the element early.
    return source.replace("</script", "<\\/script")


def _colours(world: World) -> dict[str, str]:
    spoken = Counter(q.speaker for q in world.quotes if q.speaker)
    ranked = sorted(world.characters, key=lambda c: (-spoken[c.id], -len(c.mentions), c.id))
    return {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(ranked)}


def _annotated_text(world: World) -> Markup:
    """The story as escaped HTML: quotes coloured by speaker, mentions linked to their character."""
    opens: dict[int, list[tuple[int, str]]] = defaultdict(list)
    closes: dict[int, list[str]] = defaultdict(list)
    for quote in world.quotes:
        speaker = quote.speaker or ""
        classes = "q speech" if quote.speech else "q"
        tag = f'<span class="{classes}" id="{quote.id}" data-speaker="{escape(speaker)}">'
        opens[quote.start].append((quote.end, tag))
        closes[quote.end].append("</span>")
    for character in world.characters:
        for mention in character.mentions:
            tag = f'<a class="m m-{mention.kind}" data-char="{escape(character.id)}">'
            opens[mention.start].append((mention.end, tag))
            closes[mention.end].append("</a>")
    points = sorted(set(opens) | set(closes))
    out: list[str] = []
    stack: list[int] = []  # ends of open elements, to skip a mention that would straddle a quote
    position = 0
    text = world.text
    for point in points:
        out.append(str(escape(text[position:point])))
        position = point
        while stack and stack[-1] == point:
            stack.pop()
            out.append(closes[point].pop())
        for end, tag in sorted(opens.get(point, ()), key=lambda item: -item[0]):
            if stack and end > stack[-1]:
                continue  # would overlap the element already open: keep the markup well-formed
            stack.append(end)
            out.append(tag)
    out.append(str(escape(text[position:])))
    out.extend("</span>" for _ in stack)
    return Markup("".join(out))


def _scene_of(world: World, position: int) -> int:
    for number, scene in enumerate(world.scenes, start=1):
        if scene.start <= position < scene.end:
            return number
    return 0


def _cards(world: World, colours: dict[str, str]) -> list[dict[str, Any]]:
    lines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for quote in world.quotes:
        if quote.speech and quote.speaker:
            lines[quote.speaker].append(
                {"id": quote.id, "text": _snippet(world.text, quote.start, quote.end)}
            )
    pov = Counter(s.pov for s in world.scenes if s.pov)
    chapters = {c.id: c.title or c.id for c in world.chapters}
    cards = []
    for character in sorted(world.characters, key=lambda c: (-len(lines[c.id]), -len(c.mentions))):
        first = min((m.start for m in character.mentions), default=None)
        chapter = next((c.id for c in world.chapters if first is not None and c.start <= first < c.end), None)
        cards.append(
            {
                "character": character,
                "colour": colours[character.id],
                "aliases": [a for a in character.aliases if a != character.name],
                "description": [_snippet(world.text, d.start, d.end) for d in character.description],
                "lines": lines[character.id][:MAX_LINES_LISTED],
                "line_count": len(lines[character.id]),
                "first": _snippet(world.text, first, first + 80) if first is not None else None,
                "first_chapter": chapters.get(chapter) if chapter else None,
                "pov_scenes": pov[character.id],
            }
        )
    return cards


def _graph(world: World, colours: dict[str, str]) -> dict[str, Any]:
    names = {c.id: c.name for c in world.characters}
    weight = Counter()
    for interaction in world.interactions:
        weight[interaction.source] += interaction.count
        weight[interaction.target] += interaction.count
    nodes = [
        {
            "id": c.id,
            "label": c.name,
            "value": len(c.mentions) + 1,
            "color": colours[c.id],
            "title": f"{c.name}: {len(c.mentions)} mentions",
        }
        for c in world.characters
        if weight[c.id] or len(c.mentions) >= 3
    ]
    shown = {n["id"] for n in nodes}
    edges = []
    for relationship in world.relationships:
        a, b = relationship.characters
        if a in shown and b in shown:
            evidence = " | ".join(_snippet(world.text, s, e) for s, e in relationship.evidence[:3])
            edges.append(
                {"from": a, "to": b, "label": relationship.kind, "value": relationship.weight,
                 "title": f"{names[a]} – {names[b]}: {relationship.kind}\n{evidence}"}
            )
    for interaction in world.interactions:
        if interaction.kind == "dialogue" and {interaction.source, interaction.target} <= shown:
            s, e = interaction.evidence[0] if interaction.evidence else (0, 0)
            edges.append(
                {"from": interaction.source, "to": interaction.target, "arrows": "to", "dashes": True,
                 "value": interaction.count,
                 "title": f"{names[interaction.source]} → {names[interaction.target]}: "
                          f"{interaction.count} line(s)\n{_snippet(world.text, s, e)}"}
            )
    return {"nodes": nodes, "edges": edges}


def _timeline(world: World, colours: dict[str, str]) -> Markup:
    """The plotly figure (as safe JSON): one row per speaker, one dot per line spoken."""
    names = {c.id: c.name for c in world.characters}
    by_speaker: dict[str, list[Any]] = defaultdict(list)
    for quote in world.quotes:
        if quote.speech and quote.speaker in names:
            by_speaker[quote.speaker].append(quote)
    figure = go.Figure()
    for speaker, quotes in sorted(by_speaker.items(), key=lambda item: -len(item[1])):
        figure.add_trace(
            go.Scatter(
                x=[q.start for q in quotes],
                y=[names[speaker]] * len(quotes),
                mode="markers",
                marker={"color": colours[speaker], "size": 9},
                name=names[speaker],
                text=[_snippet(world.text, q.start, q.end) for q in quotes],
                customdata=[[q.id, _scene_of(world, q.start)] for q in quotes],
                hovertemplate="scene %{customdata[1]}: %{text}<extra>%{y}</extra>",
            )
        )
    for scene in world.scenes[1:]:
        figure.add_vline(x=scene.start, line_width=1, line_dash="dot", line_color="#bbb")
    figure.update_layout(
        height=120 + 28 * max(1, len(by_speaker)), margin={"l": 10, "r": 10, "t": 10, "b": 30},
        xaxis={"title": "position in the story (dotted lines: scene breaks)"}, showlegend=False,
    )
    # Drawn by our own Plotly.newPlot call from escaped JSON, so story text never becomes markup.
    return _safe_json(json.loads(figure.to_json()))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("storyworld", "outputs/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def render_report(world: World) -> str:
    """The report as one HTML document."""
    colours = _colours(world)
    cards = _cards(world, colours)
    tag_groups = [
        ("Characters", world.tags.characters), ("Relationships", world.tags.relationships),
        ("Additional tags", world.tags.additional), ("Archive warnings", world.tags.warnings),
        ("Category", world.tags.category), ("Rating", [world.tags.rating] if world.tags.rating else []),
    ]
    return _environment().get_template("report.html.j2").render(
        world=world,
        title=world.metadata.title or world.source.path or "story",
        words=len(world.text.split()),
        speech=sum(q.speech for q in world.quotes),
        cards=cards,
        tag_groups=tag_groups,
        snippet=lambda span: _snippet(world.text, span[0], span[1]),
        annotated=_annotated_text(world),
        graph=_safe_json(_graph(world, colours)),
        timeline=_timeline(world, colours),
        data=_safe_json({"colours": colours, "names": {c.id: c.name for c in world.characters}}),
        lines_json=_safe_json({card["character"].id: card["lines"] for card in cards}),
        **_assets(),
    )


def write_report(world: World, path: Path) -> None:
    write_atomic(path, render_report(world))
