"""The `build` command: parse options, run the pipeline, report. No layout or drawing here."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import time
from pathlib import Path

import click

from builder.dataclass_code import install

install()  # before any of our dataclasses is made: their methods' code is kept across runs

from builder import __version__  # noqa: E402 - the modules below make dataclasses
from builder.errors import BuildError, ContentError, display_path
from builder.paths import find_project
from builder.places import shipped_dir
from builder.cache import output_root, run_key, unchanged_run
from builder.finish import end, output_closed, reader_gone
from builder.options import DEFAULT_FORMAT, Options, Report, command_options


class _Group(click.Group):
    """Content and build errors end as one line and exit 1; --debug shows the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (ContentError, BuildError) as err:
            if ctx.meta.get(DEBUG):
                raise
            say(ctx, str(err), "error")
            ctx.exit(1)
        except KeyboardInterrupt as err:
            _interrupted(ctx, f"interrupted {err}; the new outputs are complete" if str(err) else
                         "interrupted; the previous outputs are unchanged")
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as err:  # a bug of ours: still one line, and a way to see more
            if isinstance(err, BrokenPipeError) and output_closed():  # `build ... | head`: no bug
                reader_gone()
            if ctx.meta.get(DEBUG):
                raise
            say(ctx, f"internal error ({type(err).__name__}: {err}); this is a bug in karuta-press, not in "
                "your content: run again with --debug and report what it prints", "error")
            ctx.exit(1)


# --- flags accepted before or after the command, and what they change in what we print ---------

DEBUG, QUIET, VERBOSE = "karuta.debug", "karuta.quiet", "karuta.verbose"
_STYLES = {"error": {"fg": "red"}, "wrote": {"fg": "green"}, "detail": {"dim": True}}


def _global_flag(key: str, *names: str, help: str):
    def remember(ctx: click.Context, _param, value: bool) -> None:
        if value:  # ctx.meta is shared by the group and its command: `build -q all` = `build all -q`
            ctx.meta[key] = True
            if ctx.meta.get(QUIET) and ctx.meta.get(VERBOSE):
                raise click.UsageError("--quiet and --verbose contradict each other; give one of them", ctx)
    return click.option(*names, is_flag=True, expose_value=False, callback=remember, help=help)


def _global_options(f):
    """--debug, -q, -v: taken by the group and by every command, so they work on either side of it."""
    for option in (_global_flag(VERBOSE, "--verbose", "-v", help="Also say where the project and the output "
                                "are, and how long the build took."),
                   _global_flag(QUIET, "--quiet", "-q", help="Print nothing but errors."),
                   _global_flag(DEBUG, "--debug", help="Show the full traceback when something goes wrong.")):
        f = option(f)
    return f


