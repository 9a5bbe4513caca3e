"""A matplotlib canvas that is itself a widget: Agg draws in the kernel, the browser shows frames.

Why not ipympl: its front end re-encodes the whole figure as a PNG data URL on
every frame it receives (to keep a snapshot in the widget state), about 10 ms of
the browser's main thread per frame at the course's figure sizes, the largest
single cost of a slider step in JupyterLab.  This canvas keeps what ipympl did
well (Agg rendering, blitting, image diffs at the screen's pixel ratio) and its
front end, a few lines of JavaScript run by anywidget, only paints each frame: a
small patch (a day marker, a few follicles) comes as raw pixels and is painted at
once; a larger one, or a whole picture, comes encoded and is decoded off the main
thread first.

Frames go to the browser only once a view has said it is on screen (``ready``);
headless (tests, nbclient, nbgrader) nothing is encoded or sent.
"""

import asyncio
import io
import struct
import zlib
from dataclasses import dataclass

import anywidget
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, features

WEBP = bool(features.check("webp"))

FRONT_END = """
export default {
  render({ model, el }) {
    const canvas = document.createElement("canvas");
    canvas.className = "course-figure";
    canvas.setAttribute("role", "img");
    canvas.style.display = "block";
    // At its own size where there is room; scaled down, never cut off, where there is not.
    canvas.style.maxWidth = "100%";
    canvas.style.height = "auto";
    el.style.maxWidth = "100%";
    el.style.minWidth = "0";
    const context = canvas.getContext("2d");
    el.appendChild(canvas);
    const size = () => {
      const [width, height] = [model.get("css_width"), model.get("css_height")];
      canvas.style.width = `${width}px`;
      canvas.style.aspectRatio = `${width} / ${height}`;
      canvas.setAttribute("aria-label", model.get("label"));
    };
    size();
    // Frames are painted in the order they were sent (a diff only makes sense over the
    // frame before it).  Raw patches are painted at once when no encoded frame is still
    // being decoded; encoded ones are decoded in parallel, off the main thread.
    let painted = Promise.resolve();
    let decoding = 0;
    const paintRaw = (buffer, [x, y], [width, height]) => {
      const bytes = ArrayBuffer.isView(buffer)
        ? new Uint8ClampedArray(buffer.buffer, buffer.byteOffset, buffer.byteLength)
        : new Uint8ClampedArray(buffer);
      context.putImageData(new ImageData(bytes, width, height), x, y);
    };
    const onMessage = (message, buffers) => {
      if (message.type !== "frame") return;
      const raw = message.raw || buffers.map(() => null);
      if (decoding === 0 && !message.full && raw.every((size) => size)) {
        buffers.forEach((buffer, index) => paintRaw(buffer, message.at[index], raw[index]));
        return;
      }
      decoding += 1;
      const decoded = Promise.all(
        buffers.map((buffer, index) =>
          raw[index]
            ? buffer
            : createImageBitmap(new Blob([buffer], { type: message.image || "image/png" })),
        ),
      );
      painted = painted
        .then(() => decoded)
        .then((bitmaps) => {
          if (message.full) {
            if (canvas.width !== bitmaps[0].width || canvas.height !== bitmaps[0].height) {
              canvas.width = bitmaps[0].width;
              canvas.height = bitmaps[0].height;
            } else {
              context.clearRect(0, 0, canvas.width, canvas.height);
            }
          }
          bitmaps.forEach((bitmap, index) => {
            if (raw[index]) {
              paintRaw(bitmap, message.at[index], raw[index]);
              return;
            }
            const [x, y] = message.at[index];
            context.drawImage(bitmap, x, y);
            bitmap.close();
          });
        })
        .catch((error) => console.error("course figure: a frame could not be decoded", error))
        .finally(() => {
          decoding -= 1;
        });
    };
    model.on("msg:custom", onMessage);
    model.on("change:css_width change:css_height change:label", size);
    const ratio = window.devicePixelRatio || 1;
    if (model.get("pixel_ratio") !== ratio) {
      model.set("pixel_ratio", ratio);
      model.save_changes();
    }
    model.send({ type: "ready" });
    return () => {
      model.off("msg:custom", onMessage);
      model.off("change:css_width change:css_height change:label", size);
    };
  },
};
"""


