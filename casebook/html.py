"""The one place text becomes HTML: every value our code writes into a page passes through here.

    html('<a href="{}">{}</a>', url, title)    # arguments are escaped, the template is not
    join(" ", badges)                           # joins pieces, escaping the ones that are text

Built on markupsafe (the escaping Jinja uses): a `Markup` string is HTML already, anything
else is text and gets escaped (`& < > " '`), in attribute values too. Templates passed to
`html()` are literals in our code, never text from a file. Nothing else in the project builds
HTML by formatting strings (tests/test_layers.py looks for it).
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

__all__ = ["Markup", "escape", "html", "join", "attrs"]


def html(template: str, *args: object, **kwargs: object) -> Markup:
    """`template` with each argument escaped (unless it is already `Markup`).

    The same as `Markup(template).format(...)` for the plain `{}` / `{0}` / `{name}` fields
    our templates use, escaping each argument once with markupsafe's C `escape` first:
    Markup.format goes through string.Formatter, which was a tenth of a 1,000-case build.
    """
    return Markup(template.format(*(escape(a) for a in args),
                                  **{k: escape(v) for k, v in kwargs.items()}))


def join(separator: str, pieces: Iterable[object]) -> Markup:
    """The pieces joined by `separator`, each escaped unless it is `Markup`."""
    return Markup(separator).join(escape(piece) for piece in pieces)


def attrs(values: dict[str, object]) -> Markup:
    """` key="value"` for each item whose value is not None (booleans: the bare key)."""
    out = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        if value is True:
            out.append(html(" {}", Markup(key)))
        else:
            out.append(html(' {}="{}"', Markup(key), value))
    return Markup("").join(out)
