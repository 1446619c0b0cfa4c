"""matplotlib's SVG made safe and fit to inline in an HTML page (the dashboard's charts).

* no XML prolog, doctype, metadata, ``<style>``, script, foreign object or
  link, and no ``on...`` attribute;
* every ``style="..."`` becomes presentation attributes (``fill="..."``): a
  Content-Security-Policy without inline styles (the staff console's
  ``style-src 'self'``) would otherwise blank the chart; the rule of
  matplotlib's ``<style>`` element moves to the root element;
* plain element names and SVG 2's ``href``, as HTML parses inline SVG;
* ``width="100%"`` with the ``viewBox`` kept, ``role="img"``, a ``<title>``
  and a ``<desc>`` referenced by ``aria-labelledby`` / ``aria-describedby``;
* only the ids something refers to are kept, prefixed, so that several
  charts can share one page.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import xml.etree.ElementTree as ET

logger = logging.getLogger(__name__)

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# CSS properties matplotlib writes in style="" that are also SVG presentation attributes.
_PRESENTATION = frozenset(
    {
        "clip-path",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
    }
)
_DROPPED_ELEMENTS = frozenset({"script", "foreignObject", "metadata", "style", "iframe", "a"})
_REFERENCE = re.compile(r"url\(#([^)]+)\)")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _styles_to_attributes(element: ET.Element) -> None:
    style = element.attrib.pop("style", "")
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in _PRESENTATION and value:
            element.set(name, value)
        elif name:
            logger.debug("SVG style %s dropped", name)


def _drop(root: ET.Element) -> None:
    """Remove what must not or need not be inlined, and the ``<defs>`` left empty."""
    for parent in root.iter():
        for child in list(parent):
            name = _local(child.tag)
            if name in _DROPPED_ELEMENTS:
                parent.remove(child)
    for parent in root.iter():
        for child in list(parent):
            if _local(child.tag) == "defs" and len(child) == 0:
                parent.remove(child)


def finish_svg(raw: str, *, title: str, desc: str, id_prefix: str) -> str:
    """matplotlib's SVG made safe and fit to inline in an HTML page (see the module's notes)."""
    root = ET.fromstring(raw)  # noqa: S314 (our own matplotlib output, no external entity)
    _drop(root)
    referenced: set[str] = set()
    for element in root.iter():
        # Plain names (HTML parses inline SVG by name) and SVG 2's href instead of xlink:href.
        element.tag = _local(element.tag)
        href = element.attrib.pop(f"{{{XLINK_NS}}}href", None)
        if href is not None:
            element.set("href", href)
        for name in list(element.attrib):
            if name.lower().startswith("on"):
                del element.attrib[name]
        _styles_to_attributes(element)
        for name, value in element.attrib.items():
            referenced.update(_REFERENCE.findall(value))
            if name == "href" and value.startswith("#"):
                referenced.add(value[1:])
    for element in root.iter():
        element_id = element.attrib.pop("id", None)
        if element_id in referenced:
            element.set("id", f"{id_prefix}-{element_id}")
        for name, value in list(element.attrib.items()):
            if name == "href" and value.startswith("#"):
                element.set(name, f"#{id_prefix}-{value[1:]}")
            elif "url(#" in value:
                element.set(name, _REFERENCE.sub(lambda match: f"url(#{id_prefix}-{match.group(1)})", value))
    for name in ("width", "height", "version"):
        root.attrib.pop(name, None)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    root.attrib.update(
        {
            "xmlns": SVG_NS,
            "width": "100%",
            "role": "img",
            "aria-labelledby": title_id,
            "aria-describedby": desc_id,
            "stroke-linejoin": "round",
            "stroke-linecap": "butt",
        }
    )
    title_element = ET.Element("title", {"id": title_id})
    title_element.text = unicodedata.normalize("NFC", title)
    desc_element = ET.Element("desc", {"id": desc_id})
    desc_element.text = unicodedata.normalize("NFC", desc)
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return ET.tostring(root, encoding="unicode")