def say(ctx: click.Context, line: str, kind: str = "info") -> None:
    """One line for the user. info: what was done (not with -q); detail: only with -v; error: always,
    on stderr. Coloured on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if (kind == "info" and ctx.meta.get(QUIET)) or (kind == "detail" and not ctx.meta.get(VERBOSE)):
        return
    colour = False if os.environ.get("NO_COLOR") else None  # None: click colours only on a terminal
    style = _STYLES.get("wrote" if line.startswith("wrote ") else kind)
    if style and line.startswith("wrote "):
        line = click.style("wrote", **style) + line[len("wrote"):]
    elif style:
        line = click.style(line, **style)
    click.echo(line, err=kind == "error", color=colour)


def _output_option(f):
    return click.option("--output", "--out-dir", "-o", "output", type=click.Path(file_okay=False, path_type=Path),
                        help="Folder for the built files (default: output/ in the project). "
                             "--out-dir is accepted as an alias.")(f)


def _press_option(f):
    return click.option("--press", "--bleed", "press", is_flag=True,
                        help="Print-shop output: PDF/X-1a (CMYK only, black text K100 overprinting), 3 mm "
                             "bleed, Japanese crop marks (トンボ), TrimBox and BleedBox, a slug line with file "
                             "name, page and date. Implies --cmyk. --bleed is accepted as an alias.")(f)


def _cmyk_option(f):
    return click.option("--cmyk", is_flag=True, help="Draw every colour in CMYK (the theme's CMYK mixes), e.g. for "
                                                   "an office colour laser; --press always does.")(f)


def _force_option(f):
    return click.option("--force", is_flag=True, help="Rebuild everything, ignoring the build cache.")(f)


def _jobs_option(f):
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                        help="Processes that render images in parallel (default: every core).")(f)


def _shared_options(f):
    """The options every building command takes, under one name each."""
    for option in (_force_option, _output_option, _cmyk_option, _press_option):
        f = option(f)
    return f


def _watch_option(f):
    return click.option("--watch", is_flag=True,
                        help="Build, then rebuild whenever a content, font or asset file is saved "
                             "(only what changed is redrawn); stop with Ctrl-C.")(f)


def _karuta_options(default_format: str):
    """The deck's options; `build all` shows its own --format default (all), `build karuta` pdf."""
    def add(f):
        f = _jobs_option(f)
        f = click.option("--format", "formats", type=click.Choice(["pdf", "png", "all"]), default=default_format,
                         show_default=True, help="pdf: the print deck; png: images for social media; all: both.")(f)
        f = click.option("--preset", "presets", multiple=True, metavar="NAME",
                         help="Social-media image shape (repeatable): square (default), portrait, landscape, ogp, "
                              "or all. Sizes come from the theme. Implies --format png unless --format is given.")(f)
        f = click.option("--backs", is_flag=True, help="Add card backs, mirrored for long-edge duplex printing.")(f)
        f = click.option("--vertical", is_flag=True, help="Set the reading cards in vertical writing (縦書き).")(f)
        return f
    return add


def _project(ctx: click.Context):
    return find_project(ctx.find_root().params.get("project"))


# Options that change only the print PDFs: why each means nothing when no PDF of the deck is made.
_PDF_ONLY = {
    "press": "--press makes print-shop PDFs",
    "cmyk": "--cmyk draws the print PDFs in CMYK",
    "backs": "--backs adds back sheets to the print PDF",
    "vertical": "--vertical sets the print PDF's reading cards in vertical writing",
}


def _explicit(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)


def _options(ctx: click.Context, targets: list[str], **kwargs) -> Options:
    """Options as the build takes them; an option that would change nothing is refused (exit 2)
    with the reason, and --preset alone asks for images."""
    kwargs.pop("watch", None)
    formats = kwargs.pop("formats", "pdf")
    presets = kwargs.pop("presets", ())
    if presets and formats == "pdf":
        if _explicit(ctx, "formats"):
            raise click.UsageError("--preset chooses the shape of the card images, but --format pdf makes no "
                                   "images: use --format png or all, or leave out --format", ctx)
        formats = "png"
    if formats == "png":
        pdf_elsewhere = "newsletter" in targets  # build all still makes the newsletter PDF
        for name, what in _PDF_ONLY.items():
            if kwargs.get(name) and not (pdf_elsewhere and name in ("press", "cmyk")):
                raise click.UsageError(f"{what}, but --format png makes only the card images for screens (sRGB, "
                                       f"no bleed): leave out --{name}, or use --format all to make the PDF too", ctx)
    return command_options(formats, presets, **kwargs)


def _build(ctx: click.Context, kwargs: dict, targets: list[str]) -> None:
    """Build once; with --watch, then again on every save (a mistake is shown and watching goes on)."""
    watching = kwargs.get("watch", False)
    project, options = _project(ctx), _options(ctx, targets, **kwargs)
    say(ctx, f"project {project.root}; output {output_root(project, options)}", "detail")
    try:
        _build_once(ctx, project, options, targets)
    except (ContentError, BuildError) as err:
        if not watching:
            raise
        say(ctx, str(err), "error")
    if watching:
        from builder.watch import watch

        watch(project, options, targets, lambda line, kind="info": say(ctx, line, kind))