def png_bytes(rgba: np.ndarray) -> bytes:
    """An RGBA array as PNG: no row filters and zlib's fastest run-length level.

    Three times faster than Pillow's encoder on a figure-sized diff image (mostly
    zeros, which run-length coding packs as small).
    """
    height, width, _ = rgba.shape
    rows = np.zeros((height, 4 * width + 1), np.uint8)  # each row starts with filter type 0
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    packer = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    data = packer.compress(rows.tobytes()) + packer.flush()

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


PATCH_GAP = 24
"""Changed columns further apart than this (pixels) go in separate patches: a day marker
and the follicles it drives change two small places, not the band between them."""


@dataclass(frozen=True)
class EncodedImage:
    """A whole picture, encoded for the browser."""

    data: bytes
    mime: str


def quick_image(rgba: np.ndarray) -> EncodedImage:
    """A picture encoded now, while the learner waits: :func:`png_bytes`, a few ms."""
    return EncodedImage(png_bytes(rgba), "image/png")


def compact_image(rgba: np.ndarray) -> EncodedImage:
    """A picture encoded ahead, while the kernel idles: lossless WebP, a quarter to a
    sixth of :func:`png_bytes`' size for 30-40 ms (a course illustration's fine detail
    defeats run-length coding), so a step that shows it moves far fewer bytes through
    the server and the browser.  PNG where Pillow was built without WebP."""
    if not WEBP:
        return quick_image(rgba)
    opaque = bool((rgba[:, :, 3] == 255).all())
    image = Image.fromarray(np.ascontiguousarray(rgba[:, :, :3] if opaque else rgba))
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", lossless=True, quality=50, method=1)
    return EncodedImage(buffer.getvalue(), "image/webp")


RAW_PATCH_BYTES = 64 << 10
"""A changed box this size or smaller is sent as raw RGBA and painted with no decoding:
the browser's wait for an image decoder (11-44 ms in Chromium, even for a 2 KB PNG)
is most of a small step's time, and 64 KB costs a remote learner little more."""


@dataclass(frozen=True)
class Patch:
    """Pixels to paint with their top left corner at (``x``, ``y``) of the figure: a PNG
    whose transparent pixels keep what is shown, or (``raw`` = width, height) the box's
    RGBA bytes, which replace it."""

    x: int
    y: int
    data: bytes
    raw: tuple[int, int] | None = None


@dataclass(frozen=True)
class Frame:
    """What the browser is sent to show new pixels: the whole image (``full``), or patches
    around what changed."""

    full: bool
    patches: tuple[Patch, ...]


def changed_patch(words: np.ndarray, changed: np.ndarray, left: int, top: int) -> Patch:
    """The patch for one box of changed pixels (``words``/``changed`` cut to the box)."""
    height, width = words.shape
    if 4 * width * height <= RAW_PATCH_BYTES:
        return Patch(left, top, words.tobytes(), raw=(width, height))
    kept = np.where(changed, words, 0)
    return Patch(left, top, png_bytes(kept[:, :, None].view(np.uint8)))


def next_frame(shown: np.ndarray | None, pixels: np.ndarray) -> Frame | None:
    """The frame that turns ``shown`` (the RGBA pixels on screen, or None) into ``pixels``,
    or None if nothing changed.

    A figure with transparent pixels of its own, a new size or nothing on screen
    yet gets a full frame.
    """
    if shown is None or shown.shape != pixels.shape or bool((pixels[:, :, 3] != 255).any()):
        return Frame(True, (Patch(0, 0, png_bytes(pixels)),))
    words = pixels.view(np.uint32)[:, :, 0]
    changed = words != shown.view(np.uint32)[:, :, 0]
    columns = np.flatnonzero(changed.any(axis=0))
    if columns.size == 0:
        return None
    breaks = np.flatnonzero(np.diff(columns) > PATCH_GAP)
    patches = []
    for run in np.split(columns, breaks + 1):
        left, right = int(run[0]), int(run[-1]) + 1
        rows = np.flatnonzero(changed[:, left:right].any(axis=1))
        box = np.s_[rows[0] : rows[-1] + 1, left:right]
        patches.append(changed_patch(words[box], changed[box], left, int(rows[0])))
    return Frame(False, tuple(patches))


