"""ReadingPane: the QTextBrowser that shows one rendered post, offline and inside its folder.

It owns resource loading (only `postasset:` images that are regular files inside the opened
folder, size-capped and scaled to the pane), link handling (posts in the folder open here,
external links go to the system browser, category/tag links filter the list), zoom and the
comfortable line width.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from reader.core import FileProblem, Post
from reader.gui.theme import ReadingStyle

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_SVG_BYTES = 4 * 1024 * 1024
MAX_SVG_DEPTH = 24  # Qt's SVG renderer refuses (with a warning) more than 32 nested elements
MAX_IMAGE_PIXELS = 40_000_000  # decoded size cap: a 20 MB PNG can decode to gigabytes
CATEGORY_SCHEME = "pr-category"
TAG_SCHEME = "pr-tag"
ACTION_SCHEME = "pr-action"
ASSET_SCHEME = "postasset"
RELATED_SCHEME = "pr-related"  # a related post under the article: pr-related:<path>
# (path relative to the folder, size limit) -> the file's bytes, or FileProblem
FileReader = Callable[[str, int], bytes]
EXTERNAL_SCHEMES = {"http", "https", "mailto", "ftp"}
ZOOM_STEPS = (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0, 2.4)
DEFAULT_ZOOM_STEP = ZOOM_STEPS.index(1.0)


@dataclass(frozen=True, slots=True)
class ShownPost:
    post: Post
    body_html: str


def unbreakable(text: str) -> str:
    """`text` that a line never breaks inside: word joiners between its characters (Chinese
    may otherwise break between any two, and "#" from its tag), no-break spaces for spaces."""
    return WORD_JOINER.join(text.replace(" ", NO_BREAK_SPACE))


WORD_JOINER = "\u2060"
NO_BREAK_SPACE = "\u00a0"
_CODE_BLOCK_END = re.compile(r"\n+((?:</code>)?</pre>)")


def _solid_code_blocks(document: QTextDocument) -> None:
    """Code blocks as one band: Qt gives each line of a <pre> its own block, and the body's
    line height (ignored on <pre> by Qt's CSS) leaves a gap between their backgrounds; the
    empty block Qt adds after the last line is dropped (its bottom margin moves up)."""
    block = document.begin()
    while block.isValid():
        fmt = block.blockFormat()
        following = block.next()
        if fmt.background().style() != Qt.BrushStyle.NoBrush:
            cursor = QTextCursor(block)
            solid = QTextBlockFormat()
            solid.setLineHeight(100.0, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            cursor.mergeBlockFormat(solid)
            ends = not following.isValid() or (
                following.blockFormat().background().style() == Qt.BrushStyle.NoBrush
            )
            previous = block.previous()
            if (
                ends
                and not block.text()
                and previous.isValid()
                and previous.blockFormat().background().style() != Qt.BrushStyle.NoBrush
            ):
                margin = QTextBlockFormat()
                margin.setBottomMargin(fmt.bottomMargin())
                cursor.deletePreviousChar()  # merges the empty block into the line before
                QTextCursor(previous).mergeBlockFormat(margin)
                following = previous.next()
        block = following


def tidy_code_blocks(fragment: str) -> str:
    """A code block without the empty line its closing newline would show as a last band."""
    return _CODE_BLOCK_END.sub(r"\1", fragment) if "</pre>" in fragment else fragment


def header_html(
    post: Post,
    date_text: str,
    labels: dict[str, str],
    starred: bool,
    note: str = "",
    category_label: Callable[[str], str] | None = None,
    extra_html: str = "",
) -> str:
    """The title block above a post: title, date, category and tag links, warnings.
    `category_label`: a category's display name (the slug stays in the chip's tooltip);
    `extra_html`: more lines for the block (e.g. where else the story was published)."""
    esc = html.escape
    parts = [f"<h1>{esc(post.title)}</h1>"]
    meta = []
    star = "★" if starred else "☆"
    meta.append(f'<a href="{ACTION_SCHEME}:bookmark" title="{esc(labels["bookmark"])}">{star}</a>')
    if date_text:
        meta.append(esc(date_text))
    for c in post.categories:
        label = category_label(c) if category_label is not None else c
        hint = f' title="{esc(c)}"' if label != c else ""
        meta.append(
            f'<a class="chip" href="{CATEGORY_SCHEME}:{quote(c, safe="")}"{hint}>'
            f"{esc(unbreakable(label))}</a>"
        )
    for t in post.tags:
        label = esc(unbreakable("#" + t))
        meta.append(f'<a class="chip" href="{TAG_SCHEME}:{quote(t, safe="")}">{label}</a>')
    flags = [
        labels[name]
        for name, on in (("draft", post.draft), ("unpublished", not post.published))
        if on
    ]
    meta.extend(f"<i>{esc(f)}</i>" for f in flags)
    parts.append(f'<p class="meta">{" &nbsp;·&nbsp; ".join(meta)}</p>')
    if starred:
        note_text = esc(note) if note else f"<i>{esc(labels['add_note'])}</i>"
        parts.append(
            f'<p class="meta">✎ <a href="{ACTION_SCHEME}:note" title="{esc(labels["edit_note"])}">'
            f"{note_text}</a></p>"
        )
    parts.append(extra_html)
    if post.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in post.warnings)
        parts.append(f'<ul class="warnings">{items}</ul>')
    parts.append("<hr/>")
    return "".join(parts)


class ReadingPane(QTextBrowser):
    """The reading pane. Emits what the user asked for; the window decides what happens."""

    category_requested = Signal(str)
    tag_requested = Signal(str)
    post_link_activated = Signal(str)  # href relative to the opened folder
    bookmark_toggle_requested = Signal()
    note_edit_requested = Signal()
    zoom_changed = Signal(int)
    reached_end = Signal()
    link_failed = Signal(str)  # a web link the system could not open
    action_requested = Signal(str)  # another pr-action: link (e.g. a problem's actions)
    related_activated = Signal(str)  # the path of a related post

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.anchorClicked.connect(self.on_anchor_clicked)
        # Reads a file inside the opened folder (`Folder.read_file`): the only way in for images.
        self._read_file: FileReader | None = None
        self._style = ReadingStyle()
        self._zoom_step = DEFAULT_ZOOM_STEP
        self._html = ""
        self._footer = ""  # shown after the article (its related posts)
        self._max_image_width = 800
        self.document().setDocumentMargin(24)
        # Text wraps to the pane; images are scaled to it, so sideways scrolling is never needed.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(150)
        self._relayout_timer.timeout.connect(self._apply)
        self.setPlaceholderText(self.tr("Select an article to read it here."))

    # --- content ------------------------------------------------------------------------------

    def set_file_reader(self, read_file: FileReader | None) -> None:
        """Where images come from: `read_file(path relative to the folder, size limit)` gives
        a file's bytes or raises FileProblem (outside the folder, not a regular file, too big)."""
        self._read_file = read_file

    def set_style(self, style: ReadingStyle) -> None:
        self._style = style
        self._apply()

    @property
    def style_settings(self) -> ReadingStyle:
        return self._style

    def show_html(self, fragment: str, keep_footer: bool = False) -> None:
        """Show a fragment (header + body) under the reading stylesheet; `keep_footer`: the
        same post again, so what was under it stays."""
        html = tidy_code_blocks(fragment)
        if keep_footer and html == self._html:
            return  # the same again (a refresh that changed nothing): no new layout
        self._html = html
        if not keep_footer:
            self._footer = ""
        self._apply()

    def set_footer(self, fragment: str) -> None:
        """Show `fragment` under the article (added at the end: no new layout of the article,
        the scroll position stays)."""
        if not self._html or fragment == self._footer:
            return
        if self._footer:  # replace the old one: render again
            self._footer = fragment
            self._apply()
            return
        self._footer = fragment
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertHtml(fragment)

    def clear_post(self) -> None:
        self._html = ""
        self.clear()

    def _apply(self) -> None:
        scroll = self.verticalScrollBar().value()
        style = ReadingStyle(
            self._style.dark,
            self._style.font_family,
            self._style.font_size_pt * ZOOM_STEPS[self._zoom_step],
            self._style.line_chars,
        )
        self.document().setDefaultStyleSheet(style.css())
        font = self.font()
        font.setPointSizeF(style.font_size_pt)
        self.document().setDefaultFont(font)
        self._update_margins()
        if self._html:
            self.document().clear()  # drops cached images, so they are scaled to the new width
            self.setHtml(f"<html><body>{_figures(self._html)}{self._footer}</body></html>")
            _solid_code_blocks(self.document())
            self.verticalScrollBar().setValue(scroll)

    # --- zoom ---------------------------------------------------------------------------------

    @property
    def zoom_step(self) -> int:
        return self._zoom_step

    def set_zoom_step(self, step: int) -> None:
        step = max(0, min(len(ZOOM_STEPS) - 1, step))
        if step != self._zoom_step:
            self._zoom_step = step
            self._apply()
            self.zoom_changed.emit(step)

    def zoom_in(self) -> None:
        self.set_zoom_step(self._zoom_step + 1)

    def zoom_out(self) -> None:
        self.set_zoom_step(self._zoom_step - 1)

    def zoom_reset(self) -> None:
        self.set_zoom_step(DEFAULT_ZOOM_STEP)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Override of QTextEdit.wheelEvent: Ctrl+wheel zooms through our steps (remembered),
        not Qt's own zoom."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta > 0:
                self.zoom_in()
            elif delta < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    # --- line width ---------------------------------------------------------------------------

    def _update_margins(self) -> None:
        # Lines of ~40 CJK characters (~75 Latin) read best; centre a column that wide.
        font = self.document().defaultFont()
        width = self.viewport().width() + self.viewportMargins().left() * 2
        chars = self._style.line_chars
        measure = QFontMetricsF(font).horizontalAdvance("中") * chars + 48 if chars else width
        side = max(0, int((width - measure) / 2))
        self.setViewportMargins(side, 0, side, 0)
        margin = self.document().documentMargin()
        old = self._max_image_width
        self._max_image_width = max(120, int(min(width, measure) - 2 * margin - 12))
        if self._html and abs(old - self._max_image_width) > 24 and "<img" in self._html:
            self._relayout_timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Override of QTextEdit.resizeEvent: keep the text column centred and images within it."""
        super().resizeEvent(event)
        self._update_margins()

    # --- scrolling ----------------------------------------------------------------------------

    def page_down_or_next(self) -> None:
        """Space: scroll a page; at the end, ask for the next article."""
        bar = self.verticalScrollBar()
        if bar.value() >= bar.maximum():
            self.reached_end.emit()
        else:
            bar.setValue(bar.value() + bar.pageStep() - 40)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Override of QTextBrowser.keyPressEvent: Space at the end of an article moves on."""
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self.page_down_or_next()
            return
        super().keyPressEvent(event)

    # --- resources and links -------------------------------------------------------------------

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        """Override of QTextBrowser.loadResource: never load anything but images inside the
        opened folder.  Never returns None: for a null answer Qt loads the resource itself
        (QTextDocument reads `file:` URLs and paths with QFile, the image handler tries
        QImage.load on the name), which would read wherever the name points (a FIFO blocks
        forever, /dev/zero exhausts memory). A refused image is a transparent pixel, anything
        else an empty stylesheet."""
        qurl = url if isinstance(url, QUrl) else QUrl(url)
        image_kind = QTextDocument.ResourceType.ImageResource
        if kind not in (image_kind, image_kind.value):
            log.debug("refused a resource of kind %s: %s", kind, qurl.toString()[:200])
            return QByteArray(b" ")
        image = None
        if qurl.scheme() == ASSET_SCHEME and self._read_file is not None:
            image = self._load_image(unquote(qurl.path()).lstrip("/"))
        if image is None:
            log.debug("refused an image: %s", qurl.toString()[:200])
            return _refused_image()
        return image

    def _load_image(self, rel: str) -> QImage | None:
        assert self._read_file is not None
        try:
            # Inside the folder only; no symlinks out, FIFOs or devices; a size cap.
            data = self._read_file(rel, MAX_IMAGE_BYTES)
        except FileProblem:
            return None
        image = QImage()
        if PurePosixPath(rel).suffix.lower() in (".svg", ".svgz"):
            if svg_is_self_contained(data):
                image = _render_svg(data, self._max_image_width)
        elif _pixel_count_ok(data):
            image.loadFromData(QByteArray(data))
        if image.isNull():
            return None
        if image.width() > self._max_image_width:
            image = image.scaledToWidth(
                self._max_image_width, Qt.TransformationMode.SmoothTransformation
            )
        return image

    @Slot(QUrl)
    def on_anchor_clicked(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == CATEGORY_SCHEME:
            self.category_requested.emit(unquote(url.path()))
        elif scheme == TAG_SCHEME:
            self.tag_requested.emit(unquote(url.path()))
        elif scheme == ACTION_SCHEME and url.path() == "bookmark":
            self.bookmark_toggle_requested.emit()
        elif scheme == ACTION_SCHEME and url.path() == "note":
            self.note_edit_requested.emit()
        elif scheme == ACTION_SCHEME:
            self.action_requested.emit(url.path())
        elif scheme == RELATED_SCHEME:
            self.related_activated.emit(unquote(url.path()))
        elif scheme in EXTERNAL_SCHEMES:
            if not QDesktopServices.openUrl(url):
                self.link_failed.emit(url.toString())
        elif scheme == "" and url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment())
        elif scheme == "":
            self.post_link_activated.emit(url.toString())
        else:
            log.info("ignored a link with scheme %r", scheme)