def _build_once(ctx: click.Context, project, options: Options, targets: list[str]) -> None:
    """An unchanged rebuild answers before the renderers are even imported."""
    started = time.perf_counter()
    key = run_key(project, options, targets)
    unchanged = unchanged_run(project, options, key)
    if unchanged is not None:
        report = Report(unchanged=unchanged)
    else:
        from builder.pipeline import run

        report = run(project, options, targets, key)
    for line in report.lines():
        say(ctx, line)
    say(ctx, f"done in {time.perf_counter() - started:.2f} s", "detail")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "-p", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Project folder holding content/ (default: the current folder or the nearest folder above "
                   "it that holds content/theme.yaml).")
@_global_options
@click.version_option(__version__, prog_name="karuta-press")
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """Build Japanese print and social-media material from the YAML in content/.

    \b
      build all                     everything, into output/
      build newsletter --press      the survey newsletter for a print shop
      build karuta --format all     the card deck PDF and the social-media images
      build check                   check the content without writing anything
      build karuta --watch          rebuild the deck whenever a content file is saved
      build list icons lock         illustration names containing "lock"
      build clean                   remove what the builds wrote
    """


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@_shared_options
@_watch_option
@_global_options
@click.pass_context
def newsletter(ctx: click.Context, files: tuple[Path, ...], **kwargs) -> None:
    """The survey newsletter: an A4 PDF in output/newsletter/, named after its text file.

    FILES are newsletter texts in content/ (for example content/newsletter-2025.yaml makes
    newsletter-2025.pdf); without them, every content/newsletter*.yaml is built."""
    kwargs["newsletters"] = tuple(_content_name(_project(ctx), file) for file in files)
    _build(ctx, kwargs, ["newsletter"])


def _content_name(project, given: Path) -> str:
    """A file named on the command line, as its path inside content/ (from the current folder or
    from content/ itself)."""
    content = project.content.resolve()
    for candidate in (given.resolve(), (content / given).resolve()):
        if candidate.is_file() and candidate.is_relative_to(content):
            return candidate.relative_to(content).as_posix()
    raise BuildError(f"{given}: there is no such file in the project's content/ folder; newsletter texts live "
                     "there (for example content/newsletter-2025.yaml)")


@cli.command()
@_karuta_options(DEFAULT_FORMAT["karuta"])
@_shared_options
@_watch_option
@click.option("--list", "list_only", is_flag=True, help="Print kana, slogan and topic of every card; build nothing.")
@_global_options
@click.pass_context
def karuta(ctx: click.Context, list_only: bool, **kwargs) -> None:
    """The 46-card security karuta: a cut-out print PDF and, with --format png, one image per card.

    Office mode (default) imposes the cards on A4 with cut guides; --press adds bleed and crop
    marks for a print shop, plus a one-card-per-page PDF. Files go to output/karuta/.
    """
    if list_only:
        given = [param.opts[0] for param in ctx.command.params if param.name in kwargs and _explicit(ctx, param.name)]
        if given:
            raise click.UsageError(f"--list only prints the cards and builds nothing, so {given[0]} would change "
                                   "nothing: leave it out", ctx)
        from builder.pipeline import deck_listing

        for line in deck_listing(_project(ctx)):
            click.echo(line)
        return
    _build(ctx, kwargs, ["karuta"])


@cli.command(name="all")
@_karuta_options(DEFAULT_FORMAT["all"])
@_shared_options
@_watch_option
@_global_options
@click.pass_context
def build_all(ctx: click.Context, **kwargs) -> None:
    """Everything: the newsletter, the print deck and the card images.

    The deck comes as PDF and PNG unless --format says otherwise (--format pdf: no images)."""
    targets = _project(ctx).targets()
    if not targets:
        raise BuildError("nothing to build: content/ has no newsletter*.yaml and no karuta.yaml")
    _build(ctx, kwargs, targets)


@cli.command()
@_jobs_option
@_force_option
@_output_option
@click.option("--serve", is_flag=True, help="Then preview the site on http://127.0.0.1:PORT/ and rebuild it "
                                            "on every save in the project, as --watch does (Ctrl-C stops).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port of the --serve preview (0: any free port).")
