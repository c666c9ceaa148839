"""`storyworld search`: find lines, characters, relationships and tags across the corpus.

Character names match a character's name, canonical name or any alias, ignoring case, or one
whole word at either end of the name ("Oake" finds "Tamsin Oake"). Filters combine with AND:
--character, --relationship and --tag narrow the stories; --speaker, --addressee and --text
then return lines (dialogue, and narration when only --text is given).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from storyworld.errors import E, StoryworldError

# (story_id, character_id) of every character answering to the name bound as :{param}.
_NAMED = """
    SELECT story_id, id FROM characters
     WHERE name = :{p} COLLATE NOCASE OR canonical = :{p} COLLATE NOCASE
        OR name LIKE :{p}_like_start ESCAPE '\\' OR name LIKE :{p}_like_end ESCAPE '\\'
    UNION SELECT story_id, character_id FROM aliases WHERE alias = :{p} COLLATE NOCASE
"""
_PAIR = re.compile(r"\s*(?:/|&)\s*")


@dataclass(frozen=True)
class Query:
    character: str | None = None
    relationship: str | None = None
    tag: str | None = None
    speaker: str | None = None
    addressee: str | None = None
    text: str | None = None
    limit: int | None = 100


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _named(param: str, name: str, params: dict[str, Any]) -> str:
    """The _NAMED subquery for `name`, binding its parameters into `params`."""
    params[param] = name.strip()
    params[f"{param}_like_start"] = _escape_like(name.strip()) + " %"
    params[f"{param}_like_end"] = "% " + _escape_like(name.strip())
    return _NAMED.format(p=param)


def relationship_pair(text: str) -> tuple[str, str]:
    """'A/B' or 'A & B' -> (A, B)."""
    parts = [p for p in _PAIR.split(text.strip()) if p]
    if len(parts) != 2:
        raise ValueError(f"give two names as 'A/B' or 'A & B', not {text!r}")
    return parts[0], parts[1]


def _story_filters(query: Query, params: dict[str, Any]) -> list[str]:
    """WHERE clauses on stories `s` for --character, --relationship and --tag."""
    where = ["s.status = 'ok'"]
    if query.character:
        where.append(f"s.id IN (SELECT story_id FROM ({_named('character', query.character, params)}))")
    if query.relationship:
        first, second = relationship_pair(query.relationship)
        where.append(f"""EXISTS (SELECT 1 FROM relationships r WHERE r.story_id = s.id
            AND EXISTS (SELECT 1 FROM json_each(r.characters) j
                        WHERE (r.story_id, j.value) IN ({_named('rel_a', first, params)}))
            AND EXISTS (SELECT 1 FROM json_each(r.characters) j
                        WHERE (r.story_id, j.value) IN ({_named('rel_b', second, params)})))""")
    if query.tag:
        params["tag"] = f"%{_escape_like(query.tag.strip())}%"
        where.append("EXISTS (SELECT 1 FROM tags t WHERE t.story_id = s.id AND t.tag LIKE :tag ESCAPE '\\')")
    return where


def _lines_sql(query: Query, params: dict[str, Any]) -> str:
    where = _story_filters(query, params)
    if query.speaker:
        where.append(f"(q.story_id, q.speaker) IN ({_named('speaker', query.speaker, params)})")
    if query.addressee:
        where.append(f"""EXISTS (SELECT 1 FROM quote_addressees qa
            WHERE qa.story_id = q.story_id AND qa.quote_id = q.id
              AND (qa.story_id, qa.character_id) IN ({_named('addressee', query.addressee, params)}))""")
    if query.text:
        params["text"] = query.text
        where.append("q.pk IN (SELECT rowid FROM dialogue_fts WHERE dialogue_fts MATCH :text)")
    dialogue = f"""
        SELECT s.path, s.title, q.chapter, 'dialogue' AS kind, q.start,
               (SELECT name FROM characters c WHERE c.story_id = q.story_id AND c.id = q.speaker) AS speaker,
               (SELECT group_concat(c.name, '; ') FROM quote_addressees qa JOIN characters c
                  ON c.story_id = qa.story_id AND c.id = qa.character_id
                WHERE qa.story_id = q.story_id AND qa.quote_id = q.id) AS addressees,
               q.text
          FROM quotes q JOIN stories s ON s.id = q.story_id
         WHERE {" AND ".join(where)}"""
    if query.speaker or query.addressee:
        return dialogue
    narration = f"""
        SELECT s.path, s.title, n.chapter, 'narration' AS kind, n.start, NULL, NULL, n.text
          FROM narration n JOIN stories s ON s.id = n.story_id
         WHERE {" AND ".join(_story_filters(query, params))}
           AND n.pk IN (SELECT rowid FROM narration_fts WHERE narration_fts MATCH :text)"""
    return f"{dialogue} UNION ALL {narration}"


def _sql(query: Query, params: dict[str, Any]) -> tuple[str, str]:
    """The statement for `query` and its ORDER BY."""
    if query.speaker or query.addressee or query.text:
        return _lines_sql(query, params), "path, start"
    where = " AND ".join(_story_filters(query, params))
    if query.relationship:
        first, second = relationship_pair(query.relationship)
        return f"""
            SELECT s.path, s.title, r.kind,
                   (SELECT group_concat(c.name, ' / ') FROM json_each(r.characters) j JOIN characters c
                      ON c.story_id = r.story_id AND c.id = j.value) AS characters,
                   r.weight
              FROM relationships r JOIN stories s ON s.id = r.story_id
             WHERE {where}
               AND EXISTS (SELECT 1 FROM json_each(r.characters) j
                           WHERE (r.story_id, j.value) IN ({_named('pair_a', first, params)}))
               AND EXISTS (SELECT 1 FROM json_each(r.characters) j
                           WHERE (r.story_id, j.value) IN ({_named('pair_b', second, params)}))""", \
            "path, weight DESC"
    if query.character:
        return f"""
            SELECT s.path, s.title, c.name AS character, c.gender, c.mentions,
                   (SELECT group_concat(alias, '; ') FROM aliases a
                     WHERE a.story_id = c.story_id AND a.character_id = c.id) AS aliases
              FROM characters c JOIN stories s ON s.id = c.story_id
             WHERE {where}
               AND (c.story_id, c.id) IN ({_named('match', query.character, params)})""", \
            "path, mentions DESC"
    if query.tag:
        return f"""
            SELECT s.path, s.title, t.source, t."group", t.tag
              FROM tags t JOIN stories s ON s.id = t.story_id
             WHERE {where} AND t.tag LIKE :tag ESCAPE '\\'""", "path, source, tag"
    return """
        SELECT s.path, s.title, s.status, s.error, s.words, s.characters, s.quotes FROM stories s""", "path"


def _check_text_query(conn: sqlite3.Connection, text: str) -> None:
    """E025 for a query FTS5 cannot parse (an unclosed quote, a bare operator)."""
    try:
        conn.execute("SELECT 1 FROM dialogue_fts WHERE dialogue_fts MATCH ? LIMIT 1", (text,)).fetchall()
    except sqlite3.OperationalError as err:
        raise StoryworldError(E.E025, query=text, reason=err) from None


def search(conn: sqlite3.Connection, query: Query) -> list[dict[str, Any]]:
    """Rows (dicts, columns in display order) answering `query`."""
    params: dict[str, Any] = {}
    sql, order = _sql(query, params)
    sql = f"SELECT * FROM ({sql}) ORDER BY {order}"
    if query.limit:
        sql += f" LIMIT {int(query.limit)}"
    if query.text:
        _check_text_query(conn, query.text)
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]