class AfterUpdate:
    """Run ``action`` once after the running update, however often it is asked for before
    then; at once outside an event loop (plain Python, tests), where nothing would run it."""

    def __init__(self, action) -> None:
        self._action = action
        self._scheduled = False

    def request(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._action()
            return
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._run)

    def _run(self) -> None:
        self._scheduled = False
        self._action()


class FigureCanvas(anywidget.AnyWidget, FigureCanvasAgg):
    """An Agg canvas for ``figure`` that is shown, as a widget, at the figure's size.

    ``draw()`` renders and shows the figure; ``draw_idle()`` does so once, soon
    (several requests in one update make one draw); ``blit()`` shows what was
    drawn onto the renderer since, as :class:`~widgets.views.figures.Blitter` does.
    """

    _esm = FRONT_END
    css_width = traitlets.Int(0).tag(sync=True)
    css_height = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("figure").tag(sync=True)
    pixel_ratio = traitlets.Float(1.0).tag(sync=True)

    def __init__(self, figure: Figure):
        anywidget.AnyWidget.__init__(self)
        FigureCanvasAgg.__init__(self, figure)
        self.css_width, self.css_height = self.get_width_height()
        self._shown: np.ndarray | None = None
        self._live = False
        self._stale = True
        self._draw_soon = AfterUpdate(self._draw_if_stale)
        self.on_msg(self._on_front_end_message)
        self.observe(self._on_pixel_ratio, "pixel_ratio")

    @property
    def live(self) -> bool:
        """Whether a view in the browser shows this canvas (frames are sent only then)."""
        return self._live

    @property
    def draw_pending(self) -> bool:
        """Whether the figure changed since it was last drawn (a full draw is due)."""
        return self._stale

    def _on_front_end_message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "ready":
            self._live = True
            self._shown = None  # a new view starts blank: it needs a full frame
            if self._stale:
                self.draw()
            else:
                self._send_frame()

    def _on_pixel_ratio(self, change) -> None:
        ratio = change["new"]
        plausible = isinstance(ratio, (int, float)) and 0.5 <= ratio <= 8
        if plausible and self._set_device_pixel_ratio(ratio):
            self._stale = True
            self.draw_idle()

    def _send_frame(self) -> None:
        pixels = np.asarray(self.get_renderer().buffer_rgba())
        frame = next_frame(self._shown, pixels)
        if frame is None:
            return
        self._shown = pixels.copy()
        message = {
            "type": "frame",
            "full": frame.full,
            "at": [[patch.x, patch.y] for patch in frame.patches],
            "raw": [patch.raw for patch in frame.patches],
        }
        self.send(message, [patch.data for patch in frame.patches])

    def draw(self) -> None:
        """Render the whole figure and show it (matplotlib's ``draw_event`` fires as usual)."""
        self._stale = False
        super().draw()
        if self._live:
            self._send_frame()

    def show_encoded(self, image: EncodedImage) -> None:
        """Show what the renderer holds, given encoded already (a kept picture): sent
        whole, with no diff to compute and nothing to encode."""
        if self._live:
            self._shown = np.asarray(self.get_renderer().buffer_rgba()).copy()
            self.send(
                {"type": "frame", "full": True, "at": [[0, 0]], "image": image.mime},
                [image.data],
            )

    def draw_unseen(self) -> None:
        """Render the whole figure without showing it: a picture drawn ahead, to be kept."""
        FigureCanvasAgg.draw(self)

    def draw_idle(self, *args, **kwargs) -> None:
        """Draw once, after the running update (at once outside an event loop); when no view
        is on screen, only remember that the figure changed: the first view draws it."""
        self._stale = True
        if self._live:
            self._draw_soon.request()

    def _draw_if_stale(self) -> None:
        if self._stale:
            self.draw()

    def blit(self, bbox=None) -> None:
        """Show what was drawn onto the renderer since the last frame."""
        if self._live:
            self._send_frame()