@_global_options
@click.pass_context
def site(ctx: click.Context, serve: bool, port: int, **kwargs) -> None:
    """A static web gallery of the deck in output/site/, to upload to any web host as it is.

    An index with the 46 picture cards, the play sheet and the print PDFs to download; one page
    per card with its slogan, explanation and share links; link previews (Open Graph, X cards)
    addressed from base_url in content/site.yaml, which must be set to where the site goes."""
    _build(ctx, kwargs, ["site"])
    if serve:
        from builder.site.serve import serve as preview

        preview(_project(ctx), _options(ctx, ["site"], **kwargs), ["site"], port,
                lambda line, kind="info": say(ctx, line, kind))


@cli.command()
@_global_options
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check all content (schema, lengths, glyphs, fit, survey figures) without writing anything."""
    from builder.pipeline import check_all

    checked = check_all(_project(ctx))
    for line in checked.lines:
        say(ctx, line)
    if checked.errors:
        if ctx.meta.get(DEBUG):
            raise checked.errors[0]
        for err in checked.errors:
            say(ctx, str(err), "error")
        if len(checked.errors) > 1:
            say(ctx, f"{len(checked.errors)} mistakes found; nothing written", "error")
        ctx.exit(1)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_global_options
@click.pass_context
def init(ctx: click.Context, directory: Path) -> None:
    """Start a project in DIRECTORY with a copy of the shipped content and theme."""
    target = directory / "content"
    if target.exists():
        raise BuildError(f"{target} already exists; choose an empty folder or edit the content there")
    try:
        shutil.copytree(shipped_dir() / "content", target)
        (directory / "output").mkdir(exist_ok=True)
    except OSError as err:
        raise BuildError(f"cannot create {target} ({err.strerror}); choose a folder you can write to") from None
    say(ctx, f"wrote {target}; now run: cd {directory} && build all")


@cli.group(name="list", cls=_Group)
def list_() -> None:
    """Print names you can use in the content: illustrations, cards."""


@list_.command(name="icons")
@click.argument("word", required=False)
@_global_options
@click.pass_context
def list_icons(ctx: click.Context, word: str | None) -> None:
    """Illustration names a card can use (containing WORD, if given), one a line."""
    from builder.content.deck import illustration_names

    names = [name for name in illustration_names(_project(ctx)) if word is None or word.lower() in name.lower()]
    if not names:
        raise BuildError(f"no illustration name contains '{word}'; try a shorter word, or `build list icons` "
                         "for all of them")
    for name in names:
        click.echo(name)


list_.add_command(list_icons, name="art")


@list_.command(name="cards")
@_global_options
@click.pass_context
def list_cards(ctx: click.Context) -> None:
    """Kana, slogan and topic of every card (as `build karuta --list`)."""
    from builder.pipeline import deck_listing

    for line in deck_listing(_project(ctx)):
        click.echo(line)


@cli.command()
@_output_option
@_global_options
@click.pass_context
def clean(ctx: click.Context, output: Path | None) -> None:
    """Remove the files the builds wrote (as recorded in the build cache) and the cache itself.

    Files the builds did not write, and files changed since, are left alone."""
    from builder.clean import clean_outputs

    project = _project(ctx)
    removed, kept = clean_outputs(output_root(project, Options(output=output)))
    for path in kept:
        say(ctx, f"kept {display_path(path)}: changed since the build wrote it")
    say(ctx, f"removed {len(removed)} built file(s) and the build cache" if removed else "nothing to clean")


def _interrupted(ctx: click.Context | None, message: str) -> None:
    """Exit 130 at once: the build has already cleaned up on its way out, and nothing left to
    run at exit may turn the interrupt into a second one."""
    if ctx is None:
        click.echo(message, err=True)
    else:
        say(ctx, message, "error")
    sys.stderr.flush()
    sys.stdout.flush()
    os._exit(130)


def main() -> None:
    # a build makes many small objects that live until it ends (layouts, display lists): collect
    # after 20,000 new ones rather than 700, or the collector rescans them a few hundred times
    gc.set_threshold(20_000, 20, 20)
    try:
        code = cli.main(prog_name="build", standalone_mode=False)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.Abort:  # Ctrl-C while the command line was read: nothing had started
        _interrupted(None, "interrupted; the previous outputs are unchanged")
    end(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