_IMAGE_PARAGRAPH = re.compile(r"<p>(\s*(?:<a [^>]*>)?\s*<img [^>]*>\s*(?:</a>)?\s*)</p>")


def _figures(fragment: str) -> str:
    """Mark paragraphs that hold only an image: Qt multiplies an image's line by the
    paragraph's line-height, which would leave a large gap under every picture."""
    return _IMAGE_PARAGRAPH.sub(r'<p class="figure">\1</p>', fragment)


def _refused_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    return image


_SVG_TAG = re.compile(rb"<(/?)([A-Za-z][\w:.-]*)([^<>]*?)(/?)>")
# A reference to anything but the document itself: Qt's SVG renderer loads such images from the
# disk (relative names against the working directory).
_SVG_OUTSIDE_REF = re.compile(rb"""\bhref\s*=\s*(?!["']?\s*(?:data:|#))""", re.IGNORECASE)


def svg_is_self_contained(data: bytes) -> bool:
    """Whether Qt may render this SVG: small, no entity declarations, no image loaded from
    elsewhere (files outside the folder, FIFOs, devices), and shallow enough for Qt to draw
    without warnings. One linear pass over the tags."""
    if len(data) > MAX_SVG_BYTES or data[:2] == b"\x1f\x8b":  # svgz: cannot be inspected
        return False
    if b"<!ENTITY" in data:
        return False
    depth = 0
    for m in _SVG_TAG.finditer(data):
        closing, name, attrs, self_closing = m.groups()
        if closing:
            depth -= 1
            continue
        if name.lower().endswith(b"image") and _SVG_OUTSIDE_REF.search(attrs):
            return False  # <image>, <feImage>
        if not self_closing:
            depth += 1
            if depth > MAX_SVG_DEPTH:
                return False
    return True


def _pixel_count_ok(data: bytes) -> bool:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QImageReader

    buf = QBuffer()
    buf.setData(QByteArray(data))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    size = QImageReader(buf).size()
    return size.isValid() and size.width() * size.height() <= MAX_IMAGE_PIXELS


def _render_svg(data: bytes, max_width: int) -> QImage:
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        return QImage()
    size = renderer.defaultSize()
    if size.isEmpty():
        return QImage()
    scale = min(1.0, max_width / max(1, size.width()))
    w, h = max(1, int(size.width() * scale)), max(1, int(size.height() * scale))
    if w * h > MAX_IMAGE_PIXELS:
        return QImage()
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image
